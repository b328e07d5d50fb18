import Foundation

/// Puts a cache file in place atomically: the bytes go to a temporary file beside it
/// (`.NAME.PID.RANDOM.tmp`), which is then renamed over it, so a reader sees the old file or the
/// new one, never half of one, and concurrent writers each land whole. Every cache (lint, stat
/// index, site facts, history, search) writes through here.
public enum CacheFile {
    /// Replaces the file at `url` with `bytes`; false when it could not (read-only folder, full
    /// disk…), which leaves the old file: a cache only saves time. Temporary files that writers
    /// killed mid-write left beside it (their process is gone) are removed on the way.
    @discardableResult
    public static func replace(_ url: URL, with bytes: [UInt8]) -> Bool {
        let folder = url.deletingLastPathComponent()
        let prefix = "." + url.lastPathComponent + "."
        let temporary = folder.appendingPathComponent(prefix + "\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        var written = 0
        var failed = false
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { failed = true; return }
                written += count
            }
        }
        // A full disk can show up only at close.
        if close(descriptor) != 0 { failed = true }
        guard !failed, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            return false
        }
        removeAbandoned(prefix: prefix, in: folder)
        return true
    }

    /// Removes `prefix`PID.RANDOM.tmp files in `folder` whose writer no longer runs (a process
    /// killed between creating its temporary file and renaming it). A live writer's file, or
    /// one whose name does not parse, is left alone.
    static func removeAbandoned(prefix: String, in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(".tmp".count).split(separator: ".")
            guard middle.count == 2, let pid = Int32(middle[0]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(folder.appendingPathComponent(name).path) }
        }
    }
}

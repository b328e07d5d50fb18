import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A wake-up call for the preview's watcher when something happens in a watched folder, so that a
/// save is looked at now rather than at the next tick of the poll.
///
/// The poll (``FileScanner``) stays the judge of what changed: this only says "look now". A
/// spurious wake-up costs one scan, as a tick does; a missed one (a network mount where the
/// kernel is not told, a folder over the watch limit) costs what polling alone costs, since the
/// watcher still looks at every tick. That keeps what the scanner's documentation says polling
/// is for, and takes away its delay: on 10,000 postmortems a scan takes about 50 ms and the idle
/// tick grows to a second (``PreviewServer``), which was most of the time from save to page.
///
/// Linux only (inotify, from the C library: no package); elsewhere ``make()`` is nil and the
/// watcher polls.
final class ChangeSignal: @unchecked Sendable {
    #if canImport(Glibc)
    private let descriptor: Int32
    /// A pipe: ``wake()`` writes a byte into `waker.write`, and the read end is waited on beside the folders.
    private let waker: (read: Int32, write: Int32)
    /// Watch descriptors by watched folder (absolute path), and what matters in each folder by
    /// watch descriptor. Changed only by the waiting thread.
    private var folders: [String: Int32] = [:]
    private var interests: [Int32: FileScanner.Interest] = [:]

    private init(descriptor: Int32, waker: (read: Int32, write: Int32)) {
        self.descriptor = descriptor
        self.waker = waker
    }

    deinit {
        close(descriptor)
        close(waker.read)
        close(waker.write)
    }
    #endif

    /// A signal, or nil where the system has none (or it cannot be set up: too many instances).
    static func make() -> ChangeSignal? {
        #if canImport(Glibc)
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(descriptor)
            return nil
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return ChangeSignal(descriptor: descriptor, waker: (ends[0], ends[1]))
        #else
        return nil
        #endif
    }

    /// Ends a ``wait(timeout:)`` now (the server is stopping); safe from any thread.
    func wake() {
        #if canImport(Glibc)
        var byte: UInt8 = 1
        _ = write(waker.write, &byte, 1)
        #endif
    }

    /// Watches `paths` (folders; absolute), each for the entries that matter in it, and stops
    /// watching folders no longer among them. A folder that cannot be watched (gone, or over the
    /// system's limit) is left to the poll.
    func watch(_ paths: [String: FileScanner.Interest]) {
        #if canImport(Glibc)
        for (path, watch) in folders where paths[path] == nil {
            inotify_rm_watch(descriptor, watch)
            folders[path] = nil
            interests[watch] = nil
        }
        // Writes, closes after writing, creations, deletions and renames of a folder's entries
        // (an editor's save-by-rename is a move into the folder); the folder itself going away.
        let events = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                            | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR)
        for (path, interest) in paths {
            if let watch = folders[path] {
                interests[watch] = interest
                continue
            }
            let watch = inotify_add_watch(descriptor, path, events)
            guard watch >= 0 else { continue }
            folders[path] = watch
            interests[watch] = interest
        }
        #endif
    }

    /// Waits until something that matters happens in a watched folder (an entry a scan reads,
    /// or a folder) or `timeout` seconds pass; true when something did. Every event waiting is
    /// read. False at once when ``wake()`` was called.
    func wait(timeout: TimeInterval) -> Bool {
        #if canImport(Glibc)
        let deadline = Date().addingTimeInterval(max(0, min(timeout, 3_600)))
        var buffer = [UInt8](repeating: 0, count: 16 * 1_024)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var requests = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: waker.read, events: Int16(POLLIN), revents: 0)]
            guard poll(&requests, 2, Int32((left * 1_000).rounded(.up))) > 0 else { return false }
            if requests[1].revents != 0 {
                while buffer.withUnsafeMutableBytes({ read(waker.read, $0.baseAddress, $0.count) }) > 0 {}
                return false
            }
            var matters = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                if !matters { matters = buffer.withUnsafeBytes { relevant(UnsafeRawBufferPointer(rebasing: $0[..<count])) } }
            }
            if matters { return true }
        }
        #else
        Thread.sleep(forTimeInterval: timeout)
        return false
        #endif
    }

    #if canImport(Glibc)
    /// Whether one of the events in `bytes` (`struct inotify_event` records: watch, mask, cookie,
    /// name length, then the name padded with NULs) can change a scan: a lost queue, a watched
    /// folder itself changing, a subfolder coming or going, or an entry the folder's interest names.
    private func relevant(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let header = 16
        var offset = 0
        while offset + header <= bytes.count {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = bytes[(offset + header)..<min(bytes.count, offset + header + length)]
            offset += header + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { return true }
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            if name.isEmpty { return true }
            if mask & UInt32(IN_ISDIR) != 0 {
                if !name.hasPrefix(".") { return true }
                continue
            }
            if interests[watch]?.matters(name) ?? true { return true }
        }
        return false
    }
    #endif
}

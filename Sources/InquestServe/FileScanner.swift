import Foundation

/// Change detection for the preview by polling `lstat`: each tick lists the watched folders and
/// compares every file's size, modification and change times and inode with the last tick.
///
/// Why polling and not inotify: it needs no package and no per-folder watch bookkeeping (new
/// subfolders, watch limits, queue overflows), it sees editors' save-by-rename, and it works the
/// same on macOS and on mounts where inotify is silent (network and container volumes). The cost
/// is one `readdir` per folder and one `lstat` per file per tick: an idle `inquest serve` on
/// 1,000 postmortems used 3% of one core with a 100 ms tick (0.59 s of CPU in 20 s, on a loaded
/// machine); ``PreviewServer`` lengthens the tick for larger archives to stay under 5%. On
/// Linux, inotify (``ChangeSignal``) only says when to look sooner; this scan still decides.
struct FileScanner: Sendable {
    /// What a file looked like at the last tick; any difference means it changed.
    struct Stamp: Equatable, Sendable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64
    }

    /// A watched place, relative to ``root``.
    enum Watch: Sendable, Hashable {
        /// Every file under the folder, recursively; with `markdownOnly`, Markdown and YAML files
        /// only (postmortems and a catalogue kept beside them).
        case folder(String, markdownOnly: Bool)
        /// One file (which may not exist yet).
        case file(String)
    }

    let root: URL
    let watches: [Watch]

    /// Stamps of every watched file that exists, by path relative to ``root``.
    func scan() -> [String: Stamp] {
        var folders: [String: Interest] = [:]
        return scan(folders: &folders)
    }

    /// ``scan()``, also giving the folders a change can happen in (absolute paths) with what
    /// matters in each: every folder the scan read, and the folder of each watched file. What
    /// ``ChangeSignal`` watches.
    func scan(folders: inout [String: Interest]) -> [String: Stamp] {
        var out: [String: Stamp] = [:]
        folders.removeAll(keepingCapacity: true)
        for watch in watches {
            switch watch {
            case .file(let path):
                let url = root.appendingPathComponent(path)
                if let stamp = Self.stamp(url.path, regularOnly: true) { out[path] = stamp }
                folders[url.deletingLastPathComponent().path, default: Interest()].names.insert(url.lastPathComponent)
            case .folder(let path, let markdownOnly):
                let base = path.isEmpty ? root.path : root.appendingPathComponent(path).path
                walk(base, relative: path, markdownOnly: markdownOnly, depth: 0, into: &out, folders: &folders)
            }
        }
        return out
    }

    /// Which entries of a folder ``scan()`` reads: what a change in the folder must touch to matter.
    struct Interest: Equatable, Sendable {
        /// Every file (a theme folder).
        var everyFile = false
        /// Markdown and YAML files (a postmortems folder).
        var markdown = false
        /// These names (the folder of a watched file).
        var names: Set<String> = []

        /// Whether a change to the entry `name` can change a scan. Hidden entries never do
        /// (editors' swap and lock files).
        func matters(_ name: String) -> Bool {
            guard !name.hasPrefix(".") else { return false }
            return everyFile || (markdown && FileScanner.isMarkdownOrYAML(name)) || names.contains(name)
        }

        mutating func formUnion(_ other: Interest) {
            everyFile = everyFile || other.everyFile
            markdown = markdown || other.markdown
            names.formUnion(other.names)
        }
    }

    static func isMarkdownOrYAML(_ name: String) -> Bool {
        name.hasSuffix(".md") || name.hasSuffix(".markdown") || name.hasSuffix(".yml") || name.hasSuffix(".yaml")
    }

    /// Paths whose stamp differs between two scans (added, removed or changed), sorted.
    static func changes(from old: [String: Stamp], to new: [String: Stamp]) -> [String] {
        var changed: [String] = []
        for (path, stamp) in new where old[path] != stamp { changed.append(path) }
        for path in old.keys where new[path] == nil { changed.append(path) }
        return changed.sorted()
    }

    /// Hidden entries (`.git`, editors' swap files) are skipped; links are never followed, as
    /// the archive reader does not follow them either.
    private func walk(_ path: String, relative: String, markdownOnly: Bool, depth: Int, into out: inout [String: Stamp],
                      folders: inout [String: Interest]) {
        guard depth < 64, let handle = opendir(path) else { return }
        defer { closedir(handle) }
        folders[path, default: Interest()].formUnion(Interest(everyFile: !markdownOnly, markdown: markdownOnly))
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard !name.hasPrefix(".") else { continue }
            let child = path + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(child, relative: childRelative, markdownOnly: markdownOnly, depth: depth + 1, into: &out, folders: &folders)
            case S_IFREG:
                if markdownOnly, !Self.isMarkdownOrYAML(name) { continue }
                out[childRelative] = Self.stamp(info)
            default:
                continue
            }
        }
    }

    private static func stamp(_ path: String, regularOnly: Bool) -> Stamp? {
        var info = stat()
        guard lstat(path, &info) == 0, !regularOnly || info.st_mode & S_IFMT == S_IFREG else { return nil }
        return stamp(info)
    }

    private static func stamp(_ info: stat) -> Stamp {
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        let changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        return Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified, changed: changed)
    }
}

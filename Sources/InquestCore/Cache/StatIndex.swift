import Foundation

/// The working tree's stat index, like git's index: for each postmortem file, what `lstat` said
/// about it (device, inode, size, modification and change time) when its bytes were last hashed,
/// and their git blob id. A file whose stamp is unchanged is taken as unchanged without reading
/// it; any other file is read and hashed. Every consumer of a working-tree file's identity (the
/// build's input digest, the lint cache, the site facts cache, page keys) then reads the one
/// blob id, and a document nobody needs the bytes of is never read.
///
/// Racy files, as git guards them: a stamp is trusted only when the file's modification and
/// change times are strictly older than the index file's own modification time (the index is
/// written after the files were hashed, so a file written in the same clock tick as the index
/// could still change without its stamp moving). The index's time is the file system's, never
/// the wall clock's.
///
/// Like the caches beside it (``LintCache``'s folder), the file is a hint: a missing, damaged or
/// foreign file is ignored (every file is hashed), a write failure costs only the speed-up, and
/// writes replace the whole file atomically. Its entries mean the same under any configuration or
/// Inquest build (a blob id is a fixed function of the bytes), so the key is its format alone.
public struct StatIndex: Sendable {
    /// The index file.
    public let url: URL
    /// True when the folder is ours alone (`.inquest-cache/`): a `.gitignore` is written with it.
    let ownsFolder: Bool

    /// Blob ids known for files the index cannot vouch for, without reading them: the git
    /// index's (``WorkspaceRepository/workingTreeVouching()``). Given the listed folder and the
    /// documents left to hash, it answers a blob id (or nil) for each. A fresh clone, or a
    /// checkout of another branch, then needs no file read for the lint cache to answer.
    typealias Vouching = @Sendable (_ folder: String, _ documents: [RawDocument]) -> [Digest20?]
    let vouching: Vouching?
    /// The fewest files left to hash for which ``vouching`` is asked. Reading git's index costs
    /// about 18 ms of CPU at 10,000 entries, what hashing some 300 files costs, so the files an
    /// author just edited (git's stat data cannot vouch for them anyway) are hashed straight away.
    var vouchingMinimum = 256

    public init(url: URL, ownsFolder: Bool = false) {
        self.init(url: url, ownsFolder: ownsFolder, vouching: nil)
    }

    init(url: URL, ownsFolder: Bool, vouching: Vouching?) {
        self.url = url
        self.ownsFolder = ownsFolder
        self.vouching = vouching
    }

    /// This index, asking `vouching` about the files it does not know (see ``Vouching``).
    func vouched(by vouching: Vouching?) -> StatIndex {
        var index = StatIndex(url: url, ownsFolder: ownsFolder, vouching: vouching)
        index.vouchingMinimum = vouchingMinimum
        return index
    }

    /// The index beside the lint cache (`$GIT_DIR/inquest/stat.cache`, or `.inquest-cache/`), one
    /// per workspace as the lint cache is.
    public static func beside(_ lintCache: LintCache) -> StatIndex {
        let name = LintCache.renamed(lintCache.url.deletingPathExtension().lastPathComponent, role: "stat")
        return StatIndex(url: lintCache.url.deletingLastPathComponent().appendingPathComponent(name + ".cache"),
                         ownsFolder: lintCache.ownsFolder)
    }

    /// The git blob id of `bytes` (what `git hash-object` prints): the content id the index
    /// stores, and the one git sources carry.
    public static func blobID(of bytes: [UInt8]) -> String { ContentID.of(bytes) }

    /// The byte format's version: bump it whenever what is stored changes meaning.
    static let formatVersion = 1
    static let magic = Array("INQSTAT\u{1}".utf8)

    /// One file as last hashed.
    struct Entry: Equatable {
        var stamp: FileStamp
        var blob: Digest20
    }

    /// The stored entries (sorted by path bytes) and the index file's modification time (ns).
    /// Paths stay bytes in the mapped file: a run compares them, and makes Strings of them only
    /// when it writes a new index.
    struct Snapshot {
        var buffer: CacheBytes
        var paths: [Range<Int>]
        var entries: [Entry]
        var written: Int64

        /// The entry trusted for a file listed with `stamp`: same stamp, and not racy.
        func trusted(_ ordinal: Int, stamp: FileStamp) -> Entry? {
            let entry = entries[ordinal]
            guard entry.stamp == stamp, stamp.modified < written, stamp.changed < written else { return nil }
            return entry
        }

        func path(_ ordinal: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: buffer.buffer[paths[ordinal]]), as: UTF8.self)
        }

        /// Stored path `ordinal` against `bytes`: negative, zero or positive, comparing bytes.
        func compare(_ ordinal: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            let range = paths[ordinal]
            let common = min(range.count, bytes.count)
            if common > 0 {
                let result = memcmp(buffer.base + range.lowerBound, bytes.baseAddress!, common)
                if result != 0 { return Int(result) }
            }
            return range.count - bytes.count
        }
    }

    /// What a resolution did, for tests: counts, never timings.
    public struct Statistics: Sendable, Equatable {
        /// Files whose blob id came from the index without reading them.
        public var trusted = 0
        /// Files read and hashed (new, changed stamp, or racy).
        public var hashed = 0
        /// Files whose blob id came from the git index (``Vouching``), without reading them.
        public var vouched = 0
        /// True when an index file was found and accepted.
        public var hit = false
        /// True when the index file was written.
        public var saved = false
    }

    /// The stored snapshot; nil when missing, damaged or foreign.
    func load() -> Snapshot? {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 16, info.st_size < 1 << 31,
              let bytes = CacheBytes(mapping: descriptor, size: Int(info.st_size)) else { return nil }
        let written = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return Self.decode(bytes, written: written)
    }

    static func decode(_ buffer: CacheBytes, written: Int64) -> Snapshot? {
        guard CacheChecksum.isIntact(buffer, magic: magic) else { return nil }
        var reader = CacheReader(buffer, range: 16..<buffer.count)
        do throws(CacheReader.Failure) {
            guard try reader.int() == formatVersion else { return nil }
            let count = try reader.count()
            var paths: [Range<Int>] = []
            var entries: [Entry] = []
            paths.reserveCapacity(count)
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let path = try reader.stringRange()
                // Strictly increasing by bytes: lookups merge, and a path stored twice is damage.
                if let previous = paths.last {
                    let common = min(previous.count, path.count)
                    let order = common == 0 ? 0 : memcmp(buffer.base + previous.lowerBound, buffer.base + path.lowerBound, common)
                    guard order < 0 || (order == 0 && previous.count < path.count) else { return nil }
                }
                let stamp = FileStamp(device: try reader.unsigned(), inode: try reader.unsigned(), size: try reader.int64(),
                                      modified: try reader.int64(), changed: try reader.int64())
                paths.append(path)
                entries.append(Entry(stamp: stamp, blob: try reader.digest()))
            }
            guard reader.isAtEnd else { return nil }
            return Snapshot(buffer: buffer, paths: paths, entries: entries, written: written)
        } catch {
            return nil
        }
    }

    /// The file's bytes for `entries` sorted by path bytes.
    static func encode(paths: [String], entries: [Entry]) -> [UInt8] {
        var writer = CacheWriter(capacity: 16 + paths.count * 96)
        magic.withUnsafeBytes { writer.bytesAppend($0) }
        withUnsafeBytes(of: UInt64(0)) { writer.bytesAppend($0) }
        writer.int(formatVersion)
        writer.unsigned(UInt64(paths.count))
        for (path, entry) in zip(paths, entries) {
            writer.string(path)
            writer.unsigned(entry.stamp.device)
            writer.unsigned(entry.stamp.inode)
            writer.int64(entry.stamp.size)
            writer.int64(entry.stamp.modified)
            writer.int64(entry.stamp.changed)
            writer.digest(entry.blob)
        }
        var file = writer.bytes
        let checksum = CacheChecksum.of(file, from: 16)
        for index in 0..<8 { file[8 + index] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(index))) }
        return file
    }

    /// How many new or changed documents a run hashes without writing the index again (they are
    /// hashed again at the next run, until more than this many make it worth writing).
    static let rehashAllowance = 16

    /// Gives every listed document (``RawDocument/stamp`` set, as ``WorkingTreeSource`` lists
    /// them) its ``RawDocument/contentID``: from the index when its stamp is trusted, else from
    /// ``vouching`` when it knows the file, else read with `load` (on every core) and hashed;
    /// read documents come back loaded. Then writes the index when more than a few documents
    /// differ from it, an entry went away, or a racy entry could become trusted.
    /// Documents without a stamp, or already carrying a content id, are left as they are.
    /// - Parameter folder: the folder listed (workspace-relative; empty for the root): the
    ///   index's entries outside it are kept as they are.
    func resolve(_ documents: inout [RawDocument], folder: String = "",
                 load: @Sendable (RawDocument) throws(SourceError) -> RawDocument) throws(SourceError) -> Statistics {
        var statistics = Statistics()
        let snapshot = self.load()
        statistics.hit = snapshot != nil
        let ordinals = Self.match(documents.map(\.path), snapshot: snapshot)
        var todo: [Int] = []
        var racy = false
        // The blob ids known without parsing the hex again when the index is written.
        var blobs = [Digest20?](repeating: nil, count: documents.count)
        for index in documents.indices {
            guard documents[index].contentID == nil, let stamp = documents[index].stamp else { continue }
            if let snapshot, ordinals[index] >= 0 {
                if let entry = snapshot.trusted(ordinals[index], stamp: stamp) {
                    documents[index].contentID = entry.blob.hex
                    blobs[index] = entry.blob
                    statistics.trusted += 1
                    continue
                }
                if snapshot.entries[ordinals[index]].stamp == stamp { racy = true }
            }
            todo.append(index)
        }
        if todo.count >= max(1, vouchingMinimum), let vouching {
            let answers = vouching(folder, todo.map { documents[$0] })
            var unknown: [Int] = []
            for (index, blob) in zip(todo, answers) {
                guard let blob else { unknown.append(index); continue }
                documents[index].contentID = blob.hex
                blobs[index] = blob
                statistics.vouched += 1
            }
            todo = unknown
        }
        let listed = todo.map { documents[$0] }
        let results = parallelMap(listed) { document -> Result<RawDocument, SourceError> in
            do throws(SourceError) {
                var loaded = try load(document)
                loaded.stamp = document.stamp
                loaded.contentID = ContentID.of(loaded.bytes)
                return .success(loaded)
            } catch {
                return .failure(error)
            }
        }
        for (index, result) in zip(todo, results) {
            switch result {
            case let .success(document): documents[index] = document
            case let .failure(error): throw error
            }
        }
        statistics.hashed = todo.count

        // The index is written again when an entry of the listed folder went away, an entry is
        // racy (once the file is older than the new index, the next run trusts it), or more than
        // ``rehashAllowance`` documents are new or changed; decided on the ordinals, without a
        // String per stored path. A few changed files are cheaper hashed again at the next run
        // than the whole index written (a 1 MB file encoded, written and renamed at 10,000
        // postmortems): the author's loop changes the same file before every run anyway.
        let prefix = folder.isEmpty || folder == "." ? nil : folder.hasSuffix("/") ? folder : folder + "/"
        if !racy, let snapshot {
            var differing = 0
            var present = 0
            for (index, document) in documents.enumerated() {
                guard let stamp = document.stamp, document.contentID != nil else { continue }
                let ordinal = ordinals[index]
                if ordinal >= 0 { present += 1 }
                guard ordinal >= 0, snapshot.entries[ordinal].stamp == stamp,
                      let blob = blobs[index] ?? document.contentID.flatMap(Digest20.init(hex:)), snapshot.entries[ordinal].blob == blob else {
                    differing += 1
                    if differing > Self.rehashAllowance { break }
                    continue
                }
            }
            if differing <= Self.rehashAllowance {
                // Every stored entry of the listed folder is still listed.
                var listed = snapshot.entries.count
                if let prefix {
                    var bytes = Array(prefix.utf8)
                    listed = bytes.withUnsafeMutableBufferPointer { p in
                        snapshot.paths.indices.count { ordinal in
                            let range = snapshot.paths[ordinal]
                            return range.count >= p.count && memcmp(snapshot.buffer.base + range.lowerBound, p.baseAddress!, p.count) == 0
                        }
                    }
                }
                if present == listed { return statistics }
            }
        }

        // The new index: every stamped document with its blob id, in path-byte order.
        var rows: [(path: String, entry: Entry)] = []
        rows.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() {
            guard let stamp = document.stamp, let id = document.contentID, let blob = blobs[index] ?? Digest20(hex: id) else { continue }
            rows.append((document.path, Entry(stamp: stamp, blob: blob)))
        }
        // A listing of one folder (`inquest lint postmortems/2024`) leaves the rest of the index alone.
        if let prefix, let snapshot {
            for ordinal in snapshot.entries.indices {
                let path = snapshot.path(ordinal)
                if !path.utf8.starts(with: prefix.utf8) { rows.append((path, snapshot.entries[ordinal])) }
            }
        }
        if !(rows.indices.dropFirst().allSatisfy { CachedLint.bytewiseLess(rows[$0 - 1].path, rows[$0].path) }) {
            rows.sort { CachedLint.bytewiseLess($0.path, $1.path) }
            // One entry per path (the first, as the documents list it).
            var seen: Set<String> = []
            rows = rows.filter { seen.insert($0.path).inserted }
        }
        LintCache(url: url, ownsFolder: ownsFolder).save(Self.encode(paths: rows.map(\.path), entries: rows.map(\.entry)))
        statistics.saved = true
        return statistics
    }

    /// For each path, the snapshot ordinal with the same path, or -1: a merge when the paths come
    /// in path-byte order (the usual listing), else a dictionary.
    static func match(_ paths: [String], snapshot: Snapshot?) -> [Int] {
        var ordinals = [Int](repeating: -1, count: paths.count)
        guard let snapshot, !snapshot.paths.isEmpty else { return ordinals }
        let stored = snapshot.paths.count
        // One merge, comparing bytes in place; a listing out of path order falls back to a table.
        var next = 0
        var inOrder = true
        var previous: String?
        for index in paths.indices {
            var path = paths[index]
            if let previous, !CachedLint.bytewiseLess(previous, path) { inOrder = false; break }
            previous = path
            path.withUTF8 { bytes in
                while next < stored {
                    let order = snapshot.compare(next, bytes)
                    if order < 0 { next += 1; continue }
                    if order == 0 { ordinals[index] = next; next += 1 }
                    break
                }
            }
        }
        if inOrder { return ordinals }
        var byPath: [String: Int] = [:]
        byPath.reserveCapacity(stored)
        for ordinal in 0..<stored { byPath[snapshot.path(ordinal)] = ordinal }
        for index in paths.indices { ordinals[index] = byPath[path: paths[index]] }
        return ordinals
    }
}

private extension Dictionary where Key == String, Value == Int {
    subscript(path path: String) -> Int { self[path] ?? -1 }
}

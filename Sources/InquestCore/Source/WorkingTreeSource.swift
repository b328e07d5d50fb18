import Foundation

/// Reads documents from a folder on disk. Symbolic links are never followed, so a link
/// pointing outside the repository cannot pull foreign files into the archive.
public struct WorkingTreeSource: DocumentSource {
    public let root: URL
    public var label: String { "working tree" }
    public var isSnapshot: Bool { false }

    /// The stat index the listing consults, with what this source listed through it.
    private var session: StatSession?

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// This source with listings resolved through `index` (``StatIndex``): every listed document
    /// carries its blob id as ``RawDocument/contentID``, and only files whose stamp changed are
    /// read (they come back loaded). A listing is made once per folder and source: the source of
    /// one command, which then reads the archive as one snapshot however often it lists it.
    public func withStatIndex(_ index: StatIndex) -> any DocumentSource {
        if let session, session.index.url == index.url { return self }
        var copy = self
        copy.session = StatSession(index: index)
        return copy
    }

    /// What the stat index did for this source's listings (nil without one).
    public var statIndexStatistics: StatIndex.Statistics? { session?.statistics }

    public func postmortemFiles(under folder: String) throws(SourceError) -> [RawDocument] {
        // The stamped listing (a `fstatat` per entry on an open folder, the names sorted as the
        // paths were), then each file read straight into its array: at 10,000 documents a URL per
        // file, FileManager's listing and FileHandle's `Data` cost more than the reading itself.
        // Read on every core (the listing is in path order, and so is the result); the first
        // failure in path order is the one reported, as when reading one file after another.
        let listed = try stampedListing(under: folder)
        let rootPath = root.path
        let read = parallelMap(listed) { listed -> Result<RawDocument?, SourceError> in
            do throws(SourceError) { return .success(try Self.file(listed.path, root: rootPath)) } catch { return .failure(error) }
        }
        var documents: [RawDocument] = []
        documents.reserveCapacity(read.count)
        for result in read {
            switch result {
            case let .success(document): if let document { documents.append(document) }
            case let .failure(error): throw error
            }
        }
        return documents
    }

    public func files(under folder: String, where include: (String) -> Bool) throws(SourceError) -> [RawDocument] {
        var paths: [String] = []
        let base = folder.isEmpty ? root : root.appendingPathComponent(folder)
        guard isDirectory(base) else { return [] }
        try collect(base, relative: folder, into: &paths, depth: 0) { path in
            include(folder.isEmpty ? path : String(path.dropFirst(folder.count + 1)))
        }
        var documents: [RawDocument] = []
        for path in paths.sorted() {
            if let document = try file(path) { documents.append(document) }
        }
        return documents
    }

    /// Lists without reading: each document carries its ``FileStamp`` (one `fstatat` per entry,
    /// relative to an open folder, and one String per document: at 10,000 documents building a
    /// URL, or even three path Strings, per file cost more than the stat).
    public func postmortemListing(under folder: String) throws(SourceError) -> [RawDocument] {
        guard let session else { return try stampedListing(under: folder) }
        return try session.listing(under: folder) { () throws(SourceError) -> ([RawDocument], StatIndex.Statistics) in
            var documents = try stampedListing(under: folder)
            nonisolated(unsafe) let plain = WorkingTreeSource(root: root)
            let done = try session.index.resolve(&documents, folder: folder) { document throws(SourceError) in try plain.load(document) }
            return (documents, done)
        }
    }

    /// The listing with stamps, without content ids.
    private func stampedListing(under folder: String) throws(SourceError) -> [RawDocument] {
        let base = folder.isEmpty ? root.path : root.path + "/" + folder
        var info = stat()
        guard lstat(base, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return [] }
        let descriptor = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw SourceError("\(folder.isEmpty ? "." : folder): cannot read the folder: \(String(cString: strerror(errno)))")
        }
        var found: [RawDocument] = []
        try Self.collectStamped(descriptor, relative: Array(folder.utf8), into: &found, depth: 0, parallel: true)
        // Already in path order for ASCII names (the usual case); sorting compares Strings otherwise.
        if !found.indices.dropFirst().allSatisfy({ found[$0 - 1].path < found[$0].path }) {
            found.sort { $0.path < $1.path }
        }
        return found
    }

    /// ``collect(_:relative:into:depth:)`` with the stamps, on an open folder (closed on return).
    /// - Parameter parallel: list this folder's subfolders on every core (the top level of an
    ///   archive of year folders: a `stat` per file is most of a one-file lint's listing).
    private static func collectStamped(_ folder: Int32, relative: [UInt8], into found: inout [RawDocument], depth: Int,
                                parallel: Bool = false) throws(SourceError) {
        guard let handle = fdopendir(folder) else {
            close(folder)
            throw SourceError("\(relative.isEmpty ? "." : String(decoding: relative, as: UTF8.self)): cannot read the folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        // Names of this folder (NUL-terminated), sorted by bytes, so the listing usually comes out in path order.
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<length]) + [0]
            }
            guard name.count > 1 else { continue }
            // Hidden: a leading "." (compared as the String API does when a combining mark follows).
            if name[0] == UInt8(ascii: "."), name[1] < 0x80 || String(decoding: name.dropLast(), as: UTF8.self).hasPrefix(".") { continue }
            names.append(name)
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        let descriptor = dirfd(handle)
        // Subfolders opened here and listed after the loop, in parallel: (position in `found`, folder, path).
        var deferred: [(at: Int, folder: Int32, relative: [UInt8])] = []
        defer { for item in deferred { close(item.folder) } }
        for name in names {
            var child = relative
            if !child.isEmpty { child.append(UInt8(ascii: "/")) }
            child += name[..<(name.count - 1)]
            var info = stat()
            let status = name.withUnsafeBufferPointer { bytes in
                bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }
            }
            guard status == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard depth + 1 < 64 else { continue }
                let sub = name.withUnsafeBufferPointer { bytes in
                    bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        openat(descriptor, $0, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                    }
                }
                guard sub >= 0 else {
                    throw SourceError("\(String(decoding: child, as: UTF8.self)): cannot read the folder: \(String(cString: strerror(errno)))")
                }
                if parallel {
                    deferred.append((found.count, sub, child))
                } else {
                    try collectStamped(sub, relative: child, into: &found, depth: depth + 1)
                }
            case S_IFREG where PostmortemFiles.isPostmortemName(name[..<(name.count - 1)]):
                let path = String(decoding: child, as: UTF8.self)
                if Int(info.st_size) > PostmortemFiles.maxBytes {
                    throw SourceError("\(path): file is larger than \(PostmortemFiles.maxBytes / 1024 / 1024) MiB")
                }
                found.append(.listed(path: path, contentID: nil, stamp: Self.stamp(info)))
            default: continue // symlinks, sockets, devices
            }
        }
        guard !deferred.isEmpty else { return }
        let folders = deferred
        deferred = []
        // Each subfolder's listing (its descriptor is closed by the call), then spliced in at its
        // place, so the order is the sequential listing's.
        let listings = parallelMap(folders.map { ($0.folder, $0.relative) }) { folder, relative -> Result<[RawDocument], SourceError> in
            var found: [RawDocument] = []
            do throws(SourceError) {
                try Self.collectStamped(folder, relative: relative, into: &found, depth: depth + 1)
                return .success(found)
            } catch {
                return .failure(error)
            }
        }
        var merged: [RawDocument] = []
        merged.reserveCapacity(found.count + listings.reduce(0) { $0 + ((try? $1.get().count) ?? 0) })
        var taken = 0
        for (item, listing) in zip(folders, listings) {
            merged += found[taken..<item.at]
            taken = item.at
            switch listing {
            case let .success(documents): merged += documents
            case let .failure(error): throw error
            }
        }
        merged += found[taken...]
        found = merged
    }

    /// Reads a listed document (open and read into the array, no intermediate `Data`). Its
    /// content id is kept while the file's stamp is the one it was listed with.
    public func load(_ document: RawDocument) throws(SourceError) -> RawDocument {
        guard !document.isLoaded else { return document }
        let path = root.path + "/" + document.path
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw SourceError("\(document.path): no longer exists in \(label)")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw SourceError("\(document.path): cannot open file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // One byte more than the size: a file that grew since the stat is read the ordinary way.
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            while count < buffer.count {
                let got = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if got < 0, errno == EINTR { continue }
                if got < 0 { failure = errno; return }
                if got == 0 { return }
                count += got
            }
        }
        if failure != 0 { throw SourceError("\(document.path): cannot read file: \(String(cString: strerror(failure)))") }
        // The id is kept only when the file read (not the path stat-ed before it was opened) still
        // has the stamp it was listed with, after the read: a file replaced or written meanwhile
        // gets its id from the bytes read.
        var after = stat()
        let keptID = document.stamp != nil && fstat(descriptor, &after) == 0 && document.stamp == Self.stamp(after) ? document.contentID : nil
        if bytes.count > size {
            guard var grown = try file(document.path) else { throw SourceError("\(document.path): no longer exists in \(label)") }
            grown.stamp = document.stamp
            return grown
        }
        var loaded = RawDocument(path: document.path, bytes: bytes, contentID: keptID)
        loaded.stamp = document.stamp
        return loaded
    }

    /// The stamp of a file (nil when it is not a regular file).
    public func stamp(of path: String) -> FileStamp? {
        var info = stat()
        guard lstat(root.appendingPathComponent(path).path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Self.stamp(info)
    }

    static func stamp(_ info: stat) -> FileStamp {
        FileStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                  changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    public func file(_ path: String) throws(SourceError) -> RawDocument? {
        try Self.file(path, root: root.path)
    }

    /// ``file(_:)`` under the folder `root`.
    private static func file(_ path: String, root: String) throws(SourceError) -> RawDocument? {
        let full = root + "/" + path
        var info = stat()
        guard lstat(full, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        if Int(info.st_size) > PostmortemFiles.maxBytes {
            throw SourceError("\(path): file is larger than \(PostmortemFiles.maxBytes / 1024 / 1024) MiB")
        }
        let descriptor = open(full, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SourceError("\(path): cannot open file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // Read into the array (no `Data` in between) until the end of the file, which may have
        // grown since the stat.
        func readChunk(_ capacity: Int) throws(SourceError) -> (bytes: [UInt8], ended: Bool) {
            var failure: Int32 = 0
            var ended = false
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < buffer.count {
                    let got = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                    if got < 0, errno == EINTR { continue }
                    if got < 0 { failure = errno; return }
                    if got == 0 { ended = true; return }
                    count += got
                }
            }
            if failure != 0 { throw SourceError("\(path): cannot read file: \(String(cString: strerror(failure)))") }
            return (bytes, ended)
        }
        var (bytes, ended) = try readChunk(Int(info.st_size) + 1)
        while !ended {
            if bytes.count > PostmortemFiles.maxBytes {
                throw SourceError("\(path): file is larger than \(PostmortemFiles.maxBytes / 1024 / 1024) MiB")
            }
            let more = try readChunk(64 * 1024)
            bytes += more.bytes
            ended = more.ended
        }
        return RawDocument(path: path, bytes: bytes)
    }

    public func kind(of path: String) throws(SourceError) -> SourceEntryKind? {
        var info = stat()
        guard lstat(root.appendingPathComponent(path).path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        default: return .file
        }
    }

    private func isDirectory(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// A folder that exists but cannot be listed (no permission) is an error: skipping it would
    /// lint or publish part of the archive as if it were all of it.
    /// - Parameter include: which regular files to keep, by workspace-relative path (default: postmortems).
    private func collect(_ url: URL, relative: String, into paths: inout [String], depth: Int,
                         include: (String) -> Bool = PostmortemFiles.isPostmortem) throws(SourceError) {
        guard depth < 64 else { return }
        guard let handle = opendir(url.path) else {
            throw SourceError("\(relative.isEmpty ? "." : relative): cannot read the folder: \(String(cString: strerror(errno)))")
        }
        closedir(handle)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
        for name in names where !name.hasPrefix(".") {
            let child = url.appendingPathComponent(name)
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(child.path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try collect(child, relative: childRelative, into: &paths, depth: depth + 1, include: include)
            case S_IFREG where include(childRelative): paths.append(childRelative)
            default: continue // symlinks, sockets, devices
            }
        }
    }
}

/// A source's stat index and the listings made through it (see ``WorkingTreeSource/withStatIndex(_:)``).
final class StatSession: @unchecked Sendable {
    let index: StatIndex
    private let lock = NSLock()
    private var listings: [String: [RawDocument]] = [:]
    private var done = StatIndex.Statistics()

    init(index: StatIndex) {
        self.index = index
    }

    /// What the listings so far did, summed.
    var statistics: StatIndex.Statistics {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    /// The listing of `folder`, made by `make` the first time.
    func listing(under folder: String, make: () throws(SourceError) -> ([RawDocument], StatIndex.Statistics)) throws(SourceError) -> [RawDocument] {
        lock.lock()
        defer { lock.unlock() }
        if let listed = listings[folder] { return listed }
        let (documents, statistics) = try make()
        listings[folder] = documents
        done.trusted += statistics.trusted
        done.hashed += statistics.hashed
        done.vouched += statistics.vouched
        done.hit = done.hit || statistics.hit
        done.saved = done.saved || statistics.saved
        return documents
    }
}

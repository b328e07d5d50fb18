/// A file as read from some source (working tree, git revision, index): its path and bytes.
/// Nothing is parsed yet.
public struct RawDocument: Sendable {
    /// Path relative to the repository root, with `/` separators.
    public var path: String
    public var bytes: [UInt8]
    /// A content identity (git blob id when read from git), for caches; nil when unknown.
    public var contentID: String?
    /// False for a document only listed (``DocumentSource/postmortemListing(under:)``): its
    /// bytes are empty until ``DocumentSource/load(_:)`` reads them. The lint cache lists the
    /// archive this way and reads only what it has to parse or print.
    public var isLoaded: Bool
    /// The file's metadata when it was listed from the working tree (the lint cache trusts an
    /// unchanged stamp as it would an unchanged blob id).
    public var stamp: FileStamp?

    public init(path: String, bytes: [UInt8], contentID: String? = nil) {
        self.path = path
        self.bytes = bytes
        self.contentID = contentID
        self.isLoaded = true
    }

    /// A listed, not yet read, document.
    public static func listed(path: String, contentID: String?, stamp: FileStamp?) -> RawDocument {
        var document = RawDocument(path: path, bytes: [], contentID: contentID)
        document.isLoaded = false
        document.stamp = stamp
        return document
    }

    /// The file name without folders and without the `.md` or `.markdown` extension.
    public var stem: String {
        // The part after the last "/" (what `split(separator: "/").last` gave, without splitting
        // every folder off into its own String); a path ending in "/" keeps its last folder.
        let name = Self.lastComponent(of: path)
        for suffix in PostmortemFiles.extensions where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }

    /// The last non-empty "/"-separated component of `path`, or `path` when it has none.
    public static func lastComponent(of path: String) -> String {
        let utf8 = path.utf8
        // Outside ASCII a "/" can join a combining mark into one Character, which is then no
        // separator for `split`: such paths take the Character definition.
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return path.split(separator: "/").last.map(String.init) ?? path }
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
        guard end > utf8.startIndex else { return path }
        var start = end
        while start > utf8.startIndex, utf8[utf8.index(before: start)] != UInt8(ascii: "/") { start = utf8.index(before: start) }
        return String(path[start..<end])
    }
}

/// What `lstat` says about a working-tree file: enough to tell, as git's index does, that a file
/// has not changed since it was last read (same device, inode, size, modification and change time).
public struct FileStamp: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Nanoseconds since the epoch.
    public var modified: Int64
    /// Nanoseconds since the epoch (inode change: also moves on chmod, rename, hard link).
    public var changed: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }
}

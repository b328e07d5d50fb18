/// A file as read from some source (working tree, git revision, index): its path and bytes.
/// Nothing is parsed yet.
public struct RawDocument: Sendable {
    /// Path relative to the repository root, with `/` separators.
    public var path: String
    public var bytes: [UInt8]
    /// A content identity (git blob id when read from git), for caches; nil when unknown.
    public var contentID: String?

    public init(path: String, bytes: [UInt8], contentID: String? = nil) {
        self.path = path
        self.bytes = bytes
        self.contentID = contentID
    }

    /// The file name without folders and without the `.md` or `.markdown` extension.
    public var stem: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in PostmortemFiles.extensions where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }
}

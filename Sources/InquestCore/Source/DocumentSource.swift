/// Where documents come from: the working tree, a git revision, or the git index.
/// Every command reads through this one abstraction.
public protocol DocumentSource {
    /// A short label for messages, e.g. `working tree` or `HEAD~2 (1a2b3c4)`.
    var label: String { get }
    /// Every postmortem file (`*.md`, names not starting with `_`) under `folder`, recursively, sorted by path.
    func postmortemFiles(under folder: String) throws(SourceError) -> [RawDocument]
    /// One file by repository-relative path, or nil when it does not exist.
    func file(_ path: String) throws(SourceError) -> RawDocument?
    /// What is at a repository-relative path: a file, a folder, a symbolic link, or nil for nothing.
    func kind(of path: String) throws(SourceError) -> SourceEntryKind?
}

/// What a path names in a source.
public enum SourceEntryKind: Sendable, Equatable {
    case file, folder, symbolicLink
}

/// An I/O or git problem reading documents: exit code 2.
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    /// True when the repository itself is damaged (`corrupt git object <sha> (…)`): never a
    /// warning to degrade on, always exit 2.
    public var isCorruptObject: Bool { message.hasPrefix("corrupt git object ") }
}

/// Which files under a folder count as postmortems.
public enum PostmortemFiles {
    /// Files larger than this are read as a diagnostic, not parsed (nothing legitimate is that big).
    public static let maxBytes = 64 * 1024 * 1024

    public static func isPostmortem(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".md") && !name.hasPrefix("_") && !name.hasPrefix(".")
    }

    /// True when `path` is inside `folder` (both repository-relative); the empty folder is the root.
    public static func isInside(_ path: String, folder: String) -> Bool {
        folder.isEmpty || path == folder || path.hasPrefix(folder + "/")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where documents come from: the working tree, a git revision, or the git index.
/// Every command reads through this one abstraction; code outside the git adapter never asks
/// which concrete source it holds, only what the protocol answers.
public protocol DocumentSource {
    /// A short label for messages, e.g. `working tree` or `HEAD~2 (1a2b3c4)`.
    var label: String { get }
    /// True for a recorded snapshot (a commit, the index), where a folder may legitimately not
    /// exist yet (the first commit of an archive); false for the working tree, where a missing
    /// folder is a misconfiguration.
    var isSnapshot: Bool { get }
    /// The index file a `--staged` source reads when it is not the repository's own
    /// (`GIT_INDEX_FILE` while `git commit -a` or `git commit <paths>` runs the pre-commit hook),
    /// as an absolute path; nil for every other source. Carried as a value so that what compares
    /// against the index (``ChangeDetector``) reads the same one without asking which type a source is.
    var indexFile: String? { get }
    /// Every postmortem file (`*.md`, `*.markdown`, names not starting with `_`) under `folder`, recursively, sorted by path.
    func postmortemFiles(under folder: String) throws(SourceError) -> [RawDocument]
    /// Every regular file under `folder`, recursively, whose path relative to `folder` passes
    /// `include`, sorted by path: for files that are not postmortems (theme overrides). Symbolic
    /// links are never followed; names starting with `.` are skipped.
    func files(under folder: String, where include: (String) -> Bool) throws(SourceError) -> [RawDocument]
    /// One file by repository-relative path, or nil when it does not exist.
    func file(_ path: String) throws(SourceError) -> RawDocument?
    /// What is at a repository-relative path: a file, a folder, a symbolic link, or nil for nothing.
    func kind(of path: String) throws(SourceError) -> SourceEntryKind?
    /// Like ``postmortemFiles(under:)``, but documents may come back unread
    /// (``RawDocument/isLoaded`` false) with a ``RawDocument/contentID`` or
    /// ``RawDocument/stamp`` instead; ``load(_:)`` reads one.
    func postmortemListing(under folder: String) throws(SourceError) -> [RawDocument]
    /// `document` with its bytes read (itself when already loaded).
    func load(_ document: RawDocument) throws(SourceError) -> RawDocument
    /// This source with listings resolved through a ``StatIndex`` (content ids without reading
    /// unchanged files); itself for sources whose listings carry content ids already (git).
    func withStatIndex(_ index: StatIndex) -> any DocumentSource
}

extension DocumentSource {
    public var indexFile: String? { nil }

    public func withStatIndex(_ index: StatIndex) -> any DocumentSource { self }

    /// `documents` with each read (``load(_:)``; stamps kept): on every core from the working
    /// tree, where each read opens its own file, one by one from git.
    public func loadAll(_ documents: [RawDocument]) throws(SourceError) -> [RawDocument] {
        var input = LintInput(documents: documents, catalogue: nil)
        try CachedLint.loadAll(documents.indices.filter { !documents[$0].isLoaded }, into: &input, source: self)
        return input.documents
    }

    public func postmortemListing(under folder: String) throws(SourceError) -> [RawDocument] {
        try postmortemFiles(under: folder)
    }

    public func load(_ document: RawDocument) throws(SourceError) -> RawDocument {
        guard !document.isLoaded else { return document }
        guard let loaded = try file(document.path) else { throw SourceError("\(document.path): no longer exists in \(label)") }
        return loaded
    }
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

    /// Markdown file extensions Inquest reads.
    public static let extensions = [".md", ".markdown"]

    /// True for a `*.md` or `*.markdown` name (any folder).
    public static func isMarkdown(_ path: String) -> Bool {
        extensions.contains { path.hasSuffix($0) }
    }

    /// A Markdown file whose name does not start with `_` (templates) or `.` (hidden).
    public static func isPostmortem(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return isMarkdown(name) && !name.hasPrefix("_") && !name.hasPrefix(".")
    }

    /// ``isPostmortem(_:)`` for a file name's bytes, without making a String when it is ASCII.
    static func isPostmortemName(_ name: ArraySlice<UInt8>) -> Bool {
        guard !name.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "/") }) else {
            return isPostmortem(String(decoding: name, as: UTF8.self))
        }
        guard let first = name.first, first != UInt8(ascii: "_"), first != UInt8(ascii: ".") else { return false }
        func hasSuffix(_ suffix: String) -> Bool {
            let tail = Array(suffix.utf8)
            return name.count >= tail.count && name.suffix(tail.count).elementsEqual(tail)
        }
        return hasSuffix(".md") || hasSuffix(".markdown")
    }

    /// True when a workspace-relative `path` is left out of the archive by the configuration: it
    /// matches an `exclude:` pattern, or it is the archive's own readme (a name in `readmes:`,
    /// compared case-insensitively, directly in the postmortems folder).
    ///
    /// Patterns are matched with the C library's `fnmatch(3)` (no flags: `*` also matches `/`).
    /// A pattern with a `/` is matched against the whole path and against each folder above it
    /// (`postmortems/drafts` excludes everything below it); a pattern without `/` is matched
    /// against the file name and each folder name (`*.draft.md`, `archive`).
    public static func isExcluded(_ path: String, configuration: Configuration) -> Bool {
        let folder = configuration.postmortems
        // Without exclude patterns only the README check applies: done without splitting the path
        // (this runs for every document of the archive on every lint).
        if configuration.exclude.isEmpty, let excluded = asciiReadmeCheck(path, configuration: configuration) { return excluded }
        if configuration.exclude.isEmpty, !path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("//") {
            let slash = path.lastIndex(of: "/")
            let parent = slash.map { String(path[..<$0]) } ?? ""
            guard parent == folder else { return false }
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            return configuration.readmes.contains { $0.lowercased() == name.lowercased() }
        }
        let parts = path.split(separator: "/").map(String.init)
        if let name = parts.last {
            let parent = parts.dropLast().joined(separator: "/")
            if parent == folder, configuration.readmes.contains(where: { $0.lowercased() == name.lowercased() }) { return true }
        }
        for pattern in configuration.exclude {
            var trimmed = pattern
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            if trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
            guard !trimmed.isEmpty else { continue }
            if trimmed.contains("/") {
                for end in parts.indices where fnmatch(trimmed, parts[...end].joined(separator: "/"), 0) == 0 { return true }
            } else if parts.contains(where: { fnmatch(trimmed, $0, 0) == 0 }) {
                return true
            }
        }
        return false
    }

    /// The README check of ``isExcluded(_:configuration:)`` without exclude patterns, on the bytes
    /// of an ASCII path (one pass, no Strings made unless the file sits directly in the
    /// postmortems folder); nil when the path is not plain ASCII or the general code must decide.
    private static func asciiReadmeCheck(_ path: String, configuration: Configuration) -> Bool? {
        var path = path
        return path.withUTF8 { bytes -> Bool? in
            guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "/"), last != UInt8(ascii: "/") else { return nil }
            var slash = -1
            var previous: UInt8 = 0
            for (index, byte) in bytes.enumerated() {
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "/") {
                    if previous == byte { return nil }
                    slash = index
                }
                previous = byte
            }
            let folder = configuration.postmortems
            guard folder.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            let parentLength = max(slash, 0)
            guard parentLength == folder.utf8.count,
                  folder.utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[0..<parentLength])) else { return false }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(slash + 1)...]), as: UTF8.self)
            return configuration.readmes.contains { $0.lowercased() == name.lowercased() }
        }
    }

    /// True when `path` is inside `folder` (both repository-relative); the empty folder is the root.
    public static func isInside(_ path: String, folder: String) -> Bool {
        folder.isEmpty || path == folder || path.hasPrefix(folder + "/")
    }
}

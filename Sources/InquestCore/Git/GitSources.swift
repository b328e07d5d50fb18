import Foundation
internal import InquestGit

/// Reads documents exactly as committed at a revision, from git objects. The working tree is
/// never touched, so this works in a bare repository and in CI checkouts with local edits.
///
/// Holds an open ``GitRepository`` and is therefore not `Sendable`: create it, read from it and
/// drop it on one thread; pass the ``RawDocument`` values onward. Internal to the git adapter:
/// other code gets it as `any DocumentSource` from ``WorkspaceRepository/source(_:root:indexFile:)``.
struct GitRevisionSource: DocumentSource {
    let repository: GitRepository
    /// The revision as given (`main`, `HEAD~2`, a sha, a tag).
    public let revision: String
    /// The commit the revision resolved to.
    public let commit: GitOID
    /// The workspace root relative to the repository root ("" when they are the same), so a
    /// nested archive (an `inquest.yml` in a subfolder) reads its own files.
    public let pathPrefix: String

    public var label: String { "\(revision) (\(commit.short))" }
    public var isSnapshot: Bool { true }

    /// Resolves `revision` to a commit; a revision that does not resolve is a ``SourceError``.
    init(repository: GitRepository, revision: String, pathPrefix: String = "") throws(SourceError) {
        self.repository = repository
        self.revision = revision
        self.pathPrefix = GitPaths.normalised(pathPrefix)
        do {
            commit = try repository.resolve(revision)
        } catch {
            if let error = error as? GitError, error.isCorruptObject { throw SourceError(error.message) }
            throw SourceError("unknown revision '\(revision)': not a branch, tag or commit in this repository")
        }
    }

    public func postmortemFiles(under folder: String) throws(SourceError) -> [RawDocument] {
        let entries: [GitTreeEntry]
        do {
            entries = try repository.files(at: commit, under: GitPaths.join(pathPrefix, folder))
        } catch {
            throw GitPaths.failure("\(label): cannot list \(folder.isEmpty ? "the tree" : folder)", error)
        }
        return try GitPaths.postmortems(entries, folder: folder, prefix: pathPrefix, repository: repository, label: label)
    }

    /// Lists blob ids without reading the blobs.
    public func postmortemListing(under folder: String) throws(SourceError) -> [RawDocument] {
        let entries: [GitTreeEntry]
        do {
            entries = try repository.files(at: commit, under: GitPaths.join(pathPrefix, folder))
        } catch {
            throw GitPaths.failure("\(label): cannot list \(folder.isEmpty ? "the tree" : folder)", error)
        }
        return GitPaths.listing(entries, folder: folder, prefix: pathPrefix)
    }

    public func load(_ document: RawDocument) throws(SourceError) -> RawDocument {
        try GitPaths.load(document, repository: repository, label: label)
    }

    public func files(under folder: String, where include: (String) -> Bool) throws(SourceError) -> [RawDocument] {
        let entries: [GitTreeEntry]
        do {
            entries = try repository.files(at: commit, under: GitPaths.join(pathPrefix, folder))
        } catch {
            throw GitPaths.failure("\(label): cannot list \(folder.isEmpty ? "the tree" : folder)", error)
        }
        return try GitPaths.files(entries, folder: folder, prefix: pathPrefix, repository: repository, label: label, where: include)
    }

    public func file(_ path: String) throws(SourceError) -> RawDocument? {
        let full = GitPaths.join(pathPrefix, path)
        let entries: [GitTreeEntry]
        do {
            entries = try repository.files(at: commit, under: full)
        } catch {
            throw GitPaths.failure("\(label): cannot read \(path)", error)
        }
        // A folder lists its files; only an exact match is the file asked for.
        guard let entry = entries.first(where: { $0.path == full }) else { return nil }
        return try GitPaths.read(entry, prefix: pathPrefix, repository: repository, label: label)
    }

    public func kind(of path: String) throws(SourceError) -> SourceEntryKind? {
        let full = GitPaths.join(pathPrefix, path)
        let entries: [GitTreeEntry]
        do {
            entries = try repository.files(at: commit, under: full)
        } catch {
            return nil
        }
        return GitPaths.kind(of: full, in: entries)
    }
}

/// Reads documents from the git index: exactly what the next commit will contain, whatever
/// the working tree holds. Conflicted entries are skipped (git refuses to commit them anyway).
///
/// Not `Sendable`, and internal to the git adapter, like ``GitRevisionSource``.
struct GitIndexSource: DocumentSource {
    let repository: GitRepository
    /// The workspace root relative to the repository root ("" when they are the same).
    public let pathPrefix: String
    /// An index file to read instead of the repository's own (`GIT_INDEX_FILE` in a pre-commit
    /// hook run by `git commit -a` or `git commit <paths>`); nil reads `$GIT_DIR/index`.
    public let indexFile: String?

    public var label: String { "index (staged)" }
    public var isSnapshot: Bool { true }

    /// - Parameter indexFile: an absolute path, normally `GIT_INDEX_FILE`; ignored when it is the
    ///   repository's own index.
    init(repository: GitRepository, pathPrefix: String = "", indexFile: String? = nil) throws(SourceError) {
        guard !repository.isBare else { throw SourceError("a bare repository has no index: use --rev instead of --staged") }
        self.repository = repository
        self.pathPrefix = GitPaths.normalised(pathPrefix)
        let ownIndex = URL(fileURLWithPath: repository.gitDir + "/index").resolvingSymlinksInPath().path
        self.indexFile = indexFile.flatMap { file in
            URL(fileURLWithPath: file).resolvingSymlinksInPath().path == ownIndex ? nil : file
        }
    }

    /// Stage-0 entries below a repository-relative path.
    func entries(under path: String) throws(SourceError) -> [GitTreeEntry] {
        do {
            if let indexFile { return try repository.indexEntries(under: path, indexFile: indexFile) }
            return try repository.indexEntries(under: path)
        } catch {
            throw GitPaths.failure("\(label): cannot read the index", error)
        }
    }

    public func postmortemFiles(under folder: String) throws(SourceError) -> [RawDocument] {
        let entries = try entries(under: GitPaths.join(pathPrefix, folder))
        return try GitPaths.postmortems(entries, folder: folder, prefix: pathPrefix, repository: repository, label: label)
    }

    /// Lists blob ids without reading the blobs.
    public func postmortemListing(under folder: String) throws(SourceError) -> [RawDocument] {
        GitPaths.listing(try entries(under: GitPaths.join(pathPrefix, folder)), folder: folder, prefix: pathPrefix)
    }

    public func load(_ document: RawDocument) throws(SourceError) -> RawDocument {
        try GitPaths.load(document, repository: repository, label: label)
    }

    public func files(under folder: String, where include: (String) -> Bool) throws(SourceError) -> [RawDocument] {
        let entries = try entries(under: GitPaths.join(pathPrefix, folder))
        return try GitPaths.files(entries, folder: folder, prefix: pathPrefix, repository: repository, label: label, where: include)
    }

    public func file(_ path: String) throws(SourceError) -> RawDocument? {
        let full = GitPaths.join(pathPrefix, path)
        guard let entry = try entries(under: full).first(where: { $0.path == full }) else { return nil }
        return try GitPaths.read(entry, prefix: pathPrefix, repository: repository, label: label)
    }

    public func kind(of path: String) throws(SourceError) -> SourceEntryKind? {
        let full = GitPaths.join(pathPrefix, path)
        return GitPaths.kind(of: full, in: try entries(under: full))
    }
}

/// Path arithmetic between workspace-relative and repository-relative paths, and the shared
/// reading rules of the git sources (the same skip rules as ``WorkingTreeSource``).
enum GitPaths {
    /// What `path` is, given the entries listed under it (an exact entry, or entries below it).
    static func kind(of path: String, in entries: [GitTreeEntry]) -> SourceEntryKind? {
        if let exact = entries.first(where: { $0.path == path }) { return exact.isSymlink ? .symbolicLink : .file }
        if path.isEmpty { return .folder }
        return entries.contains { $0.path.hasPrefix(path + "/") } ? .folder : nil
    }

    static func normalised(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        return path == "." ? "" : path
    }

    /// `prefix/path`, either side possibly empty.
    static func join(_ prefix: String, _ path: String) -> String {
        let path = normalised(path)
        if prefix.isEmpty { return path }
        return path.isEmpty ? prefix : prefix + "/" + path
    }

    /// The workspace-relative path of a repository-relative one; nil when it lies outside the workspace.
    static func strip(_ prefix: String, from path: String) -> String? {
        if prefix.isEmpty { return path }
        guard path.hasPrefix(prefix + "/") else { return nil }
        return String(path.dropFirst(prefix.count + 1))
    }

    /// True when a workspace-relative path below `folder` is a postmortem the working tree source
    /// would read too: a `*.md` not starting with `_` or `.`, in no hidden folder below `folder`.
    static func isPostmortem(_ path: String, under folder: String) -> Bool {
        isPostmortem(path, underNormalised: normalised(folder))
    }

    private static func isPostmortem(_ path: String, underNormalised folder: String) -> Bool {
        if let answer = asciiIsPostmortem(path, under: folder) { return answer }
        guard PostmortemFiles.isPostmortem(path), PostmortemFiles.isInside(path, folder: folder) else { return false }
        let below = folder.isEmpty ? Substring(path) : path.dropFirst(folder.count)
        return !below.split(separator: "/").contains { $0.hasPrefix(".") }
    }

    static func postmortems(_ entries: [GitTreeEntry], folder: String, prefix: String, repository: GitRepository,
                            label: String) throws(SourceError) -> [RawDocument] {
        var documents: [RawDocument] = []
        for entry in entries where !entry.isSymlink {
            guard let path = strip(prefix, from: entry.path), isPostmortem(path, under: folder) else { continue }
            if let document = try read(entry, prefix: prefix, repository: repository, label: label) {
                documents.append(document)
            }
        }
        // Tree and index order sort folders as if they ended in `/`; the working tree source sorts plain strings.
        return documents.sorted { $0.path < $1.path }
    }

    /// The entries of ``postmortems(_:folder:prefix:repository:label:)``, unread.
    static func listing(_ entries: [GitTreeEntry], folder: String, prefix: String) -> [RawDocument] {
        let folder = normalised(folder)
        var documents: [RawDocument] = []
        documents.reserveCapacity(entries.count)
        for entry in entries where !entry.isSymlink {
            guard let path = strip(prefix, from: entry.path), isPostmortem(path, underNormalised: folder) else { continue }
            documents.append(.listed(path: path, contentID: entry.oid.hex, stamp: nil))
        }
        // Git lists in byte order, which is path order for ASCII paths: sort only when it is not.
        if documents.indices.dropFirst().allSatisfy({ documents[$0 - 1].path < documents[$0].path }) { return documents }
        return documents.sorted { $0.path < $1.path }
    }

    /// ``isPostmortem(_:under:)`` on the bytes of an ASCII path and folder (no Strings split);
    /// nil when either is not plain ASCII, for the general rule to decide.
    private static func asciiIsPostmortem(_ path: String, under folder: String) -> Bool? {
        var path = path, folder = folder
        return path.withUTF8 { bytes -> Bool? in
            folder.withUTF8 { folderBytes -> Bool? in
                guard !bytes.contains(where: { $0 >= 0x80 }), !folderBytes.contains(where: { $0 >= 0x80 }) else { return nil }
                let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
                // Inside the folder: the folder itself, or below it.
                var start = 0
                if !folderBytes.isEmpty {
                    guard bytes.count >= folderBytes.count,
                          UnsafeBufferPointer(rebasing: bytes[0..<folderBytes.count]).elementsEqual(folderBytes) else { return false }
                    guard bytes.count == folderBytes.count || bytes[folderBytes.count] == slash else { return false }
                    start = folderBytes.count
                }
                // No component below the folder starts with "." (a hidden folder or file).
                for index in start..<bytes.count where bytes[index] == dot && (index == 0 || (index > start && bytes[index - 1] == slash)) {
                    return false
                }
                // The file name: a Markdown name not starting with "_" or ".".
                let nameStart = (bytes.lastIndex(of: slash).map { $0 + 1 }) ?? 0
                guard nameStart < bytes.count else { return false }
                let name = UnsafeBufferPointer(rebasing: bytes[nameStart...])
                guard name[0] != UInt8(ascii: "_"), name[0] != dot else { return false }
                return name.count >= 3 && name.suffix(3).elementsEqual(".md".utf8)
                    || name.count >= 9 && name.suffix(9).elementsEqual(".markdown".utf8)
            }
        }
    }

    /// Reads a listed document's blob by its id.
    static func load(_ document: RawDocument, repository: GitRepository, label: String) throws(SourceError) -> RawDocument {
        guard !document.isLoaded else { return document }
        guard let hex = document.contentID, let oid = GitOID(hex: hex) else { throw SourceError("\(document.path): no blob id to read") }
        let bytes: [UInt8]
        do {
            bytes = try repository.blob(oid)
        } catch {
            throw failure("\(label): cannot read \(document.path)", error)
        }
        if bytes.count > PostmortemFiles.maxBytes {
            throw SourceError("\(document.path): file is larger than \(PostmortemFiles.maxBytes / 1024 / 1024) MiB")
        }
        return RawDocument(path: document.path, bytes: bytes, contentID: hex)
    }

    /// Every regular file below `folder` whose path relative to `folder` passes `include`, sorted
    /// by workspace-relative path; symbolic links and hidden names are skipped, as the working
    /// tree source skips them.
    static func files(_ entries: [GitTreeEntry], folder: String, prefix: String, repository: GitRepository,
                      label: String, where include: (String) -> Bool) throws(SourceError) -> [RawDocument] {
        let folder = normalised(folder)
        var documents: [RawDocument] = []
        for entry in entries where !entry.isSymlink {
            guard let path = strip(prefix, from: entry.path), PostmortemFiles.isInside(path, folder: folder), path != folder else { continue }
            let relative = folder.isEmpty ? path : String(path.dropFirst(folder.count + 1))
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }), include(relative) else { continue }
            if let document = try read(entry, prefix: prefix, repository: repository, label: label) {
                documents.append(document)
            }
        }
        return documents.sorted { $0.path < $1.path }
    }

    /// The blob of one entry; nil for a symlink (never followed) or an entry outside the workspace.
    static func read(_ entry: GitTreeEntry, prefix: String, repository: GitRepository,
                     label: String) throws(SourceError) -> RawDocument? {
        guard !entry.isSymlink, let path = strip(prefix, from: entry.path) else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try repository.blob(entry.oid)
        } catch {
            throw failure("\(label): cannot read \(path)", error)
        }
        if bytes.count > PostmortemFiles.maxBytes {
            throw SourceError("\(path): file is larger than \(PostmortemFiles.maxBytes / 1024 / 1024) MiB")
        }
        return RawDocument(path: path, bytes: bytes, contentID: entry.oid.hex)
    }

    /// libgit2's own message without the operation name, for user-facing errors.
    static func message(_ error: any Error) -> String {
        (error as? GitError)?.message ?? String(describing: error)
    }

    /// `context: message`, except for a damaged repository, which reads
    /// `corrupt git object <sha> (…)` on its own whatever was being done.
    public static func failure(_ context: String, _ error: any Error) -> SourceError {
        if let error = error as? GitError, error.isCorruptObject { return SourceError(error.message) }
        if let error = error as? SourceError, error.isCorruptObject { return error }
        return SourceError("\(context): \(message(error))")
    }
}

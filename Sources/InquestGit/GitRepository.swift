import CLibGit2

/// An open git repository, backed by a libgit2 `git_repository`.
///
/// Thread safety: libgit2 repository objects (and the caches hanging off them) are not
/// safe to use from several threads at once, so this type is deliberately not `Sendable`.
/// Use one `GitRepository` from one thread (or one isolation domain) at a time; open a
/// second instance for work on another thread.
public final class GitRepository {
    /// The owned `git_repository *`, freed in `deinit`.
    let pointer: OpaquePointer

    /// Loaded on first use: reading `.mailmap` costs a blob lookup we skip when unused.
    private var mailmapState: MailmapState = .notLoaded

    private enum MailmapState {
        case notLoaded
        case loaded(OpaquePointer?)
    }

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        if case .loaded(let mailmap?) = mailmapState { git_mailmap_free(mailmap) }
        git_repository_free(pointer)
    }

    // MARK: Opening

    /// Finds the repository containing `path`, searching parent folders like `git` does.
    ///
    /// Environment variables such as `GIT_DIR` are ignored on purpose, so the result depends
    /// only on the folder. Returns nil when `path` is not inside any repository.
    public static func discover(from path: String) throws -> GitRepository? {
        try ensureLibgit2()
        var repo: OpaquePointer?
        let code = git_repository_open_ext(&repo, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_repository_open_ext(\(path))")
        return try validated(GitRepository(pointer: repo!))
    }

    /// Opens the repository at exactly `path` (a working tree, its `.git` folder, or a bare
    /// repository); does not search parent folders.
    public static func open(path: String) throws -> GitRepository {
        try ensureLibgit2()
        var repo: OpaquePointer?
        try check(git_repository_open(&repo, path), "git_repository_open(\(path))")
        return try validated(GitRepository(pointer: repo!))
    }

    /// Every repository is opened with loose-object validation in place before anything is read
    /// from it (see `LooseObjectValidator.swift`); on failure `deinit` frees it.
    private static func validated(_ repository: GitRepository) throws -> GitRepository {
        try repository.installLooseObjectValidation()
        return repository
    }

    // MARK: Properties

    /// True for a repository without a working tree.
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// The working tree folder without a trailing slash; nil for a bare repository.
    public var workdir: String? {
        git_repository_workdir(pointer).map { Self.trimmingTrailingSlash(String(cString: $0)) }
    }

    /// The `.git` folder (or the bare repository folder) without a trailing slash.
    public var gitDir: String {
        Self.trimmingTrailingSlash(String(cString: git_repository_path(pointer)))
    }

    /// The main `.git` folder shared by every worktree (the same as ``gitDir`` outside a linked
    /// worktree): where hooks and config live.
    public var commonDir: String {
        Self.trimmingTrailingSlash(String(cString: git_repository_commondir(pointer)))
    }

    /// True for a shallow clone: history stops at the shallow boundary, so callers may warn
    /// that first-commit dates and contributor lists are incomplete.
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// True when HEAD names a branch that has no commit yet (a fresh `git init`).
    /// An unreadable HEAD also reads as false; `headCommit()` reports such errors.
    public var isHeadUnborn: Bool { git_repository_head_unborn(pointer) == 1 }

    /// True when HEAD points straight at a commit rather than at a branch.
    public var isHeadDetached: Bool { git_repository_head_detached(pointer) == 1 }

    /// The branch HEAD names (`refs/heads/main`), also before its first commit; nil when HEAD is
    /// detached or cannot be read.
    public var headBranchReference: String? {
        var head: OpaquePointer?
        guard git_reference_lookup(&head, pointer, "HEAD") == 0, let head else { return nil }
        defer { git_reference_free(head) }
        guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(head) else { return nil }
        return String(cString: target)
    }

    // MARK: Revisions

    /// Resolves a revision (branch, tag — annotated ones too —, full or short sha,
    /// `HEAD~2`, `origin/main`, …) and peels it to a commit.
    public func resolve(_ revision: String) throws -> GitOID {
        // Plain names (HEAD, branches, tags) go through the reference API, whose error paths free
        // what they allocated: libgit2 1.5's `git_revparse_single` leaks the reference it looked
        // up when the object behind it cannot be read (a damaged or missing object).
        var reference: OpaquePointer?
        var direct: OpaquePointer?
        if git_reference_dwim(&reference, pointer, revision) == 0 {
            defer { git_reference_free(reference) }
            if git_reference_resolve(&direct, reference) == 0, let target = git_reference_target(direct) {
                defer { git_reference_free(direct) }
                let oid = GitOID(target)
                var object: OpaquePointer?
                var id = oid.raw
                try checkObject(git_object_lookup(&object, pointer, &id, GIT_OBJECT_ANY), oid, "git_object_lookup(\(revision))")
                defer { git_object_free(object) }
                var commit: OpaquePointer?
                try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel(\(revision))")
                defer { git_object_free(commit) }
                return GitOID(git_object_id(commit)!)
            }
            git_reference_free(direct)
        }
        // Expressions (`HEAD~2`, `main^`, a short sha): libgit2's revision parser.
        var object: OpaquePointer?
        try check(git_revparse_single(&object, pointer, revision), "git_revparse_single(\(revision))")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel(\(revision))")
        defer { git_object_free(commit) }
        return GitOID(git_object_id(commit)!)
    }

    /// The commit HEAD points at, or nil when HEAD is unborn (no commit yet).
    public func headCommit() throws -> GitOID? {
        let unborn = git_repository_head_unborn(pointer)
        try check(unborn, "git_repository_head_unborn")
        if unborn == 1 { return nil }
        return try resolve("HEAD")
    }

    /// The commit a reference (e.g. `refs/heads/gh-pages`) points at, peeled to a commit;
    /// nil when the reference does not exist.
    public func referenceTarget(_ name: String) throws -> GitOID? {
        var reference: OpaquePointer?
        let code = git_reference_lookup(&reference, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_reference_lookup(\(name))")
        defer { git_reference_free(reference) }
        var commit: OpaquePointer?
        try check(git_reference_peel(&commit, reference, GIT_OBJECT_COMMIT), "git_reference_peel(\(name))")
        defer { git_object_free(commit) }
        return GitOID(git_object_id(commit)!)
    }

    /// The best common ancestor of two commits; nil when their histories are unrelated.
    public func mergeBase(_ a: GitOID, _ b: GitOID) throws -> GitOID? {
        var out = git_oid()
        var left = a.raw
        var right = b.raw
        let code = git_merge_base(&out, pointer, &left, &right)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_merge_base(\(a.short), \(b.short))")
        return GitOID(out)
    }

    // MARK: Config

    /// A string value from the repository's effective config (repo, global, system), e.g.
    /// `user.name`; nil when it is not set or cannot be read.
    public func configString(_ key: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config(&config, pointer) == 0 else { return nil }
        defer { git_config_free(config) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_config_get_string_buf(&buffer, config, key) == 0, let text = buffer.ptr else { return nil }
        return String(cString: text)
    }

    // MARK: Blobs

    /// The raw contents of a blob.
    public func blob(_ oid: GitOID) throws -> [UInt8] {
        var blob: OpaquePointer?
        var id = oid.raw
        try checkObject(git_blob_lookup(&blob, pointer, &id), oid, "git_blob_lookup(\(oid.short))")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    // MARK: Internal helpers

    /// The repository's mailmap (from `.mailmap`, `mailmap.file`, `mailmap.blob`), or nil
    /// when it cannot be loaded; an absent `.mailmap` yields an empty, harmless mailmap.
    var mailmap: OpaquePointer? {
        if case .loaded(let mailmap) = mailmapState { return mailmap }
        var loaded: OpaquePointer?
        if git_mailmap_from_repository(&loaded, pointer) != 0 { loaded = nil }
        mailmapState = .loaded(loaded)
        return loaded
    }

    /// Applies the mailmap to a signature's name and email.
    func resolvedIdentity(_ signature: UnsafePointer<git_signature>) -> (name: String, email: String) {
        let name = signature.pointee.name
        let email = signature.pointee.email
        if let mailmap {
            var realName: UnsafePointer<CChar>?
            var realEmail: UnsafePointer<CChar>?
            if git_mailmap_resolve(&realName, &realEmail, mailmap, name, email) == 0,
               let realName, let realEmail {
                return (String(cString: realName), String(cString: realEmail))
            }
        }
        return (name.map { String(cString: $0) } ?? "", email.map { String(cString: $0) } ?? "")
    }

    /// Looks up a commit; the caller frees it with `git_commit_free`.
    func lookupCommit(_ oid: GitOID) throws -> OpaquePointer {
        var commit: OpaquePointer?
        var id = oid.raw
        try checkObject(git_commit_lookup(&commit, pointer, &id), oid, "git_commit_lookup(\(oid.short))")
        return commit!
    }

    /// Looks up a commit's root tree; the caller frees it with `git_tree_free`.
    func lookupTree(ofCommit oid: GitOID) throws -> OpaquePointer {
        let commit = try lookupCommit(oid)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try checkObject(git_commit_tree(&tree, commit), GitOID(git_commit_tree_id(commit)!), "git_commit_tree(\(oid.short))")
        return tree!
    }

    static func trimmingTrailingSlash(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Normalises a repository-relative folder or file path: no `./`, no leading or
    /// trailing slash; "" or "." mean the whole tree.
    static func normalisedRelativePath(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        return path == "." ? "" : path
    }

    /// True when `path` is `prefix` itself or lies below it.
    static func path(_ path: String, isUnder prefix: String) -> Bool {
        prefix.isEmpty || path == prefix || (path.hasPrefix(prefix) && path.utf8.dropFirst(prefix.utf8.count).first == UInt8(ascii: "/"))
    }
}

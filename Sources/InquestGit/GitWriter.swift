import CLibGit2

/// Who made a commit and when.
public struct GitSignature: Hashable, Sendable {
    /// The person's name as recorded in the commit.
    public var name: String
    /// The person's email as recorded in the commit.
    public var email: String
    /// When, including the UTC offset to record.
    public var time: GitTime

    /// A signature with the given identity and time.
    public init(name: String, email: String, time: GitTime) {
        self.name = name
        self.email = email
        self.time = time
    }
}

extension GitRepository {
    /// True when git accepts `name` as a branch name (libgit2's own `git_branch_name_is_valid`,
    /// which follows `git check-ref-format --branch`). `HEAD` is refused too: `refs/heads/HEAD`
    /// is legal but makes git warn on every later command.
    public static func isValidBranchName(_ name: String) -> Bool {
        // git refuses `@` alone as a ref name (it means HEAD); libgit2 1.5's check lets it through.
        guard (try? ensureLibgit2()) != nil, name != "HEAD", name != "@" else { return false }
        var valid: Int32 = 0
        return git_branch_name_is_valid(&valid, name) == 0 && valid == 1
    }

    /// Writes blobs and nested trees for `files` (repository-relative paths with `/`
    /// separators, regular non-executable files) without touching the working tree or the
    /// index, and returns the root tree id. A later duplicate path replaces an earlier one.
    ///
    /// Uses a private in-memory index, which builds the nested trees for us.
    public func writeTree(files: [(path: String, contents: [UInt8])]) throws -> GitOID {
        var index: OpaquePointer?
        try check(git_index_new(&index), "git_index_new")
        defer { git_index_free(index) }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        for file in files {
            let path = Self.normalisedRelativePath(file.path)
            var blobID = git_oid()
            try file.contents.withUnsafeBytes { bytes in
                // Hashed first: a blob the repository has (most of a republished site) is not
                // compressed and written again (`git_blob_create_from_buffer` streams every blob
                // through zlib into a temporary file before it knows: 5 s at 10,000 postmortems).
                try check(git_odb_hash(&blobID, bytes.baseAddress, bytes.count, GIT_OBJECT_BLOB), "git_odb_hash(\(path))")
                if git_odb_exists(odb, &blobID) == 0 {
                    try check(git_blob_create_from_buffer(&blobID, pointer, bytes.baseAddress, bytes.count),
                              "git_blob_create_from_buffer(\(path))")
                }
            }
            var entry = git_index_entry()
            entry.mode = GitFileMode.regular.rawValue
            entry.id = blobID
            entry.file_size = UInt32(truncatingIfNeeded: file.contents.count)
            try path.withCString { cPath in
                entry.path = cPath
                try check(git_index_add(index, &entry), "git_index_add(\(path))")
            }
        }
        var tree = git_oid()
        try check(git_index_write_tree_to(&tree, index, pointer), "git_index_write_tree_to")
        return GitOID(tree)
    }

    /// Creates a commit of `tree` with `parents` and, when `updateRef` is given, moves that
    /// reference (e.g. `refs/heads/gh-pages`) to it without a checkout.
    ///
    /// libgit2 refuses to move an existing reference unless its current target is
    /// `parents.first`, which protects against publishing over someone else's push.
    /// `committer` defaults to `author`.
    public func commit(
        tree: GitOID,
        parents: [GitOID],
        message: String,
        updateRef: String?,
        author: GitSignature,
        committer: GitSignature? = nil
    ) throws -> GitOID {
        let authorSignature = try makeSignature(author)
        defer { git_signature_free(authorSignature) }
        let committerSignature = try makeSignature(committer ?? author)
        defer { git_signature_free(committerSignature) }

        var treeID = tree.raw
        var treeObject: OpaquePointer?
        try check(git_tree_lookup(&treeObject, pointer, &treeID), "git_tree_lookup(\(tree.short))")
        defer { git_tree_free(treeObject) }

        var parentCommits: [OpaquePointer?] = []
        defer { parentCommits.forEach { git_commit_free($0) } }
        for parent in parents {
            parentCommits.append(try lookupCommit(parent))
        }

        var out = git_oid()
        try parentCommits.withUnsafeMutableBufferPointer { buffer in
            try check(
                git_commit_create(&out, pointer, updateRef, authorSignature, committerSignature,
                                  nil, message, treeObject, buffer.count, buffer.baseAddress),
                "git_commit_create(\(updateRef ?? "no ref"))"
            )
        }
        return GitOID(out)
    }

    /// The root tree of a commit; compare it with a freshly written tree to skip empty commits.
    public func treeOfCommit(_ commit: GitOID) throws -> GitOID {
        let object = try lookupCommit(commit)
        defer { git_commit_free(object) }
        return GitOID(git_commit_tree_id(object)!)
    }

    private func makeSignature(_ signature: GitSignature) throws -> UnsafeMutablePointer<git_signature> {
        var out: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(&out, signature.name, signature.email,
                              signature.time.secondsSinceEpoch, Int32(signature.time.offsetMinutes)),
            "git_signature_new(\(signature.name))"
        )
        return out!
    }
}

import CLibGit2

/// How a file changed between two snapshots.
public enum GitDeltaStatus: String, Hashable, Sendable {
    case added, modified, deleted, renamed, copied, typechange
}

/// One changed file. For added files `oldPath == newPath`; likewise for deleted ones.
public struct GitDelta: Hashable, Sendable {
    /// What happened to the file.
    public let status: GitDeltaStatus
    /// Repository-relative path before the change.
    public let oldPath: String
    /// Repository-relative path after the change.
    public let newPath: String

    /// A delta with the given status and paths.
    public init(status: GitDeltaStatus, oldPath: String, newPath: String) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
    }
}

extension GitRepository {
    /// Files changed between commit `from` and commit `to`, or — when `to` is nil — the
    /// working tree as it would be committed by `git commit -a` (index plus unstaged edits),
    /// including untracked files. Renames are detected. Only paths below `path` count
    /// ("" = everything); a file renamed across that boundary shows as added or deleted.
    public func diff(from: GitOID, to: GitOID?, under path: String) throws -> [GitDelta] {
        let oldTree = try lookupTree(ofCommit: from)
        defer { git_tree_free(oldTree) }
        let toWorkdir = to == nil
        var flags = GIT_DIFF_NORMAL.rawValue
        if toWorkdir {
            flags |= GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
        }
        let options = try DiffOptions(path: path, flags: flags)
        var diff: OpaquePointer?
        if let to {
            let newTree = try lookupTree(ofCommit: to)
            defer { git_tree_free(newTree) }
            try options.withPointer { pointer in
                try check(git_diff_tree_to_tree(&diff, self.pointer, oldTree, newTree, pointer),
                          "git_diff_tree_to_tree(\(from.short), \(to.short))")
            }
        } else {
            try options.withPointer { pointer in
                try check(git_diff_tree_to_workdir_with_index(&diff, self.pointer, oldTree, pointer),
                          "git_diff_tree_to_workdir_with_index(\(from.short))")
            }
        }
        defer { git_diff_free(diff) }
        // Untracked files are rename targets too, so `mv a b` before `git add` reads as a rename.
        try findRenames(in: diff!, includingUntracked: toWorkdir)
        return Self.deltas(of: diff!)
    }

    /// Files staged in the index relative to commit `from` (what `git diff --cached` shows),
    /// with rename detection, restricted to paths below `path`.
    public func diffToIndex(from: GitOID, under path: String) throws -> [GitDelta] {
        let oldTree = try lookupTree(ofCommit: from)
        defer { git_tree_free(oldTree) }
        let index = try repositoryIndex()
        defer { git_index_free(index) }
        let options = try DiffOptions(path: path, flags: GIT_DIFF_NORMAL.rawValue)
        var diff: OpaquePointer?
        try options.withPointer { pointer in
            try check(git_diff_tree_to_index(&diff, self.pointer, oldTree, index, pointer),
                      "git_diff_tree_to_index(\(from.short))")
        }
        defer { git_diff_free(diff) }
        try findRenames(in: diff!, includingUntracked: false)
        return Self.deltas(of: diff!)
    }

    func findRenames(in diff: OpaquePointer, includingUntracked: Bool) throws {
        var findOptions = git_diff_find_options()
        try check(git_diff_find_options_init(&findOptions, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "git_diff_find_options_init")
        findOptions.flags = GIT_DIFF_FIND_RENAMES.rawValue
        if includingUntracked { findOptions.flags |= GIT_DIFF_FIND_FOR_UNTRACKED.rawValue }
        try check(git_diff_find_similar(diff, &findOptions), "git_diff_find_similar")
    }

    static func deltas(of diff: OpaquePointer) -> [GitDelta] {
        let count = git_diff_num_deltas(diff)
        var deltas: [GitDelta] = []
        deltas.reserveCapacity(count)
        for index in 0..<count {
            guard let delta = git_diff_get_delta(diff, index),
                  let status = GitDeltaStatus(delta.pointee.status) else { continue }
            let oldPath = delta.pointee.old_file.path.map { String(cString: $0) } ?? ""
            let newPath = delta.pointee.new_file.path.map { String(cString: $0) } ?? oldPath
            deltas.append(GitDelta(status: status, oldPath: oldPath.isEmpty ? newPath : oldPath, newPath: newPath))
        }
        return deltas
    }
}

extension GitDeltaStatus {
    /// Maps libgit2's delta kinds; untracked files count as added, and kinds that are not
    /// changes (unmodified, ignored, unreadable, conflicted) map to nil.
    init?(_ status: git_delta_t) {
        switch status {
        case GIT_DELTA_ADDED, GIT_DELTA_UNTRACKED: self = .added
        case GIT_DELTA_MODIFIED: self = .modified
        case GIT_DELTA_DELETED: self = .deleted
        case GIT_DELTA_RENAMED: self = .renamed
        case GIT_DELTA_COPIED: self = .copied
        case GIT_DELTA_TYPECHANGE: self = .typechange
        default: return nil
        }
    }
}

/// `git_diff_options` restricted to one literal path, with the C strings it points to
/// kept alive for the options' lifetime so one value can serve many diffs.
final class DiffOptions {
    private var options = git_diff_options()
    /// Owned C copy of the pathspec and the one-element array pointing at it.
    private let pathStorage: UnsafeMutablePointer<CChar>?
    private let pathArray: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    init(path: String, flags: UInt32) throws {
        let prefix = GitRepository.normalisedRelativePath(path)
        if prefix.isEmpty {
            pathStorage = nil
            pathArray = nil
        } else {
            let cString = prefix.utf8CString
            let storage = UnsafeMutablePointer<CChar>.allocate(capacity: cString.count)
            cString.withUnsafeBufferPointer { storage.initialize(from: $0.baseAddress!, count: $0.count) }
            pathStorage = storage
            pathArray = .allocate(capacity: 1)
            pathArray!.initialize(to: pathStorage)
        }
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        // Without INCLUDE_TYPECHANGE a file replaced by a symlink reads as deleted + added.
        // Submodules are never documents (tree and index listings skip gitlinks too), and
        // IGNORE_SUBMODULES keeps libgit2 from checking their status: in that path libgit2 1.5.1
        // leaks the PCRE2 match data of its regexp helper (reproduced with a C program calling
        // only public API on a repository with `.gitmodules`: `pcre2_match_data_create` ← libgit2 ←
        // `git_diff_index_to_workdir`, never freed). Newer libgit2 frees it on every path.
        options.flags = flags | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue | GIT_DIFF_IGNORE_SUBMODULES.rawValue
        if let pathArray {
            // Literal matching: a folder matches everything below it and `*`, `?` or `[`
            // in file names are not treated as wildcards.
            options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
            options.pathspec = git_strarray(strings: pathArray, count: 1)
        }
    }

    deinit {
        pathArray?.deallocate()
        pathStorage?.deallocate()
    }

    func withPointer<R>(_ body: (UnsafePointer<git_diff_options>) throws -> R) rethrows -> R {
        try withUnsafePointer(to: &options) { try body($0) }
    }
}

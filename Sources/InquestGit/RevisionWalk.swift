import CLibGit2

/// Commits reachable from a start commit, children before parents and newer before older
/// (libgit2's `GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME`).
///
/// libgit2 1.5 does not read `.git/shallow`: its revwalk fails as soon as it parses a
/// parent that a shallow clone never fetched, losing the commits before it. In a shallow
/// repository we therefore order the commits ourselves and treat missing parents as
/// absent, so the walk ends at the shallow boundary without an error.
final class RevisionWalk {
    private enum Source {
        /// An owned `git_revwalk *`, freed in `deinit`.
        case libgit2(OpaquePointer)
        /// Precomputed order for shallow repositories, consumed from the front.
        case ordered([GitOID], position: Int)
    }

    private var source: Source
    /// The walk points into the repository's odb and caches: the repository must outlive it.
    private let repository: GitRepository

    init(repository: GitRepository, from start: GitOID) throws {
        self.repository = repository
        if repository.isShallow {
            source = .ordered(try Self.shallowOrder(repository: repository, from: start), position: 0)
            return
        }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, repository.pointer), "git_revwalk_new")
        source = .libgit2(walk!)
        // From here on `deinit` frees the walk, even if a later call throws.
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        var id = start.raw
        try check(git_revwalk_push(walk, &id), "git_revwalk_push(\(start.short))")
    }

    deinit {
        if case .libgit2(let walk) = source { git_revwalk_free(walk) }
    }

    /// Leaves out `commit` and everything reachable from it. False (nothing hidden) for a
    /// shallow repository's walk, which orders the commits itself.
    func hide(_ commit: GitOID) throws -> Bool {
        guard case .libgit2(let walk) = source else { return false }
        var id = commit.raw
        try check(git_revwalk_hide(walk, &id), "git_revwalk_hide(\(commit.short))")
        return true
    }

    /// The next commit, or nil when the walk is over.
    func next() throws -> GitOID? {
        switch source {
        case .libgit2(let walk):
            var oid = git_oid()
            let code = git_revwalk_next(&oid, walk)
            if code == GIT_ITEROVER.rawValue { return nil }
            try check(code, "git_revwalk_next")
            return GitOID(oid)
        case .ordered(let commits, let position):
            guard position < commits.count else { return nil }
            source = .ordered(commits, position: position + 1)
            return commits[position]
        }
    }

    /// Topological order of the commits present in the repository, newest commit time
    /// first among those whose children have all been listed (Kahn's algorithm).
    private static func shallowOrder(repository: GitRepository, from start: GitOID) throws -> [GitOID] {
        var parents: [GitOID: [GitOID]] = [:]
        var times: [GitOID: Int64] = [:]
        var pending = [start]
        while let oid = pending.popLast() {
            if times[oid] != nil { continue }
            var commit: OpaquePointer?
            var id = oid.raw
            let code = git_commit_lookup(&commit, repository.pointer, &id)
            // A parent beyond the shallow boundary was never fetched.
            if code == GIT_ENOTFOUND.rawValue && oid != start { continue }
            try checkObject(code, oid, "git_commit_lookup(\(oid.short))")
            defer { git_commit_free(commit) }
            times[oid] = git_commit_time(commit)
            let ids = (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map { GitOID($0) } }
            parents[oid] = ids
            pending.append(contentsOf: ids)
        }

        var childCount: [GitOID: Int] = [:]
        for (_, ids) in parents {
            for parent in Set(ids) where times[parent] != nil { childCount[parent, default: 0] += 1 }
        }
        var ready = [start]
        var order: [GitOID] = []
        order.reserveCapacity(times.count)
        while !ready.isEmpty {
            // Shallow histories are short and the ready set is as wide as the graph, so a
            // linear scan for the newest commit is cheap enough.
            var best = 0
            for index in ready.indices.dropFirst() {
                let (candidate, current) = (ready[index], ready[best])
                if (times[candidate]!, candidate) > (times[current]!, current) { best = index }
            }
            let oid = ready.remove(at: best)
            order.append(oid)
            for parent in Set(parents[oid] ?? []) where times[parent] != nil {
                childCount[parent]! -= 1
                if childCount[parent] == 0 { ready.append(parent) }
            }
        }
        return order
    }
}

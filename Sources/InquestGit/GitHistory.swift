import CLibGit2
import Foundation

/// One commit in a file's history.
public struct GitFileCommit: Hashable, Sendable {
    /// The commit's id.
    public let oid: GitOID
    /// Mailmap-resolved author name.
    public let authorName: String
    /// Mailmap-resolved author email.
    public let authorEmail: String
    /// When the change was authored.
    public let authorTime: GitTime
    /// The first paragraph of the commit message, on one line.
    public let summary: String

    /// The 7-character abbreviated commit id.
    public var shortSHA: String { oid.short }

    public init(oid: GitOID, authorName: String, authorEmail: String, authorTime: GitTime, summary: String) {
        self.oid = oid
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.summary = summary
    }
}

/// A file rename found while walking history back in time.
public struct GitRename: Hashable, Sendable {
    /// The path before the commit.
    public let from: String
    /// The path after the commit.
    public let to: String
    /// The commit that renamed the file.
    public let commit: GitFileCommit

    public init(from: String, to: String, commit: GitFileCommit) {
        self.from = from
        self.to = to
        self.commit = commit
    }
}

/// The history of one file, attributed to its current path across renames.
public struct GitFileHistory: Hashable, Sendable {
    /// The file's path at the commit the walk started from.
    public let path: String
    /// Commits that touched the file, newest first; never empty.
    public let commits: [GitFileCommit]
    /// Unique author names in order of first appearance, oldest first.
    public let contributors: [String]
    /// Renames of this file, newest first.
    public let renames: [GitRename]
    /// The file's blob after each commit of ``commits`` (same order), so callers can read every
    /// version without another walk (e.g. when an action item was ticked).
    public let blobs: [GitOID]

    /// The oldest commit touching the file (usually the one that added it; in a shallow
    /// clone possibly the shallow boundary).
    public var firstCommit: GitFileCommit { commits[commits.count - 1] }
    /// The newest commit touching the file.
    public var lastCommit: GitFileCommit { commits[0] }

    public init(path: String, commits: [GitFileCommit], contributors: [String], renames: [GitRename], blobs: [GitOID]) {
        self.path = path
        self.commits = commits
        self.contributors = contributors
        self.renames = renames
        self.blobs = blobs
    }
}

extension GitRepository {
    /// Histories of all files below `path` at `commit` whose path satisfies `matching`,
    /// computed in a single revision walk.
    ///
    /// Each commit (topological, then time order) is diffed against its first parent —
    /// merges therefore count for the changes they bring into the first-parent line — or
    /// against the empty tree for a root commit, restricted to `path` and with rename
    /// detection. Walking back in time we keep a map from historical path to current path,
    /// so commits made before a rename are attributed to the file's current path.
    /// A file renamed into `path` from outside it starts its history at that rename.
    /// A path that was deleted and later re-created shares its history with the earlier
    /// file, as with `git log -- path`. In a shallow clone the walk stops at the shallow
    /// boundary, whose commit counts as adding every file it contains.
    public func history(
        under path: String,
        from commit: GitOID,
        matching: (String) -> Bool = { _ in true }
    ) throws -> [String: GitFileHistory] {
        try historyWalk(under: path, from: commit, matching: matching).histories
    }

    /// ``history(under:from:matching:)`` with each commit's changes, so that a later walk can take
    /// them instead of diffing those commits again (``historyWalk(under:from:matching:reusing:at:twoThreadsFrom:)``).
    /// - Parameter twoThreadsFrom: from this many commits on, the diffs are read on two threads
    ///   (the result is the same; tests lower it to compare the two).
    public func historyWalk(
        under path: String,
        from commit: GitOID,
        matching: (String) -> Bool = { _ in true },
        twoThreadsFrom: Int = 256
    ) throws -> GitHistoryWalk {
        try historyWalk(under: path, from: commit, matching: matching, reusing: nil, at: nil, twoThreadsFrom: twoThreadsFrom)
    }

    /// The walk from `commit`, diffing only the commits `previous` (an earlier walk under the same
    /// folder) did not diff: the same result as a walk that diffs them all. A commit's changes
    /// (its diff against its first parent, with renames) depend on the commit alone, and the
    /// histories are those changes recorded in the walk's order. So any earlier walk helps: of an
    /// ancestor (new commits on top, merges included), of a descendant (HEAD moved back), of
    /// another branch (their shared history).
    ///
    /// The order is the full walk's: when `previousCommit` is reached from `commit` through commits
    /// of one parent each, those commits and then `previous`'s order (every commit of the earlier
    /// walk is an ancestor of each of them, so a topological order lists them first); otherwise a
    /// revision walk, which reads each commit's header but diffs nothing. Nothing is reused in a
    /// shallow clone, whose boundary commit counts as adding every file it holds.
    /// - Parameters:
    ///   - previous: the earlier walk; nil (or one under another folder) diffs everything.
    ///   - previousCommit: the commit `previous` walked from, when known.
    public func historyWalk(
        under path: String,
        from commit: GitOID,
        matching: (String) -> Bool = { _ in true },
        reusing previous: GitHistoryWalk?,
        at previousCommit: GitOID?,
        twoThreadsFrom: Int = 256
    ) throws -> GitHistoryWalk {
        let prefix = Self.normalisedRelativePath(path)
        var state = WalkState()
        for entry in try files(at: commit, under: prefix) where matching(entry.path) {
            state.currentPath[entry.path] = entry.path
            state.builders[entry.path] = HistoryBuilder()
        }
        if state.builders.isEmpty { return GitHistoryWalk(prefix: prefix, histories: [:], commits: []) }
        let known = previous.flatMap { !isShallow && $0.prefix == prefix ? $0.commits : nil } ?? []

        var order: [GitOID] = []
        if let previousCommit, !known.isEmpty, let chain = try firstParentChain(from: commit, to: previousCommit, limit: 1_000) {
            order = chain + known.map(\.oid)
        } else {
            let walk = try RevisionWalk(repository: self, from: commit)
            while let oid = try walk.next() { order.append(oid) }
        }
        var byID: [GitOID: GitCommitChanges] = [:]
        byID.reserveCapacity(known.count)
        for changes in known { byID[changes.oid] = changes }
        // The diffs are independent of one another: worked out on two threads (each with its own
        // repository), then recorded in the walk's order, which alone decides the histories.
        let missing = order.filter { byID[$0] == nil }
        for changes in try changesOnTwoThreads(missing, under: prefix, from: twoThreadsFrom) { byID[changes.oid] = changes }
        var commits: [GitCommitChanges] = []
        commits.reserveCapacity(order.count)
        for oid in order {
            guard let changes = byID[oid] else { continue }
            commits.append(changes)
            Self.apply(changes, into: &state)
        }
        var walked = GitHistoryWalk(prefix: prefix, histories: state.histories(), commits: commits)
        walked.diffedCommits = missing.count
        return walked
    }

    /// The commits from `commit` back to `ancestor` (excluded), newest first, when each has one
    /// parent and there are at most `limit` of them; nil otherwise.
    private func firstParentChain(from commit: GitOID, to ancestor: GitOID, limit: Int) throws -> [GitOID]? {
        var chain: [GitOID] = []
        var oid = commit
        while oid != ancestor {
            guard chain.count < limit else { return nil }
            let object = try lookupCommit(oid)
            defer { git_commit_free(object) }
            guard git_commit_parentcount(object) == 1, let parent = git_commit_parent_id(object, 0) else { return nil }
            chain.append(oid)
            oid = GitOID(parent.pointee)
        }
        return chain
    }

    /// The changes of each of `commits` under `prefix`, in order. From `threshold` commits on,
    /// the second half is read on another thread through a second repository opened at the same
    /// folder (a repository is used by one thread at a time); without one, all of it here.
    private func changesOnTwoThreads(_ commits: [GitOID], under prefix: String, from threshold: Int) throws -> [GitCommitChanges] {
        let options = try DiffOptions(path: prefix, flags: GIT_DIFF_NORMAL.rawValue)
        let half = commits.count / 2
        guard commits.count >= max(2, threshold) else { return try commits.map { try changes(of: $0, options: options) } }
        let folder = gitDir
        let second = Array(commits[half...])
        let work = SecondThread { () -> Result<[GitCommitChanges], any Error> in
            Result {
                let repository = try GitRepository.open(path: folder)
                let options = try DiffOptions(path: prefix, flags: GIT_DIFF_NORMAL.rawValue)
                return try second.map { try repository.changes(of: $0, options: options) }
            }
        }
        let first = try commits[..<half].map { try changes(of: $0, options: options) }
        switch work.value() {
        case .success(let rest): return first + rest
        case .failure: return first + (try second.map { try changes(of: $0, options: options) })
        }
    }

    /// One commit's changes under the walk's folder (first-parent diff, renames found when
    /// something disappeared and something appeared), deletions left out, with the commit's
    /// details when anything is left: plain values, read without the walk's state.
    private func changes(of oid: GitOID, options: DiffOptions) throws -> GitCommitChanges {
        let diff = try firstParentDiff(of: oid, options: options)
        defer { git_diff_free(diff) }
        guard git_diff_num_deltas(diff) > 0 else { return GitCommitChanges(oid: oid, deltas: [], commit: nil) }
        // Rename detection only matters when something disappeared and something appeared.
        if git_diff_num_deltas_of_type(diff, GIT_DELTA_ADDED) > 0,
           git_diff_num_deltas_of_type(diff, GIT_DELTA_DELETED) > 0 {
            try findRenames(in: diff, includingUntracked: false)
        }
        var deltas: [GitCommitChanges.Delta] = []
        for (position, delta) in Self.deltas(of: diff).enumerated() where delta.status != .deleted {
            deltas.append(.init(oldPath: delta.oldPath, newPath: delta.newPath, isRename: delta.status == .renamed,
                                blob: Self.newBlob(of: diff, at: position)))
        }
        return GitCommitChanges(oid: oid, deltas: deltas, commit: deltas.isEmpty ? nil : try makeFileCommit(oid))
    }

    /// One commit of a walk, in the walk's order: its changes recorded in the histories of the
    /// files they belong to now.
    private static func apply(_ changes: GitCommitChanges, into state: inout WalkState) {
        guard let info = changes.commit else { return }
        for delta in changes.deltas {
            guard let current = state.currentPath[delta.newPath] else { continue }
            state.builders[current]!.record(info, blob: delta.blob)
            if delta.isRename {
                state.builders[current]!.renames.append(GitRename(from: delta.oldPath, to: delta.newPath, commit: info))
                // Older commits knew this file by its old name.
                state.currentPath[delta.oldPath] = current
            }
        }
    }

    /// The new-side blob of the diff's delta at `position` (deltas(of:) keeps libgit2's order).
    private static func newBlob(of diff: OpaquePointer, at position: Int) -> GitOID? {
        guard let delta = git_diff_get_delta(diff, position) else { return nil }
        return GitOID(delta.pointee.new_file.id)
    }

    /// Diff from the first parent's tree (or the empty tree for a root or shallow-boundary
    /// commit) to the commit's tree; the caller frees it with `git_diff_free`.
    private func firstParentDiff(of oid: GitOID, options: DiffOptions) throws -> OpaquePointer {
        let commit = try lookupCommit(oid)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try checkObject(git_commit_tree(&tree, commit), GitOID(git_commit_tree_id(commit)!), "git_commit_tree(\(oid.short))")
        defer { git_tree_free(tree) }
        var parentTree: OpaquePointer?
        defer { git_tree_free(parentTree) }
        if git_commit_parentcount(commit) > 0 {
            var parent: OpaquePointer?
            let code = git_commit_parent(&parent, commit, 0)
            if code == 0 {
                defer { git_commit_free(parent) }
                try checkObject(git_commit_tree(&parentTree, parent), GitOID(git_commit_tree_id(parent)!),
                                "git_commit_tree(parent of \(oid.short))")
            } else if !(code == GIT_ENOTFOUND.rawValue && isShallow) {
                try checkObject(code, GitOID(git_commit_parent_id(commit, 0)!), "git_commit_parent(\(oid.short))")
            }
        }
        var diff: OpaquePointer?
        try options.withPointer { pointer in
            try check(git_diff_tree_to_tree(&diff, self.pointer, parentTree, tree, pointer),
                      "git_diff_tree_to_tree(\(oid.short))")
        }
        return diff!
    }

    private func makeFileCommit(_ oid: GitOID) throws -> GitFileCommit {
        let commit = try lookupCommit(oid)
        defer { git_commit_free(commit) }
        let author = git_commit_author(commit)!
        let identity = resolvedIdentity(author)
        return GitFileCommit(
            oid: oid,
            authorName: identity.name,
            authorEmail: identity.email,
            authorTime: GitTime(author.pointee.when),
            summary: git_commit_summary(commit).map { String(cString: $0) } ?? ""
        )
    }
}

/// A history walk (``GitRepository/historyWalk(under:from:matching:)``): each file's history, and
/// each commit's changes, which a later walk takes instead of diffing the commit again.
public struct GitHistoryWalk: Hashable, Sendable {
    /// The walked folder (normalised, relative to the repository).
    public var prefix: String
    /// By the file's path at the walk's commit.
    public var histories: [String: GitFileHistory]
    /// Every commit of the walk, in its order, with what it changed under the folder.
    public var commits: [GitCommitChanges]
    /// How many commits this walk diffed (the others were taken from an earlier walk). Not part
    /// of the walk's value.
    public var diffedCommits = 0

    public init(prefix: String, histories: [String: GitFileHistory], commits: [GitCommitChanges]) {
        self.prefix = prefix
        self.histories = histories
        self.commits = commits
    }

    public static func == (a: GitHistoryWalk, b: GitHistoryWalk) -> Bool {
        a.prefix == b.prefix && a.histories == b.histories && a.commits == b.commits
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(prefix)
        hasher.combine(histories)
        hasher.combine(commits)
    }
}

/// What one commit changed under a walk's folder: its first-parent diff, with renames found,
/// deletions left out. A function of the commit alone (and of the mailmap, for its author).
public struct GitCommitChanges: Hashable, Sendable {
    public struct Delta: Hashable, Sendable {
        public var oldPath: String
        public var newPath: String
        public var isRename: Bool
        /// The file's blob after the commit.
        public var blob: GitOID?

        public init(oldPath: String, newPath: String, isRename: Bool, blob: GitOID?) {
            self.oldPath = oldPath
            self.newPath = newPath
            self.isRename = isRename
            self.blob = blob
        }
    }

    public var oid: GitOID
    /// Additions, modifications and renames, in libgit2's order.
    public var deltas: [Delta]
    /// The commit's details; nil when nothing but deletions changed.
    public var commit: GitFileCommit?

    public init(oid: GitOID, deltas: [Delta], commit: GitFileCommit?) {
        self.oid = oid
        self.deltas = deltas
        self.commit = commit
    }
}

/// Runs work on a thread of its own and hands its result to whoever asks (``value()`` waits).
private final class SecondThread<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            result = work()
            done.signal()
        }
        thread.start()
    }

    func value() -> Value {
        done.wait()
        return result!
    }
}

/// Where a walk is: each path's current file, each file's history so far.
private struct WalkState {
    var currentPath: [String: String] = [:]
    var builders: [String: HistoryBuilder] = [:]

    func histories() -> [String: GitFileHistory] {
        var result: [String: GitFileHistory] = [:]
        for (path, builder) in builders where !builder.commits.isEmpty {
            result[path] = builder.build(path: path)
        }
        return result
    }
}

/// Accumulates one file's commits while walking (newest first).
private struct HistoryBuilder {
    var commits: [GitFileCommit] = []
    var blobs: [GitOID] = []
    var renames: [GitRename] = []

    mutating func record(_ commit: GitFileCommit, blob: GitOID?) {
        // A commit can touch the same file twice (e.g. via two historical names); count it once.
        if commits.last?.oid != commit.oid {
            commits.append(commit)
            blobs.append(blob ?? GitOID(git_oid()))
        }
    }

    func build(path: String) -> GitFileHistory {
        var seen = Set<String>()
        var contributors: [String] = []
        for commit in commits.reversed() where seen.insert(commit.authorName).inserted {
            contributors.append(commit.authorName)
        }
        return GitFileHistory(path: path, commits: commits, contributors: contributors, renames: renames, blobs: blobs)
    }
}

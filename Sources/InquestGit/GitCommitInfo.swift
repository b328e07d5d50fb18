import CLibGit2

/// A point in time as git records it: seconds since the Unix epoch plus the author's
/// UTC offset, which git keeps so dates can be shown in the author's own time zone.
public struct GitTime: Hashable, Sendable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64
    /// Offset from UTC in minutes (e.g. +120 for CEST, -300 for EST).
    public var offsetMinutes: Int

    /// A time from seconds since the epoch and a UTC offset in minutes.
    public init(secondsSinceEpoch: Int64, offsetMinutes: Int = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.offsetMinutes = offsetMinutes
    }

    init(_ time: git_time) {
        self.init(secondsSinceEpoch: time.time, offsetMinutes: Int(time.offset))
    }

    /// Orders by instant; the offset only affects how the time is displayed.
    public static func < (lhs: GitTime, rhs: GitTime) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }
}

/// Metadata of one commit. Author name and email are mailmap-resolved.
public struct GitCommitInfo: Hashable, Sendable {
    /// The commit's id.
    public let oid: GitOID
    /// Mailmap-resolved author name.
    public let authorName: String
    /// Mailmap-resolved author email.
    public let authorEmail: String
    /// When the change was authored (survives rebases and cherry-picks).
    public let authorTime: GitTime
    /// Mailmap-resolved committer name.
    public let committerName: String
    /// Mailmap-resolved committer email.
    public let committerEmail: String
    /// When the commit object was created.
    public let committerTime: GitTime
    /// The first paragraph of the message, unwrapped to one line.
    public let summary: String
    /// Parent commits, first parent first; empty for a root (or shallow-boundary) commit.
    public let parents: [GitOID]
}

extension GitRepository {
    /// Reads a commit's author, committer, summary and parents.
    public func commitInfo(_ oid: GitOID) throws -> GitCommitInfo {
        let commit = try lookupCommit(oid)
        defer { git_commit_free(commit) }
        return commitInfo(commit: commit, oid: oid)
    }

    func commitInfo(commit: OpaquePointer, oid: GitOID) -> GitCommitInfo {
        let author = git_commit_author(commit)!
        let committer = git_commit_committer(commit)!
        let authorIdentity = resolvedIdentity(author)
        let committerIdentity = resolvedIdentity(committer)
        let parentCount = git_commit_parentcount(commit)
        let parents = (0..<parentCount).compactMap { index in
            git_commit_parent_id(commit, index).map { GitOID($0) }
        }
        return GitCommitInfo(
            oid: oid,
            authorName: authorIdentity.name,
            authorEmail: authorIdentity.email,
            authorTime: GitTime(author.pointee.when),
            committerName: committerIdentity.name,
            committerEmail: committerIdentity.email,
            committerTime: GitTime(committer.pointee.when),
            summary: git_commit_summary(commit).map { String(cString: $0) } ?? "",
            parents: parents
        )
    }

    /// Unique, mailmap-resolved author names of the commits reachable from HEAD, newest
    /// commit first, for recognising people's names in prose. Names ending in `[bot]` are
    /// skipped. `limit` bounds how many commits are read (nil = all); an unborn HEAD
    /// yields an empty list.
    public func authorNames(limit: Int? = nil) throws -> [String] {
        guard let head = try headCommit() else { return [] }
        return try authorNames(of: RevisionWalk(repository: self, from: head), limit: limit).names
    }

    /// ``authorNames(limit:)`` with how many commits were read: every commit reachable from HEAD
    /// when fewer than `limit`. Nil when HEAD is unborn.
    public func countedAuthorNames(limit: Int) throws -> (names: [String], commits: Int)? {
        guard let head = try headCommit() else { return nil }
        return try authorNames(of: RevisionWalk(repository: self, from: head), limit: limit)
    }

    /// The author names (as ``authorNames(limit:)`` gives them) of the commits reachable from
    /// HEAD but not from `known`, an ancestor of HEAD, and how many there are: what a walk from
    /// HEAD adds to one from `known`. Nil when `known` is not an ancestor of HEAD (nor HEAD
    /// itself), when HEAD is unborn, when there are more than `limit` such commits, or in a
    /// shallow repository (its walk cannot leave commits out).
    public func authorNames(since known: GitOID, limit: Int) throws -> (names: [String], commits: Int)? {
        guard let head = try headCommit() else { return nil }
        if head == known { return ([], 0) }
        var headID = head.raw, knownID = known.raw
        guard git_graph_descendant_of(pointer, &headID, &knownID) == 1 else { return nil }
        let walk = try RevisionWalk(repository: self, from: head)
        guard try walk.hide(known) else { return nil }
        let found = try authorNames(of: walk, limit: limit + 1)
        return found.commits > limit ? nil : found
    }

    /// Reads at most `limit` commits of `walk` (nil: all).
    private func authorNames(of walk: RevisionWalk, limit: Int?) throws -> (names: [String], commits: Int) {
        var seen = Set<String>()
        var names: [String] = []
        var count = 0
        while let oid = try walk.next() {
            if let limit, count >= limit { break }
            count += 1
            let commit = try lookupCommit(oid)
            defer { git_commit_free(commit) }
            let name = resolvedIdentity(git_commit_author(commit)!).name
            if name.isEmpty || name.hasSuffix("[bot]") { continue }
            if seen.insert(name).inserted { names.append(name) }
        }
        return (names, count)
    }
}


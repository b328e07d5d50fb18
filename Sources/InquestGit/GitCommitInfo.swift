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
        let walk = try RevisionWalk(repository: self, from: head)
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
        return names
    }
}


/// What git history says about the archive's documents: publication and update dates,
/// contributors, commits and renames. Filled in by the git layer; nil outside a repository.
public struct ArchiveHistory: Sendable {
    /// One commit that touched a document.
    public struct Commit: Sendable, Hashable {
        public var sha: String
        public var shortSHA: String
        public var author: String
        /// Seconds since the epoch and the author's offset.
        public var time: Timestamp
        public var summary: String

        public init(sha: String, shortSHA: String, author: String, time: Timestamp, summary: String) {
            self.sha = sha
            self.shortSHA = shortSHA
            self.author = author
            self.time = time
            self.summary = summary
        }
    }

    /// History of one document, newest commit first.
    public struct Document: Sendable {
        public var path: String
        public var commits: [Commit]
        /// Unique author names, oldest first.
        public var contributors: [String]
        /// Earlier paths of this document (oldest first).
        public var previousPaths: [String]

        public var published: Commit? { commits.last }
        public var updated: Commit? { commits.first }

        public init(path: String, commits: [Commit], contributors: [String], previousPaths: [String]) {
            self.path = path
            self.commits = commits
            self.contributors = contributors
            self.previousPaths = previousPaths
        }
    }

    /// A postmortem id that changed (file rename or edited `id:`): the site emits a redirect page.
    public struct IDChange: Sendable, Hashable {
        public var oldID: String
        public var newID: String

        public init(oldID: String, newID: String) {
            self.oldID = oldID
            self.newID = newID
        }
    }

    /// By current repository-relative path.
    public var documents: [String: Document]
    public var idChanges: [IDChange]
    /// True when the clone is shallow: dates and contributors may be incomplete.
    public var isShallow: Bool
    /// The time of the commit being read: "now" for overdue items and the site, never the wall clock.
    public var commitTime: Timestamp?

    public init(documents: [String: Document], idChanges: [IDChange], isShallow: Bool, commitTime: Timestamp?) {
        self.documents = documents
        self.idChanges = idChanges
        self.isShallow = isShallow
        self.commitTime = commitTime
    }
}

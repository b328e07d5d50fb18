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

    /// When an action item appeared in its postmortem and when it was ticked, from the
    /// versions of the file in history (one blob read per commit of the file, in the same walk).
    public struct ActionItemEvents: Sendable {
        /// The commit whose version of the file first has the item.
        public var added: Commit?
        /// The commit that flipped it from `[ ]` to `[x]` (the latest such flip); nil while it is
        /// open, and the adding commit when it was written already done.
        public var ticked: Commit?

        public init(added: Commit?, ticked: Commit?) {
            self.added = added
            self.ticked = ticked
        }

        /// Written as done from the start: no tick to date.
        public var doneWhenAdded: Bool { ticked != nil && ticked?.sha == added?.sha }
    }

    /// By current repository-relative path.
    public var documents: [String: Document]
    /// Per document path, one entry per current action item (same order as
    /// ``Postmortem/actionItems``); an item missing from every committed version gets nil events.
    public var actionItems: [String: [ActionItemEvents?]] = [:]
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

/// What the rules know about git for one run, computed before linting (see ``LintPlan``) and
/// handed to every rule as ``RuleContext/git``. A plain value: no repository is open while rules run.
public struct GitLintState: Sendable {
    /// False when the archive is not inside a git repository.
    public var hasRepository: Bool
    /// True when the run wanted git-derived data (history, author names); with ``hasRepository``
    /// false this is what `git/no-repository` reports.
    public var wantsHistory: Bool
    /// True for a shallow clone: history stops early, so dates and contributors may be incomplete.
    public var isShallow: Bool
    /// Mailmap-resolved names of commit authors (bots named `*[bot]` excluded), newest first, for
    /// the blameless rules to recognise people's names (`blameless.git_authors`). Empty when
    /// disabled or outside a repository.
    public var authorNames: [String]
    /// Where run-wide notes (`git/shallow-history`, `git/no-repository`) are attached: line 1 of
    /// the first reported document by path. nil when no document is reported, and then no note is
    /// shown, since nothing was checked that the note could be about.
    public var noticePath: String?
    /// The comparison side of `--changed-since`; nil without it.
    public var base: GitBaseState?

    public init(hasRepository: Bool, wantsHistory: Bool = true, isShallow: Bool = false, authorNames: [String] = [],
                noticePath: String? = nil, base: GitBaseState? = nil) {
        self.hasRepository = hasRepository
        self.wantsHistory = wantsHistory
        self.isShallow = isShallow
        self.authorNames = authorNames
        self.noticePath = noticePath
        self.base = base
    }
}

/// The base of `--changed-since BASE`: the merge base of BASE and the target, what changed since,
/// and the documents as they were there.
public struct GitBaseState: Sendable {
    /// A document as it was at the merge base.
    public struct Document: Sendable, Hashable {
        /// Its workspace-relative path at the merge base (differs from the current one after a rename).
        public var path: String
        public var id: String
        public var status: Postmortem.Status?

        public init(path: String, id: String, status: Postmortem.Status?) {
            self.path = path
            self.id = id
            self.status = status
        }
    }

    /// BASE as given on the command line.
    public var revision: String
    /// The full sha of the merge base of BASE and the target.
    public var mergeBase: String
    /// Workspace-relative paths (at the target) of the postmortems added or modified since the
    /// merge base, renames included, deletions not; plus the cause catalogue when it changed.
    public var changedPaths: Set<String>
    /// The merge-base version of each changed document that existed there (modified or renamed),
    /// by its path at the target. Added documents have no entry.
    public var documents: [String: Document]
    /// Why the whole archive must be reported (a deletion, a rename, a changed catalogue or
    /// configuration can break documents the change did not touch); empty when only the changed
    /// documents need reporting.
    public var wholeArchiveReasons: [String] = []

    public init(revision: String, mergeBase: String, changedPaths: Set<String>, documents: [String: Document]) {
        self.revision = revision
        self.mergeBase = mergeBase
        self.changedPaths = changedPaths
        self.documents = documents
    }
}

/// Everything `inquest.yml` can set. Every key has a default, so the file is optional.
public struct Configuration: Sendable, Equatable {
    /// How a rule's configured level reads in `rules:`.
    public enum RuleLevel: String, Sendable, Equatable, CaseIterable {
        case error, warning, info, off

        public var severity: Severity? {
            switch self {
            case .error: .error
            case .warning: .warning
            case .info: .info
            case .off: nil
            }
        }
    }

    public struct Blameless: Sendable, Equatable {
        /// Full names of people whose names must not appear as actors in narratives.
        public var people: [String] = []
        /// @handles that name teams, not people.
        public var teams: [String] = []
        /// Phrases never flagged.
        public var allow: [String] = []
        /// Extra phrases always flagged as blame words.
        public var deny: [String] = []
        /// Recognise commit authors' names from git history as people.
        public var gitAuthors = true
    }

    public struct Site: Sendable, Equatable {
        public var title = "Postmortems"
        public var baseURL: String?
        public var repoURL: String?
        /// Link template for action-item tickets (`site.ticket_url`): `{ticket}` is replaced by the
        /// ticket id, e.g. `https://tracker.example/browse/{ticket}`.
        public var ticketURL: String?
    }

    /// Folder holding the postmortems, relative to the repository root.
    public var postmortems = "postmortems"
    /// Root-cause catalogue path; nil means `<postmortems>/causes.yml`.
    public var causesOverride: String?
    /// Glob patterns (`fnmatch(3)`) of files under the postmortems folder that are not postmortems.
    public var exclude: [String] = []
    /// File names that, directly in the postmortems folder, are the archive's own readme, not postmortems.
    public var readmes: [String] = ["README.md", "index.md", "README.markdown", "index.markdown"]
    public var schema = Schema()
    public var rules: [String: RuleLevel] = [:]
    public var blameless = Blameless()
    public var site = Site()
    /// Where the team publishes the rule documentation (`docs_url`): an absolute http(s) URL,
    /// optionally with a `{rule}` placeholder for the rule id. Inquest has no public home, so
    /// without it SARIF and the language server link nowhere rather than to a page that 404s.
    public var docsURL: DocsURL?

    public init() {}

    public var causes: String { causesOverride ?? (postmortems.isEmpty ? "causes.yml" : postmortems + "/causes.yml") }
}

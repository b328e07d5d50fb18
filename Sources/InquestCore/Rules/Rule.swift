/// What `inquest explain` prints for a rule, and what the tests run.
public struct RuleDocumentation: Sendable {
    /// One line: what the rule checks.
    public var summary: String
    /// Why it matters, a short paragraph.
    public var rationale: String
    /// Documents the rule must fire on.
    public var triggering: [RuleExample]
    /// Documents the rule must stay silent on.
    public var passing: [RuleExample]

    public init(summary: String, rationale: String, triggering: [RuleExample], passing: [RuleExample]) {
        self.summary = summary
        self.rationale = rationale
        self.triggering = triggering
        self.passing = passing
    }
}

/// An example for `explain` and the tests: a focus snippet to print and the whole file it lives in.
public struct RuleExample: Sendable {
    /// What `explain` shows: the lines that matter.
    public var focus: String
    /// The complete file the example is checked as.
    public var document: String
    /// Extra files of the archive (path → contents), e.g. a catalogue or a second postmortem.
    public var otherFiles: [String: String]

    public init(focus: String, document: String, otherFiles: [String: String] = [:]) {
        self.focus = focus
        self.document = document
        self.otherFiles = otherFiles
    }
}

/// A rule's finding before the linter attaches the rule id and severity.
public struct Finding: Sendable {
    public var path: String
    public var range: SourceRange
    public var message: String
    public var suggestion: String?
    public var fix: Fix?

    /// A finding's message as a value. Each rule declares its messages as static constructors next
    /// to its check (`extension Finding.Message { static func unknownField(_ name: String) -> Self }`),
    /// so the wording lives in one place and tests compare `.unknownField("x")`, not retyped text.
    /// Deliberately not expressible by a string literal: a message is one of the declared ones.
    public struct Message: Hashable, Sendable, CustomStringConvertible {
        /// The text as printed: lowercase, no trailing period.
        public let text: String

        /// A message with exactly `text`; rules call their declared constructors instead.
        public init(_ text: String) { self.text = text }

        public var description: String { text }
    }
}

/// Collects findings; converts byte ranges to positions using the file's line table.
public struct Findings: Sendable {
    public private(set) var items: [Finding] = []

    public init() {}

    /// A finding in a postmortem at a byte range of its file.
    /// - Parameter fix: the one right correction, when there is one (see ``Fix``).
    public mutating func add(_ postmortem: Postmortem, _ bytes: Range<Int>, _ message: Finding.Message, suggestion: String? = nil, fix: Fix? = nil) {
        add(path: postmortem.path, source: postmortem.source, bytes: bytes, message, suggestion: suggestion, fix: fix)
    }

    /// A finding in any file of the archive.
    public mutating func add(path: String, source: SourceText, bytes: Range<Int>, _ message: Finding.Message, suggestion: String? = nil, fix: Fix? = nil) {
        items.append(Finding(path: path, range: source.range(of: bytes), message: message.text, suggestion: suggestion, fix: fix))
    }
}

/// A lint rule. One rule, one file; ids are stable.
public protocol Rule: Sendable {
    /// Stable id, `family/name`.
    var id: String { get }
    var defaultSeverity: Severity { get }
    var documentation: RuleDocumentation { get }
}

/// A rule that looks at one postmortem at a time (it may consult the archive through the context).
public protocol DocumentRule: Rule {
    func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings)
    /// Whether the rule reads the document's blame-language scan (``BlamelessLanguageRule``s do),
    /// so the ``Linter`` scans each document once when one of them is on. A requirement rather
    /// than an `is` test: the first cast of each rule searched every conformance in the binary,
    /// 2.5% of a one-file lint.
    var readsLanguageScan: Bool { get }
}

extension DocumentRule {
    public var readsLanguageScan: Bool { false }
}

/// A rule that looks at the archive as a whole (duplicate ids, the catalogue, …).
public protocol ArchiveRule: Rule {
    func check(_ archive: Archive, context: RuleContext, into findings: inout Findings)
}

/// What every rule can see besides its input.
///
/// Immutable once made: ``language`` is derived from the configuration and the git authors, so
/// neither may change under it.
public struct RuleContext: Sendable {
    public let configuration: Configuration
    public let archive: Archive
    /// What git says for this run (base of `--changed-since`, author names, shallow clone);
    /// nil when the run does not involve git, e.g. linting an in-memory archive.
    public let git: GitLintState?
    /// The blame-language analyzer, built once per run from ``configuration`` and ``git``.
    public let language: LanguageScan
    /// The blame-language findings of the document being checked, scanned once by the ``Linter``
    /// in that document's task and shared by the six blameless rules.
    var documentLanguage: (path: String, findings: [LanguageScan.Located])?

    public var schema: Schema { configuration.schema }

    public init(configuration: Configuration, archive: Archive, git: GitLintState? = nil) {
        self.configuration = configuration
        self.archive = archive
        self.git = git
        language = LanguageScan(configuration: configuration, gitAuthors: git?.authorNames ?? [])
    }

    /// A context that reuses an analyzer built earlier when its options are the same.
    init(configuration: Configuration, archive: Archive, git: GitLintState?, reusing scan: LanguageScan?) {
        self.configuration = configuration
        self.archive = archive
        self.git = git
        let authors = git?.authorNames ?? []
        if let scan, scan.settings == configuration.blameless, scan.gitAuthors == authors {
            language = scan
        } else {
            language = LanguageScan(configuration: configuration, gitAuthors: authors)
        }
    }

    /// Findings of the blame-language rule `rule` in `postmortem`.
    public func languageFindings(_ rule: String, in postmortem: Postmortem) -> [LanguageScan.Located] {
        let all = documentLanguage.flatMap { $0.path == postmortem.path ? $0.findings : nil } ?? language.scan(postmortem)
        return all.filter { $0.rule == rule }
    }
}

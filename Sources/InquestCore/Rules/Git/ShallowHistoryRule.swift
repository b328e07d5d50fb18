/// `git/shallow-history`: the repository is a shallow clone, so history-derived dates and
/// contributors may be incomplete. Reported once per run, on line 1 of the first reported document.
public struct ShallowHistoryRule: ArchiveRule {
    public let id = "git/shallow-history"
    public let defaultSeverity = Severity.info
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "git history is shallow: publication dates and contributors may be incomplete",
        rationale: "Inquest reads publication dates, update dates and contributors from git history. A shallow clone (CI checkouts default to depth 1) stops at the clone boundary, so every document looks first published in the newest commit and earlier authors are missing. Fetch the whole history: actions/checkout with 'fetch-depth: 0', or 'git fetch --unshallow'. Reported once per run, on the first reported document.",
        triggering: [
            // Needs a shallow clone; GitRepositoryStateTests covers it. The registry tests skip git rules' examples.
            ExampleDocument.example("# linted in a clone made with: git clone --depth 1 …\nstatus: final"),
        ],
        passing: [
            ExampleDocument.example("# linted in a full clone (actions/checkout with fetch-depth: 0)\nstatus: final"),
        ])

    public init() {}

    public func check(_ archive: Archive, context: RuleContext, into findings: inout Findings) {
        guard let git = context.git, git.hasRepository, git.isShallow else { return }
        GitNotice.add(to: &findings, in: archive, at: git.noticePath,
                      .shallowHistory,
                      suggestion: "fetch the full history: 'fetch-depth: 0' with actions/checkout, or git fetch --unshallow")
    }
}

extension Finding.Message {
    /// `git/shallow-history`.
    static let shallowHistory = Self("git history is shallow, so publication dates and contributors may be incomplete")
}

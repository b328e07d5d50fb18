/// `git/no-repository`: git-derived data was wanted (commit authors for the blameless rules,
/// history dates) but the archive is not inside a git repository. Reported once per run, on line 1
/// of the first reported document.
public struct NoRepositoryRule: ArchiveRule {
    public let id = "git/no-repository"
    public let defaultSeverity = Severity.info
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "the archive is not in a git repository: commit authors and history dates are unavailable",
        rationale: "Postmortems are meant to live in git: history gives publication dates and contributors, and commit authors' names let the blameless rules recognise people named as causes. Outside a repository every other check still runs; this note says which ones had less to go on. Run inquest inside the repository, or set 'blameless: {git_authors: false}' (or turn this rule off) for an archive that is deliberately not in git.",
        triggering: [
            // Needs a folder outside any repository; GitRepositoryStateTests covers it. The registry tests skip git rules' examples.
            ExampleDocument.example("# linted in a plain folder (no .git above it), blameless.git_authors: true\nstatus: final"),
        ],
        passing: [
            ExampleDocument.example("# linted inside a git repository\nstatus: final"),
        ])

    public init() {}

    public func check(_ archive: Archive, context: RuleContext, into findings: inout Findings) {
        guard let git = context.git, !git.hasRepository, git.wantsHistory else { return }
        GitNotice.add(to: &findings, in: archive, at: git.noticePath,
                      .noRepository,
                      suggestion: "run inquest inside the repository, or set 'blameless: {git_authors: false}'")
    }
}

/// Run-wide notes have no line of their own: they go on line 1 of the first reported document,
/// so every output format (text, JSON, SARIF, GitHub annotations) can show them.
enum GitNotice {
    static func add(to findings: inout Findings, in archive: Archive, at path: String?, _ message: Finding.Message, suggestion: String) {
        guard let path, let postmortem = archive.postmortems.first(where: { $0.path == path }) else { return }
        findings.add(postmortem, 0..<postmortem.source.lineContentRange(0).upperBound, message, suggestion: suggestion)
    }
}

extension Finding.Message {
    /// `git/no-repository`.
    static let noRepository = Self("not inside a git repository: commit authors and history dates are unavailable")
}

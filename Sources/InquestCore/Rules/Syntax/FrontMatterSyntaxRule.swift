/// `syntax/front-matter`: the front-matter block is missing, unterminated, not a mapping or not YAML.
public struct FrontMatterSyntaxRule: DocumentRule {
    public let id = "syntax/front-matter"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "the file must start with a YAML front-matter mapping between '---' lines",
        rationale: "Front-matter carries the facts every other check and page depends on: the date, severity, services and causes. A file whose front-matter cannot be read is invisible to the archive, so it fails loudly, at the line YAML itself complains about.",
        triggering: [
            RuleExample(focus: "# No front-matter at all", document: "# Outage\n\n## Summary\n\nText.\n", otherFiles: ExampleDocument.catalogueFiles),
            RuleExample(focus: "---\ntitle: [unclosed\n---", document: ExampleDocument.make(fields: ["title": "[unclosed"]), otherFiles: ExampleDocument.catalogueFiles),
            RuleExample(focus: "---\ntitle: Outage\n(no closing fence)", document: "---\ntitle: Outage\n\n## Summary\n", otherFiles: ExampleDocument.catalogueFiles),
        ],
        passing: [ExampleDocument.example("---\ntitle: Checkout latency after cache eviction\n…\n---")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for problem in postmortem.syntaxProblems where problem.kind == .frontMatter {
            var suggestion = problem.suggestion
            if problem.leavesBodyReadable {
                // Name the template where this archive keeps it.
                let folder = context.configuration.postmortems
                let template = folder.isEmpty ? "_template.md" : folder + "/_template.md"
                suggestion = "run 'inquest adopt' to infer it from the document, or copy the front-matter of \(template) ('inquest new' writes one)"
            }
            findings.add(postmortem, problem.bytes, .frontMatter(problem.message), suggestion: suggestion)
        }
    }
}

extension Finding.Message {
    /// `syntax/front-matter`: the parser's (or YAML's) description of the problem.
    static func frontMatter(_ problem: String) -> Self { Self(problem) }
}

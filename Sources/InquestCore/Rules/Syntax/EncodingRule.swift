/// `syntax/encoding`: the file is not UTF-8 text.
public struct EncodingRule: DocumentRule {
    public let id = "syntax/encoding"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "postmortems must be UTF-8 text without NUL bytes",
        rationale: "Inquest reads files byte for byte from the working tree or from git. A file in another encoding, or a binary saved with a .md name, cannot be parsed reliably, so it is reported at the first bad byte instead of being guessed at.",
        triggering: [RuleExample(focus: "bytes: 0x2D 0x2D 0x2D 0x0A 0xFF 0xFE …", document: "---\ntitle: caf\u{FFFD}\0\n---\n", otherFiles: ExampleDocument.catalogueFiles)],
        passing: [ExampleDocument.example("title: Café cache outage (UTF-8)", fields: ["title": "Café cache outage"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for problem in postmortem.syntaxProblems where problem.kind == .encoding {
            findings.add(postmortem, problem.bytes, .encoding(problem.message))
        }
    }
}

extension Finding.Message {
    /// `syntax/encoding`: the decoder's description of the bad bytes.
    static func encoding(_ problem: String) -> Self { Self(problem) }
}

/// `schema/unknown-field`: a front-matter key the schema does not know (often a typo).
public struct UnknownFieldRule: DocumentRule {
    public let id = "schema/unknown-field"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "front-matter keys must be known schema fields",
        rationale: "An unknown key is usually a misspelt known one ('root_cause' for 'root_causes'); its value would be silently ignored and the postmortem would drop out of the cause pages.",
        triggering: [ExampleDocument.example("root_cause: [no-alert-on-saturation]", fields: ["root_causes": nil, "status": "draft", "root_cause": "[no-alert-on-saturation]"])],
        passing: [ExampleDocument.example("root_causes: [no-alert-on-saturation]")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for (key, _) in postmortem.frontMatter?.mapping ?? [] {
            let name = key.scalar ?? key.typeName
            guard !Schema.knownFields.contains(name) else { continue }
            let guess = Spelling.closest(to: name, in: Schema.knownFields)
            // Renaming the key is the one right fix only when the field it means is not there already.
            let fix = guess.flatMap { guess in
                postmortem.field(guess) == nil ? FrontMatterFix.replaceScalar(key, with: guess, in: postmortem) : nil
            }
            findings.add(postmortem, key.bytes, .unknownField(name),
                         suggestion: guess.map { "did you mean '\($0)'?" }, fix: fix)
        }
    }
}

extension Finding.Message {
    /// `schema/unknown-field`.
    static func unknownField(_ name: String) -> Self { Self("unknown front-matter field '\(name)'") }
}

/// `schema/missing-field`: a required field is absent (or null).
public struct MissingFieldRule: DocumentRule {
    public let id = "schema/missing-field"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "required front-matter fields must be present; final postmortems also need started, resolved and root_causes",
        rationale: "The archive sorts, groups and links postmortems by their front-matter. A postmortem without a severity or services cannot be found where readers look for it, and a final one without root causes teaches nothing about recurrence.",
        triggering: [
            ExampleDocument.example("---\ntitle: …\n(no severity)\n---", fields: ["severity": nil]),
            ExampleDocument.example("status: final\n(no root_causes)", fields: ["root_causes": nil]),
        ],
        passing: [ExampleDocument.example("status: draft\n(no root_causes yet)", fields: ["status": "draft", "root_causes": nil])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard postmortem.hasReadableFrontMatter else { return }
        for field in context.schema.requiredFields where isMissing(field, in: postmortem) {
            findings.add(postmortem, postmortem.frontMatterAnchor, .missingField(field),
                         suggestion: "add '\(field):' to the front-matter")
        }
        guard postmortem.status == .final else { return }
        for field in context.schema.finalRequiredFields
        where !context.schema.requiredFields.contains(field) && isMissing(field, in: postmortem) {
            findings.add(postmortem, postmortem.anchor(forField: "status"), .requiredWhenFinal(field),
                         suggestion: "add '\(field):' or keep the status at in-review until it is known")
        }
    }

    private func isMissing(_ field: String, in postmortem: Postmortem) -> Bool {
        guard let value = postmortem.field(field) else { return true }
        return value.isNull
    }
}

extension Finding.Message {
    /// `schema/missing-field`.
    static func missingField(_ field: String) -> Self { Self("missing required field '\(field)'") }
    /// `schema/missing-field`.
    static func requiredWhenFinal(_ field: String) -> Self { Self("'\(field)' is required when status is final") }
}

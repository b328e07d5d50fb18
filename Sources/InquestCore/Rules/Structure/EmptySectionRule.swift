/// `structure/empty-section`: an H2 section with nothing but comments in it.
public struct EmptySectionRule: DocumentRule {
    public let id = "structure/empty-section"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "sections must have content",
        rationale: "An empty heading copied from the template suggests an analysis that was never written. If a section truly does not apply, saying so in one sentence is more useful than a blank.",
        triggering: [ExampleDocument.example("## Impact\n\n<!-- TODO -->", sections: ["Impact": "<!-- TODO -->"])],
        passing: [ExampleDocument.example("## Impact\n\nAbout 4% of checkouts took longer than 5 s.")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for section in postmortem.sections where section.contentBlocks.isEmpty {
            findings.add(postmortem, section.headingBytes, .emptySection(section.heading),
                         suggestion: "write the section, or say in one sentence why it does not apply")
        }
    }
}

extension Finding.Message {
    /// `structure/empty-section`.
    static func emptySection(_ heading: String) -> Self { Self("section '\(heading)' is empty") }
}

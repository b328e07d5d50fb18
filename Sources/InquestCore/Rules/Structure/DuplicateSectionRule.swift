/// `structure/duplicate-section`: two headings for the same section.
public struct DuplicateSectionRule: DocumentRule {
    public let id = "structure/duplicate-section"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "each section appears once ('Root Cause' and 'Root Causes' are the same section)",
        rationale: "Two Timeline sections split the story; tools and readers take the first and miss the second. 'Contributing Factors' may stand beside 'Root Causes' because it complements it.",
        triggering: [ExampleDocument.example("## Root Causes\n…\n## Root Cause", sections: ["Root Cause": "The alert threshold was above the saturation point."])],
        passing: [ExampleDocument.example("## Root Causes\n…\n## Contributing Factors", sections: ["Contributing Factors": "The eviction policy change was not load-tested."])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        var seen: [String: String] = [:]
        // `Schema.isCompanion` normalises the heading and every companion at each call; the
        // companions are normalised once per document here and the heading once per section.
        let companions = Set(context.schema.companions.map(Schema.normalize))
        for section in postmortem.sections {
            let normalized = Schema.normalize(section.heading)
            let key: String
            if companions.contains(normalized) {
                key = normalized
            } else if section.canonicalNames.isEmpty {
                key = normalized
            } else {
                key = section.canonicalNames.joined(separator: "+")
            }
            if let first = seen[key] {
                findings.add(postmortem, section.headingBytes, .duplicateSection(section.heading, repeats: first),
                             suggestion: "merge the two sections")
            } else {
                seen[key] = section.heading
            }
        }
    }
}

extension Finding.Message {
    /// `structure/duplicate-section`.
    static func duplicateSection(_ heading: String, repeats first: String) -> Self { Self("section '\(heading)' repeats '\(first)'") }
}

@testable import InquestCore

// The example rule CONTRIBUTING.md quotes (everything below this comment, byte for byte), kept
// in the test target so it compiles and its examples run (ContributingExampleTests) without
// becoming a rule users get. A real rule lives in Sources/InquestCore/Rules/<Family>/.

/// `structure/missing-detection`: a SEV1 postmortem without a Detection section.
public struct MissingDetectionRule: DocumentRule {
    public let id = "structure/missing-detection"
    public let defaultSeverity = Severity.warning
    // Made the first time it is asked for (`inquest explain`, SARIF): every run builds the registry.
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "SEV1 postmortems say how the incident was detected",
        rationale: "How an outage was noticed (an alert, a customer, luck) is what the next on-call engineer needs most, and the part of a severe incident most often left out. A Detection section keeps the answer where readers look for it.",
        triggering: [ExampleDocument.example("severity: SEV1  (and no ## Detection section)", fields: ["severity": "SEV1"])],
        passing: [ExampleDocument.example("severity: SEV1\n\n## Detection\n\nThe latency alert paged the on-call engineer.",
                                          fields: ["severity": "SEV1"],
                                          sections: ["Detection": "The latency alert paged the on-call engineer."])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard postmortem.severity == "SEV1",
              !postmortem.sections.contains(where: { $0.heading.lowercased() == "detection" }) else { return }
        findings.add(postmortem, postmortem.anchor(forField: "severity"), .missingDetection(severity: "SEV1"),
                     suggestion: "add '## Detection': what noticed the incident, and when")
    }
}

extension Finding.Message {
    /// `structure/missing-detection`: declared beside the check, so tests assert
    /// `.missingDetection(severity: "SEV1")` instead of retyping the wording.
    static func missingDetection(severity: String) -> Self { Self("a \(severity) postmortem has no Detection section") }
}

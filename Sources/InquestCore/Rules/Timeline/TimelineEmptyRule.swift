/// `timeline/empty`: a final postmortem whose Timeline has no timed entries.
public struct TimelineEmptyRule: DocumentRule {
    public let id = "timeline/empty"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "a final postmortem has at least one timed timeline entry",
        rationale: "Final postmortems feed the archive's time-to-detect and time-to-resolve trends, which are read off the timeline. A prose-only timeline is fine while drafting, not once the postmortem is final.",
        triggering: [ExampleDocument.example("status: final\n## Timeline\n\nWe will fill this in.", sections: ["Timeline": "We will fill this in."])],
        passing: [ExampleDocument.example("status: draft\n## Timeline\n\nWe will fill this in.", fields: ["status": "draft"], sections: ["Timeline": "We will fill this in."])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard postmortem.status == .final, let section = postmortem.section("Timeline"),
              !postmortem.timeline.contains(where: { $0.timeText != nil }) else { return }
        findings.add(postmortem, section.headingBytes, .emptyTimeline,
                     suggestion: "add entries such as '- 09:12 UTC — the paging alert fires'")
    }
}

extension Finding.Message {
    /// `timeline/empty`.
    static let emptyTimeline = Self("the timeline of a final postmortem has no timed entries")
}

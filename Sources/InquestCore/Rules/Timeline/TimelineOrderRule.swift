/// `timeline/out-of-order`: an entry whose time is earlier than the entry before it.
public struct TimelineOrderRule: DocumentRule {
    public let id = "timeline/out-of-order"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "timeline entries are in chronological order",
        rationale: "An out-of-order entry is usually a typo in a time or a date, and it corrupts the durations read off the timeline. Times without a date roll over midnight when they go back by more than 12 hours, so overnight incidents need no dates on every line.",
        triggering: [ExampleDocument.example("- 09:40 — The previous policy is restored.\n- 09:10 — The latency alert fires.",
                                             sections: ["Timeline": "- 09:00 — A deploy changes the policy.\n- 09:40 — The previous policy is restored.\n- 09:10 — The latency alert fires."])],
        passing: [ExampleDocument.example("- 23:50 — Latency rises.\n- 00:20 — The alert fires.   (the next day)",
                                          fields: ["started": "\"2025-03-04T23:50:00Z\"", "detected": "\"2025-03-05T00:20:00Z\"", "mitigated": "\"2025-03-05T00:40:00Z\"", "resolved": "\"2025-03-05T01:00:00Z\""],
                                          sections: ["Timeline": "- 23:50 — Latency rises.\n- 00:20 — The alert fires.\n- 00:40 — The policy is restored."])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        var previous: TimelineEntry?
        for entry in postmortem.timeline {
            guard let time = entry.time else { continue }
            if let previous, let before = previous.time, time < before {
                findings.add(postmortem, entry.timeBytes ?? entry.bytes,
                             .timelineGoesBack(entry.timeText ?? "?", from: previous.timeText ?? "?"),
                             suggestion: "check the time, or add the date when the incident spans days")
            }
            previous = entry
        }
    }
}

extension Finding.Message {
    /// `timeline/order`.
    static func timelineGoesBack(_ time: String, from previous: String) -> Self { Self("timeline entry at \(time) goes back in time from \(previous)") }
}

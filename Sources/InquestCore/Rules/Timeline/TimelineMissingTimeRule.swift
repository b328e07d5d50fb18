/// `timeline/missing-time`: a timeline entry that does not start with a time.
public struct TimelineMissingTimeRule: DocumentRule {
    public let id = "timeline/missing-time"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "every timeline entry starts with a time (09:12, 9:12 PM, 2025-03-04 09:12, Mar 4, 9:12 AM PST, ISO 8601 …; see docs/format.md)",
        rationale: "The timeline is how readers see where time went between start, detection and mitigation. An entry without a time cannot be placed, and gaps in detection hide behind it.",
        triggering: [ExampleDocument.example("- Shortly after, the alert fires.", sections: ["Timeline": "- 09:00 — A deploy changes the cache eviction policy.\n- Shortly after, the alert fires."]),
                     ExampleDocument.example("- 09:?? — The alert fires.   ('09:??' is not a time)", sections: ["Timeline": "- 09:00 — A deploy changes the cache eviction policy.\n- 09:?? — The alert fires."])],
        passing: [ExampleDocument.example("- 09:10 UTC — The latency alert fires.", sections: ["Timeline": "- 09:00 UTC — A deploy changes the policy.\n- 09:10 UTC — The latency alert fires."])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for entry in postmortem.timeline where entry.timeText == nil {
            let lineEnd = postmortem.source.lineContentRange(postmortem.source.lineIndex(of: entry.bytes.lowerBound)).upperBound
            // The entry's first line; clamped, because the line index can end that line before the
            // entry starts where it and cmark disagree on line breaks (a lone CR, found by fuzzing).
            let firstLine = entry.bytes.lowerBound..<min(max(entry.bytes.lowerBound, lineEnd), max(entry.bytes.lowerBound, entry.bytes.upperBound))
            if let token = entry.unreadableTime, token.hasPrefix("T+") || token.hasPrefix("T-") {
                findings.add(postmortem, firstLine,
                             .relativeTime(token),
                             suggestion: "write the time of day with its zone (e.g. '09:17 UTC'), keeping '\(token)' after it if it helps")
                continue
            }
            if let token = entry.unreadableTime {
                findings.add(postmortem, firstLine, .unreadableTime(token),
                             suggestion: "write the time as HH:MM (24-hour) or H:MM AM/PM, or leave the time out and say so in the text")
                continue
            }
            findings.add(postmortem, firstLine, .missingTime,
                         suggestion: "start the entry with its time, e.g. '09:12 UTC — …'")
        }
    }
}

extension Finding.Message {
    /// `timeline/missing-time`: `T+5m` and the like.
    static func relativeTime(_ token: String) -> Self { Self("'\(token)' is relative to the start, not a time of day") }
    /// `timeline/missing-time`: something in the time's place that is not one.
    static func unreadableTime(_ token: String) -> Self { Self("'\(token)' is not a time") }
    /// `timeline/missing-time`.
    static let missingTime = Self("timeline entry has no time")
}

/// `schema/time-order`: started ≤ detected ≤ mitigated ≤ resolved, and `date` is started's calendar date.
public struct TimeOrderRule: DocumentRule {
    public let id = "schema/time-order"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "started ≤ detected ≤ mitigated ≤ resolved, and 'date' is the calendar date of 'started' in its own offset",
        rationale: "Time to detect, mitigate and resolve are the archive's headline trends. One swapped timestamp produces a negative duration that skews every chart it lands in.",
        triggering: [
            ExampleDocument.example("detected: \"2025-03-04T08:50:00Z\"   # before started", fields: ["detected": "\"2025-03-04T08:50:00Z\""]),
            ExampleDocument.example("date: 2025-03-05\nstarted: \"2025-03-04T09:00:00Z\"", fields: ["date": "2025-03-05"]),
        ],
        passing: [ExampleDocument.example("date: 2025-03-04\nstarted: \"2025-03-04T23:30:00-02:00\"   # 01:30 UTC the next day, but the 4th where it was written",
                                          fields: ["started": "\"2025-03-04T23:30:00-02:00\"", "detected": "\"2025-03-05T01:40:00Z\"",
                                                   "mitigated": "\"2025-03-05T02:00:00Z\"", "resolved": "\"2025-03-05T02:30:00Z\""],
                                          sections: ["Timeline": "- 2025-03-05 01:30 UTC — Latency rises.\n- 01:40 UTC — The alert fires."])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard postmortem.hasReadableFrontMatter else { return }
        let stamps: [(String, Timestamp?)] = [
            ("started", postmortem.started), ("detected", postmortem.detected),
            ("mitigated", postmortem.mitigated), ("resolved", postmortem.resolved),
        ]
        var latest: (String, Timestamp)?
        for (name, stamp) in stamps {
            guard let stamp else { continue }
            if let latest, stamp < latest.1 {
                findings.add(postmortem, postmortem.field(name)?.bytes ?? postmortem.anchor(forField: name),
                             .timeBefore(name, stamp, latest.0, latest.1),
                             suggestion: "the order must be started ≤ detected ≤ mitigated ≤ resolved")
            } else {
                latest = (name, stamp)
            }
        }
        if let date = postmortem.date, let started = postmortem.started, started.localDate != date {
            findings.add(postmortem, postmortem.field("date")?.bytes ?? postmortem.frontMatterAnchor,
                         .dateDisagreesWithStarted(date, started.localDate),
                         suggestion: "set 'date: \(started.localDate)'")
        }
    }
}

extension Finding.Message {
    /// `schema/time-order`: `field` at `time` comes before `earlier` at `earlierTime`.
    static func timeBefore(_ field: String, _ time: Timestamp, _ earlier: String, _ earlierTime: Timestamp) -> Self {
        Self("'\(field)' (\(time.utcString)) is before '\(earlier)' (\(earlierTime.utcString))")
    }
    /// `schema/time-order`.
    static func dateDisagreesWithStarted(_ date: CalendarDate, _ started: CalendarDate) -> Self { Self("'date' is \(date) but 'started' falls on \(started)") }
}

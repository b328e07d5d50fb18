/// `schema/invalid-date`: `date` is not `YYYY-MM-DD`, or a timestamp is not ISO 8601 with a zone.
public struct InvalidDateRule: DocumentRule {
    public let id = "schema/invalid-date"
    public let defaultSeverity = Severity.error
    public let documentation = RuleDocumentation(
        summary: "'date' must be YYYY-MM-DD and started/detected/mitigated/resolved ISO 8601 date-times with Z or an offset",
        rationale: "Durations such as time to detect and time to resolve are computed from these fields across the whole archive. A timestamp without a zone is ambiguous by up to a day, and '4/3/25' means different dates to different readers.",
        triggering: [
            ExampleDocument.example("date: 04/03/2025", fields: ["date": "04/03/2025"]),
            ExampleDocument.example("started: 2025-03-04 09:00", fields: ["started": "2025-03-04 09:00"]),
        ],
        passing: [ExampleDocument.example("date: 2025-03-04\nstarted: \"2025-03-04T09:00:00Z\"")])

    public static let timestampFields = ["started", "detected", "mitigated", "resolved"]

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard postmortem.hasReadableFrontMatter else { return }
        if let value = postmortem.field("date"), !value.isNull {
            if let text = value.scalar {
                if CalendarDate(parsing: text) == nil {
                    findings.add(postmortem, value.bytes, "'date' must be a calendar date YYYY-MM-DD, found '\(text)'")
                }
            } else {
                findings.add(postmortem, value.bytes, "'date' must be a calendar date YYYY-MM-DD, found \(value.typeName)")
            }
        }
        for field in Self.timestampFields {
            guard let value = postmortem.field(field), !value.isNull else { continue }
            guard let text = value.scalar else {
                findings.add(postmortem, value.bytes, "'\(field)' must be an ISO 8601 date-time, found \(value.typeName)")
                continue
            }
            if Timestamp(parsing: text) == nil {
                let hint = Self.looksZoneless(text) ? "add 'Z' or an offset such as +01:00, e.g. '\(text.replacingOccurrences(of: " ", with: "T"))\(text.count == 16 ? ":00" : "")Z'" : "write it like 2025-03-04T09:12:00Z"
                findings.add(postmortem, value.bytes, "'\(field)' must be an ISO 8601 date-time with Z or an offset, found '\(text)'",
                             suggestion: hint)
            }
        }
    }

    private static func looksZoneless(_ text: String) -> Bool {
        Timestamp(parsing: text + "Z") != nil || Timestamp(parsing: text + ":00Z") != nil
    }
}

import Foundation

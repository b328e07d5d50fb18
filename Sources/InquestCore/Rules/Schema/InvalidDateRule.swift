/// `schema/invalid-date`: `date` is not `YYYY-MM-DD`, or a timestamp is not ISO 8601 with a zone.
public struct InvalidDateRule: DocumentRule {
    public let id = "schema/invalid-date"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
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
                    let corrected = Self.unambiguousDate(text)
                    findings.add(postmortem, value.bytes, .invalidDate(found: text),
                                 suggestion: corrected.map { "write '\($0)'" },
                                 fix: corrected.flatMap { FrontMatterFix.replaceScalar(value, with: $0.description, in: postmortem) })
                }
            } else {
                findings.add(postmortem, value.bytes, .invalidDate(foundType: value.typeName))
            }
        }
        for field in Self.timestampFields {
            guard let value = postmortem.field(field), !value.isNull else { continue }
            guard let text = value.scalar else {
                findings.add(postmortem, value.bytes, .invalidTimestamp(field, foundType: value.typeName))
                continue
            }
            if Timestamp(parsing: text) == nil {
                let hint = Self.looksZoneless(text) ? "add 'Z' or an offset such as +01:00, e.g. '\(text.replacingOccurrences(of: " ", with: "T"))\(text.count == 16 ? ":00" : "")Z'" : "write it like 2025-03-04T09:12:00Z"
                findings.add(postmortem, value.bytes, .invalidTimestamp(field, found: text),
                             suggestion: hint)
            }
        }
    }

    /// A year-first date in another spelling (`2025/03/04`, `2025.3.4`, `2025-3-4`, `20250304`):
    /// one reading only. Day-first or month-first forms (`04/03/2025`) are ambiguous: no fix.
    static func unambiguousDate(_ text: String) -> CalendarDate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var parts = trimmed.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        if parts.count == 1, trimmed.count == 8, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
            parts = [String(trimmed.prefix(4)), String(trimmed.dropFirst(4).prefix(2)), String(trimmed.suffix(2))]
        }
        guard parts.count == 3, parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return CalendarDate(parsing: "\(year)-\(pad(month))-\(pad(day))")
    }

    private static func looksZoneless(_ text: String) -> Bool {
        Timestamp(parsing: text + "Z") != nil || Timestamp(parsing: text + ":00Z") != nil
    }
}

import Foundation

extension Finding.Message {
    /// `schema/invalid-date`: `date` is not YYYY-MM-DD.
    static func invalidDate(found text: String) -> Self { Self("'date' must be a calendar date YYYY-MM-DD, found '\(text)'") }
    /// `schema/invalid-date`: `date` is a list or mapping.
    static func invalidDate(foundType type: String) -> Self { Self("'date' must be a calendar date YYYY-MM-DD, found \(type)") }
    /// `schema/invalid-date`: a timestamp field is a list or mapping.
    static func invalidTimestamp(_ field: String, foundType type: String) -> Self { Self("'\(field)' must be an ISO 8601 date-time, found \(type)") }
    /// `schema/invalid-date`.
    static func invalidTimestamp(_ field: String, found text: String) -> Self { Self("'\(field)' must be an ISO 8601 date-time with Z or an offset, found '\(text)'") }
}

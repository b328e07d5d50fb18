import Foundation

/// `action-items/invalid-due`: an action item says `due` but what follows is not a calendar date.
public struct InvalidDueRule: DocumentRule {
    public let id = "action-items/invalid-due"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "an action item's due date is a real calendar date, YYYY-MM-DD",
        rationale: "A due date that cannot be read ('tomorrow', '2026-02-30', the template's 'YYYY-MM-DD') is silently dropped: the item can then never be reported overdue, and nobody notices that it slipped.",
        triggering: [
            ExampleDocument.example("- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: 2026-02-30",
                                    sections: ["Action Items": "- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: 2026-02-30"]),
            ExampleDocument.example("- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: tomorrow",
                                    sections: ["Action Items": "- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: tomorrow"]),
        ],
        passing: [ExampleDocument.example("- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: 2026-02-28",
                                          sections: ["Action Items": "- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: 2026-02-28"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for item in postmortem.actionItems where item.due == nil {
            guard let prose = item.prose, let (value, range) = Self.dueValue(in: prose.text) else { continue }
            findings.add(postmortem, prose.fileRange(of: range), .invalidDue(value),
                         suggestion: "write the date the item is due, e.g. 'due: 2026-03-31'")
        }
    }

    /// The word(s) after a `due:` label (the first one, or a date-shaped run), as a UTF-8 range.
    static func dueValue(in text: String) -> (String, Range<Int>)? {
        let bytes = Array(text.utf8)
        // ASCII text lower-cases byte by byte (what `lowercased()` does to it), without the Unicode tables.
        // So does text whose other scalars have no lower-case form (dashes, curly quotes, most
        // prose punctuation): `lowercased()` keeps them as they are, and costs tens of thousands of
        // instructions on such a text.
        let lower = bytes.allSatisfy({ $0 < 0x80 }) || !text.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.properties.changesWhenLowercased })
            ? bytes.map(ByteSearch.lower) : Array(text.lowercased().utf8)
        guard lower.count == bytes.count else { return nil }
        var index = 0
        // Byte by byte: comparing a three-byte slice with `"due".utf8` at every offset was a
        // generic sequence comparison per byte, the most expensive part of this rule.
        while index + 3 <= lower.count {
            defer { index += 1 }
            guard lower[index] == UInt8(ascii: "d"), lower[index + 1] == UInt8(ascii: "u"), lower[index + 2] == UInt8(ascii: "e"),
                  index == 0 || !TimelineParser.isWordByte(lower[index - 1]) else { continue }
            var cursor = index + 3
            // Only `due:` (or `due` followed by something date-like) is a label; "due to" is prose.
            let colon = cursor < bytes.count && bytes[cursor] == UInt8(ascii: ":")
            if colon { cursor += 1 }
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            let start = cursor
            while cursor < bytes.count, !isValueEnd(bytes[cursor]) { cursor += 1 }
            guard cursor > start else { continue }
            let value = String(decoding: bytes[start..<cursor], as: UTF8.self)
            guard colon || value.first?.isNumber == true || value.uppercased().hasPrefix("YYYY") else { continue }
            return (value, start..<cursor)
        }
        return nil
    }

    /// The bytes that end a due value: space , ; ( ) |.
    @inline(__always)
    private static func isValueEnd(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"): true
        default: false
        }
    }
}

extension Finding.Message {
    /// `action-items/invalid-due`.
    static func invalidDue(_ value: String) -> Self { Self("due date '\(value)' is not a calendar date YYYY-MM-DD") }
}

/// `action-items/not-actionable`: items that ask people to try harder instead of changing the system.
public struct NotActionableRule: DocumentRule {
    public let id = "action-items/not-actionable"
    public let defaultSeverity = Severity.warning
    public let documentation = RuleDocumentation(
        summary: "action items change the system; they do not ask people to be more careful",
        rationale: "'Be more careful' relies on the same attention that was already stretched when the incident happened, and nobody can close it. A guardrail, an alert, an automation or a changed default makes the failure less likely whoever is on call.",
        triggering: [
            ExampleDocument.example("- [ ] Be more careful when editing the eviction policy — @platform-team, LRK-101",
                                    sections: ["Action Items": "- [ ] Be more careful when editing the eviction policy — @platform-team, LRK-101"]),
            ExampleDocument.example("- [ ] Don't deploy policy changes on Fridays again — @platform-team, LRK-102",
                                    sections: ["Action Items": "- [ ] Don't deploy policy changes on Fridays again — @platform-team, LRK-102"]),
        ],
        passing: [ExampleDocument.example("- [ ] Make the eviction policy a reviewed config with a load test in CI — @platform-team, LRK-101",
                                          sections: ["Action Items": "- [ ] Make the eviction policy a reviewed config with a load test in CI — @platform-team, LRK-101"])])

    /// Phrases that ask for more human effort rather than a change to the system.
    static let phrases: [String] = [
        "be more careful", "be careful", "more carefully", "pay more attention", "pay closer attention", "pay attention",
        "make sure to", "make sure that", "remember to", "don't forget", "do not forget", "double-check", "double check",
        "triple-check", "triple check", "try to", "try harder", "be vigilant", "be more vigilant", "stay alert", "be mindful",
        "be more mindful", "keep in mind", "be aware", "take more care", "think twice", "remind everyone", "remind the team",
    ]

    /// Phrases that are fine when a system is the subject ("make the client try to reconnect"):
    /// they count only at the start of the item or right after words that address people.
    static let ambiguous: Set<String> = ["try to", "make sure to", "make sure that", "keep in mind", "be aware", "pay attention"]
    static let peopleWords: Set<String> = ["we", "everyone", "engineers", "developers", "operators", "team", "on-call", "oncall", "please", "always", "reviewers", "staff", "you", "people", "should", "must"]

    public init() {}

    /// True when the phrase at `start` opens the item or follows a word addressing people.
    static func addressesPeople(_ lower: [UInt8], before start: Int) -> Bool {
        let prefix = String(decoding: lower[..<start], as: UTF8.self)
        let words = prefix.split(whereSeparator: { !($0.isLetter || $0 == "-") })
        guard let last = words.last else { return true }
        return peopleWords.contains(String(last))
    }

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for item in postmortem.actionItems {
            guard let prose = item.prose, let match = Self.firstMatch(in: prose.text) else { continue }
            findings.add(postmortem, prose.fileRange(of: match.range), "'\(match.phrase)' asks people to try harder instead of changing the system",
                         suggestion: "name the guardrail, alert, automation or default that makes this unnecessary")
        }
    }

    /// The first phrase found, as a UTF-8 range of `text`.
    static func firstMatch(in text: String) -> (phrase: String, range: Range<Int>)? {
        let lower = Array(text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'").utf8)
        // `lowercased()` keeps ASCII byte positions; non-ASCII text may shift, so fall back to the original length.
        guard lower.count == text.utf8.count else { return nil }
        var best: (String, Range<Int>)?
        for phrase in phrases {
            guard let range = find(Array(phrase.utf8), in: lower), range.lowerBound < (best?.1.lowerBound ?? .max) else { continue }
            if ambiguous.contains(phrase), !addressesPeople(lower, before: range.lowerBound) { continue }
            best = (phrase, range)
        }
        // "don't … again", "do not … in the future", "never … again" within one sentence.
        for opener in ["don't ", "do not ", "never "] {
            guard let start = find(Array(opener.utf8), in: lower) else { continue }
            let sentenceEnd = lower[start.upperBound...].firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ";") } ?? lower.count
            let tail = Array(lower[start.upperBound..<sentenceEnd])
            for closer in ["again", "in the future", "in future"] {
                if let found = find(Array(closer.utf8), in: tail) {
                    let range = start.lowerBound..<(start.upperBound + found.upperBound)
                    if range.lowerBound < (best?.1.lowerBound ?? .max) {
                        best = (String(decoding: lower[range], as: UTF8.self), range)
                    }
                }
            }
        }
        return best.map { ($0.0, $0.1) }
    }

    /// Whole-word search.
    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) {
                let beforeOK = index == 0 || !TimelineParser.isWordByte(haystack[index - 1])
                let after = index + needle.count
                let afterOK = after == haystack.count || !TimelineParser.isWordByte(haystack[after]) || !TimelineParser.isWordByte(needle[needle.count - 1])
                if beforeOK && afterOK { return index..<after }
            }
            index += 1
        }
        return nil
    }
}

import Foundation

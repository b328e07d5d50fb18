/// `action-items/not-actionable`: items that ask people to try harder instead of changing the system.
public struct NotActionableRule: DocumentRule {
    public let id = "action-items/not-actionable"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
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
            findings.add(postmortem, prose.fileRange(of: match.range), .notActionable(match.phrase),
                         suggestion: "name the guardrail, alert, automation or default that makes this unnecessary")
        }
    }

    /// The first phrase found, as a UTF-8 range of `text`.
    static func firstMatch(in text: String) -> (phrase: String, range: Range<Int>)? {
        guard let lower = lowercasedBytes(text) else { return nil }
        var best: (String, Range<Int>)?
        if let (phrase, range) = firstPhrase(in: lower) { best = (phrase, range) }
        // "don't … again", "do not … in the future", "never … again" within one sentence.
        for opener in openers {
            guard let start = find(opener, in: lower) else { continue }
            let sentenceEnd = lower[start.upperBound...].firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ";") } ?? lower.count
            let tail = Array(lower[start.upperBound..<sentenceEnd])
            for closer in closers {
                if let found = find(closer, in: tail) {
                    let range = start.lowerBound..<(start.upperBound + found.upperBound)
                    if range.lowerBound < (best?.1.lowerBound ?? .max) {
                        best = (String(decoding: lower[range], as: UTF8.self), range)
                    }
                }
            }
        }
        return best.map { ($0.0, $0.1) }
    }

    /// `text.lowercased()` with `’` read as `'`, as UTF-8, or nil when that changes the byte
    /// count (positions would no longer map back to the text). Built scalar by scalar: ASCII is
    /// lowercased in place and only scalars that change when lowercased build a String, which is
    /// what `String.lowercased()` does, minus the String and the Foundation replace.
    /// The openers and closers of "don't … again", as bytes once (not an array per call).
    private static let openers: [[UInt8]] = ["don't ", "do not ", "never "].map { Array($0.utf8) }
    private static let closers: [[UInt8]] = ["again", "in the future", "in future"].map { Array($0.utf8) }

    static func lowercasedBytes(_ text: String) -> [UInt8]? {
        // Text whose only non-ASCII scalars have no lower-case form (dashes, most punctuation)
        // lower-cases on its bytes: what the scalar walk below does to each of its scalars.
        if let decided = text.utf8.withContiguousStorageIfAvailable({ lowercasedBytesOfCaselessText($0) }), let decided {
            return decided
        }
        var lower: [UInt8] = []
        lower.reserveCapacity(text.utf8.count)
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let value = scalar.value
            if value < 0x80 {
                lower.append(value >= 0x41 && value <= 0x5A ? UInt8(value) | 0x20 : UInt8(value))
            } else if value == 0x2019 {
                // Foundation's replace compares Characters: a ’ carrying a combining mark, or
                // after a scalar that could join it, is not a plain ’. Let the reference decide.
                let next = scalars.index(after: index)
                if next != scalars.endIndex, scalars[next].value >= 0x80 { return referenceLowercasedBytes(text) }
                if index != scalars.startIndex, scalars[scalars.index(before: index)].value >= 0x80 { return referenceLowercasedBytes(text) }
                lower.append(UInt8(ascii: "'"))
            } else if !scalar.properties.changesWhenLowercased {
                UTF8.encode(scalar) { lower.append($0) }
            } else {
                lower.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
            index = scalars.index(after: index)
        }
        return lower.count == text.utf8.count ? lower : nil
    }

    /// ``lowercasedBytes(_:)`` of valid UTF-8 whose non-ASCII scalars are neither U+2019 nor
    /// changed by lower-casing; nil (not decided here) for any other text.
    static func lowercasedBytesOfCaselessText(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var lower: [UInt8] = []
        lower.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                lower.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            guard byte >= 0xC2, index + length <= bytes.count else { return nil }
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { value = (value << 6) | (UInt32(bytes[index + k]) & 0x3F) }
            guard value != 0x2019, let scalar = Unicode.Scalar(value), !scalar.properties.changesWhenLowercased else { return nil }
            lower.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
            index += length
        }
        return lower
    }

    /// The reference definition of ``lowercasedBytes(_:)``.
    static func referenceLowercasedBytes(_ text: String) -> [UInt8]? {
        let lower = Array(text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'").utf8)
        // `lowercased()` keeps ASCII byte positions; non-ASCII text may shift, so give up then.
        return lower.count == text.utf8.count ? lower : nil
    }

    /// Phrases by their first byte, in list order, so one pass over the text tries only the
    /// phrases that can start at each position instead of searching the text once per phrase.
    private static let phrasesByFirstByte: [[(index: Int, bytes: [UInt8])]] = {
        var table = Array(repeating: [(index: Int, bytes: [UInt8])](), count: 256)
        for (index, phrase) in phrases.enumerated() { table[Int(phrase.utf8.first!)].append((index, Array(phrase.utf8))) }
        return table
    }()

    /// Whether some phrase starts with the byte.
    private static let startsPhrase: [Bool] = phrasesByFirstByte.map { !$0.isEmpty }

    /// The phrase of ``phrases`` whose first whole-word occurrence comes first (ties: list
    /// order). An ambiguous phrase counts only if its first occurrence addresses people; a later
    /// occurrence does not revive it.
    static func firstPhrase(in lower: [UInt8]) -> (String, Range<Int>)? {
        var rejected = Set<Int>()
        for position in lower.indices {
            // Most bytes start no phrase: a table of flags says so without copying the candidates.
            guard startsPhrase[Int(lower[position])] else { continue }
            let candidates = phrasesByFirstByte[Int(lower[position])]
            var found: (Int, Range<Int>)?
            for candidate in candidates where !rejected.contains(candidate.index) {
                guard let range = wholeWord(candidate.bytes, at: position, in: lower) else { continue }
                let phrase = phrases[candidate.index]
                if ambiguous.contains(phrase), !addressesPeople(lower, before: position) {
                    rejected.insert(candidate.index)
                    continue
                }
                if found == nil || candidate.index < found!.0 { found = (candidate.index, range) }
            }
            if let (index, range) = found { return (phrases[index], range) }
        }
        return nil
    }

    /// `needle` at `index` of `haystack`, as a whole word (see ``find(_:in:)``).
    private static func wholeWord(_ needle: [UInt8], at index: Int, in haystack: [UInt8]) -> Range<Int>? {
        let after = index + needle.count
        guard after <= haystack.count, haystack[index..<after].elementsEqual(needle) else { return nil }
        let beforeOK = index == 0 || !TimelineParser.isWordByte(haystack[index - 1])
        let afterOK = after == haystack.count || !TimelineParser.isWordByte(haystack[after]) || !TimelineParser.isWordByte(needle[needle.count - 1])
        return beforeOK && afterOK ? index..<after : nil
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

extension Finding.Message {
    /// `action-items/not-actionable`.
    static func notActionable(_ phrase: String) -> Self { Self("'\(phrase)' asks people to try harder instead of changing the system") }
}

import Foundation

/// The front-matter and structure schema postmortems are checked against. Configurable in `inquest.yml`.
public struct Schema: Sendable, Equatable {
    /// A section the structure rules know, with the headings that count as it.
    public struct SectionSpec: Sendable, Equatable {
        public var name: String
        public var aliases: [String]

        public init(name: String, aliases: [String] = []) {
            self.name = name
            self.aliases = aliases
        }
    }

    public static let statuses = ["draft", "in-review", "final"]
    public static let knownFields: Set<String> = [
        "title", "date", "status", "severity", "authors", "services", "id", "started", "detected", "mitigated",
        "resolved", "root_causes", "contributing_factors", "tags", "related",
    ]

    public var severities: [String] = ["SEV1", "SEV2", "SEV3", "SEV4"]
    public var requiredFields: [String] = ["title", "date", "status", "severity", "authors", "services"]
    /// Fields required in addition when `status: final`.
    public var finalRequiredFields: [String] = ["started", "resolved", "root_causes"]
    /// Every section the structure rules know, required or optional, with aliases. Headings are
    /// compared after ``Schema/normalize(_:)``, so aliases need not list numbering, suffixes,
    /// punctuation, `&`/`and` or plural variants.
    public var sections: [SectionSpec] = [
        .init(name: "Summary", aliases: [
            "Issue Summary", "Overview", "TL;DR", "Incident Summary", "Executive Summary", "Issue Description",
            "Incident Description", "Description", "Synopsis", "What happened", "Summary of Events", "Abstract",
        ]),
        .init(name: "Impact", aliases: ["Incident Impact", "Customer Impact", "User Impact", "Business Impact", "Impact Assessment", "Who was affected", "What was the impact",
                                         "Scope of Impact", "Summary of Impact", "Affected Services", "Affected Users", "Blast Radius", "Customer Effect"]),
        .init(name: "Timeline", aliases: [
            "Incident Timeline", "Timeline of Events", "Timeline Summary", "Detailed Timeline", "Sequence of Events", "Chronology",
            "Time line", "Play-by-play", "Event Log", "Incident Log", "What happened when",
        ]),
        .init(name: "Root Causes", aliases: [
            "Root Cause", "Root Cause Analysis", "Contributing Factors", "Root Cause and Resolution", "Cause", "Identified Cause",
            "Underlying Cause", "Technical Root Cause", "Why did it happen", "Why it happened", "Why did this happen",
            "Causes",
        ]),
        .init(name: "Resolution", aliases: [
            "Recovery", "Mitigation", "Root Cause and Resolution", "Resolution and Recovery", "Mitigation and Recovery",
            "Mitigation and Resolution", "Fix", "The Fix", "How we fixed it", "How was it fixed", "How was it resolved", "Workaround",
            "How did we fix it", "How we resolved it", "How was it mitigated", "Restoration",
        ]),
        .init(name: "Action Items", aliases: [
            "Corrective and Preventive Measures", "Corrective and Preventative Measures", "Corrective Actions", "Preventive Measures",
            "Preventative Measures", "Follow-up Actions", "Follow-ups", "Follow-up Items", "Remediation", "Remediation Items", "Tasks",
            "Action Plan", "Next Steps", "Prevention", "Improvements", "Preventing Recurrence",
            "How are we preventing it from happening again", "How will we prevent it from happening again",
            "What are we doing to prevent it from happening again",
            "Preventive Actions", "Preventative Actions", "Corrective Action Plan", "Corrective and Preventive Actions", "Follow-up Tasks", "Future Work",
            "Next Actions", "What are we doing about it", "What we are doing about it",
        ]),
        .init(name: "Detection", aliases: ["How was it detected", "How did we find out", "How was it discovered", "How did we detect it", "Discovery"]),
        .init(name: "Lessons Learned", aliases: ["Lessons", "Learnings", "Key Takeaways", "Takeaways", "Insights", "What we learned",
                                                  "Lessons Learnt", "What we learnt"]),
        .init(name: "What Went Well", aliases: ["What went right", "Things that went well", "What worked", "What worked well"]),
        .init(name: "What Went Wrong", aliases: ["What went poorly", "What didn't go well", "What could have gone better", "What went badly",
                                                 "What can be improved", "What could be improved", "What didn't go so well", "Things that went wrong",
                                                 "Where we can improve"]),
        .init(name: "Where We Got Lucky", aliases: ["Where we were lucky", "Where did we get lucky"]),
        .init(name: "Appendix", aliases: ["Appendices", "Supporting Information"]),
    ]
    public var requiredSections: [String] = ["Summary", "Impact", "Timeline", "Root Causes", "Resolution", "Action Items"]
    /// The order required sections must appear in (others may go anywhere).
    public var order: [String] = ["Summary", "Impact", "Timeline", "Root Causes", "Resolution", "Action Items"]
    /// Headings that satisfy a section but may stand beside it without being a duplicate.
    /// "What happened" is the summary of a document that has no other, and the narrative beside an "Overview".
    public var companions: Set<String> = ["contributing factors", "what happened"]
    /// How timeline dates and zones are read (`timeline:` in `inquest.yml`).
    public var timeline = TimelineOptions()

    public init() {}

    /// How headings are compared: `## 2. Timeline (all times PST):`, `**Timeline** — overview` and
    /// `## timelines` all give `timeline`. In order: lowercased; emphasis and code markers dropped;
    /// parenthesised and bracketed parts removed; leading numbering removed (`2.`, `2.1`, `II.`, `b)`,
    /// `Step 3:`); everything after a spaced dash, an en/em dash or a colon removed (when something
    /// is left before it); `&`, `+` and `/` read as `and`; hyphens read as spaces; other punctuation
    /// (but `;`, for `TL;DR`) dropped; each word of three letters or more made singular
    /// (`measures` → `measure`, `activities` → `activity`; not `-ss`, `-us`, `-is`); white space collapsed.
    public static func normalize(_ heading: String) -> String {
        // Rules compare every heading of every document against the schema's names and aliases,
        // so the same few hundred strings are normalised millions of times: remember them.
        if let known = NormalizedHeadings.shared.value(for: heading) { return known }
        let normalized = computeNormalized(heading)
        NormalizedHeadings.shared.store(normalized, for: heading)
        return normalized
    }

    private static func computeNormalized(_ heading: String) -> String {
        asciiNormalized(heading) ?? generalNormalized(heading)
    }

    /// ``normalize(_:)`` of an all-ASCII heading (nil for any other) on its bytes, step for step
    /// what ``generalNormalized(_:)`` does. Why: that one's Foundation calls (`range(of:)`,
    /// `replacingOccurrences`, `trimmingCharacters`) cost 170,000 instructions a heading, and the
    /// first document of every run normalises the schema's hundred-odd names and aliases: a tenth
    /// of a one-file lint. In ASCII a character is a byte, so each step below is exact; the tests
    /// compare both over every alias and generated headings.
    static func asciiNormalized(_ heading: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(heading.utf8.count)
        for byte in heading.utf8 {
            guard byte < 0x80 else { return nil }
            // Lowercased, emphasis and code markers dropped.
            if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "`") { continue }
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        // Parenthesised and bracketed parts removed (``removeBracketed(_:)``).
        var unbracketed: [UInt8] = []
        unbracketed.reserveCapacity(bytes.count)
        var depth = 0
        for byte in bytes {
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { depth += 1; continue }
            if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]"), depth > 0 { depth -= 1; continue }
            if depth == 0 { unbracketed.append(byte) }
        }
        // Numbering (``removeNumbering(_:)`` reads characters, which here are the bytes).
        var text = Array(removeNumbering(String(decoding: asciiTrimmed(unbracketed), as: UTF8.self)).utf8)
        // The suffix after a spaced dash or a colon (the other separators are not ASCII).
        for separator in [Array(" - ".utf8), [UInt8(ascii: ":")]] {
            if let range = text.firstRange(of: separator) {
                let head = asciiTrimmed(Array(text[..<range.lowerBound]))
                if !head.isEmpty { text = head }
            }
        }
        // `&`, `+` and `/` as "and", then letters, digits and `;` kept, apostrophes dropped and the
        // rest read as spaces: the words, each made singular.
        var words: [String] = []
        var word: [UInt8] = []
        func endWord() {
            guard !word.isEmpty else { return }
            words.append(singular(String(decoding: word, as: UTF8.self)))
            word.removeAll(keepingCapacity: true)
        }
        for byte in text {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                endWord()
                words.append("and")
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: ";"):
                word.append(byte)
            case UInt8(ascii: "'"):
                continue
            default:
                endWord()
            }
        }
        endWord()
        return words.joined(separator: " ")
    }

    /// `bytes` without the spaces and tabs at either end (`CharacterSet.whitespaces` in ASCII).
    private static func asciiTrimmed(_ bytes: [UInt8]) -> [UInt8] {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return Array(bytes[first...last])
    }

    /// ``normalize(_:)`` of any heading, character by character: the definition.
    static func generalNormalized(_ heading: String) -> String {
        var text = heading.lowercased()
        text.removeAll { $0 == "*" || $0 == "`" }
        text = removeBracketed(text)
        text = trimmed(text)
        text = removeNumbering(text)
        // A suffix after a spaced dash, an en/em dash or a colon: "Timeline - all times UTC".
        for separator in [" - ", " \u{2013} ", " \u{2014} ", "\u{2013}", "\u{2014}", ":"] {
            if let range = text.range(of: separator) {
                let head = trimmed(String(text[..<range.lowerBound]))
                if !head.isEmpty { text = head }
            }
        }
        text = text.replacingOccurrences(of: "&", with: " and ").replacingOccurrences(of: "+", with: " and ")
            .replacingOccurrences(of: "/", with: " and ")
        var cleaned = ""
        for character in text {
            if character.isLetter || character.isNumber || character == ";" {
                cleaned.append(character)
            } else if character == "'" || character == "\u{2019}" {
                continue // "didn't" → "didnt", whichever apostrophe was typed
            } else {
                cleaned.append(" ")
            }
        }
        return cleaned.split(separator: " ").map { singular(String($0)) }.joined(separator: " ")
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces)
    }

    private static func removeBracketed(_ text: String) -> String {
        var out = ""
        var depth = 0
        for character in text {
            if character == "(" || character == "[" { depth += 1; continue }
            if character == ")" || character == "]", depth > 0 { depth -= 1; continue }
            if depth == 0 { out.append(character) }
        }
        return out
    }

    /// `2.`, `2.1`, `2)`, `2 `, `II.`, `iv)`, `b.`, `Step 3:`, `Phase 2 -` at the start.
    private static func removeNumbering(_ text: String) -> String {
        var rest = Substring(text)
        for word in ["step ", "phase ", "part ", "section ", "stage "] where rest.hasPrefix(word) {
            let after = rest.dropFirst(word.count)
            if after.first?.isNumber == true || after.first.map({ "ivxlc".contains($0) }) == true { rest = after }
        }
        let token = rest.prefix { $0.isNumber || $0 == "." || ("a"..."z").contains($0) }
        guard !token.isEmpty else { return text }
        let after = rest.dropFirst(token.count)
        let core = token.hasSuffix(".") ? token.dropLast() : token
        let punctuated = token.hasSuffix(".") || after.first == ")" || after.first == ":" || after.first == "-"
        let isNumber = core.allSatisfy { $0.isNumber || $0 == "." } && core.first?.isNumber == true
        let isRoman = !core.isEmpty && core.allSatisfy { "ivxlc".contains($0) } && punctuated
        let isLetter = core.count == 1 && punctuated && (after.first == ")" || token.hasSuffix("."))
        guard isNumber || isRoman || isLetter else { return text }
        var remainder = after.drop { $0 == ")" || $0 == ":" || $0 == "-" || $0 == " " || $0 == "." }
        if remainder.isEmpty { remainder = Substring(text) }
        return String(remainder)
    }

    private static func singular(_ word: String) -> String {
        guard word.count >= 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else { return word }
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        return String(word.dropLast())
    }

    /// True when a heading is one of the ``companions``, compared normalised.
    public func isCompanion(_ heading: String) -> Bool {
        let key = Self.normalize(heading)
        return companions.contains { Self.normalize($0) == key }
    }

    /// The key a heading is matched by: see ``Schema/normalize(_:)``. Public so tools that learn an
    /// archive's heading variants (`inquest adopt`) group headings exactly as the parser matches them.
    public static func normalizeHeading(_ heading: String) -> String { normalize(heading) }

    /// Normalised heading → canonical names, for parsing many documents with one schema.
    public func headingTable() -> [String: [String]] {
        var table: [String: [String]] = [:]
        for spec in sections {
            for heading in Set([spec.name] + spec.aliases).map(Self.normalize) where !(table[heading]?.contains(spec.name) ?? false) {
                table[heading, default: []].append(spec.name)
            }
        }
        return table
    }

    /// The canonical section names a heading satisfies ("Root Cause and Resolution" satisfies two).
    public func canonicalNames(forHeading heading: String) -> [String] {
        Self.lookup(heading, in: headingTable())
    }

    /// Qualifiers that do not change which section a heading names: "Blameless root cause",
    /// "Incident recovery", "Impact assessment", "Timeline details".
    static let leadingQualifiers: Set<String> = [
        "blameless", "primary", "technical", "detailed", "full", "brief", "short", "incident", "final", "overall", "initial",
        "key", "main", "our", "the", "outage", "event", "postmortem",
    ]
    static let trailingQualifiers: Set<String> = ["detail", "analysis", "overview", "summary", "assessment", "statement", "note", "section"]

    /// The canonical names for a heading, read from a ``headingTable()``: the normalised heading
    /// itself; else without qualifier words ("Blameless root cause" → Root Causes); else, for a
    /// heading that joins sections ("Impact & Metrics", "Detection and Response"), the sections its
    /// parts name. Matching stays exact word for word otherwise: no guessing from single words.
    public static func lookup(_ heading: String, in table: [String: [String]]) -> [String] {
        let key = normalize(heading)
        if let names = table[key] { return names }
        func unqualified(_ text: String) -> [String]? {
            var words = text.split(separator: " ").map(String.init)
            while words.count > 1, leadingQualifiers.contains(words[0]) {
                words.removeFirst()
                if let names = table[words.joined(separator: " ")] { return names }
            }
            while words.count > 1, trailingQualifiers.contains(words[words.count - 1]) {
                words.removeLast()
                if let names = table[words.joined(separator: " ")] { return names }
            }
            return nil
        }
        if let names = unqualified(key) { return names }
        let parts = key.components(separatedBy: " and ").filter { !$0.isEmpty }
        guard parts.count > 1 else { return [] }
        var names: [String] = []
        for part in parts {
            for name in table[part] ?? unqualified(part) ?? [] where !names.contains(name) { names.append(name) }
        }
        return names
    }
}

/// A process-wide memo of ``Schema/normalize(_:)`` (a pure function), bounded so that an archive
/// of unusual headings cannot grow it without limit.
private final class NormalizedHeadings: @unchecked Sendable {
    static let shared = NormalizedHeadings()
    private let lock = NSLock()
    private var table: [String: String] = [:]
    private let limit = 20_000

    func value(for heading: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return table[heading]
    }

    func store(_ normalized: String, for heading: String) {
        lock.lock()
        defer { lock.unlock() }
        if table.count < limit { table[heading] = normalized }
    }
}

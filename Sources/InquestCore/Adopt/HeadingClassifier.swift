import Foundation

/// Guesses which known section a heading the schema does not recognise stands for, from the
/// words in it: "Incident Timeline" → Timeline, "Why did it happen?" → Root Causes. Used by
/// `inquest adopt` to propose aliases, never by lint: a guess is for a person to review in the
/// written `inquest.yml`, not for the linter to act on silently.
enum HeadingClassifier {
    /// Ordered: the first rule whose phrase occurs in the heading wins, so specific phrases
    /// ("root cause and resolution") come before the words they contain.
    static let rules: [(section: String, phrases: [String])] = [
        ("Timeline", ["timeline", "chronology", "sequence of events", "time line", "what happened when"]),
        ("Action Items", ["action item", "follow-up", "follow up", "followup", "next step", "corrective", "preventive",
                          "preventative", "prevention", "preventing", "remediation", "improvement", "todo", "to-do", "tasks",
                          "how do we prevent", "how will we prevent", "what are we doing", "what we are doing", "what we're doing",
                          "moving forward", "going forward"]),
        ("Root Causes", ["root cause", "cause", "why did it happen", "why it happened", "why did this happen",
                         "contributing factor", "what went wrong", "technical details", "analysis"]),
        ("Detection", ["detection", "how was it detected", "how did we find", "how we found"]),
        ("Resolution", ["resolution", "recovery", "mitigation", "how was it fixed", "how did we fix", "how we fixed", "fix", "response"]),
        ("Impact", ["impact", "who was affected", "customer effect", "user effect", "affected users", "blast radius"]),
        ("Summary", ["summary", "overview", "tl;dr", "tldr", "abstract", "description", "what happened", "background", "executive"]),
        ("Lessons Learned", ["lessons", "learnings", "learned", "takeaways", "insights", "reflections", "retrospective"]),
        ("What Went Well", ["went well", "went right"]),
        ("Where We Got Lucky", ["got lucky", "were lucky"]),
    ]

    /// The section a heading most likely stands for, among `known` (the schema's section names);
    /// nil when no rule matches.
    static func section(for heading: String, known: [String]) -> String? {
        let text = normalized(heading)
        guard !text.isEmpty else { return nil }
        for rule in rules where known.contains(rule.section) {
            if rule.phrases.contains(where: { contains(text, $0) }) { return rule.section }
        }
        return nil
    }

    /// Lowercased letters, digits and single spaces; numbering ("2.", "IV.") dropped.
    static func normalized(_ heading: String) -> String {
        var words: [String] = []
        var current = ""
        for scalar in heading.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == ";" || scalar == "-" || scalar == "'" {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        while let first = words.first, first.allSatisfy({ $0.isNumber }) || ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"].contains(first) {
            words.removeFirst()
        }
        return words.joined(separator: " ")
    }

    /// Whole-word containment ("cause" is in "root cause" but not in "because").
    private static func contains(_ text: String, _ phrase: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex || text[text.index(before: range.lowerBound)] == " "
            // Plurals and -ed/-ing forms still count: "causes", "improvements".
            let rest = text[range.upperBound...].prefix { $0 != " " }
            if before, rest.count <= 3 { return true }
            searchStart = range.upperBound
        }
        return false
    }
}

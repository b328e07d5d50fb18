/// Rewrites built from the sentence itself: the act and its object are kept, the person is
/// replaced by the property of the system that let the act through, and every suggestion ends
/// with the question that starts the second why.
extension BlockAnalysis {
    static let systemQuestion = "ask \"which property of the system made this possible?\""

    /// The suggestion for a person's act: `act` is the verb (or the first word of "forgot to …").
    func systemRewrite(act: Int?, from first: Int, to last: Int) -> String {
        guard let act, act < tokens.count, let verb = norm(act) else { return Self.genericRewrite }
        var k = act
        // "forgot to renew", "neglected to update", "failed to escalate", "did not follow".
        if ["forgot", "forget", "forgets", "neglected", "failed", "fail", "omitted"].contains(verb), norm(k + 1) == "to" {
            k += 2
            guard let base = norm(k), let rest = restOfClause(after: k) else { return Self.genericRewrite }
            return Self.rewrite("nothing \(Self.past(of: base)) \(rest) automatically, and no check or alert caught it in time")
        }
        if ["did", "had"].contains(verb), isWord(k + 1, in: ["not", "never"]), let base = norm(k + 2) {
            k += 2
            guard let rest = restOfClause(after: k) else { return Self.genericRewrite }
            if verb == "had" { return Self.rewrite("nothing required or automated \(rest) before the change went out") }
            return Self.rewrite("nothing in the process required anyone to \(Self.base(of: base)) \(rest), and nothing did it automatically")
        }
        if ["ignored", "overlooked", "missed", "skipped", "neglected"].contains(verb) {
            guard let object = objectPhrase(after: k) else { return Self.genericRewrite }
            return Self.rewrite("\(object) did not stand out among the other signals, and nothing required acting on it")
        }
        if Self.cognitionVerbs.contains(verb) {
            guard let rest = restOfClause(after: k) else { return Self.genericRewrite }
            return Self.rewrite("the documentation and defaults available then suggested \(rest)")
        }
        // A slip or a neutral act: keep the act, give it to the tooling that allowed it.
        guard let rest = restOfClause(after: k) else { return Self.genericRewrite }
        let shown = surface(tokens[k].range).lowercased()
        if isParticiple(k) || WordClass.commonVerbs.contains(verb) {
            return Self.rewrite("the tooling \(shown) \(rest) without a confirmation or a guard")
        }
        return Self.rewrite("nothing stopped or confirmed \"\(shown) \(rest)\" before it took effect")
    }

    /// The suggestion for a counterfactual about a person ("should have checked the lag").
    func counterfactualRewrite(participle: Int) -> String {
        guard let word = norm(participle), let rest = restOfClause(after: participle) else {
            return "describe what the person saw and the safeguard that was missing, e.g. \"nothing in the tooling "
                + "prompted this check\"; " + Self.systemQuestion
        }
        if ["noticed", "seen", "spotted", "caught", "realised", "realized", "known", "understood"].contains(word) {
            return "describe what made it hard to see at the time, e.g. \"nothing in the tooling surfaced \(rest)\"; "
                + Self.systemQuestion
        }
        return "describe what the person saw and the safeguard that was missing, e.g. \"nothing in the tooling "
            + "prompted anyone to \(Self.base(of: word)) \(rest)\"; " + Self.systemQuestion
    }

    static let cognitionVerbs: Set<String> = [
        "assumed", "thought", "believed", "expected", "understood", "misunderstood", "misread", "misjudged",
        "misinterpreted", "presumed", "supposed", "figured", "judged", "concluded",
    ]

    static var genericRewrite: String {
        "state the property of the system that allowed it (a missing check, a shared credential, an unsafe default); "
            + systemQuestion
    }

    static func rewrite(_ sentence: String) -> String {
        "rewrite it as what the system allowed, e.g. \"\(sentence)\"; " + systemQuestion
    }

    /// The words after `index` up to the end of the clause (at most eight), code spans shown as
    /// "the command"; nil when there are none.
    func restOfClause(after index: Int) -> String? {
        var last = index
        var k = index + 1
        while k < tokens.count, k - index <= 8, sameSentence(k, index) {
            let token = tokens[k]
            if token.kind == .punct { break }
            if isWord(k, in: Self.clauseBreaks) { break }
            last = k
            k += 1
        }
        guard last > index else { return nil }
        return render(index + 1, last)
    }

    /// The noun phrase right after a verb ("the disk-pressure alert"), stopping at a preposition.
    func objectPhrase(after index: Int) -> String? {
        var last = index
        var k = index + 1
        while k < tokens.count, k - index <= 6, sameSentence(k, index), tokens[k].kind != .punct {
            if isWord(k, in: Self.clauseBreaks) || (k > index + 1 && isWord(k, in: WordClass.prepositions)) { break }
            last = k
            k += 1
        }
        guard last > index else { return nil }
        var phrase = render(index + 1, last)
        if let first = norm(index + 1), ["our", "their", "his", "her", "my", "your"].contains(first) {
            phrase = "the" + phrase.dropFirst(first.count)
        }
        return phrase
    }

    private func render(_ first: Int, _ last: Int) -> String {
        var text = ""
        for k in first...last {
            if k > first { text += surface(tokens[k - 1].range.upperBound..<tokens[k].range.lowerBound) }
            text += tokens[k].kind == .object ? "the command" : surface(tokens[k].range)
        }
        return text
    }

    static let clauseBreaks: Set<String> = [
        "because", "when", "before", "after", "while", "and", "but", "so", "which", "since", "until", "if", "as",
        "although", "though", "whereas", "despite",
    ]

    /// Base form of a past tense or participle, good enough for the verbs of postmortem prose.
    static func base(of word: String) -> String {
        if let irregular = irregularBase[word] { return irregular }
        guard word.hasSuffix("ed"), word.count > 4 else { return word }
        let stem = String(word.dropLast(2))
        if stem.hasSuffix("i") { return String(stem.dropLast()) + "y" }
        let chars = Array(stem)
        if chars.count >= 3, chars[chars.count - 1] == chars[chars.count - 2], !["l", "s", "f", "z"].contains(chars.last!) {
            return String(chars.dropLast())
        }
        if eEndings.contains(where: { stem.hasSuffix($0) }) { return stem + "e" }
        return stem
    }

    /// Past tense of a base form.
    static func past(of word: String) -> String {
        if let irregular = irregularPast[word] { return irregular }
        if word.hasSuffix("e") { return word + "d" }
        let chars = Array(word)
        if let last = chars.last, last == "y", chars.count > 1, !"aeiou".contains(chars[chars.count - 2]) {
            return String(chars.dropLast()) + "ied"
        }
        if chars.count >= 3, chars.count <= 4, !"aeiouwxy".contains(chars[chars.count - 1]),
           "aeiou".contains(chars[chars.count - 2]), !"aeiou".contains(chars[chars.count - 3]) {
            return word + String(chars[chars.count - 1]) + "ed"
        }
        return word + "ed"
    }

    private static let eEndings = [
        "at", "ut", "ot", "iv", "ov", "ip", "ag", "rg", "ng", "yp", "as", "uc", "bl", "am", "ok", "id", "iz",
        "is", "or", "ur", "ir", "ar", "in", "on", "ag", "ak", "ag", "ug", "ud", "av", "ir", "ap", "ac", "os", "ov",
    ]

    private static let irregularBase: [String: String] = [
        "ran": "run", "run": "run", "broke": "break", "broken": "break", "overwrote": "overwrite", "overrode": "override",
        "forgot": "forget", "forgotten": "forget", "made": "make", "took": "take", "taken": "take", "chose": "choose",
        "did": "do", "done": "do", "kept": "keep", "left": "leave", "put": "put", "set": "set", "read": "read",
        "misread": "misread", "sent": "send", "wrote": "write", "written": "write", "got": "get", "seen": "see",
        "saw": "see", "known": "know", "knew": "know", "caught": "catch", "spotted": "spot", "noticed": "notice",
        "checked": "check", "followed": "follow", "tested": "test", "reviewed": "review", "paged": "page",
        "escalated": "escalate", "rolled": "roll", "waited": "wait", "used": "use", "verified": "verify",
        "updated": "update", "renewed": "renew", "asked": "ask", "looked": "look", "pushed": "push",
        "deleted": "delete", "stopped": "stop", "added": "add", "realised": "realise", "realized": "realize",
    ]

    private static let irregularPast: [String: String] = [
        "run": "ran", "do": "did", "make": "made", "send": "sent", "write": "wrote", "take": "took", "set": "set",
        "put": "put", "keep": "kept", "read": "read", "break": "broke", "get": "got", "give": "gave", "pay": "paid",
        "catch": "caught", "see": "saw", "tell": "told", "find": "found", "rebuild": "rebuilt", "build": "built",
    ]
}

/// Rewrites built from the sentence itself: the act and its object are kept, the person is
/// replaced by the property of the system that let the act through, and every suggestion ends
/// with the question that starts the second why.
extension BlockAnalysis {
    static let systemQuestion = "ask \"which property of the system made this possible?\""

    /// The suggestion for a person's act: `act` is the verb (or the first word of "forgot to …").
    func systemRewrite(act: Int?, from first: Int, to last: Int) -> String {
        guard let act, act < tokens.count, let verb = norm(act) else { return Self.genericRewrite }
        var k = act
        // A passive with a person agent ("the bucket was deleted by the on-call engineer"): the act's
        // object is the passive's subject, and the agent drops out.
        if isWord(k + 1, in: ["by"]), isParticiple(k), isPassive(participle: k),
           !isWord(k, in: ["caused", "triggered", "introduced", "initiated"]) {
            return passiveRewrite(participle: k)
        }
        // "caused by an engineer who edited the load balancer by hand": the act is in the relative clause.
        if isWord(k, in: ["caused", "triggered", "introduced", "initiated"]), isWord(k + 1, in: ["by"]) {
            guard let agent = phrase(startingAt: k + 2), isWord(agent.end + 1, in: ["who"]), let act = norm(agent.end + 2),
                  isParticiple(agent.end + 2) || WordClass.commonVerbs.contains(act), let rest = restOfClause(after: agent.end + 2)
            else { return Self.genericRewrite }
            return Self.rewrite("the process let anyone \(Self.base(of: act)) \(rest) with no check or confirmation")
        }
        // "forgot to renew", "neglected to update", "failed to escalate", "did not follow".
        if ["forgot", "forget", "forgets", "neglected", "failed", "fail", "omitted"].contains(verb), norm(k + 1) == "to" {
            k += 2
            guard norm(k) != nil else { return Self.genericRewrite }
            // "forgot to re-enable": the hyphenated verb is conjugated on its last part.
            var last = k
            while last + 1 < tokens.count, tokens[last + 1].hyphenated, tokens[last + 1].kind == .word { last += 1 }
            let head = last == k ? "" : render(k, last - 1) + "-"
            guard let base = norm(last) else { return Self.genericRewrite }
            // "failed to notice the lag" → "nothing flagged the lag": a system flags, it does not notice.
            let done = head.isEmpty && ["notice", "spot", "see", "catch", "detect"].contains(base) ? "flagged" : head + Self.past(of: base)
            guard let rest = restOfClause(after: last) else {
                return Self.rewrite("nothing \(done) automatically, and no check or alert caught it in time")
            }
            // A short object reads best with "automatically" last; a long one would leave it dangling.
            if last + 1 < tokens.count, restWordCount(after: last) <= 4 {
                return Self.rewrite("nothing \(done) \(rest) automatically, and no check or alert caught it in time")
            }
            return Self.rewrite("nothing automatically \(done) \(rest), and no check or alert caught it in time")
        }
        // "rushed the hotfix into production": the pace was the process's to set.
        if verb == "rushed", let object = objectPhrase(after: k) {
            return Self.rewrite("nothing in the release process required a review or a soak period before \(object) shipped")
        }
        // "did not check", "never tested", "didn't double-check": the skipped step, required of nobody.
        let skipped = ["did", "had"].contains(verb) && isWord(k + 1, in: ["not", "never"]) ? k + 2 : verb == "never" ? k + 1 : nil
        if let step = skipped, norm(step) != nil {
            var last = step
            while last + 1 < tokens.count, tokens[last + 1].hyphenated, tokens[last + 1].kind == .word { last += 1 }
            let head = last == step ? "" : render(step, last - 1) + "-"
            let base = head + Self.base(of: norm(last) ?? "")
            guard let rest = restOfClause(after: last) else {
                return Self.rewrite("nothing in the process required anyone to \(base), and nothing did it automatically")
            }
            if verb == "had" { return Self.rewrite("nothing required or automated \(rest) before the change went out") }
            return Self.rewrite("nothing in the process required anyone to \(base) \(rest), and nothing did it automatically")
        }
        // "a mistake by the DBA": the sentence names no act to hand to the tooling.
        if Self.slipNounsForRewrite.contains(verb) { return Self.genericRewrite }
        if ["ignored", "overlooked", "missed", "skipped", "neglected"].contains(verb) {
            guard let object = objectPhrase(after: k) else { return Self.genericRewrite }
            // "ignored the escalation policy": a standard to follow, not a signal to notice.
            if let head = lastWord(after: k), Self.proceduralNouns.contains(head) {
                return Self.rewrite("nothing in the process required anyone to follow \(object), and nothing did it automatically")
            }
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
            // "… without a review": the clause names the missing step already.
            if rest.lowercased().contains("without ") {
                return Self.rewrite("the tooling \(shown) \(rest), and nothing asked for a confirmation")
            }
            return Self.rewrite("the tooling \(shown) \(rest) without a confirmation or a guard")
        }
        return Self.rewrite("nothing stopped or confirmed \"\(shown) \(rest)\" before it took effect")
    }

    /// "The production bucket was deleted by the on-call engineer" → "the tooling deleted the production
    /// bucket without a confirmation or a guard"; an ignored signal did not stand out.
    func passiveRewrite(participle k: Int) -> String {
        var aux = k - 1
        while aux >= 0, !isWord(aux, in: ["was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"]) { aux -= 1 }
        if isWord(aux - 1, in: ["had", "has", "have"]) { aux -= 1 }
        let subject = subject(before: max(0, aux))
        guard aux > 0, subject.referent == .thing, !subject.remote, subject.start < aux, let verb = norm(k) else {
            return Self.genericRewrite
        }
        var object = render(subject.start, aux - 1)
        if let first = norm(subject.start), ["our", "their", "his", "her", "my", "your"].contains(first) {
            object = "the" + object.dropFirst(first.count)
        } else if tokens[subject.start].isCapitalized, let first = norm(subject.start), WordClass.determiners.contains(first) {
            object = first + object.dropFirst(first.count)
        }
        if ["ignored", "overlooked", "missed", "skipped"].contains(verb) {
            return Self.rewrite("\(object) did not stand out among the other signals, and nothing required acting on it")
        }
        // "the mistake was made by a junior engineer"
        if verb == "made" { return Self.rewrite("nothing caught \(object) before it took effect") }
        return Self.rewrite("the tooling \(surface(tokens[k].range).lowercased()) \(object) without a confirmation or a guard")
    }

    static let slipNounsForRewrite: Set<String> = [
        "mistake", "mistakes", "oversight", "oversights", "slip", "slips", "lapse", "lapses", "blunder", "blunders",
    ]

    /// Procedures and rules: "ignored the runbook" is about following, not noticing.
    static let proceduralNouns: Set<String> = [
        "procedure", "procedures", "process", "runbook", "runbooks", "playbook", "playbooks", "checklist",
        "guideline", "guidelines", "policy", "policies", "protocol", "instructions", "documentation", "rule", "rules",
    ]

    /// The last word of `objectPhrase(after:)`.
    func lastWord(after index: Int) -> String? {
        var last: Int?
        var k = index + 1
        while k < tokens.count, k - index <= 6, sameSentence(k, index), tokens[k].kind != .punct {
            if isWord(k, in: Self.clauseBreaks) || (k > index + 1 && isWord(k, in: WordClass.prepositions)) { break }
            last = k
            k += 1
        }
        return last.flatMap { norm($0) }
    }

    /// Number of words `restOfClause(after:)` would return.
    func restWordCount(after index: Int) -> Int {
        var k = index + 1
        while k < tokens.count, k - index <= 8, sameSentence(k, index), tokens[k].kind != .punct, !isWord(k, in: Self.clauseBreaks) {
            k += 1
        }
        return k - index - 1
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
        "although", "though", "whereas", "despite", "even", "unless", "once", "whether", "who",
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

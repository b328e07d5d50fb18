/// `blameless/person-as-cause`: a root-cause statement whose cause is a person's act.
///
/// Only checked in root-cause and contributing-factor sections. "Sam pushed a bad config"
/// stops at the first why; asking "which property of the system made this possible?"
/// (no validation, shared credentials, a default that pointed at production) is where the
/// second why starts.
extension BlockAnalysis {
    var findsPersonAsCause: Bool { context == .rootCauses }

    /// A person subject + a cause verb: "the engineer ran the wrong script", "we forgot to renew".
    mutating func checkCauseVerb(_ start: Int, _ end: Int) {
        guard findsPersonAsCause, !tokens[start].quoted else { return }
        // Passive and perfect forms are reached through their subjects; "was deleted by" is an agent phrase.
        if isWord(start - 1, in: ["was", "were", "been", "being", "be", "is", "are", "get", "got"]) { return }
        let subject = subject(before: start)
        guard subject.referent == .person else { return }
        emitPersonAsCause(from: subject.remote ? start : subject.start, to: end - 1)
    }

    /// "accidentally", "mistakenly", "by mistake" with a person acting.
    mutating func checkCauseAdverb(_ start: Int, _ end: Int) {
        guard findsPersonAsCause, !tokens[start].quoted else { return }
        let subject = subject(before: start)
        if subject.referent == .person {
            // Underline through the verb the adverb modifies: "Sam accidentally deleted".
            var last = end - 1
            if end < tokens.count, tokens[end].kind == .word, sameSentence(end, start) { last = end }
            emitPersonAsCause(from: subject.remote ? start : subject.start, to: last)
            return
        }
        // Trailing adverbials: "the engineer deleted the table by mistake".
        if leadSubject(before: start).referent == .person {
            emitPersonAsCause(from: start, to: end - 1)
        }
    }

    /// "caused by the on-call engineer", "due to Sam's typo", "deleted by an intern".
    mutating func checkCauseAgent(_ start: Int, _ end: Int) {
        guard findsPersonAsCause, !tokens[start].quoted else { return }
        guard let agent = phrase(startingAt: end), agent.referent == .person else { return }
        emitPersonAsCause(from: start, to: agent.end)
    }

    /// "because the on-call engineer was new", "because we did not …".
    mutating func checkCauseBecause(_ start: Int, _ end: Int) {
        guard findsPersonAsCause, !tokens[start].quoted else { return }
        guard let actor = phrase(startingAt: end), actor.referent == .person else { return }
        var k = actor.end + 1
        guard let verb = norm(k) else { return }
        if WordClass.copulas.contains(verb) {
            k += 1
            while isWord(k, in: ["too", "very", "still", "quite", "already", "so", "not"]) { k += 1 }
            guard isWord(k, in: WordClass.personalStates) else { return }
            emitPersonAsCause(from: start, to: k)
        } else if verb == "did" || verb == "had", isWord(k + 1, in: ["not", "never"]), norm(k + 2) != nil {
            emitPersonAsCause(from: start, to: k + 2)
        }
    }

    /// "Root cause: the on-call engineer", "the primary cause was Sam's change".
    mutating func checkRootCauseLabel(_ start: Int, _ end: Int) {
        guard findsPersonAsCause, !tokens[start].quoted, end < tokens.count else { return }
        var k = end
        if tokens[k].kind == .punct {
            guard tokens[k].norm == ":" || tokens[k].norm == "—" else { return }
        } else if !isWord(k, in: ["was", "is", "were", "are"]) {
            return
        }
        k += 1
        guard k < tokens.count, let actor = phrase(startingAt: k), actor.referent == .person else { return }
        emitPersonAsCause(from: start, to: actor.end)
    }

    private mutating func emitPersonAsCause(from first: Int, to last: Int) {
        let phrase = surface(byteRange(first, last))
        emit(.personAsCause, tokens: first, last,
             message: "the stated cause is a person's action (\"\(phrase)\"), which stops at the first why",
             suggestion: "ask \"which property of the system made this possible?\" and state that, e.g. \"the deploy "
                + "tool accepted a config that failed validation\" instead of \"\(phrase)\"")
    }
}

/// `blameless/blame-word`: words that judge people ("careless", "at fault", "dropped the ball").
///
/// A judgement replaces an explanation: once someone is "careless" nobody asks why the
/// careful path was hard. Technical senses ("lazy loading", "fault tolerance", `git blame`)
/// and judgements of things rather than people are left alone.
extension BlockAnalysis {
    mutating func checkBlameWord(_ start: Int, _ end: Int, check: BlameCheck, group: BlameGroup) {
        // "not because people are careless", "we do not think anyone was careless".
        if tokens[start].quoted || isNegated(before: start)
            || isNegated(before: start, window: 5, cues: WordClass.strongNegators) {
            return
        }
        var first = start
        var last = end - 1
        switch check {
        case .always:
            break
        case .personOrNone:
            if subjectThroughCopula(before: start).referent == .thing { return }
        case .attentionAdvice:
            var k = start - 1
            while k >= 0, sameSentence(k, start), isWord(k, in: Self.modalChain) { k -= 1 }
            if k >= 0, sameSentence(k, start), tokens[k].kind == .word, subject(before: k + 1).referent == .thing { return }
        case .conduct:
            let subject = subjectThroughCopula(before: start)
            if subject.referent != .person {
                // "this is unacceptable" judges whatever the clause before it says people did.
                var k = start - 1
                while k >= 0, sameSentence(k, start), isWord(k, in: WordClass.degreeAdverbs) { k -= 1 }
                guard isWord(k, in: WordClass.copulas), isWord(k - 1, in: ["this", "that", "it", "which"]),
                      sentenceLeadIsPerson(start) else { return }
            }
        case .lazy:
            if isWord(end, in: WordClass.lazyTechnical) || isObject(end) || isObject(start - 1) { return }
            if describesThing(start) { return }
        case .dumb:
            if isWord(end, in: WordClass.dumbTechnical) || isObject(end) || describesThing(start) { return }
        case .stupid:
            if norm(end) == "simple" || describesThing(start) { return }
        case .unlessThing:
            if describesThing(start) { return }
        case .atFault, .toBlame:
            let subject = subjectThroughCopula(before: start)
            if check == .atFault ? subject.referent != .person : subject.referent == .thing
                || subject.referent == .negativePerson {
                return
            }
        case .possessiveFault:
            if norm(start) == "'s" {
                guard start > 0 else { return }
                let owner = resolve(head: start - 1)
                guard owner.referent == .person else { return }
                first = start - 1
            }
        case .faultWith:
            guard let target = phrase(startingAt: end), target.referent == .person else { return }
            last = target.end
        case .culprit:
            guard culpritReferent(start, end) == .person else { return }
        }
        let phrase = loweredSurface(byteRange(first, last))
        emit(.blameWord, tokens: first, last,
             message: Self.blameMessage(phrase, group), suggestion: withoutJudgement(first, last) ?? Self.blameSuggestion(group))
    }

    static let modalChain: Set<String> = [
        "should", "must", "need", "needs", "needed", "to", "have", "has", "had", "will", "would", "could", "always",
        "try", "tried", "ought", "really", "just", "also", "all", "generally", "in", "future", "the", "next", "time",
    ]

    /// Whether the sentence opens with a person as its subject ("We spent way too much time …").
    func sentenceLeadIsPerson(_ index: Int) -> Bool {
        var k = index
        while k > 0, sameSentence(k - 1, index) { k -= 1 }
        while k < index, tokens[k].kind == .punct { k += 1 }
        return k < index && (classify(k) == .person) && classify(k) != .negativePerson
    }

    /// For a judging modifier ("a careless config push", "carelessly committed"), the clause
    /// without it, to be completed with what made the act easy.
    func withoutJudgement(_ first: Int, _ last: Int) -> String? {
        guard first == last, last + 1 < tokens.count, tokens[last + 1].kind == .word, sameSentence(first, last + 1) else { return nil }
        // Only a modifier ("a careless push", "carelessly committed") leaves a clause behind when it is
        // dropped; a predicate ("this is unacceptable and …") leaves a fragment, so the generic advice fits.
        if isWord(last + 1, in: WordClass.coordinators) || isWord(last + 1, in: WordClass.prepositions)
            || isWord(last + 1, in: WordClass.clauseStarters)
            || (first > 0 && (isWord(first - 1, in: WordClass.degreeAdverbs) || isWord(first - 1, in: WordClass.copulas))) {
            return "replace the verdict (\"\(loweredSurface(byteRange(first, last)))\") with the facts behind it "
                + "(how long it took, what was missing) and what made them so; " + Self.systemQuestion
        }
        var start = first
        while start > 0, first - start < 8, sameSentence(start - 1, first), tokens[start - 1].kind != .punct { start -= 1 }
        var end = last + 1
        while end + 1 < tokens.count, end - last < 10, sameSentence(end + 1, first), tokens[end + 1].kind != .punct { end += 1 }
        var parts: [String] = []
        if start < first { parts.append(surface(byteRange(start, first - 1))) }
        parts.append(surface(byteRange(last + 1, end)))
        var clause = parts.joined(separator: " ").replacingOccurrences(of: "\u{FFFC}", with: "the command")
        if let initial = clause.first, start == first { clause = initial.lowercased() + clause.dropFirst() }
        return "state what happened without the judgement (\"\(clause)\") and what made it easy to get wrong; "
            + Self.systemQuestion
    }

    /// A phrase from the configured deny list: always reported.
    mutating func checkDenied(_ start: Int, _ end: Int, phrase: String) {
        emit(.blameWord, tokens: start, end - 1,
             message: "deny-listed phrase (\"\(loweredSurface(byteRange(start, end - 1)))\") for this repository",
             suggestion: Self.blameSuggestion(.fault))
    }

    /// A predicate adjective whose subject is a thing: "the iterator is lazy", "the loop was dumb".
    func describesThing(_ index: Int) -> Bool {
        var k = index - 1
        while k >= 0, isWord(k, in: WordClass.degreeAdverbs) { k -= 1 }
        guard k >= 0, isWord(k, in: WordClass.copulas) else { return false }
        return subject(before: k).referent == .thing
    }

    func isObject(_ index: Int) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].kind == .object
    }

    /// The subject of a predicate, reading through a copula: "the index was messed up" → the index.
    func subjectThroughCopula(before index: Int) -> Phrase {
        var k = index - 1
        while k >= 0, sameSentence(k, index), isWord(k, in: Self.predicateAdverbs) { k -= 1 }
        if k >= 0, sameSentence(k, index), isWord(k, in: Self.predicateVerbs) {
            return subject(before: k)
        }
        return subject(before: index)
    }

    private static let predicateAdverbs = WordClass.interveningAdverbs.union(WordClass.degreeAdverbs)
        .subtracting(["had", "has", "have"])
    private static let predicateVerbs = WordClass.copulas.union(["got", "get", "gets", "had", "has", "have"])

    /// Who "the culprit" is: "the culprit was the intern" (person) versus "the culprit process",
    /// "a missing index was the culprit" (things).
    func culpritReferent(_ start: Int, _ end: Int) -> Referent {
        // "the culprit process", "culprit commit"
        if let next = norm(end), !WordClass.copulas.contains(next), !WordClass.prepositions.contains(next),
           !WordClass.auxiliaries.contains(next), !WordClass.clauseStarters.contains(next),
           !WordClass.coordinators.contains(next), !WordClass.interveningAdverbs.contains(next) {
            return phrase(startingAt: end)?.referent ?? .none
        }
        if end < tokens.count, tokens[end].kind == .handle { return .person }
        // "the culprit (behind the outage) was/is/turned out to be X", "culprit: X"
        var k = end
        while k < tokens.count, k - end < 8, sameSentence(k, start) {
            if tokens[k].kind == .punct {
                if tokens[k].norm == ":" || tokens[k].norm == "—" { return phrase(startingAt: k + 1)?.referent ?? .none }
                break
            }
            if isWord(k, in: WordClass.copulas) || norm(k) == "be" {
                return phrase(startingAt: k + 1)?.referent ?? .none
            }
            k += 1
        }
        // "X was the culprit"
        var before = phraseStart(head: start) - 1
        while before >= 0, isWord(before, in: WordClass.interveningAdverbs) { before -= 1 }
        if before >= 0, isWord(before, in: WordClass.copulas) { return subject(before: before).referent }
        return .none
    }

    static func blameMessage(_ phrase: String, _ group: BlameGroup) -> String {
        switch group {
        case .attention:
            "judging attention (\"\(phrase)\") hides why the detail was easy to miss"
        case .competence:
            "judging ability (\"\(phrase)\") hides what the person knew and what the system told them"
        case .character:
            "judging character (\"\(phrase)\") hides the pressures and defaults people worked with"
        case .fault:
            "assigning fault (\"\(phrase)\") hides how the system allowed the outcome"
        case .hindsight:
            "judging with hindsight (\"\(phrase)\") uses knowledge that was only available afterwards"
        }
    }

    static func blameSuggestion(_ group: BlameGroup) -> String {
        switch group {
        case .attention:
            "describe what made the detail easy to miss, e.g. \"the confirmation prompt looked identical for "
                + "staging and production\""
        case .competence:
            "describe what the person knew and what the tooling showed, e.g. \"the runbook did not say the flag "
                + "is irreversible\""
        case .character:
            "describe the pressures and defaults that made this path normal, e.g. \"deploys without review were "
                + "routine because the pipeline did not require approval\""
        case .fault:
            "state what happened and what allowed it, e.g. \"the migration ran against production because both "
                + "environments shared one credential\""
        case .hindsight:
            "describe what was known at the time, e.g. \"the warning about this flag lived only in an old wiki page\""
        }
    }
}

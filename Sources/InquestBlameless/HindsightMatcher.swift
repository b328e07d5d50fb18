/// `blameless/hindsight`: obviousness asserted after the fact, and minimising words.
///
/// Everything is obvious once you know the ending. "Obviously", "of course" and "just had
/// to roll back" tell readers the people involved missed something easy, which is rarely
/// how it looked at 3 a.m. Descriptions of evidence ("the graph showed an obvious step"),
/// of displays ("clearly labelled") and of system behaviour ("the proxy simply forwards")
/// are not hindsight and are left alone.
extension BlockAnalysis {
    /// Fixed phrases: "of course", "should have been obvious", "easily avoidable", …
    mutating func checkHindsightPhrase(_ start: Int, _ end: Int) {
        if tokens[start].quoted { return }
        // "it was not obvious", "not easily avoidable" are honest statements.
        if isNegated(before: start, window: 2, cues: ["not", "never", "hardly"]) { return }
        let phrase = loweredSurface(byteRange(start, end - 1))
        emit(.hindsight, tokens: start, end - 1,
             message: "hindsight (\"\(phrase)\") presents as knowable what was not obvious at the time",
             suggestion: "describe what was visible at the time, e.g. \"the dashboard showed the error rate, but no alert fired\"")
    }

    /// "obviously" and "clearly" as sentence adverbs, not as manner ("clearly labelled").
    mutating func checkHindsightAdverb(_ start: Int, _ end: Int) {
        if tokens[start].quoted { return }
        if isWord(end, in: WordClass.displayWords) || isWord(start - 1, in: WordClass.mannerVerbs) { return }
        if start > 0, tokens[start].hyphenated || (end < tokens.count && tokens[end].hyphenated) { return }
        // A manner adverb closing its clause: "document the steps clearly."
        let closesClause = end >= tokens.count || tokens[end].kind == .punct || !sameSentence(end, start)
        if closesClause, start > 0, tokens[start - 1].kind != .punct, !isWord(start - 1, in: WordClass.copulas) { return }
        // "the graph clearly showed a step": a signal described, not a judgement.
        let subject = subjectThroughCopula(before: start)
        if subject.referent == .thing, isSignal(subject.end) { return }
        let word = loweredSurface(byteRange(start, end - 1))
        emit(.hindsight, tokens: start, end - 1,
             message: "hindsight (\"\(word)\") presents the answer as evident; it was not evident at the time",
             suggestion: "drop \"\(word)\" and describe the evidence available then, e.g. \"the error log named the "
                + "missing key, but it was one of 400 lines per second\"")
    }

    /// "obvious" as a predicate ("it was obvious") or judging a mistake ("an obvious typo").
    mutating func checkObvious(_ start: Int, _ end: Int) {
        if tokens[start].quoted || tokens[start].hyphenated { return } // "non-obvious"
        if isNegated(before: start, window: 3, cues: ["not", "never", "non", "less", "hardly", "nothing", "no"]) { return }
        var isJudgement = isWord(end, in: Self.obviousJudgedNouns)
        if !isJudgement {
            var k = start - 1
            while k >= 0, isWord(k, in: WordClass.degreeAdverbs) {
                k -= 1
            }
            if k >= 0, isWord(k, in: WordClass.copulas) {
                let subject = subject(before: k)
                if subject.referent == .thing, isSignal(subject.end) { return }
                isJudgement = true
            }
        }
        guard isJudgement else { return }
        emit(.hindsight, tokens: start, end - 1,
             message: "hindsight (\"obvious\") describes how things look now, not how they looked at the time",
             suggestion: "describe what was visible then, e.g. \"the typo was in a 2,000-line generated file that "
                + "review tools collapsed\"")
    }

    /// "just had to", "could simply have", "just restart", "all they had to do".
    mutating func checkMinimiser(_ start: Int, _ end: Int, kind: MinimiserKind) {
        if tokens[start].quoted { return }
        var adverb = start
        switch kind {
        case .phrase:
            emit(.hindsight, tokens: start, end - 1,
                 message: "minimising (\"\(loweredSurface(byteRange(start, end - 1)))\") makes the response sound trivial in hindsight",
                 suggestion: "describe what the step involved, e.g. \"rolling back required a manual approval and took 14 minutes\"")
            return
        case .allItTook:
            var k = start - 1
            while k >= 0, start - k <= 5, sameSentence(k, start), tokens[k].kind != .punct, norm(k) != "all" { k -= 1 }
            guard k >= 0, norm(k) == "all", sameSentence(k, start) else { return }
            emit(.hindsight, tokens: k, end - 1,
                 message: "minimising (\"\(loweredSurface(byteRange(k, end - 1)))\") makes the response sound trivial in hindsight",
                 suggestion: "describe what the step involved, e.g. \"rolling back required a manual approval and took 14 minutes\"")
            return
        case .hadTo:
            if norm(start) == "only", norm(start - 1) == "not" { return }
        case .modal:
            adverb = end - 1
        case .verb:
            // "instead of debugging, just roll back": advice comparing two options, not a judgement.
            if sentenceHasContrast(before: start) { return }
            // "we had just run the migration": recency, not minimising.
            if isWord(start - 1, in: ["had", "has", "have", "'d", "'ve", "was", "were", "is", "are", "be", "been", "being"]) { return }
            // "just-in-time", "just run-of-the-mill": the verb is part of a compound.
            if end < tokens.count, tokens[end].hyphenated { return }
        }
        // "the proxy simply forwards …", "the client can just retry": behaviour of a system.
        var subjectEnd = kind == .modal ? start : adverb
        while subjectEnd > 0, isWord(subjectEnd - 1, in: Self.auxiliariesAndAdverbs) {
            subjectEnd -= 1
        }
        if subject(before: subjectEnd).referent == .thing { return }
        let word = loweredSurface(tokens[adverb].range)
        var rest: [String] = []
        var k = adverb + 1
        while k < tokens.count, rest.count < 5, sameSentence(k, adverb), tokens[k].kind != .punct {
            rest.append(surface(tokens[k].range))
            k += 1
        }
        let rewrite = rest.isEmpty ? "" : ", e.g. \"\(rest.joined(separator: " "))\""
        emit(.hindsight, tokens: adverb, adverb,
             message: "minimising (\"\(word)\") makes the action sound trivial; it was not trivial for the people doing it at the time",
             suggestion: "drop \"\(word)\" and say what the step took\(rewrite)")
    }

    func sentenceHasContrast(before index: Int) -> Bool {
        var k = index - 1
        while k >= 0, sameSentence(k, index) {
            if isWord(k, in: ["instead"]) || (isWord(k, in: ["than"]) && isWord(k - 1, in: ["rather"])) { return true }
            k -= 1
        }
        return false
    }

    func isSignal(_ index: Int) -> Bool {
        guard index >= 0, index < tokens.count else { return false }
        return tokens[index].kind == .object || WordClass.signalNouns.contains(tokens[index].norm)
    }

    private static let auxiliariesAndAdverbs = WordClass.auxiliaries.union(WordClass.interveningAdverbs)

    /// Nouns that "obvious" turns into a judgement: "an obvious typo", "the obvious warning signs".
    static let obviousJudgedNouns: Set<String> = [
        "mistake", "mistakes", "error", "errors", "typo", "typos", "oversight", "oversights",
        "misconfiguration", "misconfigurations", "misstep", "missteps", "blunder", "blunders", "omission",
        "omissions", "sign", "signs", "warning", "warnings", "red", "answer", "choice", "thing", "things",
        "problem", "problems", "flaw", "flaws", "failure", "slip", "lapse", "gap", "hole",
    ]
}

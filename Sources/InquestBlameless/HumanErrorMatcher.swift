/// `blameless/human-error`: a person's fallibility named as the cause.
///
/// "Human error" is where an investigation stops, not where it should end: people make
/// mistakes at a steady rate, so the useful question is what let this one through.
extension BlockAnalysis {
    mutating func checkHumanError(_ start: Int, _ end: Int, upperOnly: Bool) {
        let range = byteRange(start, end - 1)
        // "PICNIC" is the jargon; "the team picnic" is not.
        if upperOnly, bytes[range].contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { return }
        if tokens[start].quoted { return }
        // Designing against human error is the point of a good action item, not blame.
        if isNegated(before: start, window: 4, cues: Self.distancingCues) { return }
        // "user error rate", "returned user errors": a metric or a message shown to users.
        if isWord(end, in: WordClass.errorMetricFollowers) { return }
        if norm(start) == "user", isWord(start - 1, in: WordClass.errorShownPreceders) { return }
        // "server errors from user errors": one error category among others.
        if norm(start) == "user", (max(0, start - 4)..<start).contains(where: { isWord($0, in: ["error", "errors"]) }) { return }
        // "so that user mistakes are caught": the design goal of a guardrail.
        if (end..<min(tokens.count, end + 3)).contains(where: { isWord($0, in: Self.guardedOutcomes) }) { return }
        // "… were caught by validation" later in the clause: the guardrail worked.
        var k = end
        while k < tokens.count, k - end <= 8, sameSentence(k, end), tokens[k].kind != .punct {
            if isWord(k, in: ["were", "was", "are", "is", "get", "got", "be"]), isWord(k + 1, in: Self.guardedOutcomes) { return }
            k += 1
        }
        // "Assumed user error at the time", "suspected operator error, ruled out": a hypothesis on record.
        if isHypothesis(before: start) { return }
        // "Human error is never a root cause", "human error was not the cause": the principle, denied.
        if isWord(end, in: WordClass.copulas), isWord(end + 1, in: ["not", "never", "rarely", "seldom", "no", "n't"]) { return }
        let phrase = loweredSurface(range)
        emit(.humanError, tokens: start, end - 1,
             message: "calling the cause \"\(phrase)\" ends the inquiry before finding what let the slip through",
             suggestion: "name the missing guardrail instead, e.g. \"the console ran a destructive command against "
                + "production without a confirmation step\"")
    }

    func isHypothesis(before index: Int) -> Bool {
        var k = index - 1
        while k >= 0, index - k <= 4, sameSentence(k, index), tokens[k].kind != .punct {
            if isWord(k, in: Self.hypothesisCues) { return true }
            k -= 1
        }
        return false
    }

    static let hypothesisCues: Set<String> = [
        "assumed", "assuming", "suspected", "suspecting", "suspect", "hypothesis", "hypothesised", "hypothesized",
        "guessed", "presumed", "initially", "possibly", "maybe", "perhaps", "ruled", "theory",
    ]

    private static let distancingCues = WordClass.negators.union(WordClass.riskCues)

    static let guardedOutcomes: Set<String> = [
        "caught", "prevented", "rejected", "blocked", "detected", "surfaced", "handled", "recoverable",
        "cannot", "harmless", "impossible", "reversible", "flagged", "contained", "inevitable", "happens",
        "happen", "expected", "normal", "will",
    ]
}

/// `blameless/counterfactual`: what a *person* should, could or failed to have done.
///
/// Counterfactuals describe a world that did not happen and grade people against it. The
/// same words about a system ("the probe should have restarted the pod") describe a design
/// expectation and are fine, so every trigger first finds its subject.
extension BlockAnalysis {
    /// "should have", "shouldn't have", "should've", "ought to have", "could have".
    mutating func checkModal(_ start: Int, _ end: Int, kind: ModalKind) {
        if tokens[start].quoted { return }
        var k = end
        while k < tokens.count, isWord(k, in: WordClass.participleAdverbs), norm(k) != "done" { k += 1 }
        guard let next = norm(k) else { return }
        if next == "to" { return } // "should have to": an obligation, not a counterfactual
        var participle = k
        if next == "been" {
            var j = k + 1
            while j < tokens.count, isWord(j, in: WordClass.participleAdverbs) { j += 1 }
            guard j < tokens.count, tokens[j].kind == .word else { return }
            if kind == .could {
                // "could have been more careful" judges; "could have been worse" estimates risk.
                guard isWord(j, in: WordClass.personalComparatives) else { return }
            } else if isParticiple(j) {
                // "the change should not have been rushed": the passive hides who is judged.
                if let verb = norm(j), WordClass.judgedPassives.contains(verb), !tokens[start].quoted {
                    let phrase = loweredSurface(byteRange(start, j))
                    emit(.counterfactual, tokens: start, j,
                         message: "counterfactual (\"\(phrase)\") judges the people who decided, with knowledge they did not have",
                         suggestion: "describe the pressures and checks at the time, e.g. \"the rollout plan had no canary stage and "
                            + "the release date was fixed\"; " + Self.systemQuestion)
                }
                // Passive: "the engineer should have been paged" is about the paging.
                return
            }
            participle = j
        } else {
            // "should have a runbook", "should have read access": possession, not a past action.
            guard isParticiple(k) else { return }
            if next == "read" || next == "write", isWord(k + 1, in: ["access", "only", "permission", "permissions", "rights", "replica", "replicas", "role"]) {
                return
            }
            // "we could have lost data" states a risk, not a missed action.
            if kind == .could, WordClass.outcomeParticiples.contains(next) { return }
            // "we should have had an alert" names a missing safeguard; "customers should have
            // received a refund" is about what happened to people, not what they did.
            if ["had", "received", "gotten", "got"].contains(next) { return }
        }
        // "we could have rolled back sooner if we had been paged": the condition is the system's.
        if kind == .could, hasSystemCondition(sentenceOf: start) { return }
        let subject = subject(before: start)
        if kind == .could, isPossibilityNotJudgement(modal: start, subject: subject) { return }
        // "Appointing an incident manager could have helped": the subject is an act, a plan.
        if isGerundSubject(subject) { return }
        switch subject.referent {
        case .person:
            break
        case .negativePerson:
            // "nobody could have known" exonerates.
            if kind == .could { return }
        case .thing:
            return
        case .none:
            // An elided subject ("Should have tested on staging.") still points at the writer.
            guard kind == .should, isClauseInitial(start) else { return }
        }
        let phrase = loweredSurface(byteRange(start, end - 1))
        emit(.counterfactual, tokens: start, end - 1,
             message: context == .rootCauses
                ? "the cause is stated as what a person should have done (\"\(phrase)\"), grading them against a world that did not happen"
                : "counterfactual (\"\(phrase)\") grades a person against a world that did not happen instead of explaining the decision",
             suggestion: counterfactualSuggestion(after: participle))
    }

    /// "failed to", "neglected to", "didn't bother to", "was supposed to" with a person subject.
    mutating func checkFailure(_ start: Int, _ end: Int) {
        if tokens[start].quoted { return }
        // "Nobody bothered to read it" still frames an omission.
        let referent = subject(before: start).referent
        guard referent == .person || referent == .negativePerson && norm(start) == "bothered" else { return }
        let phrase = loweredSurface(byteRange(start, end - 1))
        emit(.counterfactual, tokens: start, end - 1,
             message: "framing the outcome as an omission (\"\(phrase)\") hides why the step was hard to take at the time",
             suggestion: systemRewrite(act: start, from: start, to: end - 1))
    }

    /// "despite being aware", "was not followed": an act measured against a standard people knew.
    mutating func checkOmission(_ start: Int, _ end: Int) {
        if tokens[start].quoted || isNegated(before: start, window: 2, cues: ["not", "never"]) { return }
        if norm(start) == "despite" || norm(start) == "in" {
            // "the job kept running despite being aware …" makes no sense; a thing is never "aware".
            if leadSubject(before: start).referent == .thing, !isClauseInitial(leadSubject(before: start).start) { return }
        } else {
            // "the procedure was not followed", "the alert was ignored": only standards and signals,
            // found as the head of the subject even when it carries a long modifier.
            var k = start - 1
            var found = false
            while k >= 0, start - k <= 16, sameSentence(k, start) {
                if tokens[k].kind == .punct || isWord(k, in: ["because", "that", "which", "when", "since", "as", "and", "but", "so"]) { break }
                if isWord(k, in: WordClass.standardNouns) { found = true; break }
                k -= 1
            }
            guard found else { return }
            // "was ignored by the retry logic": the agent decides who is measured.
            if isWord(end, in: ["by"]), let agent = phrase(startingAt: end + 1), agent.referent == .thing { return }
        }
        let phrase = loweredSurface(byteRange(start, end - 1))
        emit(.counterfactual, tokens: start, end - 1,
             message: "measuring people against a standard (\"\(phrase)\") hides why the standard was hard to follow at the time",
             suggestion: "describe what made the documented path hard or invisible, e.g. \"the manual step was not in the "
                + "release checklist and nothing verified it\"; " + Self.systemQuestion)
    }

    /// "so they could have tested", "not assume we could have started faster", "appointing X could
    /// have helped": a possibility or a plan, not a judgement of what someone did.
    func isPossibilityNotJudgement(modal: Int, subject: Phrase) -> Bool {
        var k = min(subject.start, subject.end) - 1
        if isWord(k, in: ["that"]) { k -= 1 }
        if isWord(k, in: ["so", "assume", "assumed", "think", "thought", "believe", "believed", "hope", "hoped",
                          "expect", "expected", "feel", "felt", "guess", "suppose", "supposed", "wonder", "whether"]) {
            return true
        }
        // "could have helped / improved / sped up": an estimate of a benefit.
        var next = modal + 1
        while next < tokens.count, isWord(next, in: ["have", "just", "also", "really", "probably", "possibly"]) { next += 1 }
        return isWord(next, in: ["helped", "improved", "reduced", "shortened", "sped", "saved", "mitigated", "limited", "worked", "benefited"])
    }

    /// A subject phrase led by a gerund at the start of its clause: "Appointing an incident manager".
    func isGerundSubject(_ subject: Phrase) -> Bool {
        var k = subject.start
        while k >= 0, k >= subject.start - 4, sameSentence(k, subject.start) {
            if let word = norm(k), word.hasSuffix("ing"), word.count > 5, isClauseInitial(k) { return true }
            k -= 1
        }
        return false
    }

    /// "if the engineer had checked", "if only we had", "had the on-call engineer looked":
    /// conditionals about a person's past action (the "would have … if X had" pattern).
    mutating func checkConditionals() {
        let candidates = tokenIndices { token in
            // The key first: a word whose key is neither word's is neither (no other String equals
            // these ASCII words); a non-ASCII word (key 0) cannot be either.
            let key = token.pointee.key
            return (key == Self.hadKey || key == Self.contractedHadKey) && token.pointee.kind == .word && !token.pointee.quoted
                && (token.pointee.norm == "had" || token.pointee.norm == "'d")
        }
        for index in candidates {
            // "Had the on-call engineer checked …"
            if norm(index) == "had", isClauseInitial(index) || norm(index - 1) == "only",
               let actor = phrase(startingAt: index + 1), actor.referent == .person, isParticiple(actor.end + 1) {
                emit(.counterfactual, tokens: index, actor.end,
                     message: "counterfactual (\"\(loweredSurface(byteRange(index, actor.end)))\") imagines a different past action instead of explaining the actual one",
                     suggestion: counterfactualSuggestion(after: actor.end + 1))
                continue
            }
            var k = index + 1
            while k < tokens.count, isWord(k, in: ["not", "only", "just", "actually", "simply", "really", "already", "ever", "never", "at", "least"]) {
                k += 1
            }
            guard k < tokens.count, tokens[k].kind == .word else { continue }
            if norm(k) == "been" {
                var j = k + 1
                while j < tokens.count, isWord(j, in: WordClass.participleAdverbs) { j += 1 }
                // "if we had been paged sooner": the paging is the subject matter.
                if j >= tokens.count || isParticiple(j) || tokens[j].kind != .word { continue }
            } else if !isParticiple(k) || norm(k) == "had" {
                // "if we had a runbook": possession, not a counterfactual action.
                continue
            }
            // "if X had …"
            let subject = subject(before: index)
            if subject.referent == .person, !subject.remote {
                var marker = subject.start - 1
                if norm(marker) == "only", norm(marker - 1) == "if" { marker -= 1 }
                if norm(marker) == "if" || norm(marker) == "wish" {
                    emit(.counterfactual, tokens: marker, index,
                         message: "counterfactual (\"\(loweredSurface(byteRange(marker, index)))\") imagines a different past action instead of explaining the actual one",
                         suggestion: counterfactualSuggestion(after: k))
                }
            }
        }
    }

    static let hadKey = Token.asciiKey("had")
    static let contractedHadKey = Token.asciiKey("'d")

    /// Whether the sentence conditions the outcome on a system or on something done *to* people:
    /// "if the alert had fired", "if we had been paged", "had the alert existed".
    func hasSystemCondition(sentenceOf index: Int) -> Bool {
        // Only the sentence's own tokens: scanning the whole block per modal would be quadratic.
        var first = index
        while first > 0, sameSentence(first - 1, index) { first -= 1 }
        var last = index
        while last + 1 < tokens.count, sameSentence(last + 1, index) { last += 1 }
        for k in first...last where norm(k) == "had" {
            var next = k + 1
            while isWord(next, in: ["not", "only", "just", "already"]) { next += 1 }
            if norm(next) == "been", isParticiple(next + 1) { return true }
            if let condition = phrase(startingAt: k + 1), isClauseInitial(k) || norm(k - 1) == ",",
               condition.referent == .thing, isParticiple(condition.end + 1) {
                return true
            }
            let subject = subject(before: k)
            if subject.referent == .thing, norm(subject.start - 1) == "if" { return true }
        }
        return false
    }

    /// A rewrite that points at the missing safeguard, reusing the act and object of the sentence.
    func counterfactualSuggestion(after verb: Int) -> String {
        counterfactualRewrite(participle: verb)
    }
}

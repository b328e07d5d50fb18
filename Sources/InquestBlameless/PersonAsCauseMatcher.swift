/// `blameless/person-as-cause`: a person's act judged as a slip, or stated as the cause.
///
/// Two kinds of sentence are reported. A person (a role, a name, "we", "I") as the subject of a
/// predicate that judges the act — *forgot to, neglected, ignored the alert, mistakenly,
/// accidentally, wrongly assumed* — is reported in every section: blame is blame wherever it is
/// written. A neutral act ("the engineer ran the script") is reported only where it is stated as
/// the cause: in a root-cause section with an individual as the actor, or anywhere with causal
/// framing ("caused by the operator", "because the on-call engineer was new"). "We deployed the
/// fix" in a timeline is a story, not a cause.
extension BlockAnalysis {
    /// Neutral acts count as causes only in root-cause and contributing-factor sections.
    var statesCauses: Bool { context == .rootCauses }

    /// A judging predicate with a person subject: "we forgot to renew", "the operator ignored the alert".
    mutating func checkFaultVerb(_ start: Int, _ end: Int) {
        guard !tokens[start].quoted else { return }
        // "neglected to …" frames an omission: the counterfactual rule reads it.
        if norm(start) == "neglected", norm(start + 1) == "to" { return }
        // "rushed the hotfix out" judges haste; "we rushed to restore service", "rushed back" report urgency.
        if norm(start) == "rushed", norm(start + 1) == nil
            || isWord(start + 1, in: ["to", "back", "over", "in", "into", "home", "out", "off", "around", "ahead"]) { return }
        // "dismissed the alert" judges; "dismissed the hypothesis" is diagnosis.
        if isWord(start, in: ["dismissed", "silenced", "muted", "snoozed"]) {
            var k = start + 1
            while k < tokens.count, k - start <= 4, sameSentence(k, start), !isWord(k, in: WordClass.standardNouns) {
                if tokens[k].kind == .punct || isWord(k, in: WordClass.prepositions) { return }
                k += 1
            }
            guard isWord(k, in: WordClass.standardNouns), sameSentence(k, start) else { return }
        }
        if isWord(start - 1, in: ["was", "were", "been", "being", "be", "is", "are", "get", "got"]) { return }
        // "ignored that lead", "ignored the DNS theory": setting a hypothesis aside is diagnosis.
        if isWord(start, in: ["ignored"]),
           (start + 1...start + 4).contains(where: { isWord($0, in: ["lead", "leads", "hypothesis", "hypotheses", "theory", "theories", "possibility", "herring", "suspicion"]) }) {
            return
        }
        // "the cache ignored the header", "the parser misread the date": a thing's behaviour.
        let subject = subject(before: start)
        guard subject.referent == .person else { return }
        // "We rushed a hotfix out": the team's urgency in a story; an individual singled out for haste is judged.
        if norm(start) == "rushed", isCollective(subject) || (start + 1...start + 3).contains(where: { isWord($0, in: ["out"]) }) { return }
        emitPersonAsCause(from: subject.remote ? start : subject.start, to: end - 1, act: start, kind: .slip)
    }

    /// A neutral act with an individual subject in a root-cause section: "the engineer ran the wrong script".
    /// An omission ("we missed the notice") counts whoever the person is; a plain act ("we upgraded
    /// the provider") only when an individual is singled out.
    mutating func checkCauseVerb(_ start: Int, _ end: Int, omission: Bool) {
        // A check an individual did not make ("the developer never tested the change") judges in any
        // section; "we did not check" and "I did not check" stay the writers' own story outside root causes.
        let skippedCheck = omission && isWord(start, in: ["did", "had", "never"])
        guard statesCauses || skippedCheck, !tokens[start].quoted else { return }
        // Passive and perfect forms are reached through their subjects; "was deleted by" is an agent phrase.
        if isWord(start - 1, in: ["was", "were", "been", "being", "be", "is", "are", "get", "got"]) { return }
        let subject = subject(before: start)
        guard subject.referent == .person, !isReducedRelative(subject) else { return }
        // "we approved the change without a rollback plan": a shortcut, whoever took it.
        if !omission, isCollective(subject), !clauseHasWithout(after: start) { return }
        if !statesCauses, isCollective(subject) || isWord(subject.end, in: ["i", "me", "myself"]) || subject.remote { return }
        // "customers who had not updated their SDK": the people affected, not the people responding.
        if !statesCauses, norm(subject.end) == "who" {
            var head = subject.end - 1
            if norm(head) == "," { head -= 1 }
            guard head >= 0, classify(head) == .person else { return }
        }
        emitPersonAsCause(from: subject.remote ? start : subject.start, to: end - 1, act: start,
                          kind: statesCauses ? .cause : .slip)
    }

    /// "accidentally", "mistakenly", "by mistake", "without checking" with a person acting.
    mutating func checkCauseAdverb(_ start: Int, _ end: Int) {
        guard !tokens[start].quoted else { return }
        // "we accidentally discovered the leak": a lucky find, not a slip.
        if isWord(end, in: Self.discoveryVerbs) { return }
        let subject = subject(before: start)
        if subject.referent == .person {
            // Underline through the verb the adverb modifies: "Sam accidentally deleted".
            var last = end - 1
            if end < tokens.count, tokens[end].kind == .word, sameSentence(end, start) { last = end }
            emitPersonAsCause(from: subject.remote ? start : subject.start, to: last, act: end, kind: .slip)
            return
        }
        // A passive with a person agent: "was mistakenly deleted by the operator",
        // "was entered incorrectly by the engineer".
        let k = end
        if k < tokens.count, isParticiple(k), isWord(k + 1, in: ["by"]), let agent = phrase(startingAt: k + 2),
           agent.referent == .person {
            emitPersonAsCause(from: start, to: agent.end, act: k, kind: .slip)
            return
        }
        if isParticiple(start - 1), isWord(start - 2, in: ["was", "were", "been", "being", "is", "are"]),
           isWord(end, in: ["by"]), let agent = phrase(startingAt: end + 1), agent.referent == .person {
            emitPersonAsCause(from: start - 1, to: agent.end, act: start - 1, kind: .slip)
            return
        }
        // The adverbial after the agent of a passive: "was removed by a network engineer by mistake".
        if let by = (max(0, start - 7)..<start).last(where: { isWord($0, in: ["by"]) && sameSentence($0, start) }),
           isParticiple(by - 1), isPassive(participle: by - 1), let agent = phrase(startingAt: by + 1),
           agent.end + 1 == start, classify(agent.end) == .person {
            emitPersonAsCause(from: by - 1, to: end - 1, act: by - 1, kind: .slip)
            return
        }
        // Trailing adverbials: "the engineer deleted the table by mistake"; a thing as the lead
        // subject ("the job ran without checking the lock") is behaviour.
        let lead = leadSubject(before: start)
        if lead.referent == .person, !isWord(start - 1, in: ["was", "were", "been", "being"]) {
            emitPersonAsCause(from: start, to: end - 1, act: nil, kind: .slip)
        }
    }

    /// "caused by the on-call engineer", "due to Sam's typo", "deleted by an intern".
    mutating func checkCauseAgent(_ start: Int, _ end: Int) {
        guard !tokens[start].quoted else { return }
        guard let agent = phrase(startingAt: end), agent.referent == .person, !isCollective(agent) else { return }
        // "a rookie mistake by …": the blame-word rule already reports the judgement.
        if isWord(start, in: Self.slipNouns), isWord(start - 1, in: ["rookie", "silly", "careless", "amateur", "stupid", "dumb", "sloppy", "simple", "honest"]) { return }
        // Only "caused/triggered/introduced by" and "the result of" state a cause in any section;
        // "deleted by the operator" or "due to the team being away" do so in a root-cause section.
        let causal = isWord(start, in: ["caused", "triggered", "introduced", "initiated", "result", "attributable", "attributed", "traced"])
            || isWord(start, in: Self.slipNouns)
            // "the mistake was made by a junior engineer"
            || norm(start) == "made" && (max(0, start - 4)..<start).contains { isWord($0, in: Self.slipNouns) }
        // An agentive passive of a damaging act or an omission pins the damage on the individual in any
        // section ("the bucket was deleted by the on-call engineer", "the alert was ignored by the
        // operator"); "was restarted by the on-call engineer" stays a step of the story.
        // The agent itself must be a person: "deleted by Sam's script" is about the script.
        let pinned = isWord(start, in: Self.pinnedParticiples) && isPassive(participle: start) && classify(agent.end) == .person
            && !isRoutineRemoval(participle: start, agentEnd: agent.end)
        guard causal || pinned || statesCauses else { return }
        emitPersonAsCause(from: start, to: agent.end, act: start, kind: causal || statesCauses ? .cause : .slip)
    }

    /// "because the on-call engineer was new", "because we did not …".
    mutating func checkCauseBecause(_ start: Int, _ end: Int) {
        // "not because people are careless" denies the cause.
        guard !tokens[start].quoted, !isNegated(before: start, window: 2, cues: WordClass.strongNegators) else { return }
        guard let actor = phrase(startingAt: end), actor.referent == .person else { return }
        var k = actor.end + 1
        guard let verb = norm(k) else { return }
        if WordClass.copulas.contains(verb) {
            k += 1
            while isWord(k, in: ["too", "very", "still", "quite", "already", "so", "not"]) { k += 1 }
            guard isWord(k, in: WordClass.personalStates) else { return }
            emitPersonAsCause(from: start, to: k, act: nil, kind: .cause)
        } else if !isCollective(actor), verb == "did" || verb == "had", isWord(k + 1, in: ["not", "never"]), let act = norm(k + 2),
                  statesCauses || Self.checkVerbs.contains(act) {
            emitPersonAsCause(from: start, to: k + 2, act: k, kind: .cause)
        }
    }

    /// "Root cause: the on-call engineer", "the primary cause was Sam's change".
    mutating func checkRootCauseLabel(_ start: Int, _ end: Int) {
        guard !tokens[start].quoted, end < tokens.count else { return }
        var k = end
        if tokens[k].kind == .punct {
            guard tokens[k].norm == ":" || tokens[k].norm == "—" else { return }
        } else if !isWord(k, in: ["was", "is", "were", "are"]) {
            return
        }
        k += 1
        guard k < tokens.count, let actor = phrase(startingAt: k), actor.referent == .person, !isCollective(actor) else { return }
        // Outside root-cause sections only a person as the cause itself counts: "Sam's change" is a change
        // (the name is the named-individual rule's business).
        guard statesCauses || classify(actor.end) == .person else { return }
        emitPersonAsCause(from: start, to: actor.end, act: nil, kind: .cause)
    }

    static let slipNouns: Set<String> = [
        "mistake", "mistakes", "oversight", "oversights", "slip", "slips", "lapse", "lapses", "blunder", "blunders",
        "error", "errors", "typo", "typos",
    ]

    static let pinnedParticiples: Set<String> = [
        "deleted", "dropped", "wiped", "truncated", "overwritten", "purged", "misconfigured", "mistyped",
        "ignored", "overlooked", "missed", "skipped", "bypassed", "forgotten",
    ]

    /// "The stale branches were deleted by the owner", "… deleted by the engineer as planned": a removal
    /// meant to happen, told as a step rather than pinned on someone.
    func isRoutineRemoval(participle: Int, agentEnd: Int) -> Bool {
        var k = participle - 1
        while k >= 0, participle - k <= 8, sameSentence(k, participle), tokens[k].kind != .punct {
            if isWord(k, in: Self.meantForRemoval) { return true }
            k -= 1
        }
        k = agentEnd + 1
        while k < tokens.count, k - agentEnd <= 4, sameSentence(k, agentEnd), tokens[k].kind != .punct {
            if isWord(k, in: ["as", "per", "according", "following"]),
               isWord(k + 1, in: ["planned", "intended", "expected", "part", "scheduled", "agreed", "the", "to", "designed"]) { return true }
            if isWord(k, in: ["intentionally", "deliberately", "purposely"]) || isWord(k, in: ["on"]) && isWord(k + 1, in: ["purpose"]) { return true }
            k += 1
        }
        return false
    }

    static let meantForRemoval: Set<String> = [
        "old", "stale", "temporary", "temp", "unused", "obsolete", "duplicate", "duplicated", "expired", "orphaned",
        "leftover", "deprecated", "dead", "test", "scratch", "outdated", "superseded", "redundant",
    ]

    /// "was deleted by", "had been quietly dropped by", "got wiped by": a passive auxiliary before the participle.
    func isPassive(participle: Int) -> Bool {
        var k = participle - 1
        while k >= 0, participle - k <= 3, isWord(k, in: WordClass.interveningAdverbs) || isWord(k, in: WordClass.participleAdverbs) { k -= 1 }
        return isWord(k, in: ["was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"])
    }

    func clauseHasWithout(after index: Int) -> Bool {
        var k = index + 1
        while k < tokens.count, k - index <= 10, sameSentence(k, index), tokens[k].kind != .punct {
            if norm(k) == "without" { return true }
            k += 1
        }
        return false
    }

    /// Checks a person is expected to make: "because someone did not read the runbook" blames in any section.
    static let checkVerbs: Set<String> = [
        "check", "checked", "test", "tested", "verify", "verified", "review", "reviewed", "read", "follow", "followed",
        "confirm", "confirmed", "validate", "validated", "escalate", "escalated", "notice", "noticed",
    ]

    static let discoveryVerbs: Set<String> = [
        "discovered", "found", "noticed", "learned", "learnt", "stumbled", "came", "spotted", "realised", "realized",
        "uncovered", "caught", "fixed", "solved", "resolved",
    ]

    /// "we", "the team", "engineering": the group owning the story, not an individual singled out.
    func isCollective(_ phrase: Phrase) -> Bool {
        guard let head = norm(phrase.end) else { return false }
        return Self.collectiveHeads.contains(head)
    }

    static let collectiveHeads: Set<String> = [
        "we", "us", "ourselves", "team", "teams", "squad", "squads", "crew", "staff", "people", "engineering",
        "ops", "everyone", "everybody", "folks", "management", "leadership", "organisation", "organization", "company",
    ]

    /// A pronoun right after a noun heads a reduced relative clause that describes the noun:
    /// "a sign we missed", "a recent change he made" are about the sign and the change.
    func isReducedRelative(_ subject: Phrase) -> Bool {
        guard subject.start == subject.end, isWord(subject.start, in: WordClass.personPronouns) else { return false }
        let previous = subject.start - 1
        guard previous >= 0, sameSentence(previous, subject.start) else { return false }
        if tokens[previous].kind == .object { return true }
        guard let word = norm(previous), !isNumeric(previous) else { return false }
        if WordClass.prepositions.contains(word) || WordClass.clauseStarters.contains(word)
            || WordClass.coordinators.contains(word) || WordClass.auxiliaries.contains(word)
            || WordClass.commonVerbs.contains(word) || WordClass.interveningAdverbs.contains(word)
            || WordClass.determiners.contains(word) || word.hasSuffix("ed") || word.hasSuffix("ly") {
            return false
        }
        return classify(previous) == .thing
    }

    enum PersonActKind { case slip, cause }

    private mutating func emitPersonAsCause(from first: Int, to last: Int, act: Int?, kind: PersonActKind) {
        let phrase = surface(byteRange(first, last))
        let message: String
        switch (kind, context) {
        case (.cause, _), (_, .rootCauses):
            message = "the stated cause is a person's action (\"\(phrase)\"), which stops at the first why"
        case (_, .timeline):
            message = "the timeline records a person's act as a slip (\"\(phrase)\") instead of what happened and what the tools showed"
        default:
            message = "describes a person's act as a slip (\"\(phrase)\"), which stops at the first why"
        }
        emit(.personAsCause, tokens: first, last, message: message, suggestion: systemRewrite(act: act, from: first, to: last))
    }
}

/// The six rules, in the order used to break ties between findings on the same words.
enum RuleKind: Int, CaseIterable, Sendable {
    case humanError, blameWord, personAsCause, counterfactual, hindsight, namedIndividual

    var id: String {
        switch self {
        case .humanError: "blameless/human-error"
        case .blameWord: "blameless/blame-word"
        case .personAsCause: "blameless/person-as-cause"
        case .counterfactual: "blameless/counterfactual"
        case .hindsight: "blameless/hindsight"
        case .namedIndividual: "blameless/named-individual"
        }
    }

    /// Whether a finding of this rule makes a finding of `other` inside it redundant.
    /// "Sam's fault" needs one underline, not three; but "could just have" keeps both the
    /// counterfactual and the minimiser because they teach different things.
    func subsumes(_ other: RuleKind) -> Bool {
        switch self {
        case .humanError, .blameWord: other != self
        case .personAsCause: other == .counterfactual || other == .namedIndividual || other == .hindsight
        case .hindsight: other == .counterfactual
        case .counterfactual, .namedIndividual: false
        }
    }
}

/// How a blame word is checked before it fires.
enum BlameCheck: Sendable {
    /// Fires unless negated, quoted or technical.
    case always
    /// Fires unless the subject is clearly a thing ("the migration messed up the index").
    case personOrNone
    /// "be more careful": fires unless the subject behind the modals is a thing ("the check should be more thorough").
    case attentionAdvice
    /// "unacceptable": fires when the conduct judged is a person's ("we spent way too long …; this is unacceptable").
    case conduct
    /// "lazy" unless a technical noun follows ("lazy loading").
    case lazy
    /// "dumb" unless a technical noun follows ("dumb terminal").
    case dumb
    /// "stupid" unless "stupid-simple".
    case stupid
    /// Fires unless it describes a thing ("the cache is ignorant of tenants").
    case unlessThing
    /// "X was at fault": fires only when X is a person.
    case atFault
    /// "Sam's fault", "their fault": fires when the possessor is a person.
    case possessiveFault
    /// "to blame": fires unless negated or the subject is a thing.
    case toBlame
    /// "culprit", "perpetrator": fires when the referent is a person.
    case culprit
    /// "the fault of X", "the blame lies with X": fires when X is a person.
    case faultWith
}

/// What kind of judgement a blame word makes; chooses the rewrite offered.
enum BlameGroup: Sendable {
    case attention, competence, character, fault, hindsight
}

/// Counterfactual modals.
enum ModalKind: Sendable { case should, could }

/// Minimiser constructions: "just had to", "could simply have", "just restart".
enum MinimiserKind: Sendable {
    case hadTo, modal, verb, phrase
    /// "All the on-call had to do was …": an "all" a few words before.
    case allItTook
}

/// What to do when a lexicon phrase matches.
enum MatchAction: Sendable {
    /// Suppresses every other match lying inside this span ("lazy loading", "git blame").
    case veto
    case humanError(upperOnly: Bool)
    case blame(BlameCheck, BlameGroup)
    case modal(ModalKind)
    case failure
    /// "despite being aware", "was not followed".
    case omission
    case hindsightPhrase
    case hindsightAdverb
    case obvious
    case minimiser(MinimiserKind)
    case causeVerb
    /// An omission stated as a cause ("we missed the notice").
    case omissionVerb
    /// A predicate that judges a person's act wherever it is written ("forgot to", "ignored").
    case faultVerb
    case causeAdverb
    case causeAgent
    case causeBecause
    case rootCauseLabel
    case person(Int)
    case deny(String)
}

struct LexiconEntry: Sendable {
    var pattern: String
    var action: MatchAction
}

/// The built-in lexicon, written for Inquest. Patterns use `PatternExpander` syntax.
enum Lexicon {
    static let entries: [LexiconEntry] = {
        var list: [LexiconEntry] = []
        func add(_ action: MatchAction, _ patterns: String...) {
            for pattern in patterns { list.append(LexiconEntry(pattern: pattern, action: action)) }
        }

        // MARK: human-error — a person's fallibility named as the cause.
        add(.humanError(upperOnly: false),
            "human error|errors|mistake|mistakes|slip|slips|failure|failures|fault|blunder|blunders|factor",
            "human caused|induced|triggered",
            "operator error|errors|mistake|mistakes|slip|slips|blunder|blunders|fault|induced",
            "user error|errors|mistake|mistakes|induced",
            "manual error|errors|mistake|mistakes",
            "pilot error|errors",
            "admin|administrator|sysadmin error|errors|mistake|mistakes",
            "engineer|developer|programmer|personnel|staff error|errors|mistake|mistakes",
            "pebkac", "pebcak", "pebkak", "id10t", "id 10 t", "id ten t",
            "layer 8|eight issue|issues|problem|problems|error|errors|bug",
            "fat finger|fingers|fingered|fingering", "fatfinger|fatfingers|fatfingered|fatfingering",
            "finger trouble", "wetware bug|error|issue|problem|failure",
            "between keyboard and chair", "between chair and keyboard", "between the keyboard and the chair",
            "between the chair and the keyboard")
        add(.humanError(upperOnly: true), "picnic")
        add(.veto, "human factors", "human factors engineering", "human error rate|rates",
            "human error budget", "human in the loop")

        // MARK: blame-word — judgements of people.
        add(.blame(.always, .attention),
            "careless", "carelessly", "carelessness", "sloppy", "sloppily", "sloppiness", "inattentive",
            "inattentiveness", "thoughtless", "thoughtlessly", "heedless", "heedlessly", "mindless",
            "mindlessly", "absent minded", "absentminded", "absentmindedly", "forgetful", "forgetfulness",
            "not|never paying attention", "lack of attention|care|focus",
            "asleep at the wheel|switch", "asleep on the job", "sleeping on the job", "butterfingers",
            "butter fingers", "brain fart|farts", "brainfart|brainfarts")
        add(.blame(.unlessThing, .attention), "oblivious", "obliviously")
        add(.blame(.personOrNone, .attention),
            "did not|never pay attention", "failed to pay attention")
        // Advice that grades attention: "we should be more careful", "be more aware of …".
        add(.blame(.attentionAdvice, .attention),
            "be|being more careful|aware|attentive|diligent|vigilant|thorough|cautious|mindful|rigorous|alert",
            "pay|paid more attention", "take|took more care")
        add(.blame(.conduct, .character), "unacceptable")
        add(.blame(.personOrNone, .fault), "solely|entirely|wholly|personally responsible for")
        add(.blame(.always, .competence),
            "idiot", "idiots", "idiotic", "idiotically", "idiocy", "incompetent", "incompetence",
            "incompetently", "clueless", "cluelessness", "foolish", "foolishly", "foolishness", "moron",
            "morons", "moronic", "imbecile", "imbeciles", "dimwit", "dimwits", "dimwitted", "halfwit",
            "nitwit", "numpty", "muppet", "muppets", "dunce", "knucklehead", "knuckleheads", "bonehead",
            "boneheads", "boneheaded", "amateurish", "amateur hour", "amateur mistake|mistakes|error|errors|move",
            "rookie mistake|mistakes|error|errors|move|moves", "silly mistake|mistakes|error|errors",
            "inept", "ineptly", "ineptitude", "buffoon", "buffoons",
            "buffoonery", "clown", "clowns", "lapse|lapses in|of judgment|judgement",
            "error|errors in|of judgment|judgement", "poor|bad|questionable judgment|judgement",
            "ham fisted", "hamfisted")
        add(.blame(.stupid, .competence), "stupid", "stupidly", "stupidity")
        add(.blame(.unlessThing, .competence), "ignorant", "ignorantly", "ignorance")
        add(.blame(.dumb, .competence), "dumb", "dumber", "dumbest")
        add(.blame(.lazy, .character), "lazy", "laziness")
        add(.blame(.always, .character),
            "negligent", "negligently", "negligence", "reckless", "recklessly", "recklessness",
            "irresponsible", "irresponsibly", "irresponsibility", "unprofessional", "unprofessionally",
            "unprofessionalism", "inexcusable", "inexcusably", "unforgivable", "cowboy", "cowboys",
            "cowboying", "cavalier", "complacent", "complacency", "arrogant", "arrogance", "overconfident",
            "overconfidence", "dereliction", "derelict", "culpable", "culpability", "blameworthy",
            "guilty of", "guilty party", "willful|wilful|willfully|wilfully", "blatant disregard",
            "flagrant", "flagrantly", "lack of diligence|professionalism|discipline|competence|effort|rigor|rigour", "lack of due diligence",
            "shoddy", "shoddily", "half assed|arsed", "halfassed", "slacker", "slackers",
            "slacked|slacking|goofing|goofed off", "not|never doing their|his|her|your|my|our job",
            "did not|never do their|his|her|your|my|our job", "no excuse", "shame on", "should be ashamed",
            "corner cutting")
        add(.blame(.personOrNone, .character),
            "cut|cuts|cutting corners", "could not be bothered", "can not be bothered", "cannot be bothered")
        add(.blame(.always, .fault),
            "botched", "botch", "botches", "botching", "bungled", "bungle", "bungling", "blunder", "blunders",
            "blundered", "screwup", "screwups", "goof up|ups", "mess up|ups")
        add(.blame(.personOrNone, .fault),
            "screwed|screw|screws|screwing up", "messed|messes|messing up", "goofed|goofs|goofed up",
            "dropped|drop|drops|dropping the ball", "fumbled|fumble|fumbles the ball",
            "rubber stamped|stamp|stamps|stamping", "rubberstamped", "went|go|goes|going|gone rogue", "panicked",
            "took|take|takes|taking too long to respond|react|notice|escalate|acknowledge|act|reply")
        add(.blame(.atFault, .fault), "at fault")
        add(.blame(.possessiveFault, .fault), "'s fault", "his|her|their|my|our|your fault", "'s mistake")
        add(.blame(.toBlame, .fault), "to blame")
        add(.blame(.faultWith, .fault),
            "fault of", "fault lies|lay|lie|rests|rested with", "blame lies|lay|lie|rests|rested|falls|fell with|on",
            "blame belongs to")
        add(.blame(.always, .fault),
            "put|puts|putting|place|placed|places|placing|lay|laid|laying|pin|pinned|pinning the blame",
            "point|pointed|pointing the finger", "finger pointing")
        add(.blame(.culprit, .fault), "culprit", "culprits", "perpetrator", "perpetrators", "offender", "offenders")
        add(.blame(.always, .hindsight),
            "should have known better", "ought to have known better", "should know better",
            "knew better")
        add(.veto, "git blame", "blame output", "blame view", "blame annotations", "stupid simple",
            "lazy loading", "automation complacency", "not to blame", "no one is to blame",
            "nobody is to blame", "nobody 's fault", "no one 's fault", "noone 's fault", "not anyone 's fault",
            "not at fault", "no one was at fault", "nobody was at fault", "fault of its own",
            "no fault of", "no fault", "blame free", "blameless", "culprit was not",
            "dumb down", "dumbed down")

        // MARK: counterfactual — what a person should/could have done.
        add(.modal(.should),
            "should ?never|not|just|simply|really|also|definitely|probably|certainly|obviously|clearly|still have",
            "ought ?not to have", "ought not have", "should at least have")
        add(.modal(.could), "could ?just|simply|easily|really|also|definitely|probably|certainly|obviously|clearly have",
            "could at least have")
        add(.failure,
            "failed|fail|fails to", "had failed to", "neglected|neglects to", "did not|never bother to",
            "did not|never bother checking|testing|reading|looking", "never bothered to", "bothered to", "omitted to",
            "was|were supposed to")
        add(.omission,
            "despite|notwithstanding being aware|warned|told", "in spite of being aware|warned|told",
            "despite|notwithstanding knowing", "was|were|is|are not followed|heeded", "had not been followed|heeded",
            "was|were ignored|disregarded", "had been ignored|disregarded")

        // MARK: hindsight — obviousness and minimising.
        add(.hindsightPhrase,
            "of course", "everyone|everybody knows", "we all know", "as everyone|everybody|we all knows|know",
            "should have been obvious|caught|noticed|spotted|seen|apparent|clear|evident|foreseen|predictable",
            "ought to have been obvious|caught|noticed|apparent|clear|evident",
            "could easily have been avoided|prevented|caught", "easily avoidable|preventable|avoided|prevented",
            "easy to avoid|prevent", "trivially avoidable|preventable|avoided|prevented",
            "anyone|anybody could|would have seen|caught|noticed|spotted|known|predicted",
            "any competent|reasonable|experienced|good|sensible engineer|developer|operator|person|admin",
            "no brainer", "nobrainer", "a simple matter of", "just a matter of", "a simple mistake",
            "it is|was obvious", "in hindsight it is|was obvious|clear", "it was plain|evident to see",
            "plain to see", "as plain as day", "staring us|them|him|her|you in the face")
        add(.veto, "matter of course", "matter of time", "just a matter of time", "simply put",
            "put simply")
        add(.hindsightAdverb, "obviously", "clearly")
        add(.obvious, "obvious")
        add(.minimiser(.hadTo),
            "just|simply|merely|only had|needed|need|needs|has|have to",
            "just|simply|merely|only had|has|have got to")
        add(.minimiser(.modal),
            "could|should|would|can just|simply|merely", "could|should|would have just|simply|merely")
        add(.minimiser(.phrase),
            "all you|they|we|he|she|anyone|someone|one|i had|needed|need|has|have to do",
            "all you|they|we|he|she|anyone|someone|one|i had|needed|need|has|have to do was|is")
        add(.minimiser(.allItTook), "had|needed|need|has|have to do was|is")
        for verb in WordClass.minimisedVerbs {
            add(.minimiser(.verb), "just|simply|merely \(verb)")
        }

        // MARK: person-as-cause — a person's act judged as a slip (anywhere) or stated as the cause.
        // Predicates that judge the act whatever the section: a person forgot, neglected, ignored.
        add(.faultVerb,
            "forgot|forget|forgets", "forgot to", "ignored", "overlooked", "misread", "misconfigured", "mistyped",
            "misunderstood", "misjudged", "misinterpreted", "misremembered", "neglected",
            "did not|never follow|heed", "had not|never followed|heeded",
            "made a|an mistake|error|typo|mistakes|errors|blunder", "chose|decided to ignore|skip|bypass",
            "dismissed|silenced|muted|snoozed", "rushed")
        // Acts that are neutral in a story ("we deployed the fix") and blame only when stated as the cause.
        // Omissions: a cause in a root-cause section whoever the person is, "we" included.
        add(.omissionVerb,
            "missed", "skipped", "failed to", "neglected to",
            "did not|never check|test|verify|review|notice|read|run|wait|update|escalate|confirm|validate|double",
            "had not|never checked|tested|verified|reviewed|noticed|read|run|updated|escalated|confirmed|validated",
            "never checked|tested|verified|reviewed|ran|updated|escalated|confirmed|validated")
        // Plain acts: a cause in a root-cause section when an individual is singled out.
        add(.causeVerb,
            "broke", "pushed", "ran", "deleted", "dropped", "typed",
            "deployed", "merged", "approved", "restarted", "rebooted",
            "removed", "changed", "modified", "introduced", "committed", "executed", "applied", "disabled",
            "shipped", "released", "truncated", "overwrote", "edited", "clicked",
            "chose|decided to",
            "rolled out", "turned off", "switched off", "killed", "wiped", "purged", "flushed",
            "promoted", "revoked", "rotated", "renamed", "reverted", "bypassed", "overrode", "force pushed",
            "triggered", "kicked off", "upgraded", "downgraded")
        add(.veto, "ran|run|runs|running out", "ran|run into", "broke out", "dropped off|out")
        add(.causeAdverb, "accidentally", "mistakenly", "inadvertently", "unintentionally", "erroneously",
            "wrongly", "incorrectly", "by mistake", "by accident", "carelessly", "unknowingly", "hurriedly",
            "hastily", "blindly", "recklessly", "without checking|testing|reviewing|reading|verifying|looking|asking",
            "without understanding|confirming|noticing|thinking", "without double checking")
        // "a mistake by the DBA", "an oversight by the on-call engineer": the slip attributed to a person anywhere.
        add(.causeAgent, "mistake|mistakes|oversight|oversights|slip|slips|lapse|lapses|blunder|blunders by")
        let causeParticiples = "deleted|dropped|pushed|run|executed|deployed|merged|approved|applied|typed|"
            + "entered|changed|modified|misconfigured|rebooted|restarted|removed|disabled|truncated|"
            + "overwritten|shipped|released|edited|introduced|committed|triggered|initiated|caused|started|"
            + "made|done|missed|ignored|overlooked|skipped|reverted|killed|wiped|purged|flushed|bypassed|"
            + "mistyped|forgotten"
        add(.causeAgent,
            "\(causeParticiples) by", "due to", "because of", "owing to", "result of",
            "attributable to", "attributed to", "traced to", "traced back to", "down to")
        add(.causeBecause, "because")
        add(.rootCauseLabel,
            "root cause|causes", "primary|main|proximate|direct|underlying|immediate cause", "the cause",
            "cause")
        return list
    }()
}

/// How a rule scored on the real development set (postmortems the project did not write,
/// labelled line by line; `make eval` reproduces the numbers).
public struct BlamelessMeasurement: Sendable, Equatable {
    /// Findings on the development set, and how many of them fell on lines labelled blaming or naming.
    public let findings: Int
    public let correct: Int
    /// Lines labelled for this rule, and how many of them the rule caught.
    public let labelled: Int
    public let caught: Int

    /// Precision, or nil when the rule found nothing.
    public var precision: Double? { findings == 0 ? nil : Double(correct) / Double(findings) }
    /// Recall of the lines labelled for this rule, or nil when none were.
    public var recall: Double? { labelled == 0 ? nil : Double(caught) / Double(labelled) }

    /// The documents of the development set.
    public static let documents = 45
    /// A rule is an error by default only when its measured precision is at least this …
    public static let errorPrecision = 0.95
    /// … over at least this many findings, so that one lucky finding does not make a gate.
    public static let errorMinimumFindings = 5

    /// `"error"` when the measurement earns it, `"warning"` otherwise.
    public var defaultSeverity: String {
        guard let precision, precision >= Self.errorPrecision, findings >= Self.errorMinimumFindings else { return "warning" }
        return "error"
    }

    /// One sentence for `inquest explain`.
    public var sentence: String {
        func fmt(_ value: Double) -> String {
            let scaled = Int((value * 100).rounded())
            return scaled == 100 ? "1.00" : "0." + (scaled < 10 ? "0" : "") + String(scaled)
        }
        let precisionText = precision.map { "precision \(fmt($0)) (\(correct) of \(findings) findings right)" }
            ?? "no findings, so no precision"
        let recallText = recall.map { "recall \(fmt($0)) (\(caught) of \(labelled) lines labelled for this rule)" }
            ?? "no lines labelled for this rule"
        return "Measured on a real development set (\(Self.documents) postmortems by two teams, labelled line by line; "
            + "make eval): \(precisionText), \(recallText). Default severity: error only with precision of at least "
            + "0.95 over at least \(Self.errorMinimumFindings) findings, warning otherwise."
    }
}

/// Documentation for one blameless rule, as shown by `inquest explain`.
public struct BlamelessRuleInfo: Sendable {
    /// Stable id, e.g. `"blameless/counterfactual"`.
    public let id: String
    /// How the rule scored on the real development set; decides ``defaultSeverity``.
    public let measured: BlamelessMeasurement
    /// `"error"` or `"warning"`, from ``measured``.
    public var defaultSeverity: String { measured.defaultSeverity }
    /// One line: what the rule reports.
    public let summary: String
    /// Why it matters, in terms of blameless postmortems and the five whys.
    public let rationale: String
    /// Sentences that produce this rule with default options, read as root-cause prose for
    /// `blameless/person-as-cause` and as narrative prose for every other rule.
    public let triggering: [String]
    /// Near-misses that must not produce this rule, in the same section.
    public let passing: [String]

    /// How to tell the rule about a repository's people, teams and phrases (for `inquest explain`).
    public static let configuration = "Configure in inquest.yml under blameless: people (full names; the first name "
        + "then counts too), teams (@handles that are teams, not people), allow (phrases never reported), deny (phrases "
        + "always reported as blameless/blame-word), git_authors (commit authors count as people, true by default). "
        + "Without configuration, first names come from a built-in lexicon (1990 US Census first names, public domain) "
        + "and count only where a person acts: before a verb, as the agent of a passive, or as a parenthesised full name. "
        + "A capitalised word missing from the lexicon counts as a name only before a verb that only people use "
        + "(looked at, decided, asked, investigated); other names need people."
}

/// The development-set measurements behind each rule's default severity (issue 12; `make eval`).
/// `BlamelessCorpusTests` recomputes them whenever `../shared/corpora` is present.
enum Measured {
    static let humanError = BlamelessMeasurement(findings: 1, correct: 1, labelled: 1, caught: 1)
    static let counterfactual = BlamelessMeasurement(findings: 5, correct: 5, labelled: 5, caught: 5)
    static let blameWord = BlamelessMeasurement(findings: 5, correct: 5, labelled: 5, caught: 5)
    static let personAsCause = BlamelessMeasurement(findings: 3, correct: 3, labelled: 2, caught: 2)
    static let namedIndividual = BlamelessMeasurement(findings: 11, correct: 11, labelled: 11, caught: 10)
    static let hindsight = BlamelessMeasurement(findings: 0, correct: 0, labelled: 0, caught: 0)
}

/// The catalogue of blameless-language rules.
public enum BlamelessRules {
    /// All six rules, in a stable order.
    public static let all: [BlamelessRuleInfo] = [
        BlamelessRuleInfo(
            id: RuleKind.humanError.id,
            measured: Measured.humanError,
            summary: "human, operator or user error named as a cause",
            rationale: """
                People slip at a predictable rate; a system that turns one slip into an outage has a \
                missing guardrail. Writing "human error" answers the first why and stops there, so the \
                second why (what let a single typo reach production?) is never asked. Name the guardrail \
                that was missing instead. Mentions of human error as a risk to design against ("to reduce \
                the chance of human error") are not reported.
                """,
            triggering: [
                "The outage was caused by human error.",
                "Root cause: operator error during the failover.",
                "Classic PEBKAC, nothing to fix.",
                "An engineer fat-fingered the replica count.",
                "This was a layer 8 issue.",
            ],
            passing: [
                "Assumed user error at the time; ruled out at 10:20.",
                "Automating the rotation removes the chance of human error.",
                "The user error rate rose to 4% after the release.",
                "The API returned user errors for malformed requests.",
                "The team picnic was postponed.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.counterfactual.id,
            measured: Measured.counterfactual,
            summary: "counterfactuals about what a person should, could or failed to have done",
            rationale: """
                "Should have" compares people with an imagined world in which they knew the ending. It \
                explains nothing about why the choice made sense at the time, which is what the five whys \
                need. The same words about a system ("the probe should have restarted the pod") state a \
                design expectation and are fine, so the rule only fires when the subject is a person.
                """,
            triggering: [
                "The on-call engineer should have checked the replication lag.",
                "We shouldn't have deployed on a Friday.",
                "The reviewer failed to notice the missing index.",
                "If the DBA had run the dry-run first, the table would still exist.",
                "Someone could have rolled back sooner.",
                "Did not disable the pipeline despite being aware of the risk.",
                "The new component shouldn't have been rushed to production.",
            ],
            passing: [
                "Appointing an incident manager could have helped.",
                "Share the test plan so the teams could have tested their own routes.",
                "The health probe should have restarted the pod.",
                "The importer failed to parse the header.",
                "A timeout that should have been 5 s was 5 ms.",
                "We could have lost the whole shard.",
                "Engineers should have read access to the audit log.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.blameWord.id,
            measured: Measured.blameWord,
            summary: "words that judge people: careless, negligent, at fault, dropped the ball",
            rationale: """
                A judgement of a person replaces an explanation of the situation. Once someone is called \
                careless, the investigation stops asking why the careful path was harder than the careless \
                one. Describe the conditions instead. Technical senses (lazy loading, fault tolerance, \
                git blame, a dumb terminal) and judgements of things rather than people are not reported.
                """,
            triggering: [
                "It was a careless mistake.",
                "The on-call engineer was at fault.",
                "This was entirely Sam's fault.",
                "Someone dropped the ball on the certificate renewal.",
                "The culprit was the new intern.",
                "We should be more careful with changes late on a Friday.",
            ],
            passing: [
                "We rely on lazy loading for the settings page.",
                "The fault lay in the RAID controller.",
                "The git blame output pointed to a 2019 commit.",
                "The culprit process held 40 GB of memory.",
                "Nobody was at fault.",
                "The readiness check should be more thorough.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.personAsCause.id,
            measured: Measured.personAsCause,
            summary: "a person's act judged as a slip (any section) or stated as the cause",
            rationale: """
                "Sam pushed a bad config" is true and useless: it is the first why. The five whys continue \
                with "which property of the system made this possible?" — no validation, a shared \
                credential, a default that pointed at production. A person (a role, a name, "we", "I", also \
                as the agent of a passive) as the subject of a judging predicate — forgot to, neglected, \
                ignored the alert, mistakenly, accidentally, wrongly assumed, without checking — is reported \
                in every section, timeline rows and table cells included; the section only changes the \
                wording. A neutral act ("the engineer ran the script") is reported where it is stated as the \
                cause: in a root-cause section when an individual is singled out (or "we" skipped a step or \
                acted without a safeguard), or anywhere with causal framing ("caused by the operator", "a \
                mistake by the DBA"). An agentive passive of a damaging act or an omission ("the bucket was \
                deleted by the on-call engineer", "the warning was overlooked by the reviewer") pins it on the \
                individual in any section; "was restarted by the on-call engineer" stays a step of the story. So \
                does a check an individual skipped ("the developer never tested the change"); "we did not \
                check" stays the writers' own account outside root-cause sections. \
                Each finding suggests a rewrite built from the sentence.
                """,
            triggering: [
                "The on-call engineer ran the cleanup script against production.",
                "We forgot to renew the certificate.",
                "The outage was caused by an engineer running a migration by hand.",
                "Root cause: the new hire.",
                "The intern accidentally deleted the bucket.",
                "An engineer mistakenly wiped the data directory on the primary.",
                "The table was accidentally dropped by the DBA.",
                "The production bucket was deleted by the on-call engineer during cleanup.",
            ],
            passing: [
                "On June 15 we upgraded the provider to 3.45.",
                "The outage was the result of a recent change he made to the cache keys.",
                "We accidentally discovered the leak while profiling.",
                "The deploy pipeline pushed the image without running the smoke tests.",
                "A cron job ran the cleanup script against production.",
                "The outage was caused by a race between the two writers.",
                "Root cause: the certificate expired because renewal was manual.",
                "The config was deleted by the cleanup cron job.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.namedIndividual.id,
            measured: Measured.namedIndividual,
            summary: "a named person or @handle as an actor (not in action items)",
            rationale: """
                Names draw the reader to who acted and away from the conditions they acted in, and they \
                make people wary of the next postmortem. Roles ("the on-call engineer", "the reviewer") \
                carry the same information for the five whys. Action items are exempt: owners belong there. \
                Configured people and @handles are always names; other first names count only where a person \
                acts, so "In May", "Will the quota hold?", "Mark the ticket", dates such as "Jan 14" and \
                package versions such as @7.1.2 are not reported.
                """,
            triggering: [
                "@sam restarted the primary at 10:04.",
                "The change was approved by @priya.",
                "Sam restarted the primary at 10:04.",
                "The throttling was identified by Emil C. in the node logs.",
            ],
            passing: [
                "In May we moved the scheduler to the new cluster.",
                "Will the new quota cover the holiday peak?",
                "Jan 14, 10:18: the vendor restored the API.",
                "Version @7.1.2 of the SDK was pinned.",
                "@dba-team restarted the primary at 10:04.",
                "The on-call engineer restarted the primary at 10:04.",
                "The timber logger dropped lines.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.hindsight.id,
            measured: Measured.hindsight,
            summary: "hindsight and minimising: obviously, clearly, of course, just had to",
            rationale: """
                Everything looks obvious once the ending is known. "Obviously" and "just had to roll back" \
                tell readers the responders missed something easy, which hides the real question for the \
                five whys: what made it hard to see at the time? Descriptions of evidence ("an obvious step \
                in the graph"), displays ("clearly labelled") and system behaviour ("the proxy simply \
                forwards") are not reported, nor are time uses of "just". "In hindsight" on its own is not \
                reported: it admits hindsight rather than hiding it.
                """,
            triggering: [
                "Obviously the cache was stale.",
                "It should have been obvious that the disk was filling.",
                "The responder just had to roll back.",
                "Of course, nobody checked the TTL.",
                "You can simply restart the pod.",
            ],
            passing: [
                "The alert fired just after the deploy.",
                "The graph showed an obvious step at 10:02.",
                "The proxy simply forwards what it cannot parse.",
                "The button is clearly labelled.",
                "Instead of debugging in production, just roll back.",
                "We just migrated to v3.",
            ]),
    ]
}

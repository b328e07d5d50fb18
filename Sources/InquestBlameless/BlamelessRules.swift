/// Documentation for one blameless rule, as shown by `inquest explain`.
public struct BlamelessRuleInfo: Sendable {
    /// Stable id, e.g. `"blameless/counterfactual"`.
    public let id: String
    /// `"error"` or `"warning"`.
    public let defaultSeverity: String
    /// One line: what the rule reports.
    public let summary: String
    /// Why it matters, in terms of blameless postmortems and the five whys.
    public let rationale: String
    /// Sentences that produce this rule with default options, read as root-cause prose for
    /// `blameless/person-as-cause` and as narrative prose for every other rule.
    public let triggering: [String]
    /// Near-misses that must not produce this rule, in the same section.
    public let passing: [String]
}

/// The catalogue of blameless-language rules.
public enum BlamelessRules {
    /// All six rules, in a stable order.
    public static let all: [BlamelessRuleInfo] = [
        BlamelessRuleInfo(
            id: RuleKind.humanError.id,
            defaultSeverity: "error",
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
                "Automating the rotation removes the chance of human error.",
                "The user error rate rose to 4% after the release.",
                "The API returned user errors for malformed requests.",
                "The team picnic was postponed.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.counterfactual.id,
            defaultSeverity: "error",
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
            ],
            passing: [
                "The health probe should have restarted the pod.",
                "The importer failed to parse the header.",
                "A timeout that should have been 5 s was 5 ms.",
                "We could have lost the whole shard.",
                "Engineers should have read access to the audit log.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.blameWord.id,
            defaultSeverity: "error",
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
            ],
            passing: [
                "We rely on lazy loading for the settings page.",
                "The fault lay in the RAID controller.",
                "The git blame output pointed to a 2019 commit.",
                "The culprit process held 40 GB of memory.",
                "Nobody was at fault.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.personAsCause.id,
            defaultSeverity: "error",
            summary: "a root cause stated as a person's action (root-cause sections only)",
            rationale: """
                "Sam pushed a bad config" is true and useless: it is the first why. The five whys continue \
                with "which property of the system made this possible?" — no validation, a shared \
                credential, a default that pointed at production. Root-cause sections should state those \
                properties, because they are what action items can change.
                """,
            triggering: [
                "The on-call engineer ran the cleanup script against production.",
                "We forgot to renew the certificate.",
                "The outage was caused by an engineer running a migration by hand.",
                "Root cause: the new hire.",
                "The intern accidentally deleted the bucket.",
            ],
            passing: [
                "The deploy pipeline pushed the image without running the smoke tests.",
                "A cron job ran the cleanup script against production.",
                "The outage was caused by a race between the two writers.",
                "Root cause: the certificate expired because renewal was manual.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.namedIndividual.id,
            defaultSeverity: "error",
            summary: "a named person or @handle as an actor (not in action items)",
            rationale: """
                Names draw the reader to who acted and away from the conditions they acted in, and they \
                make people wary of the next postmortem. Roles ("the on-call engineer", "the reviewer") \
                carry the same information for the five whys. Action items are exempt: owners belong there.
                """,
            triggering: [
                "@sam restarted the primary at 10:04.",
                "The change was approved by @priya.",
            ],
            passing: [
                "@dba-team restarted the primary at 10:04.",
                "The on-call engineer restarted the primary at 10:04.",
                "The timber logger dropped lines.",
            ]),
        BlamelessRuleInfo(
            id: RuleKind.hindsight.id,
            defaultSeverity: "warning",
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
                "We just migrated to v3.",
            ]),
    ]
}

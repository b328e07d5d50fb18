import XCTest
import InquestBlameless

final class PersonAsCauseRuleTests: XCTestCase {
    func testPersonSubjectWithCauseVerbInRootCauses() {
        let cases: [(String, String)] = [
            ("The on-call engineer ran the cleanup script against production.", "The on-call engineer ran"),
            ("We forgot to renew the certificate.", "We forgot to"),
            ("The reviewer failed to check the migration.", "The reviewer failed to"),
            ("The DBA missed the replication alert.", "The DBA missed"),
            ("The team ignored the capacity warnings.", "The team ignored"),
            ("A support agent overlooked the fraud flag.", "A support agent overlooked"),
            ("The release manager did not follow the checklist.", "The release manager did not follow"),
            ("The release manager didn't follow the checklist.", "The release manager didn't follow"),
            ("Our engineers skipped the staging soak.", "Our engineers skipped"),
            ("The intern accidentally deleted the bucket.", "The intern accidentally deleted"),
            ("Mei mistakenly ran the job twice.", "Mei mistakenly ran"),
            ("An engineer inadvertently promoted the replica.", "An engineer inadvertently promoted"),
            ("The administrator broke the replication.", "The administrator broke"),
            ("Sam pushed a config with an invalid regex.", "Sam pushed"),
            ("A developer typed the wrong cluster name.", "A developer typed"),
            ("They dropped the wrong table.", "They dropped"),
            ("A developer misconfigured the connection pool.", "A developer misconfigured"),
            ("The author deployed from a stale branch.", "The author deployed"),
        ]
        for (text, words) in cases {
            assertFinds(Rule.personAsCause, words, in: text, .rootCauses)
        }
    }

    func testCausePhrasesNamingAPerson() {
        assertFinds(Rule.personAsCause, "caused by an engineer",
                    in: "The outage was caused by an engineer running a migration by hand.", .rootCauses)
        assertFinds(Rule.personAsCause, "because the on-call engineer was new",
                    in: "It happened because the on-call engineer was new to the system.", .rootCauses)
        assertFinds(Rule.personAsCause, "Root cause: the new hire", in: "Root cause: the new hire.", .rootCauses)
        assertFinds(Rule.personAsCause, "Due to the engineer's typo",
                    in: "Due to the engineer's typo, all traffic went to one region.", .rootCauses)
        assertFinds(Rule.personAsCause, "dropped by a contractor",
                    in: "The table was dropped by a contractor cleaning up test data.", .rootCauses)
        assertFinds(Rule.personAsCause, "Caused by @jordan", in: "Caused by @jordan deploying from a stale branch.", .rootCauses)
    }

    func testOnlyInRootCauseSections() {
        let text = "The on-call engineer ran the cleanup script against production."
        for context in [ProseContext.narrative, .timeline, .actionItems, .other] {
            assertNoFinding(Rule.personAsCause, in: text, context)
        }
    }

    func testSystemCausesAreFine() {
        let texts = [
            "The deploy pipeline pushed the image.",
            "A cron job ran the cleanup script.",
            "The outage was caused by a race between the two writers.",
            "Root cause: the certificate expired because renewal was manual.",
            "The migration tool dropped the index before rebuilding it.",
            "Due to a misconfigured health check, the load balancer drained every backend.",
            "The alert was disabled by the migration script.",
            "We ran out of disk on the primary.",
            "The validation step was skipped because the flag defaulted to false.",
            "\u{FFFC} pushed the image before checks finished.",
        ]
        for text in texts { assertNoFinding(Rule.personAsCause, in: text, .rootCauses) }
    }

    func testSubsumesTheNameAndTheCounterfactualItContains() {
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(people: ["Sam Porter"]))
        let text = "Sam failed to drain the node."
        let findings = analyze(text, .rootCauses, analyzer: analyzer)
        XCTAssertEqual(findings.map(\.rule), [Rule.personAsCause])
        XCTAssertEqual(findings.first.map { underlined($0, in: text) }, "Sam failed to")
    }

    func testSuggestionAsksTheFiveWhysQuestion() throws {
        let finding = try XCTUnwrap(analyze("We forgot to renew the certificate.", .rootCauses).first)
        XCTAssertTrue(finding.suggestion?.contains("which property of the system made this possible?") ?? false)
    }

    // MARK: Every section (issue 12)

    func testSlipsAreReportedInEverySection() {
        for context in ProseContext.allCases {
            assertFinds(Rule.personAsCause, "An engineer mistakenly wiped", in: "An engineer mistakenly wiped the data directory.", context)
            assertFinds(Rule.personAsCause, "the operator ignored", in: "At 10:04 the operator ignored the disk alert.", context)
        }
        assertFinds(Rule.personAsCause, "We wrongly assumed", in: "We wrongly assumed the chart set resource limits.")
        assertFinds(Rule.personAsCause, "we mistakenly thought", in: "We dismissed the alert because we mistakenly thought the usage was safe.")
        assertFinds(Rule.personAsCause, "I hurriedly approved", in: "I hurriedly approved the pull request.")
    }

    func testPassivesWithAPersonAgent() {
        assertFinds(Rule.personAsCause, "accidentally dropped by the DBA", in: "The table was accidentally dropped by the DBA.")
        assertFinds(Rule.personAsCause, "caused by the on-call engineer", in: "The outage was caused by the on-call engineer.", .timeline)
        assertNoFinding(Rule.personAsCause, in: "The table was dropped by the retention job.")
        assertFinds(Rule.personAsCause, "entered incorrectly by the engineer", in: "One input was entered incorrectly by the engineer.")
        assertFinds(Rule.personAsCause, "The on-call engineer dismissed", in: "The on-call engineer dismissed the alert as noise.")
        assertNoFinding(nil, in: "We dismissed the DNS hypothesis at 10:20.")
        assertNoFinding(nil, in: "10:05 Suspected a bad deploy; the on-call engineer ignored that lead after checking the diff.", .timeline)
        assertFinds(Rule.personAsCause, "dropped by the DBA", in: "The table was dropped by the DBA.", .rootCauses)
    }

    func testAgentivePassivesOfDamageOrOmissionFireInEverySection() {
        // The passive pins the damage on the individual wherever it is written (issue 12 review).
        for context in [ProseContext.narrative, .timeline, .rootCauses] {
            assertFinds(Rule.personAsCause, "deleted by the on-call engineer",
                        in: "The production bucket was deleted by the on-call engineer during cleanup.", context)
            assertFinds(Rule.personAsCause, "overlooked by the reviewer", in: "The warning was overlooked by the reviewer.", context)
        }
        assertFinds(Rule.personAsCause, "removed by a network engineer by mistake",
                    in: "The firewall rule was removed by a network engineer by mistake.")
        // A neutral step, a thing or a collective as the agent, or a person's artefact: a story, not a verdict.
        assertNoFinding(nil, in: "The primary was restarted by the on-call engineer at 10:02.")
        assertNoFinding(nil, in: "The config was deleted by the cleanup cron job.")
        assertNoFinding(nil, in: "The old index was dropped by the team after the migration.")
        assertNoFinding(Rule.personAsCause, in: "The bucket was deleted by the DBA's retention script.")
        assertNoFinding(nil, in: "The alert was ignored by the router's retry logic, which treated it as transient.")
        // Removals meant to happen: an object meant for removal, or "as planned / as part of …".
        assertNoFinding(nil, in: "The stale branches were deleted by the repository owner after the review.")
        assertNoFinding(nil, in: "The old records were deleted by the engineer as planned.")
        assertNoFinding(nil, in: "The bucket was deleted by the on-call engineer as part of the cleanup runbook.")
    }

    func testSlipsAttributedToAPersonInAnySection() {
        assertFinds(Rule.personAsCause, "made by a junior engineer", in: "The mistake was made by a junior engineer.")
        assertFinds(Rule.personAsCause, "oversight by the DBA", in: "The failure was due to an oversight by the DBA.")
        assertFinds(Rule.personAsCause, "because someone didn't read",
                    in: "This happened because someone didn't read the runbook.")
        assertFinds(Rule.personAsCause, "without understanding",
                    in: "A junior developer ran the script without understanding what it did.")
        assertFinds(Rule.personAsCause, "The incident commander blatantly ignored",
                    in: "The incident commander blatantly ignored the escalation policy.")
        // A judging adjective is the blame-word rule's; a team or a thing is no individual.
        assertNoFinding(Rule.personAsCause, in: "This was a rookie mistake by a new team member.")
        assertNoFinding(nil, in: "The mistake was made by the team as a whole, under time pressure.")
        assertNoFinding(nil, in: "Errors by the client library were retried.")
        assertNoFinding(nil, in: "It happened because we did not have a runbook for it.")
        assertNoFinding(nil, in: "The nightly job silently ignored the lock.")
    }

    func testAnIndividualsSkippedCheckIsJudgedInAnySection() {
        assertFinds(Rule.personAsCause, "The developer never tested", in: "The developer never tested the change.")
        assertFinds(Rule.personAsCause, "The engineer didn't double",
                    in: "The engineer didn't double-check the region before running the script.", .timeline)
        // The writers' own story, the people affected and things stay quiet outside root causes.
        assertNoFinding(nil, in: "We did not check the replica lag at first because the dashboard showed green.")
        assertNoFinding(nil, in: "I didn't test the failover path that night; the steps below explain why.")
        assertNoFinding(nil, in: "The fix also reached customers who had not updated their SDK in months.")
        assertNoFinding(nil, in: "The script never verified the target cluster.")
    }

    func testHasteOfAnIndividualIsJudgedButTeamUrgencyIsNot() {
        assertFinds(Rule.personAsCause, "The developer rushed", in: "The developer rushed the hotfix into production without a review.")
        assertNoFinding(nil, in: "We rushed a hotfix out at 11:30, which resolved the issue.")
        assertNoFinding(nil, in: "Two engineers rushed to restore the service.")
        assertNoFinding(nil, in: "The on-call engineer rushed back to a laptop.")
    }

    func testSubjectBeforeAParticipleClauseIsTheHeadNoun() {
        assertFinds(Rule.counterfactual, "could easily have",
                    in: "Anyone reading the dashboard could easily have spotted the memory leak.")
        assertFinds(Rule.counterfactual, "failed to", in: "The engineer reviewing the change failed to notice the missing index.")
        assertNoFinding(nil, in: "The job running the backup failed to finish.")
    }

    func testNeutralActsAreCausesOnlyWhereStatedAsCauses() {
        assertNoFinding(nil, in: "On June 15 we upgraded the AWS provider to 3.45.", .rootCauses)
        assertNoFinding(nil, in: "The engineer ran the cleanup script against production.", .timeline)
        assertFinds(Rule.personAsCause, "The engineer ran", in: "The engineer ran the cleanup script against production.", .rootCauses)
        assertFinds(Rule.personAsCause, "We approved", in: "We approved the change without a rollback plan.", .rootCauses)
        assertNoFinding(nil, in: "A previous alert threshold was raised, which could have been a sign we missed.", .rootCauses)
        assertNoFinding(nil, in: "The outage was the result of a recent change he made to the cache keys.")
        assertNoFinding(nil, in: "We accidentally discovered the leak while profiling.")
        assertNoFinding(nil, in: "The importer accidentally overwrote the annotations.")
    }

    func testSuggestionsAreBuiltFromTheSentence() {
        func suggestion(_ text: String, _ context: ProseContext = .narrative) -> String {
            analyze(text, context).first { $0.rule == Rule.personAsCause }?.suggestion ?? ""
        }
        let renew = suggestion("The on-call engineer forgot to renew the certificate.")
        XCTAssertTrue(renew.contains("nothing renewed the certificate automatically"), renew)
        let wipe = suggestion("An engineer mistakenly ran \u{FFFC} on the primary.")
        XCTAssertTrue(wipe.contains("the tooling ran the command on the primary without a confirmation or a guard"), wipe)
        let bucket = suggestion("The production bucket was deleted by the on-call engineer during cleanup.")
        XCTAssertTrue(bucket.contains("\"the tooling deleted the production bucket without a confirmation or a guard\""), bucket)
        let reenable = suggestion("Our DBA forgot to re-enable replication after the maintenance window.")
        XCTAssertTrue(reenable.contains("\"nothing re-enabled replication automatically,"), reenable)
        let rushed = suggestion("The developer rushed the hotfix into production without a review.")
        XCTAssertTrue(rushed.contains("required a review or a soak period before the hotfix shipped"), rushed)
        let caused = suggestion("The incident was caused by an engineer who edited the load balancer by hand.")
        XCTAssertTrue(caused.contains("\"the process let anyone edit the load balancer by hand with no check or confirmation\""), caused)
        let tested = suggestion("The developer never tested the change.")
        XCTAssertTrue(tested.contains("\"nothing in the process required anyone to test the change, and nothing did it automatically\""), tested)
        let double = suggestion("The engineer didn't double-check the region before running the script.")
        XCTAssertTrue(double.contains("required anyone to double-check the region,"), double)
        let runbook = suggestion("This happened because someone didn't read the runbook.")
        XCTAssertTrue(runbook.contains("\"nothing in the process required anyone to read the runbook, and nothing did it automatically\""), runbook)
        let policy = suggestion("The incident commander blatantly ignored the escalation policy.")
        XCTAssertTrue(policy.contains("\"nothing in the process required anyone to follow the escalation policy,"), policy)
        let made = suggestion("The mistake was made by a junior engineer.")
        XCTAssertTrue(made.contains("\"nothing caught the mistake before it took effect\""), made)
        // No act to rebuild: the general advice, never a quoted fragment such as "oversight by the DBA".
        let oversight = suggestion("The failure was due to an oversight by the DBA.")
        XCTAssertTrue(oversight.hasPrefix("state the property of the system that allowed it"), oversight)
        let alert = suggestion("The operator ignored the disk-pressure alert for two hours.")
        XCTAssertTrue(alert.contains("the disk-pressure alert did not stand out"), alert)
        for text in ["The on-call engineer forgot to renew the certificate.", "The intern accidentally deleted the bucket."] {
            XCTAssertTrue(suggestion(text).hasSuffix("ask \"which property of the system made this possible?\""), text)
        }
        XCTAssertNotEqual(renew, wipe, "suggestions differ with the sentence")
    }

    func testTheSectionChangesTheWordingNotWhetherBlameIsSeen() {
        let text = "Sam accidentally deleted the bucket."
        var messages: Set<String> = []
        for context in ProseContext.allCases {
            let found = analyze(text, context).filter { $0.rule == Rule.personAsCause }
            XCTAssertEqual(found.count, 1, "\(context)")
            messages.formUnion(found.map(\.message))
        }
        XCTAssertGreaterThanOrEqual(messages.count, 3, "root causes, timeline and narrative are worded differently")
        let named = Set([ProseContext.narrative, .timeline, .rootCauses].compactMap { context in
            analyze("Sam paged the database team.", context).first { $0.rule == Rule.namedIndividual }?.message
        })
        XCTAssertEqual(named.count, 3)
    }
}

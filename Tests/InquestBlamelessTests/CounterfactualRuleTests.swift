import XCTest
import InquestBlameless

final class CounterfactualRuleTests: XCTestCase {
    func testEachTriggerFormWithAPersonSubject() {
        let cases: [(String, String)] = [
            ("Sam should have watched the queue.", "should have"),
            ("We shouldn't have deployed on Friday.", "shouldn't have"),
            ("We shouldn’t have deployed on Friday.", "shouldn’t have"),
            ("The reviewer should've caught the missing index.", "should've"),
            ("The reviewer should’ve caught the missing index.", "should’ve"),
            ("The DBA ought to have run it on a replica first.", "ought to have"),
            ("They could have rolled back within minutes.", "could have"),
            ("The engineer could’ve restarted the service.", "could’ve"),
            ("The reviewer failed to notice the missing index.", "failed to"),
            ("The release manager neglected to update the status page.", "neglected to"),
            ("The author didn't bother to run the tests.", "didn't bother to"),
            ("The author didn’t bother to run the tests.", "didn’t bother to"),
            ("You should never have force-pushed to main.", "should never have"),
            ("The approver should not have signed off.", "should not have"),
        ]
        for (text, words) in cases {
            assertFinds(Rule.counterfactual, words, in: text)
        }
    }

    func testConditionalsAboutAPersonsPastAction() {
        assertFinds(Rule.counterfactual, "if the engineer had",
                    in: "The outage would have been shorter if the engineer had checked the dashboard.")
        assertFinds(Rule.counterfactual, "If only we had", in: "If only we had tested the restore path.")
        assertFinds(Rule.counterfactual, "Had the on-call engineer",
                    in: "Had the on-call engineer looked at the budget, they would have paused.")
        assertFinds(Rule.counterfactual, "if Jordan had", in: "It would’ve been avoided if Jordan had pinned the version.")
    }

    func testPersonSubjects() {
        let subjects = [
            "I", "We", "You", "He", "She", "They", "Someone", "Somebody", "Nobody", "No one", "Everyone", "Anybody",
            "The engineer", "The developer", "The operator", "The on-call", "The oncall", "The SRE", "The admin",
            "The administrator", "Our DBA", "The reviewer", "The team lead", "The manager", "The team",
            "The contractor", "The intern", "The author", "The approver", "The responder", "The support agent",
            "The person", "Staff", "The on-call engineer", "The release manager", "@sam", "Alex",
        ]
        for subject in subjects {
            let text = "\(subject) should have checked the queue."
            assertFinds(Rule.counterfactual, "should have", in: text)
        }
    }

    func testRelativeClausesFindTheRealSubject() {
        assertFinds(Rule.counterfactual, "should have", in: "The engineer who deployed it should have checked the dashboard.")
        assertFinds(Rule.counterfactual, "failed to",
                    in: "The on-call engineer, who had been awake for 20 hours, failed to notice the alert.")
        assertFinds(Rule.counterfactual, "should have", in: "One of the engineers should have paused the rollout.")
        assertNoFinding(Rule.counterfactual, in: "A timeout that should have been 5 s was 5 ms.")
        assertNoFinding(Rule.counterfactual, in: "The worker that failed to acknowledge the message was restarted.")
    }

    func testTheSameWordsAboutASystemAreFine() {
        let texts = [
            "The health probe should have restarted the pod.",
            "The importer failed to parse the header.",
            "The queue could have absorbed the burst, but its limit was 100.",
            "A timeout that should have been 5 s was 5 ms.",
            "The job failed to start.",
            "The monitoring agent failed to ship logs for an hour.",
            "The Postgres operator should have promoted the replica.",
            "The migration tool would have rolled back if the check had passed.",
            "\u{FFFC} should have skipped protected tables.",
            "The \u{FFFC} script should have skipped protected tables.",
        ]
        for text in texts { assertNoFinding(Rule.counterfactual, in: text) }
    }

    func testObligationsPossessionRisksAndExoneration() {
        assertNoFinding(Rule.counterfactual, in: "No engineer should have to remember this step.", .actionItems)
        assertNoFinding(Rule.counterfactual, in: "The on-call engineer should have access to the break-glass role.", .actionItems)
        assertNoFinding(Rule.counterfactual, in: "Engineers should have read access to the audit log.", .actionItems)
        assertNoFinding(Rule.counterfactual, in: "We could have lost the entire shard.")
        assertNoFinding(Rule.counterfactual, in: "Nobody could have predicted the leap-second bug.")
        assertNoFinding(Rule.counterfactual, in: "The engineer should have been paged at the first error.")
        assertNoFinding(Rule.counterfactual, in: "If we had been paged at the first error, we could have rolled back sooner.")
        assertNoFinding(Rule.counterfactual, in: "If we had a runbook, this would have gone faster.")
    }

    func testSuggestionReusesTheObject() throws {
        let text = "Sam should have watched the queue depth."
        let finding = try XCTUnwrap(analyze(text).first { $0.rule == Rule.counterfactual })
        XCTAssertEqual(underlined(finding, in: text), "should have")
        XCTAssertTrue(finding.suggestion?.contains("the queue depth") ?? false, finding.suggestion ?? "nil")
    }

    func testFailedToNoticeBecomesWhatNothingFlagged() throws {
        let text = "The on-call engineer failed to notice that the queue depth was climbing."
        let finding = try XCTUnwrap(analyze(text).first { $0.rule == Rule.counterfactual })
        XCTAssertTrue(finding.suggestion?.contains("\"nothing automatically flagged that the queue depth was climbing,") ?? false,
                      finding.suggestion ?? "nil")
    }

    func testTheyFollowsItsAntecedent() {
        assertNoFinding(Rule.counterfactual, in: "The pods restarted, but they failed to rejoin the cluster.")
        assertNoFinding(Rule.counterfactual, in: "The alerts fired at 10:02; they should have fired at 09:50.")
        assertFinds(Rule.counterfactual, "failed to", in: "We paged the DBAs, and they failed to respond.")
        assertFinds(Rule.counterfactual, "should have", in: "They should have rolled back.")
    }

    func testMissingSafeguardsAndAffectedPartiesAreNotCounterfactuals() {
        assertNoFinding(Rule.counterfactual, in: "We should have had an alert on queue depth.")
        assertNoFinding(Rule.counterfactual, in: "Customers should have received a refund email within an hour.")
        assertNoFinding(Rule.counterfactual, in: "Users failed to check out for 40 minutes.")
    }

    // MARK: Judging past people versus planning for the system (issue 12)

    func testPlansAndPossibilitiesAreNotCounterfactuals() {
        assertNoFinding(nil, in: "Appointing an incident manager could have helped.")
        assertNoFinding(nil, in: "Reflect on whether the change should have been communicated to the teams, so they could have tested their routes too.")
        assertNoFinding(nil, in: "Raise an incident quicker, and not assume we could have started the service faster.")
        assertNoFinding(nil, in: "The pipeline should block merges that skip the schema check.")
        assertNoFinding(nil, in: "An automated check could have caught it.")
        assertNoFinding(nil, in: "If the policy was set to ignore, the issue wouldn't have occurred.")
        assertNoFinding(nil, in: "The validation step was skipped because the flag defaulted to false.")
    }

    func testJudgementsOfPastPeople() {
        assertFinds(Rule.counterfactual, "failed to", in: "Unfortunately we failed to verify that the agent was running.")
        assertFinds(Rule.counterfactual, "despite being aware", in: "Did not disable the pipeline despite being aware of the risk.")
        assertFinds(Rule.counterfactual, "shouldn't have been rushed", in: "The new component shouldn't have been rushed to production.")
        assertFinds(Rule.counterfactual, "was not followed", in: "A recently introduced process requiring a manual approval was not followed.")
        assertFinds(Rule.counterfactual, "could easily have", in: "Someone could easily have prevented this.")
    }
}

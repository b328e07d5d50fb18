import XCTest
import InquestBlameless

final class NamedIndividualRuleTests: XCTestCase {
    /// Compiled once for the class (XCTest makes an instance per test).
    let analyzer = NamedIndividualRuleTests.withPeople
    private static let withPeople = BlamelessAnalyzer(options: BlamelessOptions(
        people: ["Sam Porter", "Priya Raman", "Tim Okafor"], teams: ["@dba-team", "payments"]))

    func testFullAndFirstNamesWithExactRanges() {
        assertFinds(Rule.namedIndividual, "Sam Porter", in: "10:02 Sam Porter paged the database team.", .timeline, analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Priya", in: "Priya restarted the primary.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Sam", in: "After Sam's rollback, errors recovered.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Sam", in: "After Sam’s rollback, errors recovered.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Tim", in: "According to Tim, the replica lagged.", .rootCauses, analyzer: analyzer)
    }

    func testFullNameOnlyPeopleAreNotMatchedByTheirFirstName() {
        var options = BlamelessOptions()
        options.fullNamesOnly = ["May Lin", "Grant Ward", "Mark Chen"]
        let analyzer = BlamelessAnalyzer(options: options)
        assertNoFinding(Rule.namedIndividual, in: "In May the hosts were added to the pool.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "Grant access was revoked for the batch role at 14:10.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Mark Chen", in: "Mark Chen restarted the database.", analyzer: analyzer)
    }

    func testFullNameIsOneFinding() {
        let text = "Sam Porter restarted the primary."
        let findings = analyze(text, analyzer: analyzer)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first.map { underlined($0, in: text) }, "Sam Porter")
    }

    func testHandlesThatAreNotTeams() {
        assertFinds(Rule.namedIndividual, "@sam", in: "10:07 @sam acknowledged the page.", .timeline)
        assertFinds(Rule.namedIndividual, "@alex-novak", in: "10:33 Paged @alex-novak.", .timeline)
        assertFinds(Rule.namedIndividual, "@priya", in: "The change was approved by @priya.")
        assertNoFinding(Rule.namedIndividual, in: "10:02 @dba-team restarted the primary.", .timeline, analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "Paged @payments at 10:06.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "Paged @storage-team and @acme/db at 10:06.")
        assertNoFinding(Rule.namedIndividual, in: "Escalated to @here in the incident channel.", .timeline)
        assertNoFinding(Rule.namedIndividual, in: "The email to ops@example.com bounced.")
    }

    func testNotInsideOtherWordsOrInOtherCase() {
        let texts = [
            "The timber logger dropped lines.", "Samples from the canary looked healthy.",
            "The sam-cli tool crashed.", "The PORTER_URL variable pointed at staging.", "Timers fired late.",
            "The key \u{FFFC} was missing.",
        ]
        for text in texts { assertNoFinding(Rule.namedIndividual, in: text, analyzer: analyzer) }
    }

    func testActionItemsMayNameOwners() {
        assertNoFinding(Rule.namedIndividual, in: "Sam Porter to add an alert on queue depth.", .actionItems, analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "@priya owns the runbook update.", .actionItems)
    }

    func testReportedInNarrativeRootCausesAndTimelineOnly() {
        for context in [ProseContext.narrative, .rootCauses, .timeline] {
            assertFinds(Rule.namedIndividual, "Priya", in: "Priya noticed the spike.", context, analyzer: analyzer)
        }
        assertNoFinding(Rule.namedIndividual, in: "Priya noticed the spike.", .other, analyzer: analyzer)
    }

    func testSuggestionOffersARole() throws {
        let finding = try XCTUnwrap(analyze("Priya noticed the spike.", analyzer: analyzer).first)
        XCTAssertEqual(finding.suggestion, "refer to the role instead, e.g. \"the on-call engineer\" rather than \"Priya\"")
    }

    // MARK: First names nobody configured (issue 12)

    func testLexiconFirstNamesCountInAnActorsPosition() {
        assertFinds(Rule.namedIndividual, "Dana", in: "Dana pushed the new routing table without a review.")
        assertFinds(Rule.namedIndividual, "Priya Shah", in: "Priya Shah pushed the config at 10:00.", .timeline)
        assertFinds(Rule.namedIndividual, "Emil C", in: "The limit was identified by Emil C. during the rollout.")
        assertFinds(Rule.namedIndividual, "Lloyd Middleton", in: "(Lloyd Middleton) Coordination board created", .timeline)
        assertFinds(Rule.namedIndividual, "Jan", in: "Jan and John discussing the rollout plan", .timeline)
        assertFinds(Rule.namedIndividual, "John", in: "Jan and John discussing the rollout plan", .timeline)
        assertFinds(Rule.namedIndividual, "Ross", in: "Ross made a commit to pin the version.", .timeline)
        assertFinds(Rule.namedIndividual, "Kevin", in: "Kevin also mentions that the API was slow.")
        assertFinds(Rule.namedIndividual, "Priya Shah", in: "I (Priya Shah) pushed the change at 10:00.")
        assertFinds(Rule.namedIndividual, "Alice", in: "09:10 UTC Alice rolled back the release.", .timeline)
        assertFinds(Rule.namedIndividual, "Mark Chen", in: "11:02 Mark Chen joined the bridge.", .timeline)
    }

    func testGivenNamesMissingFromTheLexiconBeforeAVerbOnlyPeopleUse() {
        assertFinds(Rule.namedIndividual, "Priyanka", in: "09:13 Priyanka looked at the replication dashboard.", .timeline)
        assertFinds(Rule.namedIndividual, "Tomasz", in: "Tomasz asked the network team about the change.", .timeline)
        assertFinds(Rule.namedIndividual, "Audun", in: "Audun investigated the affected repositories.")
        // Tools, vendors, departments and common nouns open clauses with the same verbs.
        for text in ["09:06 Datadog looked healthy throughout.", "09:07 Terraform tried to recreate the subnet.",
                     "09:08 Cloudflare mentioned a routing change.", "Dependabot tried to open a pull request.",
                     "Support asked customers to retry.", "Management decided to declare a major incident.",
                     "Investigation looked at the load balancer first.", "Vault asked for the unseal keys.",
                     "Grafana noticed nothing unusual.", "Customers noticed slow checkouts first.",
                     "09:10 Also looked at the CDN logs.", "Somehow noticed only after the third page."] {
            assertNoFinding(nil, in: text, .timeline)
        }
        assertNoFinding(nil, in: "Priyanka looked at the replication dashboard.", .actionItems)
    }

    func testAHyphenatedVerbAfterANameIsAnAct() {
        assertFinds(Rule.namedIndividual, "Kate", in: "Kate fat-fingered the weight on the canary.")
        assertFinds(Rule.namedIndividual, "Dave", in: "10:02 Dave re-ran the migration.", .timeline)
    }

    func testFirstNamesOutsideAnActorsPositionStayQuiet() {
        assertNoFinding(nil, in: "In May we moved the scheduler to the new cluster.")
        assertNoFinding(nil, in: "Will the new quota cover the holiday peak?")
        assertNoFinding(nil, in: "Mark the ticket as resolved once the backfill completes.")
        assertNoFinding(nil, in: "Grant read access to the on-call group.")
        assertNoFinding(nil, in: "Jan 14, 10:18 AM A customer reported errors.", .timeline)
        assertNoFinding(nil, in: "Ross was assigned to the investigation.", .timeline)
        assertNoFinding(nil, in: "Emil notified by social media", .timeline)
        assertNoFinding(nil, in: "Jordan to add a confirmation prompt.", .narrative)
        assertNoFinding(nil, in: "We became aware of it during a call with Peter Taylor.", .timeline)
        assertNoFinding(nil, in: "Jenkins restarted the job at 10:04.")
        assertNoFinding(nil, in: "Travis failed the build twice.")
        assertNoFinding(nil, in: "Kafka dropped the partition leader.")
        assertNoFinding(nil, in: "Hugo rebuilt the docs site with the stale theme.")
        assertNoFinding(nil, in: "Sam restarted the primary.", .actionItems)
    }

    func testPackageVersionsAreNotHandles() {
        assertNoFinding(nil, in: "\u{FFFC}@1.24.1")
        assertNoFinding(nil, in: "Affected: @7.1.2 and @scope/pkg@1.2.3.")
        assertNoFinding(nil, in: "We pinned \u{FFFC}@latest for the build.")
        assertFinds(Rule.namedIndividual, "@sam", in: "@sam restarted the primary.")
    }

    func testCommitAuthorsFirstNamesCountAsSubjectsOnly() {
        var options = BlamelessOptions()
        options.fullNamesOnly = ["Audun Berg"]
        let analyzer = BlamelessAnalyzer(options: options)
        assertFinds(Rule.namedIndividual, "Audun", in: "Audun found four affected repositories.", .timeline, analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "Audun found four affected repositories.", .timeline)
        assertNoFinding(Rule.namedIndividual, in: "The Audun cluster was drained.", analyzer: analyzer)
    }
}

import XCTest
import InquestBlameless

final class HumanErrorRuleTests: XCTestCase {
    func testNamesEachHumanErrorPhraseWithExactRange() {
        let cases: [(String, String)] = [
            ("The outage was caused by human error.", "human error"),
            ("Root cause: operator error during the failover.", "operator error"),
            ("We traced it to user error in the import form.", "user error"),
            ("Human mistakes in the mapping file broke the import.", "Human mistakes"),
            ("Manual error while editing the YAML added a tab.", "Manual error"),
            ("Contributing factor: pilot error on step 4.", "pilot error"),
            ("The admin error was compounded by a missing backup.", "admin error"),
            ("Support wrote it off as PEBKAC.", "PEBKAC"),
            ("Classic PICNIC: right fix, wrong cluster.", "PICNIC"),
            ("It was a layer 8 issue.", "layer 8 issue"),
            ("An engineer fat-fingered the replica count.", "fat-fingered"),
            ("A fat finger in the DNS console deleted the record.", "fat finger"),
            ("Someone fat-fingers this every quarter.", "fat-fingers"),
        ]
        for (text, words) in cases {
            assertFinds(Rule.humanError, words, in: text)
        }
    }

    func testSuggestsNamingTheMissingGuardrail() throws {
        let text = "Root cause: human error."
        let finding = try XCTUnwrap(analyze(text, .rootCauses).first { $0.rule == Rule.humanError })
        XCTAssertEqual(underlined(finding, in: text), "human error")
        XCTAssertTrue(finding.suggestion?.contains("guardrail") ?? false)
    }

    func testFiresInEveryContextIncludingActionItems() {
        for context in [ProseContext.narrative, .rootCauses, .timeline, .actionItems, .other] {
            assertFinds(Rule.humanError, "operator error", in: "It was operator error.", context)
        }
    }

    func testDesigningAgainstHumanErrorIsNotBlame() {
        assertNoFinding(Rule.humanError, in: "Automate rotation to remove the chance of human error.", .actionItems)
        assertNoFinding(Rule.humanError, in: "The runbook was prone to human error because two steps looked alike.")
        assertNoFinding(Rule.humanError, in: "We treat every slip as a signal, not as human error.")
        assertNoFinding(Rule.humanError, in: "Design the form so that user mistakes are caught before submission.", .actionItems)
    }

    func testMetricsAndMessagesShownToUsersAreNotBlame() {
        assertNoFinding(Rule.humanError, in: "The user error rate rose to 4% after the release.")
        assertNoFinding(Rule.humanError, in: "The API returned user errors for malformed payloads.")
        assertNoFinding(Rule.humanError, in: "The dashboard separates server errors from user errors.")
    }

    func testLowercasePicnicAndHumanFactorsAreOrdinaryWords() {
        assertNoFinding(Rule.humanError, in: "The team picnic was moved to Friday.")
        assertNoFinding(Rule.humanError, in: "Human factors research explains alert fatigue.")
    }

    func testQuotedPhraseIsAMentionNotAUse() {
        assertNoFinding(Rule.humanError, in: "The CLI printed \"operator error: invalid flag\" for a valid flag.")
        assertNoFinding(Rule.humanError, in: "The CLI printed “operator error” for a valid flag.")
    }

    func testHumanErrorAsAnExpectedConditionIsNotBlame() {
        assertNoFinding(Rule.humanError, in: "Human error is inevitable, so the console now asks for confirmation.")
        assertNoFinding(Rule.humanError, in: "Operator errors will happen; the tooling has to absorb them.")
    }

    func testDenyingHumanErrorAsACauseIsThePrinciple() {
        assertNoFinding(nil, in: "Human error is never a root cause; we look for the conditions that allowed it.")
        assertNoFinding(nil, in: "Operator error was not the cause here.", .rootCauses)
        assertFinds(Rule.humanError, "Human error", in: "Human error was the cause.", .rootCauses)
        assertNoFinding(nil, in: "Manual errors in the spreadsheet import were caught by validation.")
    }

    func testARecordedHypothesisIsNotACause() {
        assertNoFinding(nil, in: "Nothing unusual was found. Assumed user error at the time.", .timeline)
        assertNoFinding(nil, in: "We suspected operator error at first, then ruled it out.")
        assertFinds(Rule.humanError, "Human error", in: "Human error in not knowing that the logs live in another account.", .rootCauses)
    }
}

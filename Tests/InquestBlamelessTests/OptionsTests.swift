import XCTest
import InquestBlameless

final class OptionsTests: XCTestCase {
    func testPeopleAddFullAndFirstNamesCaseSensitively() {
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(people: ["Priya Raman"]))
        assertFinds(Rule.namedIndividual, "Priya Raman", in: "Priya Raman rolled back.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Priya", in: "Priya rolled back.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "priya rolled back.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "PRIYA rolled back.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "Raman spectroscopy was not involved.", analyzer: analyzer)
    }

    func testConfiguredPeopleAreSubjects() {
        // "Okafor" is not a built-in first name; the configured person makes it a subject.
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(people: ["Tim Okafor", "Zeynep Kaya"]))
        assertFinds(Rule.counterfactual, "should have", in: "Zeynep should have waited.", analyzer: analyzer)
        assertFinds(Rule.counterfactual, "should have", in: "Tim Okafor should have waited.", analyzer: analyzer)
        assertNoFinding(Rule.counterfactual, in: "Zeynep should have waited.")
    }

    func testTeamsAreNotIndividuals() {
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(teams: ["@dba-team", "storage"]))
        assertNoFinding(Rule.namedIndividual, in: "Paged @dba-team and @storage.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "Paged @DBA-Team.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "@storage", in: "Paged @storage.")
        assertFinds(Rule.namedIndividual, "@sam", in: "Paged @dba-team and @sam.", analyzer: analyzer)
    }

    func testTeamHandlesAreStillPeopleForCounterfactuals() {
        // A team is a group of people; only naming individuals is exempted for teams.
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(teams: ["@dba-team"]))
        assertFinds(Rule.counterfactual, "should have", in: "@dba-team should have reviewed the migration.", analyzer: analyzer)
    }

    func testAllowDropsFindingsContainingOrInsideAnAllowedPhrase() {
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(
            people: ["Tim Tam"], allow: ["Careless Whisper", "human error", "Tim Tam Slam"]))
        assertNoFinding(nil, in: "Root cause: human error.", .rootCauses, analyzer: analyzer)
        assertNoFinding(nil, in: "Root cause: HUMAN ERROR.", .rootCauses, analyzer: analyzer)
        assertNoFinding(Rule.blameWord, in: "The war room played Careless Whisper on loop.", analyzer: analyzer)
        assertNoFinding(Rule.namedIndividual, in: "We celebrated with a Tim Tam Slam.", analyzer: analyzer)
        assertFinds(Rule.blameWord, "careless", in: "It was a careless change.", analyzer: analyzer)
        assertFinds(Rule.namedIndividual, "Tim Tam", in: "Tim Tam rolled back.", analyzer: analyzer)
    }

    func testDenyAddsBlameWords() {
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(deny: ["YOLO deploy", "didn’t care"]))
        assertFinds(Rule.blameWord, "yolo deploy", in: "It was a yolo deploy.", analyzer: analyzer)
        assertFinds(Rule.blameWord, "YOLO-deploy", in: "Another YOLO-deploy on Friday.", analyzer: analyzer)
        assertFinds(Rule.blameWord, "didn't care", in: "They didn't care about the alert.", analyzer: analyzer)
        assertNoFinding(Rule.blameWord, in: "It was a yolo deploy.")
    }

    func testEmptyOptionsMatchDefault() {
        let text = "Sam should have watched the queue."
        XCTAssertEqual(BlamelessAnalyzer(options: BlamelessOptions()).analyze(ProseBlock(text: text, context: .narrative)),
                       defaultAnalyzer.analyze(ProseBlock(text: text, context: .narrative)))
    }
}

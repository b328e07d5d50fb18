import Foundation
import XCTest
@testable import InquestBlameless

final class EvalSetTests: XCTestCase {
    private func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/blameless/\(name)")
    }

    func testEvalSetIsLargeAndMostlyNearMisses() throws {
        let set = try EvalSet(contentsOf: fixture("eval.tsv"))
        XCTAssertGreaterThanOrEqual(set.cases.count, 260)
        let none = set.cases.filter(\.expected.isEmpty).count
        XCTAssertGreaterThanOrEqual(Double(none) / Double(set.cases.count), 0.45)
        XCTAssertFalse(set.options.people.isEmpty)
        XCTAssertFalse(set.options.teams.isEmpty)
        for rule in BlamelessRules.all.map(\.id) {
            XCTAssertGreaterThanOrEqual(set.cases.filter { $0.expected.contains(rule) }.count, 15, rule)
        }
    }

    func testEvalSetMeetsTheCIThresholds() throws {
        let report = EvalReport(set: try EvalSet(contentsOf: fixture("eval.tsv")))
        XCTAssertGreaterThanOrEqual(report.recall, 0.95, report.rendered(title: "eval.tsv"))
        XCTAssertLessThanOrEqual(report.falseAlarmRate, 0.03, report.rendered(title: "eval.tsv"))
    }

    func testHoldoutSetMeetsTheCIThresholds() throws {
        // Scored blind when written; kept as a regression gate afterwards.
        let set = try EvalSet(contentsOf: fixture("eval-holdout.tsv"))
        XCTAssertGreaterThanOrEqual(set.cases.count, 65)
        let report = EvalReport(set: set)
        XCTAssertGreaterThanOrEqual(report.recall, 0.95, report.rendered(title: "eval-holdout.tsv"))
        XCTAssertLessThanOrEqual(report.falseAlarmRate, 0.03, report.rendered(title: "eval-holdout.tsv"))
    }

    func testSecondHoldoutCoversEveryRuleAndNearMisses() throws {
        // Written before issue 12's tuning and reported by `make eval`, not gated: it was never tuned on.
        let set = try EvalSet(contentsOf: fixture("eval-holdout-2.tsv"))
        XCTAssertGreaterThanOrEqual(set.cases.count, 40)
        XCTAssertTrue(set.options.people.isEmpty, "first names must be found without configuration")
        for rule in BlamelessRules.all.map(\.id) {
            XCTAssertFalse(set.cases.filter { $0.expected.contains(rule) }.isEmpty, rule)
        }
        XCTAssertGreaterThanOrEqual(set.cases.filter(\.expected.isEmpty).count, 15)
    }

    func testParserReadsHeadersMultiLabelsAndCodeSpans() throws {
        let tsv = """
            # people: Sam Porter, Priya Raman
            # teams: @dba-team
            # deny: yolo
            rule\tcontext\tsentence
            blameless/counterfactual,blameless/named-individual\tnarrative\tSam should have checked.
            none\ttimeline\tThe `git blame` output was old.
            """
        let set = try EvalSet(tsv: tsv)
        XCTAssertEqual(set.options.people, ["Sam Porter", "Priya Raman"])
        XCTAssertEqual(set.options.teams, ["@dba-team"])
        XCTAssertEqual(set.options.deny, ["yolo"])
        XCTAssertEqual(set.cases.count, 2)
        XCTAssertEqual(set.cases[0].expected, [Rule.counterfactual, Rule.namedIndividual])
        XCTAssertEqual(set.cases[1].text, "The \u{FFFC} output was old.")
        XCTAssertEqual(set.cases[1].context, .timeline)
    }

    func testParserRejectsUnknownRulesAndContexts() {
        XCTAssertThrowsError(try EvalSet(tsv: "blameless/nope\tnarrative\tx"))
        XCTAssertThrowsError(try EvalSet(tsv: "none\tsummary\tx"))
        XCTAssertThrowsError(try EvalSet(tsv: "none\tnarrative"))
    }

    func testReportCountsFalseAlarmsOnNoneSentences() throws {
        let set = try EvalSet(tsv: "none\tnarrative\tIt was a careless change.\nnone\tnarrative\tThe job ran.")
        let report = EvalReport(set: set)
        XCTAssertEqual(report.noneCount, 2)
        XCTAssertEqual(report.noneWithFindings, 1)
        XCTAssertEqual(report.falseAlarmRate, 0.5)
        XCTAssertFalse(report.meetsThresholds)
    }
}

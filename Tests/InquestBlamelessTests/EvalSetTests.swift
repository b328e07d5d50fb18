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

    func testThirdHoldoutKeepsItsLineLevelScores() throws {
        // Written blind by a reviewer (blind scores in the README); after the fixes it guards the
        // line-level numbers, the measure real archives use (any finding on a blaming line counts).
        let set = try EvalSet(contentsOf: fixture("eval-holdout-3.tsv"))
        XCTAssertGreaterThanOrEqual(set.cases.count, 120)
        XCTAssertTrue(set.options.people.isEmpty, "first names must be found without configuration")
        XCTAssertGreaterThanOrEqual(set.cases.filter(\.expected.isEmpty).count, 75)
        let report = EvalReport(set: set)
        XCTAssertGreaterThanOrEqual(report.lineRecall, 0.95, report.rendered(title: "eval-holdout-3.tsv"))
        XCTAssertGreaterThanOrEqual(report.linePrecision, 0.95, report.rendered(title: "eval-holdout-3.tsv"))
        XCTAssertLessThanOrEqual(report.falseAlarmRate, 0.03, report.rendered(title: "eval-holdout-3.tsv"))
    }

    func testLineLevelScoresCountAnyRuleOnABlamingSentence() throws {
        let set = try EvalSet(tsv: """
            blameless/counterfactual\tnarrative\tThe on-call engineer forgot to renew the certificate.
            blameless/hindsight\tnarrative\tThe job ran at noon.
            none\tnarrative\tIt was a careless change.
            none\tnarrative\tThe job ran.
            """)
        let report = EvalReport(set: set)
        XCTAssertEqual(report.blamingCount, 2)
        XCTAssertEqual(report.blamingCaught, 1, "person-as-cause on a line labelled counterfactual still catches the line")
        XCTAssertEqual(report.lineRecall, 0.5)
        XCTAssertEqual(report.linePrecision, 0.5)
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

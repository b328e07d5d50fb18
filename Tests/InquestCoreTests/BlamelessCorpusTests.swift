import Foundation
import XCTest
@testable import InquestBlameless
@testable import InquestCore
import InquestTestSupport

/// The numbers `inquest explain` states for each blameless rule, and the default severities they
/// decide, are recomputed here from the real development set whenever `../shared/corpora` is
/// beside the repository (a user's clone has none: the test is skipped).
final class BlamelessCorpusTests: XCTestCase {
    private var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    func testExplainedMeasurementsMatchTheDevelopmentSet() throws {
        let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpora")
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            throw XCTSkip("no ../shared/corpora: the real development set is not here")
        }
        let evaluation = try BlamelessCorpusEvaluation(
            corpus: corpus, labelsPath: root.appendingPathComponent("Tests/Fixtures/blameless/corpus-labels.tsv").path)
        XCTAssertEqual(evaluation.documents, BlamelessMeasurement.documents)
        XCTAssertTrue(evaluation.unlabelled.isEmpty, "label every fired line: \(evaluation.unlabelled.map { "\($0.0.file):\($0.0.range.start.line)" })")
        for info in BlamelessRules.all {
            let row = try XCTUnwrap(evaluation.rows[info.id])
            let measured = BlamelessMeasurement(findings: row.findings, correct: row.correct, labelled: row.labelled, caught: row.caught)
            XCTAssertEqual(measured, info.measured, "\(info.id): update Measured in BlamelessRules.swift")
        }
    }

    func testDefaultSeverityIsErrorOnlyForMeasuredPrecisionOfAtLeast95Percent() {
        for info in BlamelessRules.all {
            let earned = (info.measured.precision ?? 0) >= 0.95 && info.measured.findings >= 5
            XCTAssertEqual(info.defaultSeverity, earned ? "error" : "warning", info.id)
            let rule = RuleRegistry.documentRules.first { $0.id == info.id }
            XCTAssertEqual(rule?.defaultSeverity, earned ? .error : .warning, info.id)
        }
        XCTAssertEqual(BlamelessMeasurement(findings: 20, correct: 18, labelled: 0, caught: 0).defaultSeverity, "warning")
        XCTAssertEqual(BlamelessMeasurement(findings: 4, correct: 4, labelled: 0, caught: 0).defaultSeverity, "warning")
        XCTAssertEqual(BlamelessMeasurement(findings: 20, correct: 19, labelled: 0, caught: 0).defaultSeverity, "error")
    }

    func testExplainStatesPrecisionRecallAndConfiguration() {
        for info in BlamelessRules.all {
            let rationale = BlamelessDocumentation.make(info.id).rationale
            XCTAssertTrue(rationale.contains("Measured on a real development set"), info.id)
            XCTAssertTrue(rationale.contains(info.measured.precision == nil ? "no findings" : "precision "), info.id)
            for key in ["people", "teams", "allow", "deny", "git_authors"] {
                XCTAssertTrue(rationale.contains(key), "\(info.id) explains \(key)")
            }
        }
    }

    func testLabelFileRejectsMalformedLines() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString).tsv")
        try "a.md\t3\tmaybe\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try BlamelessCorpusEvaluation.loadLabels(file.path))
        try "# comment\na.md\t3\tblame/counterfactual\nb.md\t9\tok\n".write(to: file, atomically: true, encoding: .utf8)
        let labels = try BlamelessCorpusEvaluation.loadLabels(file.path)
        XCTAssertEqual(labels["a.md"]?[3], "blame/counterfactual")
        XCTAssertEqual(labels["b.md"]?[9], "ok")
    }

    func testCorpusDocumentsSkipReadmesAndTemplates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("team"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["README.md", "team/2024-01-01-outage.md", "team/template.md", "team/notes.txt"] {
            try "# x\n".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(BlamelessCorpusEvaluation.documents(in: folder), ["team/2024-01-01-outage.md"])
    }
}

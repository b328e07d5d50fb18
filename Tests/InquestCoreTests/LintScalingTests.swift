import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Suppression handling stays linear in comments × findings: 1× and 16× runs compared with a
/// generous bound (quadratic code shows ~256×).
final class LintScalingTests: XCTestCase {
    /// `count` suppression comments in one HTML block, and `count` findings they do not cover.
    private func document(_ count: Int) -> LintInput {
        var body = "---\ntitle: Many comments\n---\n\n"
        body += (0..<count).map { _ in "<!-- inquest-disable-next-line blameless/blame-word -->" }.joined(separator: "\n") + "\n\n"
        body += (0..<count).map { "## Empty \($0)\n" }.joined(separator: "\n")
        return LintInput(documents: [RawDocument(path: "postmortems/a.md", bytes: Array(body.utf8))], catalogue: nil)
    }

    func testThousandsOfSuppressionsAndFindingsStayLinear() {
        let linter = Linter()
        // CPU time, best of several runs: wall-clock ratios swing with the machine's load.
        // 104 × 16 against 40 fails a quadratic term from the same share of the work as 250 × 8
        // against 20, with the same room over linear, for less work.
        assertScalesLinearly("suppressions × findings", size: 104, factor: 16, limit: 40, input: document) { _ = linter.lint($0) }
    }

    func testIndexAgreesWithCoversForEveryScope() {
        let suppressions = [
            Suppression(rules: ["a"], scope: .lines(3...3), bytes: 0..<1),
            Suppression(rules: [], scope: .lines(10...12), bytes: 1..<2),
            Suppression(rules: ["b", "c"], scope: .lines(20...40), bytes: 2..<3),
            Suppression(rules: ["d"], scope: .file, bytes: 3..<4),
            Suppression(rules: ["a"], scope: .lines(4...5), bytes: 4..<5),
        ]
        let index = SuppressionIndex(suppressions)
        for rule in ["a", "b", "c", "d", "e"] {
            for line in 0...45 {
                XCTAssertEqual(index.suppresses(rule: rule, line: line), suppressions.contains { $0.covers(rule: rule, line: line) }, "\(rule):\(line)")
            }
        }
        func finding(_ rule: String, _ line: Int) -> Diagnostic {
            Diagnostic(file: "a.md", range: SourceRange(start: SourcePosition(line: line, column: 1), end: SourcePosition(line: line, column: 2)),
                       severity: .warning, rule: rule, message: "m")
        }
        XCTAssertEqual(index.used(by: [finding("a", 3), finding("e", 11), finding("c", 41)]), [true, true, false, false, false])
        XCTAssertEqual(index.used(by: [finding("d", 99), finding("a", 5)]), [false, false, false, true, true])
    }
}

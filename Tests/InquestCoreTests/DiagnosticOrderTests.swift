import XCTest
@testable import InquestCore

/// The order diagnostics are printed in and the counts of the summary line, as the linter
/// makes them for thousands of diagnostics at once.
final class DiagnosticOrderTests: XCTestCase {
    /// Many diagnostics with every kind of tie (same file, position, rule, even message): sorting
    /// positions then moving the values gives the stable sort of the values.
    private func diagnostics(_ count: Int) -> [Diagnostic] {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        let severities: [Severity] = [.error, .warning, .info]
        return (0..<count).map { index in
            let start = SourcePosition(line: 1 + next(5), column: 1 + next(3))
            return Diagnostic(file: "postmortems/\(next(6)).md", range: SourceRange(start: start, end: start), severity: severities[next(3)],
                              rule: ["a/x", "b/y"][next(2)], message: "m\(next(3))", suggestion: "s\(index)")
        }
    }

    func testSortingPositionsGivesTheStableSortOfTheValues() {
        for count in [0, 1, 2, 17, 2_000] {
            let input = diagnostics(count)
            XCTAssertEqual(Linter.sorted(input), input.enumerated().sorted {
                Diagnostic.sortKey($0.element, $1.element) || (!Diagnostic.sortKey($1.element, $0.element) && $0.offset < $1.offset)
            }.map(\.element), "\(count)")
        }
    }

    func testTheSummaryCountsEachSeverity() {
        let input = diagnostics(1_000)
        let summary = DiagnosticSummary(files: 3, diagnostics: input)
        XCTAssertEqual(summary.files, 3)
        XCTAssertEqual(summary.errors, input.filter { $0.severity == .error }.count)
        XCTAssertEqual(summary.warnings, input.filter { $0.severity == .warning }.count)
        XCTAssertEqual(summary.infos, input.filter { $0.severity == .info }.count)
        XCTAssertEqual(summary.errors + summary.warnings + summary.infos, 1_000)
    }
}

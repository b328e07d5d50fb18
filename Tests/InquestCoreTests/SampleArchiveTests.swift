import XCTest
@testable import InquestCore
import InquestTestSupport

/// The sample archive under postmortems/ is what `make lint` and `make site` run on.
final class SampleArchiveTests: XCTestCase {
    static func lintSample() throws -> LintResult {
        let workspace = try Workspace.open(at: Repository.root)
        let input = try workspace.lintInput(source: WorkingTreeSource(root: workspace.root), paths: [], from: Repository.root)
        return Linter(configuration: workspace.configuration).lint(input)
    }

    func testSampleArchiveHasNoErrorsOrWarnings() throws {
        let result = try Self.lintSample()
        let problems = result.diagnostics.filter { $0.severity != .info }
        XCTAssertEqual(problems.map { "\($0.file):\($0.range.start.line) \($0.rule) \($0.message)" }, [])
        XCTAssertGreaterThanOrEqual(result.archive.postmortems.count, 12)
    }

    func testSampleArchiveShowsRealRecurrence() throws {
        let archive = try Self.lintSample().archive
        let recurring = archive.recurrence.filter { $0.count >= 3 }
        XCTAssertGreaterThanOrEqual(recurring.count, 3, "\(archive.recurrence.map { ($0.cause, $0.count) })")
        XCTAssertEqual(Set(archive.postmortems.compactMap(\.severity)), ["SEV1", "SEV2", "SEV3", "SEV4"])
        let years = Set(archive.postmortems.compactMap { $0.date?.year })
        XCTAssertGreaterThanOrEqual(years.count, 2)
    }
}

import Foundation
import XCTest
@testable import InquestCLI

/// `inquest causes` and `inquest report actions`, run in-process.
final class ReportCommandTests: XCTestCase {
    func testCausesListsTheSampleByRecurrence() throws {
        let run = CLI.run(["causes", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let causes = try XCTUnwrap(object["causes"] as? [[String: Any]])
        let counts = causes.compactMap { $0["occurrences"] as? Int }
        XCTAssertEqual(counts, counts.sorted(by: >))
        XCTAssertGreaterThanOrEqual(counts.filter { $0 >= 3 }.count, 3)
    }

    func testOverdueActionItemsNeedAReferenceDateOutsideGit() throws {
        let repo = try CLI.temporaryArchive(self)
        let text = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("postmortems/2026/2026-01-20-auth-retry-storm.md"), encoding: .utf8)
        try text.write(to: repo.appendingPathComponent("postmortems/a.md"), atomically: true, encoding: .utf8)
        let refused = CLI.run(["report", "actions", "--overdue"], in: repo)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("SOURCE_DATE_EPOCH"), refused.stderr)
        // 2026-05-01: LRK-319 (due 2026-03-31) is overdue, LRK-1026 (due 2026-06-30) is not yet.
        let run = CLI.run(["report", "actions", "--overdue"], in: repo, environment: ["SOURCE_DATE_EPOCH": "1777593600"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("LRK-319"), run.stdout)
        XCTAssertFalse(run.stdout.contains("LRK-1026"), run.stdout)
        XCTAssertTrue(run.stdout.hasSuffix("as of 2026-05-01\n"), run.stdout)
    }
}

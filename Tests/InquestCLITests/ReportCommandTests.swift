import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

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
        let text = try String(contentsOf: Repository.root.appendingPathComponent("postmortems/2026/2026-01-20-auth-retry-storm.md"), encoding: .utf8)
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

    /// `report actions` and `causes` as JSON over the sample archive (copied out of git, dated by
    /// SOURCE_DATE_EPOCH) plus a postmortem with quotes, backslashes, non-ASCII and no owner: byte
    /// for byte what Tests/Fixtures/golden/report-*.json hold (INQUEST_UPDATE_GOLDEN=1 rewrites).
    func testReportJSONIsByteIdenticalToTheGoldenFiles() throws {
        let root = try CLI.temporaryArchive(self)
        try FileManager.default.removeItem(at: root.appendingPathComponent("postmortems"))
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("postmortems"), to: root.appendingPathComponent("postmortems"))
        let items = "- [ ] Quote \"the\" C:\\pool path, café ☕ \u{1F525} — PLAT-99, due: 2026-01-02\n- [ ] An item with nothing else\n"
        try CLI.write(CLI.postmortem(title: "Escapes", date: "2025-12-01", extra: "root_causes: [unbounded-retries]\n", body: CLI.defaultBody.replacingOccurrences(
            of: "- [ ] Add a lower bound to the pool size setting — @platform, PLAT-12, due: 2025-04-01\n", with: items)),
                      to: "postmortems/2025/2025-12-01-escapes.md", in: root)
        let environment = ["SOURCE_DATE_EPOCH": "1777593600"]
        for (name, arguments) in [("report-actions.json", ["report", "actions", "--format", "json"]),
                                  ("report-actions-overdue.json", ["report", "actions", "--overdue", "--format", "json"]),
                                  ("causes.json", ["causes", "--format", "json"])] {
            let run = CLI.run(arguments, in: root, environment: environment)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)), name)
            let golden = Repository.root.appendingPathComponent("Tests/Fixtures/golden/\(name)")
            if ProcessInfo.processInfo.environment["INQUEST_UPDATE_GOLDEN"] == "1" {
                try run.stdout.write(to: golden, atomically: true, encoding: .utf8)
            }
            XCTAssertEqual(run.stdout, try String(contentsOf: golden, encoding: .utf8), "\(name) (INQUEST_UPDATE_GOLDEN=1 rewrites it)")
        }
    }

    /// Two postmortems citing one cause, with items for two owners: one overdue on 2025-05-01.
    private func archive() throws -> URL {
        let items = "- [ ] Add a lower bound to the pool size — @platform, PLAT-12, due: 2025-04-01\n- [x] Alert on pool saturation — @sre, SRE-3, due: 2025-03-20\n- [ ] Document the pool, with \"quotes\", commas | pipes — @platform, PLAT-13, due: 2025-06-01\n"
        return try CLI.temporaryArchive(self, files: [
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/2025/2025-03-04-a.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n", body: CLI.defaultBody.replacingOccurrences(
                of: "- [ ] Add a lower bound to the pool size setting — @platform, PLAT-12, due: 2025-04-01\n", with: items)),
        ])
    }

    private let may = ["SOURCE_DATE_EPOCH": "1746057600"]  // 2025-05-01

    func testActionsShowDaysOverdueInEveryFormat() throws {
        let root = try archive()
        let text = CLI.run(["report", "actions"], in: root, environment: may)
        XCTAssertTrue(text.stdout.contains("due 2025-04-01 (overdue by 30 days)"), text.stdout)
        let json = CLI.run(["report", "actions", "--format", "json"], in: root, environment: may)
        XCTAssertTrue(json.stdout.contains("\"overdue\":true,\"daysOverdue\":30}"), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"overdue\":false,\"daysOverdue\":null}"), json.stdout)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)))
    }

    func testActionsAsMarkdownGroupedByOwner() throws {
        let run = CLI.run(["report", "actions", "--format", "markdown", "--group-by", "owner"], in: try archive(), environment: may)
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("## ") }, ["## @platform", "## @sre"])
        XCTAssertTrue(lines.contains("| **overdue** | Add a lower bound to the pool size — @platform, PLAT-12, due: 2025-04-01 | @platform | PLAT-12 | 2025-04-01 | 30 | postmortems/2025/2025-03-04-a.md:39 |"), run.stdout)
        XCTAssertTrue(run.stdout.contains("commas \\| pipes"), "pipes are escaped in cells")
        XCTAssertTrue(run.stdout.hasSuffix("3 action items: 2 open, 1 overdue as of 2025-05-01\n"), run.stdout)
    }

    func testActionsAsCSVQuoteWhatNeedsQuoting() throws {
        let run = CLI.run(["report", "actions", "--format", "csv", "--group-by", "owner"], in: try archive(), environment: may)
        let rows = run.stdout.components(separatedBy: "\r\n")
        XCTAssertEqual(rows[0], "postmortem,file,line,state,owner,ticket,due,overdue,days_overdue,text")
        XCTAssertEqual(rows.count, 5, "header, three items, and the final line break")
        XCTAssertTrue(rows[1].hasPrefix("2025-03-04-a,postmortems/2025/2025-03-04-a.md,39,open,@platform,PLAT-12,2025-04-01,true,30,"), rows[1])
        XCTAssertTrue(rows[2].hasSuffix(",\"Document the pool, with \"\"quotes\"\", commas | pipes — @platform, PLAT-13, due: 2025-06-01\""), rows[2])
        XCTAssertTrue(rows[3].contains(",@sre,"), "grouped: @platform before @sre")
    }

    func testFailOnOverdueExitsOneAndSaysWhy() throws {
        let root = try archive()
        let run = CLI.run(["report", "actions", "--fail-on-overdue"], in: root, environment: may)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "inquest: 1 action item overdue (--fail-on-overdue)\n")
        XCTAssertEqual(CLI.run(["report", "actions", "--fail-on-overdue"], in: root, environment: ["SOURCE_DATE_EPOCH": "1743465600"]).status, 0, "2025-04-01: not yet overdue")
        let causes = CLI.run(["causes", "--fail-on-overdue"], in: root, environment: may)
        XCTAssertEqual(causes.status, 1)
        XCTAssertEqual(CLI.run(["report", "actions", "--fail-on-overdue"], in: root).status, 2, "no reference date outside git")
    }

    func testCausesAsMarkdownAndCSV() throws {
        let root = try archive()
        let markdown = CLI.run(["causes", "--format", "markdown"], in: root, environment: may)
        XCTAssertTrue(markdown.stdout.contains("| `pool-limits` | Pool limits | 1 | 2025-03-04 | 2025-03-04 | 2 | 1 |"), markdown.stdout)
        let csv = CLI.run(["causes", "--format", "csv"], in: root, environment: may)
        XCTAssertEqual(csv.stdout, "cause,title,category,in_catalogue,incidents,first,last,open_action_items,overdue_action_items,postmortems\r\npool-limits,Pool limits,,true,1,2025-03-04,2025-03-04,2,1,2025-03-04-a\r\n")
    }
}

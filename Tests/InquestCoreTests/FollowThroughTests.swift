import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Follow-through from one history walk: when each action item was added and ticked, time to
/// close, items done without a ticket, recurrences while an earlier item was still open.
///
///     c1 2025-01-01  add A (incident 2024-12-20): [ ] alert OPS-11, [ ] runbook (no ticket)
///     c2 2025-01-02  tick A's alert
///     c3 2025-01-03  add B (incident 2025-01-02, same cause): [x] config OPS-13 (written done)
///     c4 2025-01-04  tick A's runbook
final class FollowThroughTests: XCTestCase {
    let a = "postmortems/2024/2024-12-20-a.md"
    let b = "postmortems/2025/2025-01-02-b.md"

    func archive(shallow: Bool = false) throws -> (GitTestRepository, Archive) {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        let open = "- [ ] Alert on queue depth — @sre, OPS-11\n- [ ] Write the failover runbook — @ops-team"
        try repo.writePostmortem(a, fields: ["date": "2024-12-20", "contributing_factors": nil], sections: ["Action Items": open])
        try repo.commitAll("Add A", as: .priya)
        try repo.writePostmortem(a, fields: ["date": "2024-12-20", "contributing_factors": nil],
                                 sections: ["Action Items": open.replacingOccurrences(of: "- [ ] Alert", with: "- [x] Alert")])
        try repo.commitAll("Tick the alert", as: .marcus)
        try repo.writePostmortem(b, fields: ["date": "2025-01-02", "contributing_factors": nil],
                                 sections: ["Action Items": "- [x] Fix the config — @sre, OPS-13"])
        try repo.commitAll("Add B", as: .lena)
        try repo.writePostmortem(a, fields: ["date": "2024-12-20", "contributing_factors": nil],
                                 sections: ["Action Items": open.replacingOccurrences(of: "- [ ]", with: "- [x]")])
        try repo.commitAll("Tick the runbook", as: .priya)
        let target = shallow ? try repo.clone("shallow", depth: 2) : repo
        return (repo, try GitLint.plan(target.url).archive)
    }

    func item(_ followThrough: FollowThrough, _ text: String) throws -> FollowThrough.Item {
        try XCTUnwrap(followThrough.items.first { $0.entry.item.text.contains(text) }, text)
    }

    func testAddedAndTickedCommitsAndTimeToClose() throws {
        let (_, archive) = try archive()
        let followThrough = FollowThrough(archive: archive, now: CalendarDate(year: 2025, month: 2, day: 1))
        XCTAssertTrue(followThrough.hasHistory)
        let alert = try item(followThrough, "Alert on queue depth")
        XCTAssertEqual(alert.added?.summary, "Add A")
        XCTAssertEqual(alert.ticked?.summary, "Tick the alert")
        XCTAssertEqual(alert.daysToClose, 1)
        XCTAssertFalse(alert.tickedWithoutTicket)
        let runbook = try item(followThrough, "failover runbook")
        XCTAssertEqual(runbook.ticked?.summary, "Tick the runbook")
        XCTAssertEqual(runbook.daysToClose, 3)
        XCTAssertTrue(runbook.tickedWithoutTicket)
        let config = try item(followThrough, "Fix the config")
        XCTAssertEqual(config.added?.summary, "Add B")
        XCTAssertNil(config.daysToClose, "written done: no time to close")
        XCTAssertEqual(followThrough.tickedWithoutTicket.count, 1)
    }

    func testClosureRateAndTimeToClosePerQuarterAndOwner() throws {
        let (_, archive) = try archive()
        let followThrough = FollowThrough(archive: archive, now: CalendarDate(year: 2025, month: 2, day: 1))
        let quarters = Dictionary(uniqueKeysWithValues: followThrough.byQuarter.map { ($0.key, $0) })
        XCTAssertEqual(quarters["2024 Q4"]?.total, 2)
        XCTAssertEqual(quarters["2024 Q4"]?.closurePercent, 100)
        XCTAssertEqual(quarters["2024 Q4"]?.daysToClose, Distribution(count: 2, median: 1, p90: 3))
        XCTAssertEqual(quarters["2025 Q1"]?.daysToClose, nil)
        XCTAssertEqual(followThrough.byOwner.map(\.key), ["@ops-team", "@sre"])
    }

    func testIncidentThatRecurredWhileAnEarlierItemWasOpen() throws {
        let (_, archive) = try archive()
        let followThrough = FollowThrough(archive: archive, now: CalendarDate(year: 2025, month: 2, day: 1))
        let cause = try XCTUnwrap(archive.postmortems.first { $0.path == b }?.rootCauses.first?.value)
        let recurrences = followThrough.recurrencesWhileOpen(cause: cause)
        XCTAssertEqual(recurrences.count, 1)
        XCTAssertEqual(recurrences.first.map { archive.postmortems[$0.postmortem].path }, b)
        XCTAssertEqual(recurrences.first?.earlier.map { archive.postmortems[$0].path }, [a])
        XCTAssertEqual(recurrences.first?.openItems, 1, "the runbook was open on 2025-01-02; the alert was ticked that day")
    }

    func testShallowCloneIsFlagged() throws {
        let (_, archive) = try archive(shallow: true)
        let followThrough = FollowThrough(archive: archive, now: nil)
        XCTAssertTrue(followThrough.isShallow)
        let report = ActionsReport(archive: archive, filter: .all, now: CalendarDate(year: 2025, month: 2, day: 1)).text()
        XCTAssertTrue(report.contains("note: shallow clone"), report)
    }

    func testReportPrintsTheHistoryFacts() throws {
        let (_, archive) = try archive()
        let report = ActionsReport(archive: archive, filter: .all, now: CalendarDate(year: 2025, month: 2, day: 1))
        let text = report.text()
        XCTAssertTrue(text.contains("closed in 1 day"), text)
        XCTAssertTrue(text.contains("done without a ticket"), text)
        XCTAssertTrue(text.contains("written done"), text)
        XCTAssertTrue(text.contains("follow-through: 2 ticked after they were added, time to close median 1 d, p90 3 d"), text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let items = try XCTUnwrap(json["actionItems"] as? [[String: Any]])
        XCTAssertEqual(items.compactMap { $0["daysToClose"] as? Int }.sorted(), [1, 3])
    }

    func testReplacingEditedDocumentsEqualsAFreshPassOverTheEditedArchive() throws {
        let (repo, archive) = try archive()
        let now = CalendarDate(year: 2025, month: 2, day: 1)
        // Edits a save can make without touching what the archive indexes: an item more in the
        // middle of A's list (the lines below it move), one reworded, and an item more in B.
        try repo.writePostmortem(a, fields: ["date": "2024-12-20", "contributing_factors": nil], sections: [
            "Action Items": "- [x] Alert on queue depth — @sre, OPS-11\n- [x] Page the on-call on lag — @sre, OPS-12\n"
                + "- [x] Write and test the failover runbook — @ops-team",
        ])
        try repo.writePostmortem(b, fields: ["date": "2025-01-02", "contributing_factors": nil],
                                 sections: ["Action Items": "- [x] Fix the config — @sre, OPS-13\n- [x] Lint the config in CI — @platform, OPS-14"])
        let edited = try GitLint.plan(repo.url).archive
        var replaced = archive
        var changed = Set<Int>()
        for path in [a, b] {
            let postmortem = try XCTUnwrap(edited.postmortems.first { $0.path == path })
            replaced = try XCTUnwrap(replaced.replacing(postmortem), "\(path) swaps in")
            changed.formUnion(replaced.indexes(ofPath: path))
        }
        let describe = { (followThrough: FollowThrough) in
            followThrough.items.map { item in
                [String(item.entry.postmortem), item.entry.item.text, String(item.entry.line), item.added?.summary ?? "-",
                 item.ticked?.summary ?? "-", item.daysToClose.map(String.init) ?? "-", item.openDays.map(String.init) ?? "-",
                 String(item.tickedWithoutTicket)].joined(separator: " | ")
            }
        }
        let swapped = FollowThrough(archive: archive, now: now).replacing(changed, in: replaced)
        let fresh = FollowThrough(archive: replaced, now: now)
        XCTAssertEqual(describe(swapped), describe(fresh))
        XCTAssertEqual(fresh.items.count, 5, "A's three items, then B's two")
        XCTAssertEqual(describe(FollowThrough(archive: archive, now: now).replacing([], in: archive)),
                       describe(FollowThrough(archive: archive, now: now)), "nothing changed: the same items")
    }
}

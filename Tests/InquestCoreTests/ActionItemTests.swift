import XCTest
@testable import InquestCore
import InquestTestSupport

final class ActionItemTests: XCTestCase {
    private func items(_ body: String) -> [ActionItem] {
        PostmortemParser().parse(RawDocument(path: "postmortems/a.md", bytes: Array(ExampleDocument.make(sections: ["Action Items": body]).utf8))).actionItems
    }

    func testOwnerTicketDueAndStateAreRecognised() {
        let parsed = items("""
        - [ ] Alert on eviction rate — @platform-team, LRK-101, due: 2025-04-01
        - [x] Owner by name — owner: Priya Raman; https://tracker.example/issues/7
        - [ ] Linked ticket — @sre, [ticket](https://tracker.example/issues/8)
        """)
        XCTAssertEqual(parsed.map(\.state), [.open, .done, .open])
        XCTAssertEqual(parsed.map(\.owner), ["@platform-team", "Priya Raman", "@sre"])
        XCTAssertEqual(parsed.map(\.ticket), ["LRK-101", "https://tracker.example/issues/7", "https://tracker.example/issues/8"])
        XCTAssertEqual(parsed.first?.due, CalendarDate(year: 2025, month: 4, day: 1))
    }

    func testAnEmailAddressIsNotAnOwner() {
        XCTAssertNil(items("- [ ] Mail ops@example.com about it — LRK-1").first?.owner)
    }

    func testPlainBulletsAreNotActionItems() {
        XCTAssertEqual(items("- not a task\n- [ ] a task — @a, LRK-1").count, 1)
    }

    func testMissingOwnerAndTicketAreUnderlinedOnTheItemLine() {
        let text = ExampleDocument.make(sections: ["Action Items": "⟦- [ ] Alert on queue depth⟧"])
        assertRule("action-items/missing-owner", text)
        assertRule("action-items/missing-ticket", text)
    }

    func testTryHarderItemsAreNotActionable() {
        assertRule("action-items/not-actionable", ExampleDocument.make(sections: ["Action Items": "- [ ] ⟦Be more careful⟧ with the policy — @a, LRK-1\n- [ ] ⟦Remember to⟧ warm the cache — @a, LRK-2\n- [ ] Engineers should ⟦double-check⟧ configs — @a, LRK-3\n- [ ] ⟦Don't deploy on Fridays again⟧ — @a, LRK-4"]))
    }

    func testSystemSubjectsWithTryToAreActionable() {
        assertRule("action-items/not-actionable", ExampleDocument.make(sections: ["Action Items": "- [ ] Make the client try to reconnect with backoff — @a, LRK-1\n- [ ] Add a check that makes sure that replicas are read-only — @a, LRK-2"]))
    }

    func testUnreadableDueDatesAreReportedNotDropped() {
        assertRule("action-items/invalid-due", ExampleDocument.make(sections: ["Action Items": "- [ ] Alert on eviction rate — @a, LRK-1, due: ⟦2026-02-30⟧\n- [ ] Page on saturation — @a, LRK-2, due: ⟦tomorrow⟧\n- [ ] Add a budget — @a, LRK-3, due: 2026-02-28\n- [ ] Retry less, due to the storm — @a, LRK-4"]))
    }

    func testTheTemplatesPlaceholderActionItemIsReported() {
        assertRule("action-items/invalid-due", ExampleDocument.make(sections: ["Action Items": "- [ ] <!-- a change to the system --> — @owner, TICKET-1, due: ⟦YYYY-MM-DD⟧"]))
    }
}

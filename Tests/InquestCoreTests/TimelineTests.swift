import XCTest
@testable import InquestCore
import InquestTestSupport

final class TimelineTests: XCTestCase {
    private func timeline(_ body: String, fields: [String: String?] = [:]) -> [TimelineEntry] {
        PostmortemParser().parse(RawDocument(path: "postmortems/a.md", bytes: Array(ExampleDocument.make(fields: fields, sections: ["Timeline": body]).utf8))).timeline
    }

    func testEntryWithoutTimeIsUnderlinedOnItsFirstLine() {
        assertRule("timeline/missing-time", ExampleDocument.make(sections: ["Timeline": "- 09:00 — Start.\n⟦- Shortly after, errors rise.⟧\n- 09:10 — The alert fires."]))
    }

    func testAcceptedTimeFormats() {
        let entries = timeline("""
        - 09:00 — a
        - 09:01:30 — b
        - **09:02** — c
        - 2025-03-04 09:03 — d
        - 2025-03-04T09:04:00Z — e
        - 09:05 UTC — f
        - 10:06 CET — g
        - 9:07 UTC — h
        """)
        XCTAssertEqual(entries.map(\.timeText), ["09:00", "09:01:30", "09:02", "2025-03-04 09:03", "2025-03-04T09:04:00Z", "09:05 UTC", "10:06 CET", "9:07 UTC"])
        XCTAssertEqual(entries.compactMap(\.time).map(\.utcString), [
            "2025-03-04T09:00:00Z", "2025-03-04T09:01:30Z", "2025-03-04T09:02:00Z", "2025-03-04T09:03:00Z",
            "2025-03-04T09:04:00Z", "2025-03-04T09:05:00Z", "2025-03-04T09:06:00Z", "2025-03-04T09:07:00Z",
        ])
    }

    func testSectionZoneLineAppliesToEntries() {
        let entries = timeline("All times are CET.\n\n- 10:00 — a\n- 10:30 — b")
        XCTAssertEqual(entries.compactMap(\.time).map(\.utcString), ["2025-03-04T09:00:00Z", "2025-03-04T09:30:00Z"])
    }

    func testTimesRollOverMidnight() {
        let entries = timeline("- 23:50 — a\n- 00:10 — b\n- 01:00 — c")
        XCTAssertEqual(entries.compactMap(\.time).map(\.utcString), ["2025-03-04T23:50:00Z", "2025-03-05T00:10:00Z", "2025-03-05T01:00:00Z"])
    }

    func testTableRowsAreEntries() {
        let entries = timeline("| Time | Event |\n|------|-------|\n| 09:00 | Start |\n| 09:10 | Alert |")
        XCTAssertEqual(entries.map(\.timeText), ["09:00", "09:10"])
        XCTAssertEqual(entries.first?.text, "09:00 | Start")
    }

    func testTimeGoingBackIsReportedAtTheTime() {
        assertRule("timeline/out-of-order", ExampleDocument.make(sections: ["Timeline": "- 09:00 — a\n- 09:40 — b\n- ⟦09:10⟧ — c"]))
    }

    func testOvernightTimelineIsInOrder() {
        assertRule("timeline/out-of-order", ExampleDocument.make(sections: ["Timeline": "- 23:50 — a\n- 00:20 — b"]))
    }

    func testFinalPostmortemNeedsTimedEntries() {
        assertRule("timeline/empty", ExampleDocument.make(sections: ["Timeline": "Times are not known yet."]).replacingFirst("## Timeline", with: "⟦## Timeline⟧"))
        assertRule("timeline/empty", ExampleDocument.make(fields: ["status": "draft"], sections: ["Timeline": "Times are not known yet."]))
    }
}

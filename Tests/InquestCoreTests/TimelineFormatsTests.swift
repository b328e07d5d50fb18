import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// One fixture per timeline format seen in real archives (written for this project), each with the
/// exact local time, offset, and where the date and zone came from.
final class TimelineFormatsTests: XCTestCase {
    private func entries(_ body: String, frontMatter: String? = "date: 2025-03-04", heading: String = "Timeline",
                         options: TimelineOptions = TimelineOptions(), path: String = "postmortems/a.md") -> [TimelineEntry] {
        var schema = Schema()
        schema.timeline = options
        let front = frontMatter.map { "---\ntitle: Example\n\($0)\n---\n" } ?? ""
        let text = front + "# Example\n\n## Summary\n\nThe queue stalled.\n\n## \(heading)\n\n\(body)\n\n## Impact\n\nSlow pages.\n"
        return PostmortemParser(schema: schema).parse(RawDocument(path: path, bytes: Array(text.utf8))).timeline
    }

    /// `2025-03-04T09:00+01:00`: the local time and offset as the author meant them.
    private func local(_ entries: [TimelineEntry]) -> [String] {
        entries.map { entry in
            guard let time = entry.time else { return "none" }
            let local = time.seconds + time.offsetMinutes * 60
            let day = CalendarDate(daysSinceEpoch: Int((Double(local) / 86_400).rounded(.down)))
            let second = local - day.daysSinceEpoch * 86_400
            let sign = time.offsetMinutes < 0 ? "-" : "+"
            let offset = abs(time.offsetMinutes)
            return "\(day)T" + String(format: "%02d:%02d", second / 3600, second / 60 % 60) + sign + String(format: "%02d:%02d", offset / 60, offset % 60)
        }
    }

    private func sources(_ entries: [TimelineEntry]) -> [String] {
        entries.map { "\($0.dateSource?.rawValue ?? "-")/\($0.zoneSource?.rawValue ?? "-")" }
    }

    // MARK: 12-hour clocks

    func testAMAndPMAreApplied() {
        let timeline = entries("- 07:48 AM — the nightly export starts\n- 01:05 PM — the export is still running\n- 05:17 PM UTC — it finishes")
        XCTAssertEqual(local(timeline), ["2025-03-04T07:48+00:00", "2025-03-04T13:05+00:00", "2025-03-04T17:17+00:00"])
        XCTAssertEqual(timeline.map(\.timeText), ["07:48 AM", "01:05 PM", "05:17 PM UTC"])
    }

    func testTwelveAMIsMidnightAndTwelvePMIsNoon() {
        XCTAssertEqual(local(entries("- 12:30 AM — a\n- 12:00 PM — b\n- 12:45 p.m. — c")),
                       ["2025-03-04T00:30+00:00", "2025-03-04T12:00+00:00", "2025-03-04T12:45+00:00"])
    }

    func testLowercaseAndUnspacedMeridiem() {
        XCTAssertEqual(local(entries("- 4:12pm the cache fills\n- 4:30 pm it is flushed\n- 11:02pm next")),
                       ["2025-03-04T16:12+00:00", "2025-03-04T16:30+00:00", "2025-03-04T23:02+00:00"])
    }

    func testBareHourWithMeridiem() {
        XCTAssertEqual(local(entries("- 5 PM — the freeze begins\n- 6pm — review")), ["2025-03-04T17:00+00:00", "2025-03-04T18:00+00:00"])
    }

    func testDottedTimeNeedsMeridiemOrASeparator() {
        let timeline = entries("- 9.25 AM — a replica lags\n- 9.30 — the replica recovers\n- 9.31 release ships")
        XCTAssertEqual(local(timeline), ["2025-03-04T09:25+00:00", "2025-03-04T09:30+00:00", "none"])
    }

    func testRedundantPMAfterTwentyFourHourTimeIsIgnored() {
        XCTAssertEqual(local(entries("- 14:20 PM — the batch job starts\n- 15:05 PM — it stops")),
                       ["2025-03-04T14:20+00:00", "2025-03-04T15:05+00:00"])
    }

    func testMeridiemAndZoneJoinedByDashes() {
        let timeline = entries("- 10:37-am-GMT the load balancer drains")
        XCTAssertEqual(local(timeline), ["2025-03-04T10:37+00:00"])
        XCTAssertEqual(timeline.first?.timeText, "10:37-am-GMT")
    }

    func testMilitaryHours() {
        XCTAssertEqual(local(entries("- 0415hrs — the on-call is paged\n- 0430 hrs — ack\n- 1530Z — fixed")),
                       ["2025-03-04T04:15+00:00", "2025-03-04T04:30+00:00", "2025-03-04T15:30+00:00"])
    }

    func testApproximateTime() {
        let timeline = entries("- ~07:00 — the first reports arrive")
        XCTAssertEqual(local(timeline), ["2025-03-04T07:00+00:00"])
        XCTAssertEqual(timeline.first?.timeText, "07:00")
    }

    // MARK: dates in the entry

    func testPaddedISODateInATable() {
        let timeline = entries("| Time | Event |\n| --- | --- |\n| 2024-11-02   15:40 | Disk alarms |\n| 2024-11-03   08:05 | Disk replaced |")
        XCTAssertEqual(local(timeline), ["2024-11-02T15:40+00:00", "2024-11-03T08:05+00:00"])
        XCTAssertEqual(sources(timeline), ["entry/config", "entry/config"])
    }

    func testMonthNameWithoutYearTakesTheIncidentYear() {
        let timeline = entries("| When | What |\n|---|---|\n| Feb 27, 10:18 AM | A release ships |\n| Mar 1, 3:31 PM | Errors rise |")
        XCTAssertEqual(local(timeline), ["2025-02-27T10:18+00:00", "2025-03-01T15:31+00:00"])
    }

    func testOrdinalDateWithYearInBold() {
        let timeline = entries("- **June 3rd, 2023, 4:00 PM:** the certificate expires")
        XCTAssertEqual(local(timeline), ["2023-06-03T16:00+00:00"])
        XCTAssertEqual(sources(timeline), ["entry/config"])
    }

    func testDateColonTimeAndZone() {
        XCTAssertEqual(local(entries("- May 9, 2024: 3:40pm UTC — the queue backs up")), ["2024-05-09T15:40+00:00"])
    }

    func testNumericUSDateWithZone() {
        // 10/21/2022 can only be month first; CST is US Central (-06:00) by default.
        let timeline = entries("10/21/2022 - 09:12 CST - the primary fails over")
        XCTAssertEqual(local(timeline), ["2022-10-21T09:12-06:00"])
        XCTAssertEqual(timeline.first?.time?.utcString, "2022-10-21T15:12:00Z")
    }

    func testAmbiguousNumericDateFollowsDateOrder() {
        XCTAssertEqual(local(entries("- 03/04/2025 09:00 — a")), ["2025-03-04T09:00+00:00"], "unread date: the incident date applies")
        var dmy = TimelineOptions()
        dmy.dateOrder = .dmy
        XCTAssertEqual(local(entries("- 03/04/2025 09:00 — a", options: dmy)), ["2025-04-03T09:00+00:00"])
        var mdy = TimelineOptions()
        mdy.dateOrder = .mdy
        XCTAssertEqual(local(entries("- 03/04/2025 09:00 — a", options: mdy)), ["2025-03-04T09:00+00:00"])
        XCTAssertEqual(sources(entries("- 03/04/2025 09:00 — a", options: mdy)), ["entry/config"])
    }

    func testDottedDayFirstDate() {
        XCTAssertEqual(local(entries("- 20.01.2020 13:50 — watches exhausted")), ["2020-01-20T13:50+00:00"])
    }

    func testWeekdayDayMonthColumns() {
        let timeline = entries("| Day | Date | Time | Event |\n|---|---|---|---|\n| Tue | Mar 14 | 06:51 | Alert |\n| Tue | Mar 14 | 07:02 | Ack |\n| Wed | Mar 15 | 01:10 | Fixed |",
                               frontMatter: "date: 2023-03-14")
        XCTAssertEqual(local(timeline), ["2023-03-14T06:51+00:00", "2023-03-14T07:02+00:00", "2023-03-15T01:10+00:00"])
        XCTAssertEqual(sources(timeline), ["table/config", "table/config", "table/config"])
        XCTAssertEqual(timeline.first?.text, "Tue | Mar 14 | 06:51 | Alert")
    }

    func testTimeRangeEndIsNotAnOffset() {
        let timeline = entries("- 2022-08-03 12:26-12:?? the API returns 502s\n- 2022-08-03 12:40 - 12:55 UTC — retries")
        XCTAssertEqual(local(timeline), ["2022-08-03T12:26+00:00", "2022-08-03T12:40+00:00"])
        XCTAssertEqual(timeline.first?.timeText, "2022-08-03 12:26-12:??")
    }

    func testDateInParenthesesAfterTheTime() {
        let timeline = entries("- **23:40 UTC (Mar 9)** — a\n- **00:05 UTC (Mar 10)** — b")
        XCTAssertEqual(local(timeline), ["2025-03-09T23:40+00:00", "2025-03-10T00:05+00:00"])
        XCTAssertEqual(sources(timeline), ["entry/entry", "entry/entry"])
    }

    func testISOOffsetsStillRead() {
        XCTAssertEqual(local(entries("- 2025-03-04T09:12:00-05:00 — a\n- 2025-03-04T15:00+01:00 — b")),
                       ["2025-03-04T09:12-05:00", "2025-03-04T15:00+01:00"])
    }

    // MARK: dates from context

    func testDateInHeadingAboveAGroup() {
        let timeline = entries("### October 21, 2024 — first outage\n\n- 10:00 UTC — a\n- 11:30 UTC — b\n\n### October 24, 2024\n\n- 09:15 UTC — c")
        XCTAssertEqual(local(timeline), ["2024-10-21T10:00+00:00", "2024-10-21T11:30+00:00", "2024-10-24T09:15+00:00"])
        XCTAssertEqual(sources(timeline), ["heading/entry", "heading/entry", "heading/entry"])
    }

    func testDayLineThatAlsoStatesTheZone() {
        // SRE-book style: `**2023-10-21** (all times UTC)` above the day's entries.
        let timeline = entries("**2025-03-05** (all times CET)\n\n- 21:51 spike\n- 23:00 calm\n\n**2025-03-06**\n\n- 00:15 back", frontMatter: "date: 2025-03-04")
        XCTAssertEqual(local(timeline), ["2025-03-05T21:51+01:00", "2025-03-05T23:00+01:00", "2025-03-06T00:15+01:00"])
        XCTAssertEqual(sources(timeline), ["heading/line", "heading/line", "heading/line"])
    }

    func testNoBreakAndDoubledSpacesAroundTheMeridiemAndZone() {
        // Word processors put U+00A0 or U+202F between a time and AM/PM; a zero-width space can lead a line.
        let timeline = entries("- 9:15\u{202F}AM\u{00A0}UTC — a\n- \u{200B}10:20  PM  CET — b\n- 11:05\tPM — c")
        XCTAssertEqual(local(timeline), ["2025-03-04T09:15+00:00", "2025-03-04T22:20+01:00", "2025-03-04T23:05+01:00"])
    }

    func testTimesInLineAfterTheEntriesAndTimesInCodeSpans() {
        let timeline = entries("- `08:12` a\n- `08:40` b\n\nAll times above are CET.")
        XCTAssertEqual(local(timeline), ["2025-03-04T08:12+01:00", "2025-03-04T08:40+01:00"])
        XCTAssertEqual(sources(timeline), ["incident/line", "incident/line"])
    }

    func testEntriesWrittenAsHeadings() {
        let timeline = entries("### 09:58 UTC — deploy starts\n\nThe image rolls out.\n\n### 10:04 UTC — jobs stop\n\nNo completions.\n\n### March 5\n\n- 00:10 UTC — c")
        XCTAssertEqual(local(timeline), ["2025-03-04T09:58+00:00", "2025-03-04T10:04+00:00", "2025-03-05T00:10+00:00"])
    }

    func testTwelveHourClockWithoutAnyMeridiem() {
        let afternoon = entries("- 9:10 - a\n- 11:45 - b\n- 1:20 - c\n- 3:05 - d")
        XCTAssertEqual(local(afternoon), ["2025-03-04T09:10+00:00", "2025-03-04T11:45+00:00", "2025-03-04T13:20+00:00", "2025-03-04T15:05+00:00"])
        // A small step back is a genuine mistake, still reported; a 24-hour timeline is never shifted.
        XCTAssertEqual(local(entries("- 10:00 - a\n- 9:30 - b")), ["2025-03-04T10:00+00:00", "2025-03-04T09:30+00:00"])
        XCTAssertEqual(local(entries("- 14:00 - a\n- 9:30 - b")), ["2025-03-04T14:00+00:00", "2025-03-04T09:30+00:00"])
        XCTAssertEqual(local(entries("- 09:00 UTC-5 - a\n- 09:30 GMT+05:30 - b")), ["2025-03-04T09:00-05:00", "2025-03-04T09:30+05:30"],
                       "times in different zones are not on one 12-hour clock")
    }

    func testEmojiBeforeTheTimeAreSkipped() {
        let timeline = entries("- 🚨 9:12 AM PDT — a\n- ⏱️ 9:14 AM — b\n- ✅ 9:50 AM — c", frontMatter: "date: 2023-03-14")
        XCTAssertEqual(local(timeline), ["2023-03-14T09:12-07:00", "2023-03-14T09:14-07:00", "2023-03-14T09:50-07:00"])
        XCTAssertEqual(timeline.first?.timeText, "9:12 AM PDT")
    }

    func testSeveralWordsBeforeATimeInProse() {
        let timeline = entries("At approximately 10:15 UTC the queue stalled.\nAt around 10:40 UTC it drained.")
        XCTAssertEqual(local(timeline), ["2025-03-04T10:15+00:00", "2025-03-04T10:40+00:00"])
    }

    func testRelativeTimesAreQuotedNotRead() {
        let diagnostics = Lint.run(ExampleDocument.make(sections: ["Timeline": "- T+0 — a\n- T+5m — b\n- T+1h30m: c"]))
            .filter { $0.rule == "timeline/missing-time" }.map(\.message)
        XCTAssertEqual(diagnostics, ["'T+0' is relative to the start, not a time of day", "'T+5m' is relative to the start, not a time of day",
                                     "'T+1h30m' is relative to the start, not a time of day"])
        XCTAssertEqual(local(entries("- T+5m — b")), ["none"])
    }

    func testDayMarkersStartANewDay() {
        let days = entries("### Day 1\n\n- 14:10 — a\n- 16:40 — b\n\n### Day 2\n\n- 10:05 — c\n\n### Day 4\n\n- 09:00 — d", frontMatter: "date: 2023-12-12")
        XCTAssertEqual(local(days), ["2023-12-12T14:10+00:00", "2023-12-12T16:40+00:00", "2023-12-13T10:05+00:00", "2023-12-15T09:00+00:00"])
        XCTAssertEqual(sources(days).map { $0.split(separator: "/")[0] }, ["incident", "incident", "heading", "heading"])
        // 2023-12-19 is a Tuesday.
        let weekdays = entries("**Tuesday**\n\n- 15:20 — a\n\n**Thursday**\n\n- 09:10 — b\n\nThe next day\n\n- 08:00 — c", frontMatter: "date: 2023-12-19")
        XCTAssertEqual(local(weekdays), ["2023-12-19T15:20+00:00", "2023-12-21T09:10+00:00", "2023-12-22T08:00+00:00"])
        let labels = entries("- Day one\n  - 22:00 — a\n- Day two\n  - 09:00 — b", frontMatter: "date: 2023-12-19")
        XCTAssertEqual(local(labels), ["2023-12-19T22:00+00:00", "2023-12-20T09:00+00:00"])
    }

    func testOddTimelinesNeverCrash() {
        let bodies = [
            "", "| Time | Event |\n| --- | --- |", "| 10:00 |\n| --- |\n| 11:00 |\n| |", "**Summary:**\n\n**Timeline:**",
            "- \n- 25:99 x\n- 24:00 y\n- 12:60 z\n- 0000hrs a\n- 2400hrs b\n- 12 AM c\n- 0 PM d\n- 13 PM e\n- 9:6 f",
            "### 10:00\n\n### \n\n| | |\n| --- | --- |\n| | |", "- T+\n- T+1x\n- `` ``\n- 🚨\n- \u{200B}", String(repeating: "  - 10:00 x\n", count: 50),
        ]
        for body in bodies {
            _ = entries(body)
            _ = Lint.run(ExampleDocument.make(sections: ["Timeline": body]))
        }
    }

    func testLongTimelinesScaleLinearly() {
        // A generous ratio (16 times the entries must take well under 256 times as long), in CPU
        // time (wall-clock ratios swing with the machine's load). 200 × 16 against 60 fails a
        // quadratic term from a smaller share of the work than 500 × 8 against 30 did, for less.
        assertScalesLinearly("parsing a timeline must stay roughly linear", size: 200, factor: 16, limit: 60, warmUp: false, input: { count in
            let body = (0..<count).map { String(format: "| 2023-01-01 %02d:%02d | event %d |", ($0 / 60) % 24, $0 % 60, $0) }.joined(separator: "\n")
            return (count, "| Time | Event |\n| --- | --- |\n" + body + "\n\n" + (0..<count).map { String(format: "%d:%02d PM — entry", $0 % 12 + 1, $0 % 60) }.joined(separator: "\n"))
        }) { count, text in
            XCTAssertEqual(entries(text).count, 2 * count)
        }
    }

    func testOffsetOnTheNightClocksChange() {
        let berlin = entries("Times are Europe/Berlin.\n\n- 2023-03-26 01:55 — a\n- 2023-03-26 03:05 — b", frontMatter: "date: 2023-03-26")
        XCTAssertEqual(local(berlin), ["2023-03-26T01:55+01:00", "2023-03-26T03:05+02:00"])
        let pacific = entries("- 01:30 PT — a\n- 03:10 PT — b", frontMatter: "date: 2024-03-10")
        XCTAssertEqual(local(pacific), ["2024-03-10T01:30-08:00", "2024-03-10T03:10-07:00"])
    }

    func testTableWithoutAHeaderRowStartsWithAnEntry() {
        let timeline = entries("| Tue | Jan 14 | 06:51 | a |\n| --- | --- | --- | --- |\n| Tue | Jan 14 | 07:48 AM | b |", frontMatter: "date: 2025-01-14")
        XCTAssertEqual(local(timeline), ["2025-01-14T06:51+00:00", "2025-01-14T07:48+00:00"])
        XCTAssertEqual(sources(timeline), ["table/config", "table/config"])
    }

    func testDateOnlyListItemWithNestedEntries() {
        let timeline = entries("- **Tuesday 4 March**\n  - 22:10 — a\n  - 23:40 — b\n- **Wednesday 5 March**\n  - 00:15 — c")
        XCTAssertEqual(local(timeline), ["2025-03-04T22:10+00:00", "2025-03-04T23:40+00:00", "2025-03-05T00:15+00:00"])
        XCTAssertEqual(sources(timeline).map { $0.split(separator: "/")[0] }, ["heading", "heading", "heading"])
    }

    func testDateCarriesForwardFromAnEarlierEntry() {
        let timeline = entries("- 2024-06-06 14:10 — a\n- 16:07 — b")
        XCTAssertEqual(local(timeline), ["2024-06-06T14:10+00:00", "2024-06-06T16:07+00:00"])
        XCTAssertEqual(sources(timeline), ["entry/config", "previous/config"])
    }

    func testMidnightRolloverAfterPM() {
        let timeline = entries("- 11:50 PM — a\n- 12:10 AM — b\n- 1:30 AM — c")
        XCTAssertEqual(local(timeline), ["2025-03-04T23:50+00:00", "2025-03-05T00:10+00:00", "2025-03-05T01:30+00:00"])
        XCTAssertEqual(sources(timeline), ["incident/config", "rollover/config", "previous/config"])
    }

    func testRolloverDoesNotHideAMissingMeridiem() {
        // 10:30 then 1:15 (no PM): not a new day. Every time is on a 12-hour clock, so it is 1:15 PM
        // (see testTwelveHourClockWithoutAnyMeridiem); with a 24-hour time elsewhere it is an error.
        assertRule("timeline/out-of-order", ExampleDocument.make(sections: ["Timeline": "- 10:30 — a\n- 1:15 — b"]))
        assertRule("timeline/out-of-order", ExampleDocument.make(sections: ["Timeline": "- 10:30 — a\n- ⟦1:15⟧ — b\n- 14:00 — c"]))
        assertRule("timeline/out-of-order", ExampleDocument.make(sections: ["Timeline": "- 10:30 AM — a\n- 1:15 PM — b"]))
    }

    func testDateFromFileNameWithoutFrontMatter() {
        let timeline = entries("- 16:58 UTC - a", frontMatter: nil, path: "postmortems/2025-09-30-flags.md")
        XCTAssertEqual(local(timeline), ["2025-09-30T16:58+00:00"])
        XCTAssertEqual(sources(timeline), ["document/entry"])
    }

    func testDateFromADateLineWithoutFrontMatter() {
        let timeline = entries("- 08:15am - a", frontMatter: nil, path: "postmortems/db-outage.md")
        XCTAssertEqual(local(timeline), ["1970-01-01T08:15+00:00"], "no date anywhere: the time only orders entries")
        XCTAssertEqual(sources(timeline), ["-/config"])
        var schema = Schema()
        schema.timeline = TimelineOptions()
        let text = "# Disk full\n\n**Date:** May 2, 2023\n\n## Timeline\n\n- 08:15am - a\n"
        let parsed = PostmortemParser(schema: schema).parse(RawDocument(path: "postmortems/db-outage.md", bytes: Array(text.utf8))).timeline
        XCTAssertEqual(local(parsed), ["2023-05-02T08:15+00:00"])
        XCTAssertEqual(sources(parsed), ["document/config"])
    }

    // MARK: zones from context

    func testZoneInSectionHeading() {
        let timeline = entries("- 9:40 AM — a\n- 10:05 AM — b", heading: "Timeline (all times PST)")
        XCTAssertEqual(local(timeline), ["2025-03-04T09:40-08:00", "2025-03-04T10:05-08:00"])
        XCTAssertEqual(sources(timeline), ["incident/section", "incident/section"])
    }

    func testNumberedHeadingWithZone() {
        XCTAssertEqual(local(entries("- 09:00 — a", heading: "2. Timeline (UTC+2)")), ["2025-03-04T09:00+02:00"])
    }

    func testZoneInTableHeader() {
        let timeline = entries("| Date and Time in CET | Event |\n|---|---|\n| 2020-01-20 13:50 | a |")
        XCTAssertEqual(local(timeline), ["2020-01-20T13:50+01:00"])
        XCTAssertEqual(sources(timeline), ["entry/table"])
    }

    func testTimesInLine() {
        let timeline = entries("All times in CET.\n\n| Time | Event |\n|---|---|\n| 2020-01-20 13:50 | a |")
        XCTAssertEqual(local(timeline), ["2020-01-20T13:50+01:00"])
        XCTAssertEqual(sources(timeline), ["entry/line"])
    }

    func testZonePrecedenceEntryTableSectionLineDocumentConfig() {
        let table = "| Time (EAT) | Event |\n|---|---|\n| 10:00 | a |\n| 10:05 WAT | b |"
        XCTAssertEqual(local(entries("All times in SAST.\n\n" + table, heading: "Timeline (GMT-5)")), ["2025-03-04T10:00+03:00", "2025-03-04T10:05+01:00"])
        XCTAssertEqual(local(entries("All times in SAST.\n\n- 10:00 — a", heading: "Timeline (GMT-5)")), ["2025-03-04T10:00-05:00"])
        XCTAssertEqual(local(entries("All times in SAST.\n\n- 10:00 — a")), ["2025-03-04T10:00+02:00"])
        let started = "date: 2025-03-04\nstarted: \"2025-03-04T09:00:00-05:00\""
        XCTAssertEqual(sources(entries("- 10:00 — a", frontMatter: started)), ["incident/document"])
        XCTAssertEqual(local(entries("- 10:00 — a", frontMatter: started)), ["2025-03-04T10:00-05:00"])
        var configured = TimelineOptions()
        configured.defaultOffset = 330
        XCTAssertEqual(local(entries("- 10:00 — a", options: configured)), ["2025-03-04T10:00+05:30"])
        XCTAssertEqual(sources(entries("- 10:00 — a", options: configured)), ["incident/config"])
    }

    func testOffsetZonesAndGenericUSZones() {
        XCTAssertEqual(local(entries("- 09:00 UTC-5 — a\n- 09:30 GMT+05:30 — b")), ["2025-03-04T09:00-05:00", "2025-03-04T09:30+05:30"])
        // PT follows US daylight saving time: -08:00 in February, -07:00 in July.
        XCTAssertEqual(local(entries("- 09:00 PT — a", frontMatter: "date: 2025-02-10")), ["2025-02-10T09:00-08:00"])
        XCTAssertEqual(local(entries("- 09:00 PT — a", frontMatter: "date: 2025-07-10")), ["2025-07-10T09:00-07:00"])
    }

    func testAmbiguousAbbreviationFollowsConfiguration() {
        XCTAssertEqual(local(entries("- 09:00 IST — a")), ["2025-03-04T09:00+05:30"])
        var israel = TimelineOptions()
        israel.zones["IST"] = 120
        XCTAssertEqual(local(entries("- 09:00 IST — a", options: israel)), ["2025-03-04T09:00+02:00"])
    }

    // MARK: entries that are not list items

    func testTimeStampedParagraphsAndLines() {
        let timeline = entries("Around noon the queue grew.\n\n09:00 UTC: the deploy starts\n09:05 UTC: errors rise\nand keep rising\n\n09:20 UTC: rollback")
        XCTAssertEqual(local(timeline), ["2025-03-04T09:00+00:00", "2025-03-04T09:05+00:00", "2025-03-04T09:20+00:00"])
        XCTAssertEqual(timeline.map(\.text), ["09:00 UTC: the deploy starts", "09:05 UTC: errors rise and keep rising", "09:20 UTC: rollback"])
    }

    func testProseListAfterALabelIsNotTimeline() {
        let timeline = entries("### March 4, 2025\n\n- 10:00 UTC — a\n\n**Why:**\n\n- the pool was too small\n- retries amplified load")
        XCTAssertEqual(timeline.count, 1)
    }

    // MARK: unreadable times

    func testUnreadableTimeIsQuoted() {
        let document = ExampleDocument.make(sections: ["Timeline": "- 09:00 — a\n⟦- 2025-03-04 14:?? — b⟧\n⟦- HH:mm — template row⟧"])
        assertRule("timeline/missing-time", document)
        let (text, _) = Marked.parse(document)
        let messages = Lint.run(text).filter { $0.rule == "timeline/missing-time" }.map(\.typedMessage)
        XCTAssertEqual(messages, [.unreadableTime("14:??"), .unreadableTime("HH:mm")])
    }

    func testRatiosAreNotUnreadableTimes() {
        XCTAssertEqual(entries("- 1:1 with the vendor\n- 16:9 screenshots attached").map(\.unreadableTime), [nil, nil])
    }

    func testOutOfRangeTimeIsUnreadable() {
        let timeline = entries("- 25:10 — a")
        XCTAssertNil(timeline.first?.time)
        XCTAssertEqual(timeline.first?.unreadableTime, "25:10")
    }
}

extension TimelineFormatsTests {
    /// Fragments of times, dates and zones glued at random (seeded, so the run is repeatable) must
    /// never crash the timeline or heading readers.
    func testRandomTimeLikeFragmentsNeverCrash() {
        let pieces = ["09", ":", "12", "?", " ", "AM", "pm", "-", "–", "UTC", "GMT", "+05", ":30", "(", ")", "Mar", "14", ",", "2025",
                      "/", ".", "T", "hrs", "~", "`x`", "**", "|", "Z", "12:", "-12:", "3rd", "of", "Tue", "0415", "a.m.", "\u{FFFC}", "é"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines: [String] = []
        for _ in 0..<400 {
            var line = ""
            for _ in 0..<(1 + next(10)) { line += pieces[next(pieces.count)] }
            lines.append(line)
        }
        let list = lines.map { "- \($0) event" }.joined(separator: "\n")
        let table = "| \(lines[0]) | Event |\n|---|---|\n" + lines.map { "| \($0) | `code` | e |" }.joined(separator: "\n")
        let paragraphs = lines.joined(separator: "\n")
        XCTAssertEqual(entries(table).count, lines.count, "every table row is an entry")
        XCTAssertFalse(entries(list, heading: "Timeline (\(lines[1]))").isEmpty)
        let timed = entries(paragraphs).filter { $0.time != nil }
        XCTAssertTrue(timed.allSatisfy { $0.timeText != nil && $0.timeBytes != nil })
        for line in lines { _ = Schema.normalizeHeading(line) }
    }
}

extension TimelineFormatsTests {
    func testPublicDateAndZoneReaders() {
        let options = TimelineOptions()
        XCTAssertEqual(options.firstDate(in: "Date: March 4th, 2025")?.description, "2025-03-04")
        XCTAssertEqual(options.firstDate(in: "Outage on Dec 31", near: CalendarDate(year: 2026, month: 1, day: 2))?.description, "2025-12-31")
        XCTAssertNil(options.firstDate(in: "no date here, version 1.2.3"))
        XCTAssertEqual(options.firstZoneOffset(in: "All times in CEST."), 120)
        XCTAssertEqual(options.firstZoneOffset(in: "Times are PT", on: CalendarDate(year: 2025, month: 7, day: 1)), -420)
    }
}

extension TimelineFormatsTests {
    func testMeridiemCarriesInATwelveHourTimeline() {
        // The timeline writes AM/PM; a bare 1:05 after 11:30 AM is read as 1:05 PM, not as out of order.
        XCTAssertEqual(local(entries("- 11:30 AM — a\n- 1:05 — b\n- 1:40 PM — c")),
                       ["2025-03-04T11:30+00:00", "2025-03-04T13:05+00:00", "2025-03-04T13:40+00:00"])
        // Without AM/PM anywhere, and a 24-hour time elsewhere, the same times stay 24-hour (and are reported out of order).
        XCTAssertEqual(local(entries("- 11:30 — a\n- 1:05 — b\n- 14:00 — c")), ["2025-03-04T11:30+00:00", "2025-03-04T01:05+00:00", "2025-03-04T14:00+00:00"])
    }

    func testMoreWrittenForms() {
        XCTAssertEqual(local(entries("- 14h32 — a\n- 1440 UTC — b\n- 14:50 +01:00 — c\n- 15.05 - d\n- 15.10.3 released")),
                       ["2025-03-04T14:32+00:00", "2025-03-04T14:40+00:00", "2025-03-04T14:50+01:00", "2025-03-04T15:05+01:00", "none"])
        XCTAssertEqual(local(entries("- 2000 requests failed")), ["none"], "a bare number is not a time")
    }

    func testZoneNamesWrittenOutAndIANAZones() {
        XCTAssertEqual(local(entries("All times are Pacific Time.\n\n- 09:00 — a", frontMatter: "date: 2025-07-10")), ["2025-07-10T09:00-07:00"])
        XCTAssertEqual(local(entries("Time zone: Europe/Berlin\n\n- 09:00 — a", frontMatter: "date: 2025-07-10")), ["2025-07-10T09:00+02:00"])
        XCTAssertEqual(local(entries("Time zone: Europe/Berlin\n\n- 09:00 — a", frontMatter: "date: 2025-01-10")), ["2025-01-10T09:00+01:00"])
        XCTAssertEqual(local(entries("- 09:00 — a", heading: "Timeline (Central European Time)")), ["2025-03-04T09:00+01:00"])
    }
}

extension TimelineFormatsTests {
    func testNestedDetailsAndLabels() {
        let timeline = entries("- 14:02 — the alert fires\n  - it pages the primary\n  - nobody acknowledges\n- Investigation\n  - 14:20 — logs pulled\n  - 14:45 — fix ships")
        XCTAssertEqual(local(timeline), ["2025-03-04T14:02+00:00", "2025-03-04T14:20+00:00", "2025-03-04T14:45+00:00"])
        XCTAssertEqual(timeline.map(\.text), ["14:02 — the alert fires", "14:20 — logs pulled", "14:45 — fix ships"])
    }

    func testLeadingPrepositions() {
        XCTAssertEqual(local(entries("- At 14:02 the alert fired\n- By 2:30 PM errors stopped\n- About 15:00, all clear")),
                       ["2025-03-04T14:02+00:00", "2025-03-04T14:30+00:00", "2025-03-04T15:00+00:00"])
        XCTAssertEqual(local(entries("- At first nobody noticed")), ["none"])
    }
}

extension TimelineFormatsTests {
    func testZoneWrittenOnAnEarlierEntryCarriesOn() {
        let timeline = entries("- 9:00 AM PST — alert\n- 9:20 AM — fix\n- 17:40 UTC — verified\n- 17:50 — closed")
        XCTAssertEqual(local(timeline), ["2025-03-04T09:00-08:00", "2025-03-04T09:20-08:00", "2025-03-04T17:40+00:00", "2025-03-04T17:50+00:00"])
        XCTAssertEqual(sources(timeline).map { $0.split(separator: "/")[1] }, ["entry", "previous", "entry", "previous"])
        // A zone line beats an earlier entry's zone.
        XCTAssertEqual(local(entries("All times in CET.\n\n- 09:00 UTC — a\n- 10:30 — b")), ["2025-03-04T09:00+00:00", "2025-03-04T10:30+01:00"])
    }

    func testDateFromTheOpeningParagraphWithoutFrontMatter() {
        let text = "# Web outage\n\n## Summary\n\nFrom 10:00 AM to 11:30 AM on 5th July 2023 pages failed.\n\n## Timeline (EAT)\n\n- 10:00 AM: alert\n"
        let timeline = PostmortemParser().parse(RawDocument(path: "postmortems/web.md", bytes: Array(text.utf8))).timeline
        XCTAssertEqual(local(timeline), ["2023-07-05T10:00+03:00"])
        XCTAssertEqual(sources(timeline), ["document/section"])
    }
}

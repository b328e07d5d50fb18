import XCTest
@testable import InquestCore
import InquestTestSupport

/// Dates and instants as written in metadata lines, titles and file names (used by `adopt`).
final class ProseDateTests: XCTestCase {
    private func date(_ text: String) -> String? { ProseDate.first(in: text).map { $0.date.description } }

    func testReadsTheWrittenFormsWithAYear() {
        XCTAssertEqual(date("2025-10-03"), "2025-10-03")
        XCTAssertEqual(date("October 3, 2025"), "2025-10-03")
        XCTAssertEqual(date("Oct. 3rd 2025"), "2025-10-03")
        XCTAssertEqual(date("3 October 2025"), "2025-10-03")
        XCTAssertEqual(date("On Tuesday 22nd June 2021, the pipeline ran"), "2021-06-22")
        XCTAssertEqual(date("the 22nd of June, 2021"), "2021-06-22")
        XCTAssertEqual(date("January 14-19, 2026"), "2026-01-14", "a range of days starts on its first")
        XCTAssertEqual(date("Checkout outage - March 9th, 2024"), "2024-03-09")
    }

    func testNumericDatesOnlyWhenTheOrderCannotBeMistaken() {
        XCTAssertEqual(date("10/21/2022"), "2022-10-21")
        XCTAssertEqual(date("21.10.2022"), "2022-10-21")
        XCTAssertNil(date("03/04/2025"), "month or day first is a guess")
    }

    func testADateWithoutAYearOrAnImpossibleDateIsNone() {
        XCTAssertNil(date("On 28th February, flags went down"))
        XCTAssertNil(date("February 30, 2025"))
        XCTAssertNil(date("version 1.270.0 released"))
    }

    func testFileAndFolderNames() {
        XCTAssertEqual(ProseDate.inName("2025-09-29-flags-down.md")?.description, "2025-09-29")
        XCTAssertEqual(ProseDate.inName("20250929_flags.md")?.description, "2025-09-29")
        XCTAssertEqual(ProseDate.inName("postmortems/2024/03/05")?.description, "2024-03-05")
        XCTAssertNil(ProseDate.inName("PM2019-009 - Node starvation.md"), "a document number is not a date")
        XCTAssertNil(ProseDate.inName("incident-123456789.md"))
    }

    func testInstantsNeedAZone() {
        let date = CalendarDate(year: 2025, month: 11, day: 11)
        let options = TimelineOptions()
        XCTAssertEqual(ProseTimestamp.parse("November 11, 2025, 4:02 PM UTC", defaultDate: nil, options: options)?.utcString, "2025-11-11T16:02:00Z")
        XCTAssertEqual(ProseTimestamp.parse("November 11, 4:02 PM UTC", defaultDate: CalendarDate(year: 2025, month: 11, day: 12), options: options)?.utcString,
                       "2025-11-11T16:02:00Z", "the year comes from the incident date")
        XCTAssertNil(ProseTimestamp.parse("November 11, 4:02 PM UTC", defaultDate: nil, options: options), "no year anywhere")
        XCTAssertEqual(ProseTimestamp.parse("2025-03-04T09:12:00+01:00", defaultDate: nil, options: options)?.utcString, "2025-03-04T08:12:00Z")
        XCTAssertEqual(ProseTimestamp.parse("09:30 CET", defaultDate: date, options: options)?.utcString, "2025-11-11T08:30:00Z")
        XCTAssertNil(ProseTimestamp.parse("09:30", defaultDate: date, options: options), "no zone: not evident")
        XCTAssertNil(ProseTimestamp.parse("09:30 UTC", defaultDate: nil, options: options), "no date: not evident")
    }
}

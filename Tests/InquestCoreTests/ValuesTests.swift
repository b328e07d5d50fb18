import Foundation
import XCTest
@testable import InquestCore

/// Dates and times print exactly as `printf` would (they replaced `String(format:)`).
final class ValuesTests: XCTestCase {
    func testZeroPaddingMatchesPrintf() {
        for value in [0, 5, 9, 10, 99, 100, 999, 2025, 12345, -1, -5, -42, -2025] {
            for width in [2, 4] {
                XCTAssertEqual(zeroPadded(value, width), String(format: "%0\(width)d", value), "\(value) to \(width)")
            }
        }
    }

    func testDatesAndUTCTimesPrintZeroPadded() {
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 0).description, "1970-01-01")
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 20_151).description, "2025-03-04")
        XCTAssertEqual(Timestamp(seconds: 1_741_079_520, offsetMinutes: 0).utcString, "2025-03-04T09:12:00Z")
        XCTAssertEqual(Timestamp(seconds: 5, offsetMinutes: 0).utcString, "1970-01-01T00:00:05Z")
    }
}

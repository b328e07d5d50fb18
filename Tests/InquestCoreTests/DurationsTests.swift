import XCTest
@testable import InquestCore
import InquestTestSupport

/// Durations per postmortem and their distributions per quarter: medians and 90th percentiles.
final class DurationsTests: XCTestCase {
    func testNearestRankPercentiles() {
        let values = Array(1...10)
        XCTAssertEqual(Distribution(values), Distribution(count: 10, median: 5, p90: 9))
        XCTAssertEqual(Distribution([7]), Distribution(count: 1, median: 7, p90: 7))
        XCTAssertNil(Distribution([]))
        // One huge outlier moves the 90th percentile, not the median.
        XCTAssertEqual(Distribution([60, 60, 60, 60, 60, 60, 60, 60, 60, 86_400])?.median, 60)
    }

    func testQuartersRunFromFirstToLastIncident() {
        XCTAssertEqual(Quarter.range(Quarter(year: 2024, quarter: 3), Quarter(year: 2025, quarter: 2)).map(\.description),
                       ["2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"])
        XCTAssertEqual(Quarter(CalendarDate(year: 2025, month: 12, day: 31)!).description, "2025 Q4")
    }
}

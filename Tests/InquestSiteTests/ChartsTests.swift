import XCTest
@testable import InquestCore
@testable import InquestSite

/// Charts stay legible at any size: axis maxima at or above the data, a handful of labels.
final class ChartsTests: XCTestCase {
    func labels(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text class=\"axis\"").dropFirst().map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
    }

    func testCountAxisCoversTheDataWithFewTicks() {
        for maximum in [0, 1, 3, 4, 7, 44, 52, 108, 999, 2_345] {
            let axis = Charts.countAxis(maximum)
            XCTAssertGreaterThanOrEqual(axis.max, maximum)
            XCTAssertLessThanOrEqual(axis.max / axis.step, 5, "\(maximum)")
            XCTAssertEqual(axis.max % axis.step, 0)
        }
        XCTAssertEqual(Charts.countAxis(52).max, 60)
    }

    func testQuarterBarsOfABigCauseHaveFewLabelsAndLinkTheirBars() {
        let quarters = (2016...2025).flatMap { year in (1...4).map { (year: year, quarter: $0) } }
        let counts = quarters.indices.map { ($0 * 7) % 109 }
        let svg = Charts.quarterBars(counts: counts, quarters: quarters, label: "x") { "cause/\(quarters[$0].year).html" }
        let all = labels(svg)
        let numbers = all.compactMap(Int.init).filter { $0 < 1000 }
        XCTAssertLessThanOrEqual(numbers.count, 6, "count labels: \(numbers)")
        XCTAssertGreaterThanOrEqual(numbers.max() ?? 0, counts.max()!, "the top label is at or above the tallest bar")
        XCTAssertLessThanOrEqual(all.filter { $0.count == 4 && $0.hasPrefix("20") }.count, 10)
        XCTAssertTrue(svg.contains("<a href=\"cause/2016.html\""))
    }

    func testMonthlyBarsLinkEachNonEmptyMonthAndDropTheImageRole() {
        let months = [Charts.Month(year: 2024, month: 11), Charts.Month(year: 2024, month: 12), Charts.Month(year: 2025, month: 1)]
        let data: [(month: Charts.Month, counts: [String: Int])] = [(months[0], ["sev-1": 2, "sev-2": 1]), (months[1], [:]), (months[2], ["sev-2": 1])]
        let series = [(cls: "sev-1", label: "SEV1"), (cls: "sev-2", label: "SEV2")]
        let linked = Charts.stackedBars(months: data, series: series, label: "x") { "index/\(data[$0].month.year).html" }
        XCTAssertEqual(linked.components(separatedBy: "<a href=").count - 1, 2, "only months with incidents link")
        XCTAssertTrue(linked.contains("<a href=\"index/2024.html\" aria-label=\"\(months[0].label): 3 incidents\"><rect class=\"bar sev-1\""))
        XCTAssertTrue(linked.contains("<a href=\"index/2025.html\""))
        // An image must not contain controls: the linked chart keeps the SVG's own role.
        XCTAssertFalse(linked.contains("role=\"img\""))
        let plain = Charts.stackedBars(months: data, series: series, label: "x")
        XCTAssertTrue(plain.contains("role=\"img\""))
        XCTAssertFalse(plain.contains("<a "))
        XCTAssertEqual(plain.components(separatedBy: "<rect").count, linked.components(separatedBy: "<rect").count)
    }

    func testStatsMonthlyChartLinksItsBarsToTheList() throws {
        let stats = try Fixture.render().text("stats.html")
        let chart = stats.components(separatedBy: "aria-label=\"Incidents per month by severity,")[1].components(separatedBy: "</svg>")[0]
        XCTAssertTrue(chart.contains("<a href=\"index.html\" aria-label="), "the fixture's index is one page")
        XCTAssertFalse(chart.contains("role=\"img\""))
    }

    func testQuantileChartsUseTheSharedAxisAndFewQuarterLabels() {
        let quarters = Quarter.range(Quarter(year: 2016, quarter: 1), Quarter(year: 2025, quarter: 4))
        let values = quarters.map { _ in Distribution([600, 1200, 7200]) }
        let svg = Charts.quantileBars(quarters: quarters, values: values, axisMax: 86_400, cls: "series-resolve", label: "x")
        XCTAssertTrue(labels(svg).contains("1 d"), "the shared axis reaches a day")
        XCTAssertLessThanOrEqual(labels(svg).filter { $0.hasPrefix("20") }.count, 8)
        XCTAssertTrue(svg.contains("class=\"p90 series-resolve\""))
    }
}

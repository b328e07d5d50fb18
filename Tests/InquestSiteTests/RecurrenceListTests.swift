import XCTest
@testable import InquestCore
@testable import InquestSite

/// A cause behind many incidents links only the newest few from each postmortem page (the cause
/// page lists them all): otherwise pages grow with the square of the archive.
final class RecurrenceListTests: XCTestCase {
    func testPostmortemPagesCapTheOtherIncidentsOfACause() throws {
        var files: [String: String] = [:]
        for day in 1...13 {
            let date = String(format: "2025-01-%02d", day)
            files["postmortems/\(date)-drift.md"] = Fixture.third
                .replacingOccurrences(of: "date: 2024-11-20", with: "date: \(date)")
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Drift \(day)")
        }
        let site = try Fixture.render(files: files, history: nil)
        let page = String(decoding: try XCTUnwrap(site.files["postmortems/2025-01-01-drift.html"]), as: UTF8.self)
        let section = try XCTUnwrap(page.range(of: "This cause also caused:")).upperBound
        let list = String(page[section...]).components(separatedBy: "</ul>")[0]
        XCTAssertEqual(list.components(separatedBy: "<li>").count - 1, PostmortemPage.othersLimit)
        XCTAssertTrue(page.contains("and 2 more: every incident with this cause"))
        let causePage = String(decoding: try XCTUnwrap(site.files["causes/config-drift.html"]), as: UTF8.self)
        XCTAssertTrue(causePage.contains("Drift 13") && causePage.contains("Drift 1<"), "the cause page lists every incident")
    }
}

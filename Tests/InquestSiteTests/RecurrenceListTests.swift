import XCTest
@testable import InquestCore
@testable import InquestSite

/// Postmortem pages link the *earlier* incidents of their causes (at most ten), never counts or
/// later incidents: pages stay flat at any archive size, and a new incident of a cause changes
/// the cause page, not every postmortem of that cause.
final class RecurrenceListTests: XCTestCase {
    static func drift(_ days: ClosedRange<Int>) -> [String: String] {
        var files: [String: String] = [:]
        for day in days {
            let date = String(format: "2025-01-%02d", day)
            files["postmortems/\(date)-drift.md"] = Fixture.third
                .replacingOccurrences(of: "date: 2024-11-20", with: "date: \(date)")
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Drift \(day)")
        }
        return files
    }

    func page(_ site: RenderedSite, _ path: String) throws -> String {
        String(decoding: try XCTUnwrap(site.files[path], path), as: UTF8.self)
    }

    func testPostmortemPagesListTheTenNewestEarlierIncidentsOfACause() throws {
        let site = try Fixture.render(files: Self.drift(1...13), history: nil)
        let newest = try page(site, "postmortems/2025-01-13-drift.html")
        let section = try XCTUnwrap(newest.range(of: "Earlier incidents with this cause (the ten most recent):")).upperBound
        let list = String(newest[section...]).components(separatedBy: "</ul>")[0]
        XCTAssertEqual(list.components(separatedBy: "<li>").count - 1, PostmortemPage.othersLimit)
        XCTAssertTrue(list.contains("Drift 12<") && !list.contains("Drift 2<"), "newest earlier incidents first")
        let oldest = try page(site, "postmortems/2025-01-01-drift.html")
        XCTAssertFalse(oldest.contains("Earlier incidents with this cause"), "nothing came before the first incident")
        let causePage = try page(site, "causes/config-drift.html")
        XCTAssertTrue(causePage.contains("Drift 13") && causePage.contains("Drift 1<"), "the cause page lists every incident")
    }

    func testANewIncidentOfACauseDoesNotChangeEarlierPostmortemPages() throws {
        let before = try Fixture.render(files: Self.drift(1...5), history: nil)
        let after = try Fixture.render(files: Self.drift(1...6), history: nil)
        for day in 1...5 {
            let path = String(format: "postmortems/2025-01-%02d-drift.html", day)
            XCTAssertEqual(try page(before, path), try page(after, path), "\(path) changed when a later incident was added")
        }
        XCTAssertNotEqual(try page(before, "causes/config-drift.html"), try page(after, "causes/config-drift.html"))
    }

    func testRelatedPostmortemsDoNotRepeatTheIncidentsListedUnderACause() throws {
        let site = try Fixture.render(files: Self.drift(1...4), history: nil)
        let text = try page(site, "postmortems/2025-01-04-drift.html")
        for day in 1...3 {
            let link = String(format: "2025-01-%02d-drift.html\"", day)
            XCTAssertEqual(text.components(separatedBy: link).count - 1, 1, "\(link) listed more than once")
        }
    }
}

import XCTest
@testable import InquestCore
@testable import InquestSite

/// The action-item tracker: owner, team and service fields, days overdue from the core's
/// reference date, owner pages, tickets linked through `site.ticket_url`.
final class ActionTrackerTests: XCTestCase {
    func testTicketsBecomeLinksThroughTheConfiguredTemplate() throws {
        var settings = Fixture.settings
        settings.ticketURL = "https://tracker.example/browse/{ticket}"
        let site = try Fixture.render(settings: settings)
        let actions = site.text("actions.html")
        XCTAssertTrue(actions.contains("<a href=\"https://tracker.example/browse/SHOP-2\">SHOP-2</a>"))
        XCTAssertTrue(actions.contains("<a href=\"https://tickets.example.com/SHOP-3\">"), "a URL ticket stays as written")
        let plain = try Fixture.render().text("actions.html")
        XCTAssertFalse(plain.contains("tracker.example"), "no template, no link")
    }

    func testOverdueItemsShowDaysOverdueFromTheReferenceDate() throws {
        let site = try Fixture.render()
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings)
        let now = try XCTUnwrap(model.now)
        let overdue = try XCTUnwrap(model.actionRefs.map(model.actionItem).first { $0.isOverdue })
        let days = now.daysSinceEpoch - overdue.item.due!.daysSinceEpoch
        XCTAssertEqual(overdue.daysOverdue, days)
        XCTAssertTrue(site.text("actions.html").contains(Format.count(days, "day")))
    }

    func testEveryOwnerHasAPageWithTheirItems() throws {
        let site = try Fixture.render()
        let page = site.text("actions/owners/platform.html")
        XCTAssertTrue(page.contains("Add jitter to cache expiry") && page.contains("Load test cache warm-up"))
        XCTAssertFalse(page.contains("Alert on cache hit ratio"), "another owner's item")
        XCTAssertTrue(site.text("actions.html").contains("href=\"actions/owners/platform.html\""))
    }

    func testTeamsComeFromConfiguredAndTeamShapedHandles() {
        var settings = Fixture.settings
        settings.teams = ["@sre"]
        let model = SiteModel(archive: Fixture.archive(), settings: settings)
        XCTAssertEqual(model.team(ofOwner: "@sre"), "@sre")
        XCTAssertEqual(model.team(ofOwner: "@dba-team"), "@dba-team")
        XCTAssertEqual(model.team(ofOwner: "@org/payments"), "@org/payments")
        XCTAssertNil(model.team(ofOwner: "@alice"))
    }
}

import Foundation
import InquestCore
import XCTest
@testable import InquestSite

/// Large archives list their group pages and work their follow-through out on another core
/// (``Pages/all(_:sitemaps:concurrently:)``, ``SiteModel``'s `concurrently`): the pages, their
/// order and every context are what the one-core way makes.
final class ConcurrentListingTests: XCTestCase {
    func testPagesListedConcurrentlyAreTheSamePagesInTheSameOrder() throws {
        let settings = SiteSettings(baseURL: "https://incidents.example.org/")
        let model = SiteModel(archive: Fixture.archive(), settings: settings)
        let plain = Pages.all(model, concurrently: false)
        let concurrent = Pages.all(model, concurrently: true)
        XCTAssertGreaterThan(plain.count, 20)
        XCTAssertEqual(plain.map(\.path), concurrent.map(\.path))
        XCTAssertEqual(plain.map { String(describing: type(of: $0)) }, concurrent.map { String(describing: type(of: $0)) })
        XCTAssertTrue(plain.contains { $0 is CausePage } && plain.contains { $0 is OwnerPage } && plain.contains { $0 is SitemapPage },
                      "the fixture has every kind of listed page")
    }

    func testFollowThroughWorkedOutConcurrentlyGivesTheSameContexts() throws {
        let theme = try Fixture.theme.get()
        let archive = Fixture.archive(history: Fixture.history)
        let plain = SiteModel(archive: archive, settings: Fixture.settings, concurrently: false)
        let concurrent = SiteModel(archive: archive, settings: Fixture.settings, concurrently: true)
        XCTAssertFalse(plain.followThrough.items.isEmpty, "the fixture's history dates action items")
        let pages = Pages.all(plain)
        XCTAssertEqual(pages.map(\.path), Pages.all(concurrent).map(\.path))
        for page in pages {
            let a = SiteBuilder.key(page, context: SiteBuilder.fullContext(page, model: plain, theme: theme), theme: theme, generator: "test")
            let b = SiteBuilder.key(page, context: SiteBuilder.fullContext(page, model: concurrent, theme: theme), theme: theme, generator: "test")
            XCTAssertEqual(a, b, page.path)
        }
    }
}

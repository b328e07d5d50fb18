import Foundation
import InquestCore
import XCTest
@testable import InquestSite

/// What each kind of page shows, checked on the typed context its template receives rather than
/// on its HTML: a layout change in `site/templates` leaves these tests alone. Two full pages are
/// still compared with golden HTML, structurally (``SnapshotTests``).
final class PageContextTests: XCTestCase {
    private static let fixture = Result { try PageContexts() }

    private func context(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> TemplateValue {
        try XCTUnwrap(try Self.fixture.get().context(path), "\(path) is not a page of the fixture site", file: file, line: line)
    }

    private func strings(_ value: TemplateValue?, _ field: String) -> [String] {
        (value?.listValue ?? []).compactMap { $0.at(field)?.stringValue }
    }

    func testLayoutVariablesAreRelativeToThePage() throws {
        let nested = try context("causes/cache-stampede.html")
        XCTAssertEqual(nested.at("root")?.stringValue, "../")
        XCTAssertEqual(nested.at("page.path")?.stringValue, "causes/cache-stampede.html")
        XCTAssertEqual(nested.at("page.canonical")?.stringValue, "https://incidents.example.com/causes/cache-stampede.html")
        XCTAssertEqual(nested.at("site.title")?.stringValue, "Fixture Incidents")
        XCTAssertEqual(strings(nested.at("nav"), "label"), ["Postmortems", "Causes", "Services", "Tags", "Action items", "Stats", "Search"])
        XCTAssertEqual(nested.at("nav")?.listValue?.map { $0.at("current")?.boolValue }, [false, true, false, false, false, false, false])
        let index = try context("index.html")
        XCTAssertEqual(index.at("root")?.stringValue, "")
        XCTAssertEqual(index.at("page.canonical")?.stringValue, "https://incidents.example.com/", "the index is the base URL itself")
        XCTAssertEqual(index.at("csp")?.stringValue, SiteBuilder.contentSecurityPolicy)
    }

    func testIndexSummarisesTheArchive() throws {
        let index = try context("index.html")
        XCTAssertEqual(index.at("count")?.intValue, 4)
        XCTAssertEqual(index.at("count_label")?.stringValue, "4 postmortems")
        XCTAssertEqual(index.at("first_year")?.stringValue, "2024")
        XCTAssertEqual(index.at("last_year")?.stringValue, "2025")
        XCTAssertEqual(index.at("top_cause.title")?.stringValue, "Cache stampede on expiry", "the only cause with more than one incident")
        XCTAssertEqual(strings(index.at("filters.severities"), "value"), ["SEV1", "SEV2", "SEV3", "SEV4"])
        XCTAssertEqual(strings(index.at("filters.services"), "label"), ["api", "checkout", "search", "web"])
    }

    func testPostmortemPageHasItsCardCausesRelatedAndHistory() throws {
        let postmortem = try XCTUnwrap(try context("postmortems/2025-02-03-price-cache-expiry.html").at("postmortem"))
        XCTAssertEqual(postmortem.at("title")?.stringValue, "Checkout errors after the price cache expired")
        XCTAssertEqual(postmortem.at("severity")?.stringValue, "SEV1")
        XCTAssertEqual(postmortem.at("status_label")?.stringValue, "Final")
        XCTAssertEqual(strings(postmortem.at("services"), "name"), ["api", "checkout"])
        XCTAssertEqual(strings(postmortem.at("durations"), "value"), ["12 min", "40 min", "2 h 5 min"])
        XCTAssertEqual(strings(postmortem.at("times"), "key"), ["started", "detected", "mitigated", "resolved"])
        // Root cause first, then the contributing factor; neither lists the later incident,
        // which is linked explicitly and so shown under Related only.
        XCTAssertEqual(strings(postmortem.at("causes"), "title"), ["Cache stampede on expiry", "No alert on the failing signal"])
        XCTAssertEqual(postmortem.at("causes")?.listValue?.map { $0.at("is_root")?.boolValue }, [true, false])
        XCTAssertEqual(postmortem.at("causes.0.earlier")?.listValue?.count, 0)
        XCTAssertEqual(postmortem.at("has_recurring_causes")?.boolValue, false)
        // The explicit link first, then an earlier incident that shares a tag.
        XCTAssertEqual(strings(postmortem.at("related"), "url"), ["postmortems/2025-04-10-search-timeouts.html", "postmortems/2024-11-20-old-banner.html"])
        XCTAssertEqual(postmortem.at("action_items_total")?.intValue, 3)
        XCTAssertEqual(postmortem.at("action_items_done")?.intValue, 1)
        XCTAssertEqual(strings(postmortem.at("history.commits"), "short_sha"), ["ccccccc", "aaaaaaa"])
        XCTAssertEqual(postmortem.at("history.previous_paths")?.listValue?.count, 1)
        XCTAssertEqual(postmortem.at("edit_url")?.stringValue,
                       "https://git.example.com/org/incidents/edit/HEAD/postmortems/2025/2025-02-03-price-cache-expiry.md")
        // The body: table of contents with unique ids, and the rendered HTML.
        let toc = try XCTUnwrap(postmortem.at("body.toc")?.listValue)
        XCTAssertTrue(toc.contains { $0.at("id")?.stringValue == "notes" } && toc.contains { $0.at("id")?.stringValue == "notes-1" }, "\(toc)")
        let html = try XCTUnwrap(postmortem.at("body.html")?.stringValue)
        XCTAssertTrue(html.contains("href=\"2025-04-10-search-timeouts.html#impact\""), "a link between files points at the page")
        XCTAssertTrue(html.contains("<ol class=\"timeline\">"), "the timeline list is the theme's partial")
    }

    func testPostmortemValuesAreRawTextEscapedOnlyByTheTemplate() throws {
        let postmortem = try XCTUnwrap(try context("postmortems/2025-04-10-search-timeouts.html").at("postmortem"))
        XCTAssertEqual(postmortem.at("title")?.stringValue, "Search <b>timeouts</b> & \"stale\" results at 'midnight'")
        XCTAssertEqual(strings(postmortem.at("backlinks"), "url"), ["postmortems/2025-02-03-price-cache-expiry.html"])
        XCTAssertEqual(postmortem.at("has_backlinks")?.boolValue, true)
    }

    func testUndatedDraftHasFalseNotMissingValues() throws {
        let postmortem = try XCTUnwrap(try context("postmortems/untitled-draft.html").at("postmortem"))
        XCTAssertEqual(postmortem.at("status")?.stringValue, "draft")
        // Absent values are `false`, so a section on them never finds an enclosing value instead.
        for key in ["date", "date_long", "year", "duration", "published", "updated"] {
            XCTAssertEqual(postmortem.at(key)?.boolValue, false, key)
        }
        XCTAssertEqual(postmortem.at("history")?.boolValue, false, "no commits for this file in the fixture history")
    }

    func testCausesIndexOrdersByRecurrence() throws {
        let causes = try context("causes/index.html")
        XCTAssertEqual(strings(causes.at("causes"), "title"),
                       ["Cache stampede on expiry", "Configuration drift", "No alert on the failing signal", "A cause nobody cited"])
        XCTAssertEqual(causes.at("count")?.intValue, 4)
        XCTAssertEqual(causes.at("recurring_count")?.intValue, 1)
        XCTAssertEqual(causes.at("causes.3.never")?.boolValue, true)
    }

    func testCausePageHasItsIncidentsRecurrenceAndOpenItems() throws {
        let cause = try XCTUnwrap(try context("causes/cache-stampede.html").at("cause"))
        XCTAssertEqual(cause.at("aliases")?.listValue?.compactMap(\.stringValue), ["thundering-herd"])
        XCTAssertEqual(cause.at("first")?.stringValue, "2025-02-03")
        XCTAssertEqual(cause.at("last")?.stringValue, "2025-04-10")
        XCTAssertEqual(cause.at("open_action_items_count")?.intValue, 2)
        XCTAssertEqual(cause.at("recurred_while_open_count")?.intValue, 1)
        XCTAssertEqual(strings(cause.at("services"), "name"), ["api", "checkout", "search"])
        XCTAssertEqual(cause.at("services")?.listValue?.compactMap { $0.at("count")?.intValue }, [2, 1, 1])
    }

    func testServiceAndTagPages() throws {
        let service = try XCTUnwrap(try context("services/api.html").at("service"))
        XCTAssertEqual(service.at("name")?.stringValue, "api")
        XCTAssertEqual(service.at("index_url")?.stringValue, "services/index.html")
        XCTAssertNotNil(service.at("reliability.per_quarter"))
        let tags = try context("tags/index.html")
        XCTAssertEqual(strings(tags.at("tags"), "name"), ["cache", "checkout", "search"])
    }

    func testActionTrackerCountsItemsAsOfTheCommitDate() throws {
        let actions = try context("actions.html")
        XCTAssertEqual(actions.at("total")?.intValue, 5)
        XCTAssertEqual(actions.at("done_count")?.intValue, 2)
        XCTAssertEqual(actions.at("open_count")?.intValue, 3)
        XCTAssertEqual(actions.at("overdue_count")?.intValue, 1)
        XCTAssertEqual(actions.at("now")?.stringValue, "2025-06-01")
    }

    func testNotFoundRedirectAndFeed() throws {
        let notFound = try context("404.html")
        XCTAssertEqual(notFound.at("root")?.stringValue, "/", "served at any depth: links start from the base URL's path")
        XCTAssertEqual(notFound.at("recent")?.listValue?.count, 4)
        let redirect = try context("postmortems/price-cache.html")
        XCTAssertEqual(redirect.at("old_id")?.stringValue, "price-cache")
        XCTAssertEqual(redirect.at("target.url")?.stringValue, "postmortems/2025-02-03-price-cache-expiry.html")
        let feed = try context("feed.xml")
        let links = strings(feed.at("entries"), "link")
        XCTAssertEqual(links.count, 4)
        XCTAssertTrue(links.contains("https://incidents.example.com/postmortems/2025-04-10-search-timeouts.html"), "absolute links: \(links)")
    }

    func testEveryPageKindHasAContext() throws {
        for page in ["stats.html", "search.html", "services/index.html", "tags/cache.html", "sitemap.xml", "search/manifest.js"] {
            XCTAssertFalse(try context(page).fields.isEmpty, page)
        }
    }
}

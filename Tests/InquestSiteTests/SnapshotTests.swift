import Foundation
import XCTest
@testable import InquestSite
import InquestTestSupport

/// Golden files of the fixture site, under Tests/Fixtures/site/: two full HTML pages compared by
/// structure (``HTMLStructure``: every element, attribute and word, not the white space), and the
/// feed, sitemap and search data byte for byte (formats other programs read). What every other
/// page shows is checked on its template context (``PageContextTests``), so a layout change
/// rewrites two goldens, not every page.
/// `INQUEST_UPDATE_GOLDEN=1 swift test --filter InquestSiteTests` rewrites them; review the diff.
final class SnapshotTests: XCTestCase {
    static let structuralPages = ["index.html", "postmortems/2025-02-03-price-cache-expiry.html"]
    static let bytePages = ["search/manifest.js", "search/t-0.js", "search/d/0.js", "feed.xml", "sitemap.xml"]

    func testGoldenPages() throws {
        let site = try Fixture.render()
        let update = ProcessInfo.processInfo.environment["INQUEST_UPDATE_GOLDEN"] == "1"
        for page in Self.structuralPages + Self.bytePages {
            let actual = try XCTUnwrap(site.files[page], "\(page) was not built")
            let golden = Repository.goldenFolder.appendingPathComponent(page)
            if update {
                try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual).write(to: golden)
                continue
            }
            guard let expected = FileManager.default.contents(atPath: golden.path) else {
                XCTFail("no golden file \(golden.path): run with INQUEST_UPDATE_GOLDEN=1")
                continue
            }
            if Self.structuralPages.contains(page) {
                HTMLStructure.assertEqual(String(decoding: actual, as: UTF8.self), String(decoding: expected, as: UTF8.self), page)
            } else if Array(expected) != actual {
                XCTFail("\(page) differs from Tests/Fixtures/site/\(page) (first difference at line \(Self.firstDifference(Array(expected), actual))); run with INQUEST_UPDATE_GOLDEN=1 and review the diff")
            }
        }
    }

    func testStructuralComparisonIgnoresWhiteSpaceOnly() {
        XCTAssertEqual(HTMLStructure.tokens("<p class=\"a\">\n  Two   words</p>\n"), HTMLStructure.tokens("<p  class=\"a\">Two words</p>"))
        XCTAssertNotEqual(HTMLStructure.tokens("<p class=\"a\">Two words</p>"), HTMLStructure.tokens("<p class=\"b\">Two words</p>"))
        XCTAssertNotEqual(HTMLStructure.tokens("<p>Two words</p>"), HTMLStructure.tokens("<p>Two</p><p>words</p>"))
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let linesA = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let linesB = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<min(linesA.count, linesB.count) where linesA[index] != linesB[index] { return index + 1 }
        return min(linesA.count, linesB.count) + 1
    }

    func testEveryPageKindIsBuilt() throws {
        let site = try Fixture.render()
        let expected = ["index.html", "causes/index.html", "causes/config-drift.html", "causes/never-cited.html", "services/index.html",
                        "services/checkout.html", "services/web.html", "tags/index.html", "tags/cache.html", "actions.html", "stats.html",
                        "search.html", "search/manifest.js", "404.html", "feed.xml", "sitemap.xml", "postmortems/2024-11-20-old-banner.html",
                        "postmortems/price-cache.html", "assets/site.css", "assets/site.js", "assets/search.js", "assets/favicon.svg"]
        for path in expected { XCTAssertNotNil(site.files[path], "\(path) missing") }
        XCTAssertEqual(site.rendered, site.files.count - 5, "every page rendered, assets copied (site.css, site.js, search.js, feed.xsl, favicon.svg)")
    }

    func testPostmortemPageShowsCardTimelineActionItemsAndCrossLinks() throws {
        let page = try Fixture.render().text("postmortems/2025-02-03-price-cache-expiry.html")
        // Header card: times, durations, recurrence.
        XCTAssertTrue(page.contains("<dt>Time to detect</dt><dd>12 min</dd>"))
        XCTAssertTrue(page.contains("<dt>Time to mitigate</dt><dd>40 min</dd>"))
        XCTAssertTrue(page.contains("<dt>Time to resolve</dt><dd>2 h 5 min</dd>"))
        XCTAssertTrue(page.contains("<span class=\"badge recurrence\">Recurring</span>"), "a recurring cause is marked, without a count")
        // Timeline drawn from entries, milestones marked; inline Markdown kept.
        XCTAssertTrue(page.contains("<ol class=\"timeline\">"))
        XCTAssertTrue(page.contains("<span class=\"milestone milestone-detected\">Detected</span>"))
        XCTAssertTrue(page.contains("The price cache <strong>expires</strong> for all products."))
        // Action items with state; the overdue one is marked as of the commit date.
        XCTAssertTrue(page.contains("<li class=\"action-item state-done\" id=\"action-1\">"))
        XCTAssertTrue(page.contains("<li class=\"action-item state-overdue\" id=\"action-2\">"))
        XCTAssertTrue(page.contains("<li class=\"action-item state-open\" id=\"action-3\">"))
        // Related (explicit link, listed once although it shares a cause), revision history, edit link.
        XCTAssertFalse(page.contains("Earlier incidents with this cause"), "the later incident is under Related only")
        XCTAssertTrue(page.contains("href=\"../postmortems/2025-04-10-search-timeouts.html\""))
        XCTAssertTrue(page.contains("<code>ccccccc</code>"))
        XCTAssertTrue(page.contains("href=\"https://git.example.com/org/incidents/edit/HEAD/postmortems/2025/2025-02-03-price-cache-expiry.md\""))
        // Heading anchors, duplicate headings made unique, TOC.
        XCTAssertTrue(page.contains("<h2 id=\"notes\">"))
        XCTAssertTrue(page.contains("<h2 id=\"notes-1\">"))
        XCTAssertTrue(page.contains("<li><a href=\"#notes-1\">Notes</a></li>"))
        // The relative link between files points at the page; reference links resolve in every segment.
        XCTAssertTrue(page.contains("href=\"2025-04-10-search-timeouts.html#impact\""))
        XCTAssertTrue(page.contains("href=\"https://runbooks.example.com/cache\""))
        // Code blocks are byte-exact (no partial indentation applied).
        XCTAssertTrue(page.contains("<pre><code>def ttl():\n    return 3600  # indentation must survive\n</code></pre>"))
    }

    func testBacklinksAndMidnightTimeline() throws {
        let page = try Fixture.render().text("postmortems/2025-04-10-search-timeouts.html")
        XCTAssertTrue(page.contains("Referenced by"))
        XCTAssertTrue(page.contains("<p class=\"tl-day\"><time datetime=\"2025-04-11\">2025-04-11</time></p>"), "the date changes after midnight")
        XCTAssertTrue(page.contains("<time datetime=\"2025-04-11T00:05:00+02:00\">00:05</time><span class=\"tl-offset\">T+15 min</span>"))
    }

    func testWithoutHistoryDatesComeFromFrontMatter() throws {
        let site = try Fixture.render(history: nil)
        let page = site.text("postmortems/2025-02-03-price-cache-expiry.html")
        XCTAssertFalse(page.contains("Revision history"))
        XCTAssertTrue(site.text("feed.xml").contains("<published>2025-02-03T00:00:00Z</published>"))
        XCTAssertTrue(site.text("feed.xml").contains("<updated>2025-02-03T11:05:00Z</updated>"), "updated falls back to resolved")
        XCTAssertNil(site.files["postmortems/price-cache.html"], "no history, no redirects")
        // No "now" without history or SOURCE_DATE_EPOCH: nothing is overdue.
        XCTAssertFalse(site.text("actions.html").contains("state-overdue"))
        let pinned = SiteSettings(title: "T", environment: ["SOURCE_DATE_EPOCH": "1748779200"])
        XCTAssertTrue(try Fixture.render(settings: pinned, history: nil).text("actions.html").contains("state-overdue"))
    }

    func testRedirectForRenamedID() throws {
        let page = try Fixture.render().text("postmortems/price-cache.html")
        XCTAssertTrue(page.contains("<meta http-equiv=\"refresh\" content=\"0; url=../postmortems/2025-02-03-price-cache-expiry.html\">"))
    }

    func testSitemapOnlyWithAbsoluteBaseURL() throws {
        XCTAssertNotNil(try Fixture.render().files["sitemap.xml"])
        XCTAssertNil(try Fixture.render(settings: SiteSettings(title: "T")).files["sitemap.xml"])
        XCTAssertNil(try Fixture.render(settings: SiteSettings(title: "T", baseURL: "/incidents")).files["sitemap.xml"])
        let sitemap = try Fixture.render().text("sitemap.xml")
        XCTAssertTrue(sitemap.contains("<loc>https://incidents.example.com/postmortems/2025-02-03-price-cache-expiry.html</loc><lastmod>2025-02-19</lastmod>"))
    }

    func testFeedAndSitemapAreWellFormedXML() throws {
        let site = try Fixture.render()
        for path in ["feed.xml", "sitemap.xml"] {
            let parser = XMLParser(data: Data(site.files[path]!))
            XCTAssertTrue(parser.parse(), "\(path): \(parser.parserError.map(String.init(describing:)) ?? "")")
        }
    }

    func testNotFoundPageLinksFromTheBaseURL() throws {
        let page = try Fixture.render().text("404.html")
        XCTAssertTrue(page.contains("href=\"/assets/site.css\""))
        XCTAssertTrue(try Fixture.render(settings: SiteSettings(title: "T", baseURL: "https://a.example/sub")).text("404.html").contains("href=\"/sub/assets/site.css\""))
        let relative = try Fixture.render(settings: SiteSettings(title: "T")).text("404.html")
        XCTAssertTrue(relative.contains("href=\"assets/site.css\""))
    }

    func testNotFoundPageWithoutBaseURLRebasesItsLinksFromTheRootScript() throws {
        // Served at a nested path, the relative links miss the site: site.js, loaded also from the
        // host's root, rebases the marked page's links on its own URL.
        let page = try Fixture.render(settings: SiteSettings(title: "T")).text("404.html")
        XCTAssertTrue(page.contains("<script src=\"assets/site.js\"></script>"))
        XCTAssertTrue(page.contains("<script src=\"/assets/site.js\"></script>"))
        XCTAssertTrue(page.contains("data-rebase-links"))
        XCTAssertTrue(page.contains("href=\"index.html\""), "links stay relative: file:// and the site's own 404.html work without script")
        XCTAssertTrue(EmbeddedTheme.files["assets/site.js"]?.contains("[data-rebase-links]") ?? false)
        let absolute = try Fixture.render(settings: SiteSettings(title: "T", baseURL: "https://a.example/sub")).text("404.html")
        XCTAssertFalse(absolute.contains("data-rebase-links"))
        XCTAssertFalse(absolute.contains("src=\"/assets/site.js\""))
        XCTAssertTrue(absolute.contains("<script src=\"/sub/assets/site.js\"></script>"))
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

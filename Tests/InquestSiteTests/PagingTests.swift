import XCTest
@testable import InquestCore
@testable import InquestSite

/// Long lists split into year pages with stable URLs; short ones stay on one page.
final class PagingTests: XCTestCase {
    /// Action-item lists put oldest incident first without a sort when they come oldest or newest
    /// first: the same order the stable sort gives, for every kind of list.
    func testActionListsInIncidentOrderAreWhatTheStableSortGives() {
        func sorted(_ refs: [ActionRef], _ rank: [Int]) -> [ActionRef] {
            refs.enumerated().sorted { a, b in
                let x = rank[a.element.postmortem], y = rank[b.element.postmortem]
                return x != y ? x < y : a.offset < b.offset
            }.map(\.element)
        }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let documents = Int.random(in: 1...12, using: &generator)
            let rank = Array(0..<documents).shuffled(using: &generator)
            var refs: [ActionRef] = []
            for document in 0..<documents {
                for position in 0..<Int.random(in: 0...3, using: &generator) { refs.append(ActionRef(postmortem: document, position: position)) }
            }
            switch round % 3 {
            case 0: refs = sorted(refs, rank)  // oldest first, as the tracker lists them
            case 1:  // newest incident first, each incident's items in order, as group pages list them
                let byIncident = Dictionary(grouping: refs, by: \.postmortem)
                refs = byIncident.keys.sorted { rank[$0] > rank[$1] }.flatMap { byIncident[$0]! }
            default: refs.shuffle(using: &generator)  // anything else is sorted
            }
            XCTAssertEqual(SiteModel.oldestIncidentFirst(refs, rank: rank), sorted(refs, rank), "round \(round): \(refs)")
        }
        XCTAssertEqual(SiteModel.oldestIncidentFirst([], rank: []), [])
    }

    func testShortListsAreNotSplit() {
        XCTAssertTrue(Paging.split(Array(0..<Paging.size), folder: "archive") { _ in 2024 }.isEmpty)
    }

    func testLongListsSplitByYearAndIntoPartsCountedFromTheOldest() {
        // 250 rows in 2024, 10 in 2023, 3 undated.
        let rows = Array(0..<10).map { (2023, $0) } + Array(0..<250).map { (2024, $0) } + [(0, 0), (0, 1), (0, 2)]
        let parts = Paging.split(rows, folder: "archive") { $0.0 == 0 ? nil : $0.0 }
        XCTAssertEqual(parts.map(\.path), ["archive/2023.html", "archive/2024.html", "archive/2024-2.html", "archive/2024-3.html", "archive/undated.html"])
        XCTAssertEqual(parts.map(\.rows.count), [10, 100, 100, 50, 3])
        XCTAssertEqual(parts[1].rows.first?.1, 0, "the first part of a year holds its oldest rows")
    }

    func testAddingNewerRowsNeverMovesOlderOnes() {
        let before = Paging.split(Array(0..<230), folder: "f") { _ in 2024 }
        let after = Paging.split(Array(0..<290), folder: "f") { _ in 2024 }
        for part in before.dropLast() {
            XCTAssertEqual(after.first { $0.path == part.path }?.rows, part.rows, "\(part.path) changed")
        }
    }

    func testPagerListsEveryPartNewestYearFirstAndMarksTheCurrentOne() throws {
        let parts = Paging.split(Array(0..<150), folder: "archive") { $0 < 120 ? 2023 : 2024 }
        let pager = Paging.pager(parts, current: "archive/2023-2.html", home: "index.html", homeLabel: "All", total: 150)
        guard case .list(let years)? = pager["years"] else { return XCTFail("no years") }
        XCTAssertEqual(years.compactMap { if case .string(let y)? = $0["year"] { y } else { nil } }, ["2024", "2023"])
        guard case .list(let pages)? = years[1]["pages"], case .bool(let current)? = pages[1]["current"] else { return XCTFail("no pages") }
        XCTAssertTrue(current)
    }

    func testPartPagesShareOnePagerOutlineAndBuildTheSamePager() throws {
        // Each part page used to hold a pager value linking every part: quadratic memory.
        var files: [String: String] = [:]
        for day in 0..<330 {
            let date = CalendarDate(daysSinceEpoch: CalendarDate(year: 2023, month: 1, day: 1)!.daysSinceEpoch + day)
            files["postmortems/\(date)-drift.md"] = Fixture.third.replacingOccurrences(of: "date: 2024-11-20", with: "date: \(date)")
        }
        let model = SiteModel(archive: Fixture.archive(files: files, history: nil), settings: Fixture.settings, searchIndex: false)
        let oldestFirst = model.archive.chronological
        let pages = model.postmortemParts(oldestFirst, page: "index.html", folder: "archive", label: "All", section: "index", lede: "Postmortems")
        XCTAssertGreaterThan(pages.count, 3)
        let buffers = Set(pages.map { $0.pager.links.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } })
        XCTAssertEqual(buffers.count, 1, "one outline for the whole list")
        let parts = Paging.split(oldestFirst, folder: "archive", year: model.year(of:))
        for (page, part) in zip(pages, parts) {
            let built = page.pager.value(current: page.path)
            let expected = Paging.pager(parts, current: part.path, home: "index.html", homeLabel: "All", total: oldestFirst.count)
            XCTAssertEqual(built.encoding(), expected.encoding(), page.path)
        }
    }

    /// A big archive: every list page stays below its row budget, and every postmortem is on
    /// exactly one year page of the index.
    func testBigArchiveListsArePagedAndComplete() throws {
        var files: [String: String] = [:]
        for day in 0..<260 {
            let date = CalendarDate(daysSinceEpoch: CalendarDate(year: 2023, month: 1, day: 1)!.daysSinceEpoch + day * 3)
            files["postmortems/\(date)-drift.md"] = Fixture.third
                .replacingOccurrences(of: "date: 2024-11-20", with: "date: \(date)")
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Drift number \(day)")
        }
        // Only the list pages are checked: the 260 postmortem pages (most of a full build) are not rendered.
        let builder = SiteBuilder(archive: Fixture.archive(files: files, history: nil), settings: Fixture.settings, theme: try Fixture.theme.get())
        let site = RenderedSite(files: builder.renderPages { !$0.hasPrefix("postmortems/") }, cache: BuildCache(generator: "test"),
                                rendered: 0, reused: 0, renderedPaths: [])
        XCTAssertNotNil(site.files["causes/config-drift.html"])
        let index = site.text("index.html")
        XCTAssertEqual(index.components(separatedBy: "<tr data-severity").count - 1, Paging.size)
        XCTAssertTrue(index.contains("href=\"archive/2023.html\""))
        var seen = 0
        for path in site.htmlPaths where path.hasPrefix("archive/") {
            let rows = site.text(path).components(separatedBy: "<tr data-severity").count - 1
            XCTAssertLessThanOrEqual(rows, Paging.size, path)
            seen += rows
        }
        XCTAssertEqual(seen, 260, "every postmortem on one year page")
        let cause = site.text("causes/config-drift.html")
        XCTAssertTrue(cause.contains("href=\"../causes/config-drift/2023.html\""), "the cause page links its year pages")
        XCTAssertFalse(site.text("causes/config-drift/open/2023.html").isEmpty, "open action items are paged too")
        XCTAssertTrue(site.text("causes/config-drift/2024-2.html").contains("Drift number"))
        // Sitemaps never list everything in one file beyond their budget.
        XCTAssertFalse(site.text("sitemap.xml").contains("<sitemapindex"), "a few hundred pages fit one sitemap")
    }
}

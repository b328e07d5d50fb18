import XCTest
@testable import InquestCore
@testable import InquestSite

/// The search index: the stemmer (shared vectors with search.js), the shard hash, postings with
/// weighted term frequencies and field filters, passages for snippets.
final class SearchIndexTests: XCTestCase {
    func testStemmerMatchesTheSharedVectors() throws {
        let text = try String(contentsOf: Repository.goldenFolder.appendingPathComponent("stemmer-vectors.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t").map(String.init)
            XCTAssertEqual(SearchText.stem(parts[0]), parts[1], parts[0])
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testWordsAreFoldedAndStopWordsDropped() {
        XCTAssertEqual(SearchText.words("Zürich's DNS-failover, 502s!"), ["zurich", "s", "dns", "failover", "502s"])
        XCTAssertEqual(SearchText.terms("The primary was promoted after the failover"), ["primari", "promot", "failover"])
    }

    func testShardHashIsFNV1a() {
        // FNV-1a("a") = 0xe40c292c; search.js computes the same.
        XCTAssertEqual(SearchText.shard(of: "a", count: 1 << 30), Int(UInt32(0xE40C_292C) % UInt32(1 << 30)))
    }

    func testIndexHasWeightedPostingsFiltersAndPassages() throws {
        let site = try Fixture.render()
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings)
        let shards = model.search.shards.joined()
        XCTAssertTrue(shards.contains("\"service:search\":["), "service filter term")
        XCTAssertTrue(shards.contains("\"year:2025\":["), "year filter term")
        XCTAssertTrue(shards.contains("\"severity:sev2\":["), "severity filter term")
        XCTAssertTrue(model.search.manifest.hasPrefix("INQUEST_SEARCH.manifest({\"version\":1,\"n\":\(model.archive.postmortems.count),"))
        // Passages leave out headings, so snippets never start with "Summary".
        let passages = SearchIndex.passages(of: model.archive.postmortems[0])
        XCTAssertFalse(passages.isEmpty)
        XCTAssertFalse(passages.contains { $0.hasPrefix("Summary") })
        XCTAssertTrue(passages.allSatisfy { $0.count <= SearchIndex.passageLength })
        XCTAssertNotNil(site.files["search/manifest.js"])
        XCTAssertNil(site.files["search-index.js"], "no whole-archive index")
    }

    func testANewerIncidentAddsADocumentFileWithoutRenumberingTheOthers() throws {
        let before = try Fixture.render()
        var files = Fixture.files
        files["postmortems/2026/2026-01-02-later.md"] = Fixture.third
            .replacingOccurrences(of: "date: 2024-11-20", with: "date: 2026-01-02")
            .replacingOccurrences(of: "Web hosts served an old banner", with: "A later banner")
        let after = try Fixture.render(files: files)
        let old = before.files.keys.filter { $0.hasPrefix("search/d/") }
        // Undated drafts sort after every dated incident, so only they move.
        let dated = old.filter { !before.text($0).contains("\"d\":\"\"") }
        XCTAssertGreaterThan(dated.count, 2)
        for path in dated { XCTAssertEqual(before.files[path], after.files[path], "\(path) changed") }
        XCTAssertEqual(after.files.keys.filter { $0.hasPrefix("search/d/") }.count, old.count + 1)
    }
}

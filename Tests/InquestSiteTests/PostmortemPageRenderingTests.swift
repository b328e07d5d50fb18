import InquestCore
import XCTest
@testable import InquestSite

/// ``SiteBuilder/renderPostmortemPages(of:)``: the fuzzer's one-page render must be the page a
/// whole build writes, or fuzzing it would exercise something the site never shows.
final class PostmortemPageRenderingTests: XCTestCase {
    func testOnePageRenderEqualsThatPageOfTheWholeSite() throws {
        let builder = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: try Theme.load())
        let site = builder.render()
        let paths = Set(builder.archive.postmortems.map(\.path))
        XCTAssertGreaterThan(paths.count, 1)
        var compared = 0
        for path in paths.sorted() {
            let pages = builder.renderPostmortemPages(of: [path])
            XCTAssertEqual(pages.count, 1, path)
            for (output, bytes) in pages {
                XCTAssertTrue(output.hasPrefix("postmortems/") && output.hasSuffix(".html"), output)
                XCTAssertEqual(bytes, site.files[output], "\(path) → \(output) differs from the whole build's page")
                compared += 1
            }
        }
        XCTAssertEqual(compared, paths.count)
    }

    func testUnknownSourcePathRendersNothing() throws {
        let builder = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: try Theme.load())
        XCTAssertEqual(builder.renderPostmortemPages(of: ["postmortems/no-such.md"]), [:])
    }

    func testModelWithoutSearchIndexHasTheSameViews() {
        let archive = Fixture.archive()
        let full = SiteModel(archive: archive, settings: Fixture.settings)
        let light = SiteModel(archive: archive, settings: Fixture.settings, searchIndex: false)
        XCTAssertFalse(full.search.documents.isEmpty)
        XCTAssertTrue(light.search.documents.isEmpty)
        XCTAssertEqual(light.postmortemSlugs, full.postmortemSlugs)
        func fingerprints(_ model: SiteModel) -> [String] {
            model.views.map { view in
                var hasher = SHA256()
                view.summary(in: model).fingerprint(into: &hasher)
                return hasher.finalizeHex()
            }
        }
        XCTAssertEqual(fingerprints(light), fingerprints(full))
    }
}

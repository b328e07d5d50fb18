import InquestCore
import XCTest
@testable import InquestSite

/// `PageRenderer` (what `inquest serve` renders pages with) answers exactly what a build writes.
final class PageRendererTests: XCTestCase {
    func testEveryPageAndAssetIsByteIdenticalToTheBuild() throws {
        let archive = Fixture.archive()
        let theme = try Theme.load()
        let built = SiteBuilder(archive: archive, settings: Fixture.settings, theme: theme).render().files
        let renderer = PageRenderer(archive: archive, settings: Fixture.settings, theme: theme)
        XCTAssertEqual(renderer.paths, built.keys.sorted())
        for (path, bytes) in built {
            XCTAssertEqual(renderer.render(path), bytes, "\(path) differs from the build")
        }
    }

    func testUnknownPathsRenderNothing() throws {
        let renderer = PageRenderer(archive: Fixture.archive(), settings: Fixture.settings, theme: try Theme.load())
        for path in ["", "nope.html", "postmortems/nope.html", "../index.html", "assets/", "assets/../index.html", "/index.html"] {
            XCTAssertNil(renderer.render(path), path)
        }
    }

    func testPostmortemPagesMapToTheirDocumentsAndBack() throws {
        let renderer = PageRenderer(archive: Fixture.archive(), settings: Fixture.settings, theme: try Theme.load())
        for path in Fixture.files.keys {
            let page = try XCTUnwrap(renderer.pagePath(ofDocument: path), path)
            XCTAssertTrue(page.hasPrefix("postmortems/") && page.hasSuffix(".html"), page)
            XCTAssertEqual(renderer.documentPath(ofPage: page), path)
        }
        XCTAssertNil(renderer.documentPath(ofPage: "index.html"))
        XCTAssertNil(renderer.pagePath(ofDocument: "postmortems/missing.md"))
    }
}

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

    /// The renderer before `edit` of the first fixture document, the one reusing it after the
    /// edit (swapped in: ``Archive/replacing(_:)``), and a fresh one of the edited archive.
    private func renderers(afterEditing edit: (String) -> String) throws -> (previous: PageRenderer, reused: PageRenderer, fresh: PageRenderer) {
        let theme = try Theme.load()
        let before = Fixture.archive()
        let previous = PageRenderer(archive: before, settings: Fixture.settings, theme: theme)
        _ = previous.render("index.html")
        var files = Fixture.files
        files[Fixture.paths.first] = edit(files[Fixture.paths.first]!)
        let edited = Fixture.archive(files: files)
        let changed = try XCTUnwrap(edited.postmortems.first { $0.path == Fixture.paths.first })
        let after = try XCTUnwrap(before.replacing(changed), "the edit changes nothing the archive indexes")
        let reused = PageRenderer(archive: after, replacing: [Fixture.paths.first], in: previous)
        let fresh = PageRenderer(archive: edited, settings: Fixture.settings, theme: theme)
        XCTAssertEqual(reused.paths, fresh.paths)
        for path in fresh.paths {
            XCTAssertEqual(reused.render(path), fresh.render(path), path)
        }
        return (previous, reused, fresh)
    }

    func testARendererReusingThePreviousOneAfterABodyEditRendersWhatAFreshOneDoes() throws {
        let (previous, reused, fresh) = try renderers {
            $0.replacingOccurrences(of: "## Summary\n\n", with: "## Summary\n\nAn edited first sentence with **emphasis**.\n\n")
        }
        XCTAssertGreaterThan(fresh.paths.count { fresh.render($0) != previous.render($0) }, 0, "the edit shows somewhere")
        let page = try XCTUnwrap(reused.pagePath(ofDocument: Fixture.paths.first))
        XCTAssertTrue(String(decoding: reused.render(page)!, as: UTF8.self).contains("An edited first sentence"))
    }

    func testARendererReusingThePreviousOneAfterAnActionItemEditRendersWhatAFreshOneDoes() throws {
        // Still swapped in (an item stays open), but the action items, their owners and the
        // follow-through change: an item ticked, one moved to a new owner, one added.
        let (_, _, fresh) = try renderers {
            $0.replacingOccurrences(of: "- [ ] Alert on cache hit ratio", with: "- [x] Alert on cache hit ratio")
                .replacingOccurrences(of: "- [ ] Load test cache warm-up — @platform", with: "- [ ] Load test cache warm-up — @storefront")
                .replacingOccurrences(of: "## Action Items\n\n", with: "## Action Items\n\n- [ ] Page on price cache misses — @sre, SHOP-4\n")
        }
        XCTAssertTrue(fresh.paths.contains { $0.contains("storefront") }, "the new owner has a page")
    }
}

import Foundation
import InquestCore
import InquestTestSupport
import XCTest
@testable import InquestSite

/// Hostile sizes stay linear: each case runs at 1× and 16× and compares work. Quadratic code shows
/// up as ~256×; the bound of 40× leaves room for a noisy, shared machine without letting a
/// quadratic path through. Operation counts are used where the code has one.
///
/// (16× from a base 0.4 times the size that 8× with a bound of 20× used: a quadratic term fails
/// the test from the same share of the work, with the same 2.5× room over linear, for two
/// thirds of the CPU time.)
final class SiteScalingTests: XCTestCase {
    /// ``assertScalesLinearly`` (CPU seconds, best of several runs) with this class's bound.
    private func assertLinear(_ what: String, size: Int, limit: Double = 40, file: StaticString = #filePath, line: UInt = #line,
                              _ work: (Int) -> Void) {
        assertScalesLinearly(what, size: size, factor: 16, limit: limit, file: file, line: line, work)
    }

    private static let theme = try! Theme.load()

    /// Renders the page of one postmortem whose body is `body`.
    private func renderPage(_ body: String, frontMatter: String = "") -> String {
        let document = "---\nid: PM-1\ntitle: Scaling\ndate: 2025-01-01\nseverity: SEV2\nstatus: final\n\(frontMatter)---\n\n\(body)"
        let input = LintInput(documents: [RawDocument(path: "postmortems/a.md", bytes: Array(document.utf8))], catalogue: nil)
        let archive = Linter().buildArchive(input)
        let builder = SiteBuilder(archive: archive, settings: SiteSettings(), theme: Self.theme)
        let pages = builder.renderPages { $0.hasPrefix("postmortems/") }
        return pages.values.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func testManyLinksRenderInLinearTime() {
        assertLinear("links", size: 160) { count in
            let body = "## Timeline\n\n" + (0..<count).map { "- 10:\(String(format: "%02d", $0 % 60)) see [note \($0)](other-\($0).md#x) and [^\($0)]" }
                .joined(separator: "\n") + "\n\n" + (0..<count).map { "[^\($0)]: footnote \($0)" }.joined(separator: "\n") + "\n"
            _ = renderPage(body)
        }
    }

    func testDuplicateHeadingIDsAreClaimedInLinearSteps() {
        var ids = AnchorIDs(used: [])
        for _ in 0..<4000 { _ = ids.claim("impact") }
        XCTAssertEqual(ids.claim("impact"), "impact-4000")
        XCTAssertEqual(ids.claim("impact-4001"), "impact-4001")
        XCTAssertEqual(ids.claim("impact"), "impact-4002", "an id taken by another heading is skipped")
        assertLinear("duplicate headings", size: 160) { count in
            _ = renderPage((0..<count).map { _ in "## Impact\n\nSame heading again.\n" }.joined(separator: "\n"))
        }
    }

    func testReferenceDefinitionsAreNotReparsedForEverySegment() {
        // Timeline blocks split the body into segments; every definition used to be appended to each.
        assertLinear("reference definitions × timeline blocks", size: 24) { count in
            var body = "## Timeline\n\n"
            for block in 0..<count {
                body += "- 09:\(String(format: "%02d", block % 60)) step\n\nA paragraph citing [ref\(block)].\n\n"
            }
            body += (0..<(count * 10)).map { "[ref\($0)]: https://tickets.example/\($0)" }.joined(separator: "\n") + "\n"
            _ = renderPage(body)
        }
        // Still resolved in every segment.
        let page = renderPage("## Timeline\n\n- 09:00 first\n\nBefore [a].\n\n- 09:05 second\n\nAfter [b] and [c][A].\n\n[a]: https://a.example/\n[B]: https://b.example/\n")
        XCTAssertTrue(page.contains("href=\"https://a.example/\""), page)
        XCTAssertTrue(page.contains("href=\"https://b.example/\""), page)
    }

    func testManyTagsConvertEachSummaryOnce() {
        // swift-mustache renders what the compiled templates do not (a theme override using
        // transforms): its context conversion must stay linear too.
        func conversions(tags: Int, theme: Theme = Self.theme.withoutCompiledTemplates()) -> Int {
            let list = (0..<tags).map { "t\($0)" }.joined(separator: ", ")
            let document = "---\nid: PM-1\ntitle: Tags\ndate: 2025-01-01\nseverity: SEV2\nstatus: final\ntags: [\(list)]\n---\n\n## Summary\n\nx\n"
            let archive = Linter().buildArchive(LintInput(documents: [RawDocument(path: "postmortems/a.md", bytes: Array(document.utf8))], catalogue: nil))
            let builder = SiteBuilder(archive: archive, settings: SiteSettings(), theme: theme)
            let before = TemplateValue.conversionCount.load(ordering: .relaxed)
            let pages = builder.renderPages { $0.hasPrefix("tags/") }
            XCTAssertEqual(pages.count, tags + 1)
            return TemplateValue.conversionCount.load(ordering: .relaxed) - before
        }
        let small = conversions(tags: 40), large = conversions(tags: 320)
        XCTAssertLessThan(Double(large) / Double(small), 12, "\(small) conversions at 1×, \(large) at 8×")
        // The compiled templates read the values as they are: nothing is converted.
        XCTAssertEqual(conversions(tags: 40, theme: Self.theme), 0)
    }
}

import Foundation
import XCTest
@testable import InquestSite

/// Front-matter is escaped, Markdown cannot inject HTML or script URLs, every page carries a
/// Content-Security-Policy, and nothing loads from outside the site.
final class SafetyTests: XCTestCase {
    func testFrontMatterValuesAreEscapedEverywhere() throws {
        let site = try Fixture.render()
        for path in site.files.keys where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            XCTAssertFalse(site.text(path).contains("<b>timeouts</b>"), "\(path) shows a front-matter value unescaped")
        }
        XCTAssertTrue(site.text("index.html").contains("Search &lt;b&gt;timeouts&lt;/b&gt; &amp; &quot;stale&quot; results at &#39;midnight&#39;"))
        // In the search index the title is a JSON string with < > & escaped for script context.
        XCTAssertTrue(site.files.keys.filter { $0.hasPrefix("search/d/") }.contains {
            site.text($0).contains("Search \\u003cb\\u003etimeouts\\u003c/b\\u003e \\u0026 \\\"stale\\\"")
        })
    }

    func testHostileTitleCannotBreakOutOfAttributesOrScripts() throws {
        var files = Fixture.files
        files[Fixture.paths.third] = Fixture.third.replacingOccurrences(of: "title: \"Web hosts served an old banner\"",
                                                                         with: "title: \"\\\"><script>alert(1)</script></script><!--\"")
        let site = try Fixture.render(files: files)
        for path in site.files.keys where !path.hasPrefix("assets/") {
            let text = site.text(path)
            XCTAssertFalse(text.contains("<script>alert(1)"), "\(path)")
            XCTAssertFalse(text.contains("</script><!--"), "\(path)")
        }
    }

    func testMarkdownRawHTMLAndJavaScriptURLsAreDropped() throws {
        let page = try Fixture.render().text("postmortems/2025-02-03-price-cache-expiry.html")
        XCTAssertFalse(page.contains("<script>alert"))
        XCTAssertTrue(page.contains("<!-- raw HTML omitted -->"))
        XCTAssertFalse(page.lowercased().contains("javascript:"))
    }

    func testNoJavaScriptURLsNoExternalResourcesAndACSPOnEveryPage() throws {
        let site = try Fixture.render()
        for path in site.htmlPaths {
            let html = site.text(path)
            XCTAssertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;"), "\(path) has no CSP")
            for url in Links.attributes(in: html, named: ["href", "src"]) {
                XCTAssertFalse(url.lowercased().hasPrefix("javascript:"), "\(path): \(url)")
            }
            // Resources (scripts, styles, images, icons) never come from another host.
            for url in Links.resourceURLs(in: html) {
                XCTAssertFalse(url.hasPrefix("http:") || url.hasPrefix("https:") || url.hasPrefix("//"), "\(path) loads \(url)")
            }
        }
    }

    func testUnsafeConfiguredURLsAreDropped() {
        XCTAssertNil(SiteSettings(baseURL: "javascript:alert(1)").baseURL)
        XCTAssertNil(SiteSettings(repoURL: "javascript:alert(1)").repoURL)
        XCTAssertNil(SiteSettings(repoURL: "https://x.example/\"onmouseover=").repoURL)
        XCTAssertEqual(SiteSettings(baseURL: "https://a.example/sub").baseURL, "https://a.example/sub/")
        XCTAssertEqual(SiteSettings(repoURL: "https://git.example/org/repo.git/").repoURL, "https://git.example/org/repo")
    }

    func testTicketURLsMustBeHTTP() {
        XCTAssertTrue(HTMLText.isSafeURL("https://tickets.example.com/A-1"))
        XCTAssertTrue(HTMLText.isSafeURL("../a/b.html#x"))
        XCTAssertFalse(HTMLText.isSafeURL("javascript:alert(1)"))
        XCTAssertFalse(HTMLText.isSafeURL(" JavaScript:alert(1)"))
        XCTAssertFalse(HTMLText.isSafeURL("data:text/html,hi"))
    }

    func testPagePathsAreSafeWhateverTheIDs() throws {
        var files = Fixture.files
        files["postmortems/../../etc/Evil Name!.md"] = Fixture.draft
        files["postmortems/x/2025-02-03-price-cache-expiry.md"] = Fixture.first // duplicate id
        let site = try Fixture.render(files: files)
        for path in site.files.keys { XCTAssertTrue(SitePath.isSafe(path), path) }
        XCTAssertNotNil(site.files["postmortems/2025-02-03-price-cache-expiry-2.html"], "a duplicate id gets its own page")
    }
}

/// Extracts URLs from HTML attributes (enough for output Inquest itself generates).
enum Links {
    /// The values of ` NAME="…"` attributes, all of the first name, then of the next.
    ///
    /// One pass over the UTF-8 bytes from `=` to `=` (Foundation's `range(of:)` on a `String`
    /// took a third of the sample site's tests), each name resuming after its last value's
    /// closing quote, as when each name was searched for alone.
    static func attributes(in html: String, named names: [String]) -> [String] {
        let needles = names.map { Array(" \($0)".utf8) }
        var found = Array(repeating: [String](), count: names.count)
        // Where each name's search resumes: the closing quote of its last value.
        var resume = Array(repeating: 0, count: names.count)
        var html = html
        html.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            func next(_ byte: UInt8, from index: Int) -> Int? {
                guard index < bytes.count, let hit = memchr(base + index, Int32(byte), bytes.count - index) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            var index = 0
            while let equals = next(UInt8(ascii: "="), from: index) {
                index = equals + 1
                guard equals + 1 < bytes.count, bytes[equals + 1] == UInt8(ascii: "\"") else { continue }
                for (which, needle) in needles.enumerated() {
                    let start = equals - needle.count
                    guard start >= resume[which], needle.elementsEqual(bytes[start..<equals]) else { continue }
                    guard let end = next(UInt8(ascii: "\""), from: equals + 2) else {
                        resume[which] = .max
                        continue
                    }
                    found[which].append(HTMLText.decodeEntities(String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 2)..<end]), as: UTF8.self)))
                    resume[which] = end
                }
            }
        }
        return found.flatMap { $0 }
    }

    /// `src` of any element and `href` of `<link>` elements: what the browser loads by itself.
    static func resourceURLs(in html: String) -> [String] {
        var out = attributes(in: html, named: ["src"])
        var rest = Substring(html)
        while let start = rest.range(of: "<link ") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: ">") else { break }
            let tag = String(rest[..<end])
            if !tag.contains("rel=\"canonical\"") && !tag.contains("rel=\"alternate\"") {
                out += attributes(in: " " + tag, named: ["href"])
            }
            rest = rest[end...]
        }
        return out
    }

    /// Every id in a page.
    static func ids(in html: String) -> Set<String> { Set(attributes(in: html, named: ["id"])) }
}

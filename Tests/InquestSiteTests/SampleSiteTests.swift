import Foundation
import InquestCore
import InquestTestSupport
import XCTest
@testable import InquestSite

/// The sample archive (postmortems/ at the repository root), built as `inquest build` builds it:
/// with the repository's theme and git history.
final class SampleSiteTests: XCTestCase {
    static func builder(baseURL: String? = nil) throws -> SiteBuilder {
        let reader = try ArchiveReader.open(at: Repository.root, selection: .workingTree)
        let (archive, _) = try SiteBuild.loadArchive(reader: reader)
        let theme = try Theme.load(overrides: SiteBuild.themeOverrides(reader: reader))
        let settings = SiteSettings(configuration: reader.workspace.configuration, baseURL: baseURL,
                                    environment: ["SOURCE_DATE_EPOCH": "1790000000"])
        return SiteBuilder(archive: archive, settings: settings, theme: theme)
    }

    static func build(baseURL: String? = nil) throws -> RenderedSite { try builder(baseURL: baseURL).render() }

    /// The sample site without a base URL, built once for the tests that only read it (the
    /// determinism test builds its own second copy to compare with).
    static let plain = Result { try build() }

    /// The sample site under a base URL (absolute URLs, sitemaps), built once, with the builder
    /// that made it: CompiledThemeTests renders the same inputs through swift-mustache.
    static let withBaseURL = Result { () throws -> (builder: SiteBuilder, site: RenderedSite) in
        let made = try builder(baseURL: "https://incidents.example.com/sub/")
        return (made, made.render())
    }

    /// Every relative `href` and `src` resolves to a built file, and every `#fragment` to an id in it.
    static func brokenLinks(in site: RenderedSite) -> [String] {
        var ids: [String: Set<String>] = [:]
        for path in site.htmlPaths { ids[path] = Links.ids(in: site.text(path)) }
        var broken: [String] = []
        for path in site.htmlPaths {
            let html = site.text(path)
            let folder = path.split(separator: "/").dropLast().map(String.init)
            for url in Links.attributes(in: html, named: ["href", "src", "action"]) {
                if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("mailto:") { continue }
                var target = url
                var fragment: String?
                if let hash = target.firstIndex(of: "#") {
                    fragment = String(target[target.index(after: hash)...])
                    target = String(target[..<hash])
                }
                if let query = target.firstIndex(of: "?") { target = String(target[..<query]) }
                let resolved: String
                if target.isEmpty {
                    resolved = path
                } else {
                    guard let normalised = BodyRenderer.normalise(folder + target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) else {
                        broken.append("\(path): \(url) climbs out of the site")
                        continue
                    }
                    resolved = normalised
                }
                guard site.files[resolved] != nil else {
                    broken.append("\(path): \(url) → \(resolved) does not exist")
                    continue
                }
                if let fragment, !fragment.isEmpty, resolved.hasSuffix(".html"), ids[resolved]?.contains(fragment) != true {
                    broken.append("\(path): \(url) → no id \"\(fragment)\" in \(resolved)")
                }
            }
        }
        return broken
    }

    func testSampleSiteHasNoBrokenInternalLinksOrAnchors() throws {
        let site = try Self.plain.get()
        XCTAssertGreaterThanOrEqual(site.files.keys.filter { $0.hasPrefix("postmortems/") }.count, 14)
        XCTAssertEqual(Self.brokenLinks(in: site), [])
    }

    func testSampleSiteWithBaseURLHasNoBrokenLinksAndASitemap() throws {
        let site = try Self.withBaseURL.get().site
        // The 404 page links from the host's root (/sub/…), which a file-based check cannot follow.
        XCTAssertEqual(Self.brokenLinks(in: site).filter { !$0.hasPrefix("404.html") }, [])
        let sitemap = site.text("sitemap.xml")
        XCTAssertTrue(sitemap.contains("<loc>https://incidents.example.com/sub/index.html</loc>"))
        for line in sitemap.split(separator: "\n") where line.contains("<loc>") {
            XCTAssertTrue(line.contains("https://incidents.example.com/sub/"), String(line))
        }
    }

    func testLinkCheckerFindsBrokenLinks() throws {
        var site = try Fixture.render()
        site.files["extra.html"] = Array("<a href=\"missing.html\">x</a> <a href=\"index.html#nowhere\">y</a> <a href=\"#\">top</a>".utf8)
        XCTAssertEqual(Self.brokenLinks(in: site), ["extra.html: missing.html → missing.html does not exist",
                                                     "extra.html: index.html#nowhere → no id \"nowhere\" in index.html"])
    }

    func testFixtureSiteHasNoBrokenLinks() throws {
        XCTAssertEqual(Self.brokenLinks(in: try Fixture.render()).filter { !$0.hasPrefix("404.html") }, [])
        XCTAssertEqual(Self.brokenLinks(in: try Fixture.render(settings: SiteSettings(title: "T"))), [])
    }

    func testSampleSiteIsDeterministic() throws {
        XCTAssertEqual(try Self.plain.get().files, try Self.build().files)
    }
}

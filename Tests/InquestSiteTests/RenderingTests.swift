import Foundation
import InquestCore
import XCTest
@testable import InquestSite

/// How values and bodies become HTML: the byte-level escaper, the typed Mustache values, and the
/// body rendered from one cmark-gfm tree.
final class RenderingTests: XCTestCase {
    private static let theme = try! Theme.load()

    /// The body HTML of one postmortem page.
    private func body(_ markdown: String, settings: SiteSettings = SiteSettings(repoURL: "https://git.example.com/org/repo"),
                      others: [String: String] = [:]) -> String {
        var documents = [RawDocument(path: "postmortems/2025/a.md", bytes: Array(
            "---\nid: a\ntitle: A\ndate: 2025-01-01\nseverity: SEV2\nstatus: final\n---\n\n\(markdown)".utf8))]
        for (path, text) in others.sorted(by: { $0.key < $1.key }) { documents.append(RawDocument(path: path, bytes: Array(text.utf8))) }
        let model = SiteModel(archive: Linter().buildArchive(LintInput(documents: documents, catalogue: nil)), settings: settings)
        let page = Pages.all(model).first { $0.path == "postmortems/a.html" }!
        return page.context(model, theme: Self.theme).at("postmortem.body.html")?.stringValue ?? ""
    }

    func testEscaperEscapesTheFiveCharactersOnBytes() {
        XCTAssertEqual(HTMLText.escape("plain text, é and 日本"), "plain text, é and 日本")
        XCTAssertEqual(HTMLText.escape("<a href=\"x\">Tom & Jerry's</a>"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        // A quote followed by a combining mark is one Character; swift-mustache's own escaper
        // compared Characters and let it through, which could end an attribute value.
        XCTAssertEqual(HTMLText.escape("x\"\u{301} onmouseover=y"), "x&quot;\u{301} onmouseover=y")
        XCTAssertEqual(ByteHTMLEscaper().escapeText("<\u{338}"), "&lt;\u{338}")
    }

    func testTemplatesUseTheByteEscaperAndKeepTheirOwnWhiteSpace() throws {
        let theme = try Theme.load(overrides: ["templates/404.mustache": Array("{{#items}}\n<i title=\"{{name}}\">{{name}}</i>\n{{/items}}\n{{{raw}}}|{{count}}|{{#flag}}yes{{/flag}}{{^none}}empty{{/none}}".utf8)])
        let context: TemplateValue = .object(["items": .list([.object(["name": "a\"\u{301}b"]), .object(["name": "c"])]),
                                              "raw": "<b>kept</b>", "count": 3, "flag": true, "none": .list([])])
        XCTAssertEqual(theme.render("404", context), "<i title=\"a&quot;\u{301}b\">a&quot;\u{301}b</i>\n<i title=\"c\">c</i>\n<b>kept</b>|3|yesempty")
    }

    func testANameMissingFromAStringSectionIsFoundInTheEnclosingObject() throws {
        let theme = try Theme.load(overrides: ["templates/404.mustache": Array("{{#date}}{{.}} {{label}}{{/date}} {{uppercased(label)}} {{count(object)}}".utf8)])
        let context: TemplateValue = .object(["date": "2025-01-01", "label": "Day", "object": .object(["a": 1, "b": 2])])
        XCTAssertEqual(theme.render("404", context), "2025-01-01 Day DAY 2", "string sections, string and object transforms behave as before")
    }

    func testTemplateErrorsPointAtTheAuthorsLine() {
        XCTAssertThrowsError(try Theme.load(overrides: ["templates/index.mustache": Array("line\n{{#open}}never closed".utf8)])) { error in
            let message = (error as? SiteError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("site/templates/index.mustache:2:"), "the escaper pragma's line is not counted: \(message)")
        }
    }

    func testHeadingsAtAnyDepthGetIDsAndLinksInThemAreRewritten() {
        let html = body("## Impact\n\n> ### Quoted [see b](b.md)\n\n- item\n\n  #### In a list\n\n## Impact\n",
                        others: ["postmortems/2025/b.md": "---\nid: b\ntitle: B\ndate: 2025-01-02\nseverity: SEV2\nstatus: final\n---\n\n## Summary\n\nB.\n"])
        XCTAssertTrue(html.contains("<h2 id=\"impact\">Impact <a class=\"anchor\" href=\"#impact\""), html)
        XCTAssertTrue(html.contains("<h3 id=\"quoted-see-b\">Quoted <a href=\"b.html\">see b</a> <a class=\"anchor\""), html)
        XCTAssertTrue(html.contains("<h4 id=\"in-a-list\">"), html)
        XCTAssertTrue(html.contains("<h2 id=\"impact-1\">"), html)
        XCTAssertTrue(html.contains("<blockquote>\n<h3"), "the heading stays inside its quote: \(html)")
    }

    func testDangerousLinksStayDroppedAndOtherLinksGoToTheRepository() {
        let html = body("## Summary\n\n[x](javascript:alert(1)) [y](../../README.md) [z](https://example.com/a?b=1&c=2) [w](#impact)\n")
        XCTAssertTrue(html.contains("<a href=\"\">x</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://git.example.com/org/repo/blob/HEAD/README.md\">y</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://example.com/a?b=1&amp;c=2\">z</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"#impact\">w</a>"), html)
    }

    func testReferenceDefinitionsAndFootnotesResolveAcrossTheTimeline() {
        let html = body("## Timeline\n\n- 09:00 start\n\nSee [the runbook][rb].\n\n- 09:05 next\n\nAnd [rb] again.\n\n[rb]: https://runbooks.example/x\n")
        XCTAssertEqual(html.components(separatedBy: "href=\"https://runbooks.example/x\"").count - 1, 2, html)
        XCTAssertTrue(html.contains("<ol class=\"timeline\">"), "the timed lists are the partial: \(html)")
        let footnotes = body("## Summary\n\nA claim.[^1]\n\n## Notes\n\nMore.\n\n[^1]: The source.\n")
        XCTAssertTrue(footnotes.contains("<section class=\"footnotes\""), footnotes)
        XCTAssertTrue(footnotes.contains("<h2 id=\"notes\">"), footnotes)
    }
}

extension RenderingTests {
    func testABlockWithFootnoteReferencesIsNotReplacedByAPartial() {
        let html = body("## Timeline\n\n| Time | Event |\n| --- | --- |\n| 09:00 | Disk full[^1] |\n| 09:05 | Fixed |\n\nLater.[^2]\n\n[^1]: One.\n[^2]: Two.\n")
        XCTAssertTrue(html.contains("id=\"fnref-1\""), "the reference in the timeline table stays, so its footnote's back-link has a target: \(html)")
        XCTAssertTrue(html.contains("id=\"fn-1\"") && html.contains("id=\"fn-2\""), html)
        XCTAssertEqual(html.components(separatedBy: "href=\"#fnref-").count - 1, html.components(separatedBy: "id=\"fnref-").count - 1,
                       "every back-link has its reference: \(html)")
    }

    func testHeadingTextAndAnchorsOnASCIIBytesFollowTheUnicodeRules() {
        // The rules as written for any text (Characters and Unicode properties); ASCII input
        // takes the byte path, and both give the same text, trimming, anchor and search.
        func textOfHTML(_ html: String) -> String {
            var out = ""
            var inTag = false
            for character in html {
                if character == "<" { inTag = true; continue }
                if character == ">", inTag { inTag = false; continue }
                if !inTag { out.append(character) }
            }
            return HTMLText.decodeEntities(out)
        }
        func anchor(_ text: String) -> String {
            var out = ""
            var pendingDash = false
            for scalar in text.lowercased().unicodeScalars {
                if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                    if pendingDash, !out.isEmpty { out += "-" }
                    out.unicodeScalars.append(scalar)
                    pendingDash = false
                } else if scalar == " " || scalar == "-" || scalar == "_" || scalar == "/" || scalar == "." {
                    pendingDash = true
                }
                if out.utf8.count >= 64 { break }
            }
            return out.isEmpty ? "section" : out
        }
        let samples = ["Root <em>Causes</em>", " \tWhat went <a href=\"x\">well</a>?\r\n", "a > b <c", "5 Whys: API/DB_lag. v1.2", "&amp; &lt;tag&gt; &#65;&nbsp;",
                       "", "   ", "--__//..", String(repeating: "Long heading words ", count: 8), "x<y>z</y>", "\u{1}\u{7F}ctl"]
        for sample in samples {
            XCTAssertEqual(HTMLText.text(ofHTML: sample), textOfHTML(sample), sample.debugDescription)
            XCTAssertEqual(HTMLText.trimmingBlanks(sample), sample.trimmingCharacters(in: .whitespaces), sample.debugDescription)
            XCTAssertEqual(HTMLText.anchor(for: sample), anchor(sample), sample.debugDescription)
            for part in ["://", "<", "ng w", "", "zz"] {
                XCTAssertEqual(HTMLText.contains(sample, part), sample.contains(part), "\(sample.debugDescription) \(part)")
            }
        }
        XCTAssertEqual(HTMLText.anchor(for: "Café Zürich"), anchor("Café Zürich"), "non-ASCII keeps the Unicode path")
    }
}

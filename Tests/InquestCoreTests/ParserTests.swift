import XCTest
@testable import InquestCore
import InquestTestSupport

final class ParserTests: XCTestCase {
    private func parse(_ text: String, path: String = "postmortems/a.md") -> Postmortem {
        PostmortemParser().parse(RawDocument(path: path, bytes: Array(text.utf8)))
    }

    /// `actionItems(of:)` (git history reads every older version with it) finds exactly the
    /// items a whole parse finds: over the sample archive, the broken examples (no front-matter,
    /// an unterminated one, Latin-1 bytes, bad YAML), the held-out archives with their own
    /// headings, and a byte-order mark.
    func testActionItemsAloneAreTheItemsOfAWholeParse() throws {
        let parser = PostmortemParser()
        var documents: [RawDocument] = []
        for folder in ["postmortems", "examples/broken", "Tests/Fixtures/holdout-archives"] {
            let root = Repository.root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for url in files where url.pathExtension == "md" {
                documents.append(RawDocument(path: url.path, bytes: Array(try Data(contentsOf: url))))
            }
        }
        let withBOM = [0xEF, 0xBB, 0xBF] + Array(ExampleDocument.make().utf8)
        documents.append(RawDocument(path: "postmortems/bom.md", bytes: withBOM))
        documents.append(RawDocument(path: "postmortems/bare.md", bytes: Array("# Title\n\n## Action Items\n\n- [ ] Alert on saturation — @ops, OPS-7\n".utf8)))
        XCTAssertGreaterThan(documents.count, 30)
        var items = 0
        for document in documents {
            let whole = parser.parse(document).actionItems
            let alone = parser.actionItems(of: document)
            items += whole.count
            XCTAssertEqual(alone.map(\.text), whole.map(\.text), document.path)
            XCTAssertEqual(alone.map(\.bytes), whole.map(\.bytes), document.path)
            XCTAssertEqual(alone.map(\.state), whole.map(\.state), document.path)
            XCTAssertEqual(alone.map(\.owner), whole.map(\.owner), document.path)
            XCTAssertEqual(alone.map(\.ticket), whole.map(\.ticket), document.path)
            XCTAssertEqual(alone.map(\.due), whole.map(\.due), document.path)
        }
        XCTAssertGreaterThan(items, 50, "the documents have items to compare")
    }

    func testTypedFieldsAreRead() {
        let postmortem = parse(ExampleDocument.make(fields: ["tags": "[cache]", "related": "[other-incident]", "contributing_factors": "[missing-runbook-step]"]))
        XCTAssertEqual(postmortem.id, "a")
        XCTAssertEqual(postmortem.title, "Checkout latency after cache eviction")
        XCTAssertEqual(postmortem.status, .final)
        XCTAssertEqual(postmortem.severity, "SEV2")
        XCTAssertEqual(postmortem.authors, ["Priya Raman"])
        XCTAssertEqual(postmortem.services, ["checkout"])
        XCTAssertEqual(postmortem.started?.utcString, "2025-03-04T09:00:00Z")
        XCTAssertEqual(postmortem.allCauses, ["no-alert-on-saturation", "missing-runbook-step"])
        XCTAssertEqual(postmortem.related.map(\.value), ["other-incident"])
        XCTAssertEqual(postmortem.sections.map(\.heading), ["Summary", "Impact", "Timeline", "Root Causes", "Resolution", "Action Items"])
    }

    func testExplicitIDOverridesTheFileStem() {
        XCTAssertEqual(parse(ExampleDocument.make(fields: ["id": "checkout-2025"])).id, "checkout-2025")
    }

    func testPositionsCountFrontMatterLines() {
        let text = ExampleDocument.make()
        let postmortem = parse(text)
        let timeline = postmortem.section("Timeline")!
        let expectedLine = text.components(separatedBy: "\n").firstIndex(of: "## Timeline")! + 1
        XCTAssertEqual(postmortem.source.position(of: timeline.headingBytes.lowerBound), SourcePosition(line: expectedLine, column: 1))
    }

    func testCRLFLineEndingsKeepPositions() {
        let lf = ExampleDocument.make(fields: ["severity": "SEV9"])
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = Lint.run(lf), b = Lint.run(crlf)
        XCTAssertEqual(a.map(\.range), b.map(\.range))
        XCTAssertEqual(a.map(\.message), b.map(\.message))
        XCTAssertEqual(Lint.run(ExampleDocument.make().replacingOccurrences(of: "\n", with: "\r\n")).map(\.message), [])
    }

    func testByteOrderMarkIsTolerated() {
        let text = "\u{FEFF}" + ExampleDocument.make(fields: ["severity": "SEV9"])
        let diagnostic = Lint.run(text).first { $0.rule == "schema/invalid-value" }
        XCTAssertEqual(diagnostic?.range.start, SourcePosition(line: 5, column: 11))
        XCTAssertEqual(Lint.run("\u{FEFF}" + ExampleDocument.make()).map(\.message), [])
    }

    func testColumnsCountUnicodeScalars() {
        assertRule("schema/invalid-value", ExampleDocument.make(fields: ["services": "[⟦café⟧, ⟦Crème⟧]"]))
    }

    func testProseMapsBackToTheSourceThroughMarkup() {
        let text = "---\ntitle: x\n---\n\nSome **bold** and `code` and [a link](https://x.example) here.\n"
        let postmortem = parse(text)
        let paragraph = postmortem.body.children[0]
        let prose = ProseText(block: paragraph, source: postmortem.source)
        XCTAssertEqual(prose.text, "Some bold and \u{FFFC} and a link here.")
        let range = (prose.text as NSString).range(of: "link")
        let utf8Start = prose.text.utf8.count - String(prose.text.dropFirst(range.location)).utf8.count
        let bytes = prose.fileRange(of: utf8Start..<utf8Start + 4)
        XCTAssertEqual(postmortem.source.string(bytes), "link")
    }

    func testHeadingsBelowLevelTwoStayInsideTheirSection() {
        let postmortem = parse(ExampleDocument.make(sections: ["Impact": "### Customers\n\nSome.\n\n### Money\n\nNone."]))
        XCTAssertEqual(postmortem.section("Impact")?.blocks.count, 4)
    }
}

import Foundation

extension ParserTests {
    func testOneLineHTMLBlockKeepsItsOwnRange() {
        let text = "---\ntitle: x\n---\n\n## Summary\n\n<script>alert(1)</script>\n\nText after.\n"
        let postmortem = PostmortemParser().parse(RawDocument(path: "a.md", bytes: Array(text.utf8)))
        let html = postmortem.body.children.first { $0.kind == .htmlBlock }!
        XCTAssertEqual(postmortem.source.string(html.bytes), "<script>alert(1)</script>")
    }
}

extension ParserTests {
    func testSlugsFoldAccents() {
        XCTAssertEqual(Slug.make(from: "Zürich datacenter outage"), "zurich-datacenter-outage")
        XCTAssertEqual(Slug.make(from: "Crème brûlée: 50% errors!"), "creme-brulee-50-errors")
    }
}

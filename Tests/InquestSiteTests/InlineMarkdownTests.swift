import XCTest
@testable import InquestSite

/// Short Markdown fragments (timeline entries, action items) as inline HTML: one paragraph loses
/// its `<p>`, anything more stays block HTML.
final class InlineMarkdownTests: XCTestCase {
    private func html(_ text: String) -> String { InlineMarkdown.html(Array(text.utf8)) }

    func testOneParagraphBecomesInlineContent() {
        XCTAssertEqual(html("Paged the **on-call** engineer"), "Paged the <strong>on-call</strong> engineer")
    }

    func testTwoParagraphsStayBlockHTML() {
        XCTAssertEqual(html("First step\n\nSecond step"), "<p>First step</p>\n<p>Second step</p>")
    }

    func testALiteralParagraphTagInTheTextIsEscapedAndTheParagraphStillInline() {
        XCTAssertEqual(html("Wrapped the banner in `<p>` again"), "Wrapped the banner in <code>&lt;p&gt;</code> again")
    }

    func testAListStaysBlockHTML() {
        XCTAssertEqual(html("- one\n- two"), "<ul>\n<li>one</li>\n<li>two</li>\n</ul>")
    }

    func testEntitiesAreDecodedOnlyWhereThereIsAnAmpersand() {
        XCTAssertEqual(HTMLText.decodeEntities("no entity here"), "no entity here")
        XCTAssertEqual(HTMLText.decodeEntities("a &amp; b"), "a & b")
        // An ampersand carrying a combining mark is not an entity's start: left as it is.
        XCTAssertEqual(HTMLText.decodeEntities("a &\u{301}amp; b"), "a &\u{301}amp; b")
    }

    private func plain(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer { InlineMarkdown.plainHTML($0) }
    }

    func testPlainLinesAreRenderedWithoutCmarkAsCmarkRendersThem() {
        let lines = [
            "Coalesce concurrent cache misses for the same key in the `api` cache client — @dba-team, LRK-1143, due: 2020-03-08",
            "Add jitter to `api` cache expiry times", "2 replicas lost; failover took 40 s (expected 5 s > 4 s)",
            "Said \"done\" at 14:05 = 100% ok?", "`a < b & c > \"d\"` compared", "(see the runbook) then #ops was told!",
            "Naïve retry — “again” ✓", "` padded `", "`  `", "`x`", "Rate 3/4 + 5$ at 1:2",
        ]
        for line in lines {
            XCTAssertNotNil(plain(line), line)
            XCTAssertEqual(plain(line), InlineMarkdown.htmlFromCmark(Array(line.utf8)), line)
        }
    }

    func testLinesThatMayBeMarkupAreLeftToCmark() {
        let lines = [
            "", " leading space", "trailing space ", "1. a list", "12) a list", "- bullet", "# heading", "> quote", "**bold**", "a_b_c",
            "see www.example.com", "see https://example.com", "mail ops@example.com", "x\\y", "a & b", "<b>", "[link](x)",
            "two\nlines", "tab\there", "``double``", "`unclosed", "a ~~strike~~", "a | b", "bad \u{0}",
        ]
        for line in lines { XCTAssertNil(plain(line), line) }
        XCTAssertNil(InlineMarkdown.plainHTML(UnsafeBufferPointer(start: nil, count: 0)))
        XCTAssertNil([UInt8(ascii: "a"), 0xC3].withUnsafeBufferPointer { InlineMarkdown.plainHTML($0) }, "invalid UTF-8")
    }

    /// Random lines over the characters that matter: whenever the shortcut answers, cmark-gfm
    /// answers the same.
    func testTheShortcutAgreesWithCmarkOnGeneratedLines() {
        let pieces = ["a", "w", "W", "ww", "www", "z", "Q", "0", "1", "9", " ", "  ", "\t", ".", ")", "(", ",", ";", ":", "/", "?", "=", "+",
                      "%", "$", "#", "-", "!", ">", "<", "&", "'", "\"", "`", "@", "*", "_", "[", "]", "~", "|", "\\", "é", "e\u{301}",
                      "—", "💥", "\u{A0}", "http", "://", "amp;", "\n", "x@y.z", "www.", "1.", "2)"]
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for _ in 0..<6_000 {
            let length = Int.random(in: 1...9, using: &generator)
            let line = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            guard let fast = plain(line) else { continue }
            answered += 1
            XCTAssertEqual(fast, InlineMarkdown.htmlFromCmark(Array(line.utf8)), line.debugDescription)
        }
        XCTAssertGreaterThan(answered, 300, "the generated lines exercise the shortcut")
    }
}


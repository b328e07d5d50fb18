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
}

import Foundation
import InquestCore
import XCTest
@testable import InquestSite

final class FormatTests: XCTestCase {
    func testDurations() {
        XCTAssertEqual(Format.duration(30), "under 1 min")
        XCTAssertEqual(Format.duration(18 * 60), "18 min")
        XCTAssertEqual(Format.duration(2 * 3600 + 40 * 60), "2 h 40 min")
        XCTAssertEqual(Format.duration(3 * 3600), "3 h")
        XCTAssertEqual(Format.duration(25 * 3600 + 30 * 60), "1 d 1 h")
        XCTAssertNil(Format.duration(-1))
    }

    func testTimesKeepTheAuthorsOffset() {
        let time = Timestamp(parsing: "2025-04-11T00:05:00+02:00")!
        XCTAssertEqual(Format.clock(time), "00:05")
        XCTAssertEqual(Format.rfc3339(time), "2025-04-11T00:05:00+02:00")
        XCTAssertEqual(Format.dateTime(time), "2025-04-11 00:05 UTC+02:00")
        XCTAssertEqual(Format.rfc3339(Timestamp(parsing: "2025-01-01T10:00:00Z")!), "2025-01-01T10:00:00Z")
    }

    func testAnchorsAndEscaping() {
        XCTAssertEqual(HTMLText.anchor(for: "Root Causes"), "root-causes")
        XCTAssertEqual(HTMLText.anchor(for: "What went well / badly?"), "what-went-well-badly")
        XCTAssertEqual(HTMLText.anchor(for: "???"), "section")
        XCTAssertEqual(HTMLText.escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        XCTAssertEqual(HTMLText.decodeEntities("&lt;b&gt; &amp;amp; &#39; &#x41;"), "<b> &amp; ' A")
        XCTAssertEqual(HTMLText.jsonString("</script>\u{2028}\"\\"), "\"\\u003c/script\\u003e\\u2028\\\"\\\\\"")
    }

    /// The byte writer escapes as the core's scalar walk (`JSON.string(_:scriptSafe: true)`).
    func testJSONStringsOnBytesMatchTheCoreEscaping() {
        var samples = ["", "plain", "a\u{0}b\u{1}\u{1F}\u{7F}", "tab\tnew\nline\r", "<&>\"\\'", "dash — “quoted” …",
                       "\u{2028}\u{2029}\u{2027}\u{202A}", "e\u{301}", "💥 ✓ 日本", "\u{E2}"]
        let pieces = ["a", "\"", "\\", "\n", "\u{0}", "\u{1B}", "<", ">", "&", "—", "\u{2028}", "\u{2029}", "é", "💥", " ", "/"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            samples.append((0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for sample in samples {
            XCTAssertEqual(HTMLText.jsonString(sample), JSON.string(sample, scriptSafe: true), sample.debugDescription)
        }
    }

    func testSHA256() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = String(repeating: "a", count: 1_000)
        var hasher = SHA256()
        for character in long { hasher.update(String(character)) }
        XCTAssertEqual(hasher.finalizeHex(), SHA256.hex(long), "streaming equals one shot")
        XCTAssertEqual(SHA256.hex(long), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testSlugsAreUniqueAndStable() {
        let slugs = Slugs.assign(["api", "API", "index", "a b", "a-b"], reserved: ["index"])
        XCTAssertEqual(slugs["api"], "api")
        XCTAssertEqual(slugs["API"], "api-2")
        XCTAssertEqual(slugs["index"], "index-2")
        XCTAssertEqual(slugs["a-b"], "a-b")
        XCTAssertEqual(slugs["a b"], "a-b-2")
        XCTAssertEqual(Slugs.assign(["a-b", "a b", "API", "api", "index"], reserved: ["index"]), slugs)
    }

    func testRelativeRoot() {
        XCTAssertEqual(SitePath.root(of: "index.html"), "")
        XCTAssertEqual(SitePath.root(of: "postmortems/x.html"), "../")
        XCTAssertEqual(BodyRenderer.normalise(["postmortems", "2025", "..", "2024", "x.md"]), "postmortems/2024/x.md")
        XCTAssertNil(BodyRenderer.normalise(["..", "x.md"]))
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import InquestCore
import XCTest
@testable import InquestSite

/// Hostile values cannot escape the site: control characters never reach a page, and a base URL
/// that would load from another host is refused.
final class SiteHardeningTests: XCTestCase {
    func testControlCharacterReplacementMatchesAByteByByteReferenceAtEveryPosition() {
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [], index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
                    out += [0xEF, 0xBF, 0xBD]; index += 1
                } else if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF {
                    out += [0xEF, 0xBF, 0xBD]; index += 3
                } else {
                    out.append(byte); index += 1
                }
            }
            return out
        }
        let clean = Array("<p>A clean line of text, long enough for several words.</p>".utf8)
        // Each kind of byte the word-at-a-time scan must stop at (or pass), at every offset.
        let probes: [[UInt8]] = [[0x1B], [0x00], [0x1F], [0x7F], [0x0A], [0x09], [0x0D], [0x20], [0x7E], [0x80],
                                 [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF], [0xEF, 0xBF, 0xBD], [0xEF], [0xEE], [0xF0]]
        for probe in probes {
            for offset in 0...clean.count {
                var bytes = clean
                bytes.insert(contentsOf: probe, at: offset)
                XCTAssertEqual(HTMLText.replacingControlCharacters(bytes), reference(bytes), "\(probe) at \(offset)")
            }
        }
        // Mixed runs from a fixed sequence (a linear congruential generator): the same cases every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let alphabet: [UInt8] = [0x41, 0x0A, 0x1B, 0x7F, 0xEF, 0xBF, 0xBE, 0x20, 0xC3]
        for _ in 0..<200 {
            let bytes = (0..<next(64)).map { _ in alphabet[next(alphabet.count)] }
            XCTAssertEqual(HTMLText.replacingControlCharacters(bytes), reference(bytes), "\(bytes)")
        }
    }

    func testControlCharactersInTitlesAndFileNamesNeverReachAnOutput() throws {
        var files = Fixture.files
        files[Fixture.paths.third] = Fixture.third.replacingOccurrences(of: "title: \"Web hosts served an old banner\"",
                                                                         with: "title: \"Bell \\u0007 and escape \\u001B[31m in a title\"")
        files["postmortems/2025/esc\u{1B}[1mname\u{7}.md"] = "---\ntitle: \"Control \u{1B} name\"\ndate: 2025-03-03\nstatus: draft\n---\n\n## Summary\n\nText with \u{8} backspace.\n"
        let site = try Fixture.render(files: files)
        for (path, bytes) in site.files where !path.hasPrefix("assets/") {
            XCTAssertNil(bytes.firstIndex { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }, "\(path) carries a control character")
        }
        XCTAssertTrue(site.text("feed.xml").contains("Bell \u{FFFD} and escape \u{FFFD}[31m in a title"))
        // The feed is well-formed XML, so feed readers accept it.
        let parser = XMLParser(data: Data(try XCTUnwrap(site.files["feed.xml"])))
        XCTAssertTrue(parser.parse(), "feed.xml: \(parser.parserError.map { "\($0)" } ?? "?")")
        let sitemap = XMLParser(data: Data(try XCTUnwrap(site.files["sitemap.xml"])))
        XCTAssertTrue(sitemap.parse())
    }

    func testReplacingControlCharactersKeepsCleanBytesAndTabsAndNewlines() {
        let clean = Array("a\tb\r\nc é ✓".utf8)
        XCTAssertEqual(HTMLText.replacingControlCharacters(clean), clean)
        XCTAssertEqual(String(decoding: HTMLText.replacingControlCharacters(Array("x\u{1B}y\u{7F}z\u{FFFE}".utf8)), as: UTF8.self), "x\u{FFFD}y\u{FFFD}z\u{FFFD}")
        // Every position, at the ends too, against the definition on characters.
        for text in ["\u{0}", "\u{FFFF}", "a\u{FFFE}", "\u{FFFF}b", "\u{FFFD}\u{FFFC}\u{EFBF}", "\t\u{1F}\n\u{7F}\r\u{80}", "é\u{1}✓\u{FFFF}\u{FFFE}"] {
            let expected = String(text.unicodeScalars.map { scalar -> Character in
                let value = scalar.value
                return (value < 0x20 && ![0x09, 0x0A, 0x0D].contains(value)) || value == 0x7F || value == 0xFFFE || value == 0xFFFF ? "\u{FFFD}" : Character(scalar)
            })
            XCTAssertEqual(String(decoding: HTMLText.replacingControlCharacters(Array(text.utf8)), as: UTF8.self), expected, text.debugDescription)
        }
    }

    func testProtocolRelativeAndOtherSchemesAreNotBaseURLs() {
        for bad in ["//evil.example/", "///evil.example/", "/\\evil.example/", "https://", "https:///x", "https://ok.example//evil.example/",
                    "javascript:alert(1)", "data:text/html,x", "ftp://files.example/", "relative/path/", "/a b/", "/\u{1B}/"] {
            XCTAssertNil(SiteSettings(baseURL: bad).baseURL, bad)
            XCTAssertNotNil(SiteURL.problem(withBase: bad), bad)
        }
        for good in ["/", "/incidents/", "https://postmortems.example/", "http://localhost:8080/sub/"] {
            XCTAssertNotNil(SiteSettings(baseURL: good).baseURL, good)
        }
    }

    func testNotFoundPageNeverLoadsFromAnotherHost() throws {
        let site = try Fixture.render(settings: SiteSettings(title: "x", baseURL: "//evil.example/", environment: [:]))
        XCTAssertFalse(site.text("404.html").contains("//evil.example"))
    }
}

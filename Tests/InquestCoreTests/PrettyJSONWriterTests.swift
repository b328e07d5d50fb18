import Foundation
import XCTest
@testable import InquestCore

/// SARIF and GitLab reports are written by `PrettyJSONWriter` and promise JSONEncoder's bytes
/// (`CodableJSON.pretty`: `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`): these
/// compare the two on reports with every optional member present and absent, empty lists and
/// awkward text. The golden SARIF file (FormatterTests) checks a whole lint run.
final class PrettyJSONWriterTests: XCTestCase {
    private func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Every C0 control, quotes, backslashes, slashes, DEL, line separators, a NUL and non-ASCII text.
    private let awkward = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        + "\"quoted\" back\\slash a/b \u{7F} \u{2028}\u{2029} é 😀 <>& \u{0}end"

    private func result(_ text: String, ruleIndex: Int?, uriBaseId: String?) -> SARIF.Result {
        SARIF.Result(ruleId: "schema/missing-field", ruleIndex: ruleIndex, level: "error", message: .init(text: text),
                     locations: [.init(physicalLocation: .init(artifactLocation: .init(uri: "postmortems/a%20b.md", uriBaseId: uriBaseId),
                                                               region: .init(startLine: 3, startColumn: 2, endLine: 4, endColumn: 1)))],
                     partialFingerprints: ["inquestFingerprint/v2": "00ff"])
    }

    private func rule(_ text: String, helpUri: String?) -> SARIF.Rule {
        SARIF.Rule(id: "blameless/hindsight", name: "BlamelessHindsight", shortDescription: .init(text: text),
                   fullDescription: .init(text: "why"), help: .init(text: text, markdown: "**" + text),
                   helpUri: helpUri, defaultConfiguration: .init(level: "note"))
    }

    func testSARIFMatchesJSONEncoderWithEveryOptionalMember() throws {
        let log = SARIF.Log(runs: [.init(
            tool: .init(driver: .init(name: "inquest", version: "1.0", semanticVersion: "1.0", informationUri: "https://x.example/",
                                      rules: [rule(awkward, helpUri: "https://x.example/r"), rule("", helpUri: nil)])),
            columnKind: "unicodeCodePoints",
            originalUriBaseIds: ["%SRCROOT%": .init(uri: "file:///tmp/repo/")],
            results: [result(awkward, ruleIndex: 0, uriBaseId: "%SRCROOT%"), result("", ruleIndex: nil, uriBaseId: nil)])])
        XCTAssertEqual(log.pretty(), try foundation(log))
    }

    func testSARIFMatchesJSONEncoderWithNothingOptionalAndEmptyLists() throws {
        let log = SARIF.Log(runs: [.init(
            tool: .init(driver: .init(name: "inquest", version: "", semanticVersion: "", informationUri: nil, rules: [])),
            columnKind: "unicodeCodePoints", originalUriBaseIds: nil, results: [])])
        XCTAssertEqual(log.pretty(), try foundation(log))
        XCTAssertEqual(SARIF.Log(runs: []).pretty(), try foundation(SARIF.Log(runs: [])))
    }

    func testGitLabMatchesJSONEncoder() throws {
        let issues = [
            GitLabFormatter.Issue(description: awkward, check_name: "schema/missing-field", fingerprint: "00ff",
                                  severity: "major", location: .init(path: "postmortems/a b.md", lines: .init(begin: 3))),
            GitLabFormatter.Issue(description: "", check_name: "blameless/hindsight", fingerprint: "",
                                  severity: "info", location: .init(path: "", lines: .init(begin: -1))),
        ]
        XCTAssertEqual(GitLabFormatter.pretty(issues), try foundation(issues))
        XCTAssertEqual(GitLabFormatter.pretty([]), try foundation([GitLabFormatter.Issue]()))
    }

    func testEscapingMatchesJSONEncoderForEveryControlCharacter() throws {
        for byte in UInt8(0)..<0x80 {
            let text = "a" + String(UnicodeScalar(byte)) + "b"
            XCTAssertEqual(PrettyJSONWriter.string(text), try String(decoding: JSONEncoder.slashless.encode(text), as: UTF8.self), "byte \(byte)")
        }
    }
}

/// `JSON.string` returns early when strcspn finds nothing to escape: every ASCII byte, the line
/// separators and other 0xE2-led text, and a NUL give what the escaping loop gives.
final class JSONStringTests: XCTestCase {
    /// The escaping as specified (the loop `JSON.string` falls back to), written out independently.
    private func reference(_ text: String, scriptSafe: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where scriptSafe: out += "\\u003c"
            case ">" where scriptSafe: out += "\\u003e"
            case "&" where scriptSafe: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out += scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : String(scalar)
            }
        }
        return out + "\""
    }

    func testEveryASCIIByteAndTheLineSeparatorsEscapeAsTheLoopDoes() {
        var samples = (UInt8(0)..<0x80).map { "a" + String(UnicodeScalar($0)) + "b" }
        samples += ["", "plain text", "em — dash", "\u{2028}", "x\u{2029}y", "😀 <b>&amp;</b>", "nul\u{0}after"]
        for text in samples {
            for scriptSafe in [false, true] {
                XCTAssertEqual(JSON.string(text, scriptSafe: scriptSafe), reference(text, scriptSafe: scriptSafe), "\(Array(text.utf8)) \(scriptSafe)")
            }
        }
    }
}

private extension JSONEncoder {
    static var slashless: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}

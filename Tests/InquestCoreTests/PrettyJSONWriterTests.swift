import Foundation
import XCTest
@testable import InquestCore

/// SARIF and GitLab reports are written by `PrettyJSONWriter` and promise JSONEncoder's bytes
/// (`CodableJSON.pretty`: `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`):
/// `FormatterEquivalenceTests` compares whole reports (every optional member present and absent,
/// empty lists, awkward text) with JSONEncoder's; these check the writer's own pieces.
final class PrettyJSONWriterTests: XCTestCase {
    func testNestedAndEmptyContainersAreLaidOutAsJSONEncoderDoes() throws {
        struct Value: Encodable {
            var a: [Int]
            var b: [String: String]
            var c: String
        }
        var json = PrettyJSONWriter()
        json.beginObject()
        json.key("a")
        json.beginArray()
        json.endArray()
        json.key("b")
        json.beginObject()
        json.member("k", "v/w")
        json.endObject()
        json.member("c", "x\u{1}y")
        json.endObject()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        XCTAssertEqual(json.text, String(decoding: try encoder.encode(Value(a: [], b: ["k": "v/w"], c: "x\u{1}y")), as: UTF8.self))
    }

    /// A piece written on its own at a depth and copied in reads as if written in place.
    func testAPieceWrittenAtItsDepthIsTheSameAsWrittenInPlace() {
        var inPlace = PrettyJSONWriter()
        inPlace.beginArray()
        inPlace.element()
        inPlace.beginObject()
        inPlace.member("x", 1)
        inPlace.endObject()
        inPlace.endArray()
        var piece = PrettyJSONWriter(depth: 1)
        piece.beginObject()
        piece.member("x", 1)
        piece.endObject()
        var copied = PrettyJSONWriter()
        copied.beginArray()
        copied.element()
        copied.raw(piece.out)
        copied.endArray()
        XCTAssertEqual(copied.text, inPlace.text)
    }

    func testEscapingMatchesJSONEncoderForEveryControlCharacter() throws {
        for byte in UInt8(0)..<0x80 {
            let text = "a" + String(UnicodeScalar(byte)) + "b"
            var writer = PrettyJSONWriter()
            writer.value(text)
            XCTAssertEqual(writer.text, try String(decoding: JSONEncoder.slashless.encode(text), as: UTF8.self), "byte \(byte)")
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

import XCTest
@testable import InquestSite

/// The canonical encoding behind page keys: the byte writer gives what the String-based
/// encoding gave, so keys of unchanged pages stay the same.
final class TemplateValueTests: XCTestCase {
    func testEncodingMatchesTheStringBasedEncoding() {
        let values: [TemplateValue] = [
            .string(""), .string("plain"), .string("é\u{301}<&>\u{0}"), .int(0), .int(7), .int(10), .int(-1), .int(-10), .int(1_234_567),
            .int(.max), .int(.min), .bool(true), .bool(false), .list([]), .list(Array(repeating: .int(3), count: 12)),
            .object(TemplateObject()),
            .object(["b": 1, "a": "x", "B": .list(["y", .bool(false)]), "é": 2, "e\u{301}z": 3, "ä": .object(["k": "v"]), "Z": 4, "10": 5, "9": 6]),
            .deferred(key: "body-key") { "never computed" },
            .keyed(.object(["title": "summary", "tags": .list(["a", "b"])])),
        ]
        for value in values {
            XCTAssertEqual(value.encoding(), Self.reference(value), "\(value)")
        }
        XCTAssertEqual(TemplateValue.list(values).encoding(), Self.reference(.list(values)))
    }

    /// The encoding as first written: Strings for numbers, keys looked up after sorting.
    private static func reference(_ value: TemplateValue) -> [UInt8] {
        var out: [UInt8] = []
        func tag(_ t: UInt8, _ text: String) {
            out.append(t)
            out.append(contentsOf: String(text.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: text.utf8)
        }
        func encode(_ value: TemplateValue) {
            switch value {
            case .string(let text): tag(UInt8(ascii: "s"), text)
            case .int(let number): tag(UInt8(ascii: "i"), String(number))
            case .bool(let flag): out.append(flag ? UInt8(ascii: "T") : UInt8(ascii: "F"))
            case .list(let items):
                tag(UInt8(ascii: "l"), String(items.count))
                for item in items { encode(item) }
            case .object(let fields):
                tag(UInt8(ascii: "o"), String(fields.count))
                for key in fields.keys.sorted() {
                    tag(UInt8(ascii: "k"), key)
                    encode(fields[key]!)
                }
            case .deferred(let key, _): tag(UInt8(ascii: "d"), key)
            case .keyed(let key, _, _): tag(UInt8(ascii: "h"), key)
            }
        }
        encode(value)
        return out
    }
}

import Foundation

/// Writes JSON exactly as Foundation's `JSONEncoder` does with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` (``CodableJSON/pretty(_:)``), for the reports written for every
/// lint run (SARIF, GitLab): straight into the report's bytes, without Codable's containers, a
/// value tree, a key sort or a `String` per piece. The caller writes each object's keys in
/// sorted (byte) order; `PrettyJSONWriterTests` checks the reports against JSONEncoder's bytes.
struct PrettyJSONWriter {
    private(set) var out: ReportBytes
    /// Containers open.
    private var depth: Int
    /// Whether nothing has been written into the innermost container yet (a container holds
    /// values only, and each value starts with `separate()`, so one flag is enough).
    private var opened = false

    /// - Parameter depth: containers already open around what is written (a piece written on its
    ///   own, to be copied into a report at that depth by ``raw(_:)``).
    init(capacity: Int = 0, depth: Int = 0) {
        out = ReportBytes(capacity: capacity)
        self.depth = depth
    }

    var text: String { out.text }

    /// `{`, then `key(_:)` and a value per member, then `endObject()`.
    mutating func beginObject() {
        out.append("{\n")
        depth += 1
        opened = true
    }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() {
        out.append("[\n")
        depth += 1
        opened = true
    }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts an object member: its value is written next. Keys are literals with nothing to
    /// escape (every key of the reports), written as they are.
    mutating func key(_ name: StaticString) {
        separate()
        out.append(UInt8(ascii: "\""))
        out.append(name)
        out.append("\" : ")
    }

    /// Starts an array element: its value is written next.
    mutating func element() { separate() }

    mutating func value(_ string: String) { out.appendJSONString(string, .foundation) }

    /// `"message (suggestion)"`, or the message alone: the text SARIF and GitLab show, escaped
    /// piece by piece (the same as escaping it joined: each byte is escaped on its own).
    mutating func value(_ message: String, suggestion: String?) {
        guard let suggestion else { return value(message) }
        out.append(UInt8(ascii: "\""))
        out.appendJSONContent(message, .foundation)
        out.append(" (")
        out.appendJSONContent(suggestion, .foundation)
        out.append(")\"")
    }

    /// A literal with nothing to escape, written as it is.
    mutating func value(literal: StaticString) {
        out.append(UInt8(ascii: "\""))
        out.append(literal)
        out.append(UInt8(ascii: "\""))
    }

    mutating func value(_ number: Int) { out.append(number) }

    /// A value written beforehand by a writer made with the depth it is copied at.
    mutating func raw(_ bytes: ReportBytes) { out.append(bytes) }

    /// `"name" : "value"`.
    mutating func member(_ name: StaticString, _ string: String) {
        key(name)
        value(string)
    }

    mutating func member(_ name: StaticString, literal: StaticString) {
        key(name)
        value(literal: literal)
    }

    mutating func member(_ name: StaticString, _ number: Int) {
        key(name)
        value(number)
    }

    /// `"name" : { "text" : … }`-style objects with one string member.
    mutating func member(_ name: StaticString, object key: StaticString, _ string: String) {
        self.key(name)
        beginObject()
        member(key, string)
        endObject()
    }

    private mutating func separate() {
        if opened {
            opened = false
        } else {
            out.append(",\n")
        }
        out.append(UInt8(ascii: " "), count: 2 * depth)
    }

    /// JSONEncoder closes an empty container on a line of its own after a blank line, too.
    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        opened = false
        out.append(UInt8(ascii: "\n"))
        out.append(UInt8(ascii: " "), count: 2 * depth)
        out.append(bracket)
    }
}

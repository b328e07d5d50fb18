import Foundation

/// Writes JSON exactly as Foundation's `JSONEncoder` does with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` (``CodableJSON/pretty(_:)``), for the reports written for every
/// lint run (SARIF, GitLab): straight into the text, without Codable's containers, a value tree
/// or a key sort. The caller writes each object's keys in sorted (byte) order;
/// `PrettyJSONWriterTests` checks the reports against JSONEncoder's bytes.
struct PrettyJSONWriter {
    private(set) var text = ""
    /// Per open container: whether nothing has been written into it yet.
    private var empty: [Bool] = []

    /// `{`, then `key(_:)` and a value per member, then `endObject()`.
    mutating func beginObject() {
        text += "{\n"
        empty.append(true)
    }

    mutating func endObject() { close("}") }

    mutating func beginArray() {
        text += "[\n"
        empty.append(true)
    }

    mutating func endArray() { close("]") }

    /// Starts an object member: its value is written next.
    mutating func key(_ name: String) {
        separate()
        text += Self.string(name)
        text += " : "
    }

    /// Starts an array element: its value is written next.
    mutating func element() { separate() }

    mutating func value(_ string: String) { text += Self.string(string) }

    mutating func value(_ number: Int) { text += String(number) }

    /// `"name" : "value"`.
    mutating func member(_ name: String, _ string: String) {
        key(name)
        value(string)
    }

    mutating func member(_ name: String, _ number: Int) {
        key(name)
        value(number)
    }

    /// `"name" : { "text" : … }`-style objects with one string member.
    mutating func member(_ name: String, object key: String, _ string: String) {
        self.key(name)
        beginObject()
        member(key, string)
        endObject()
    }

    private mutating func separate() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
        } else {
            text += ",\n"
        }
        indent(empty.count)
    }

    /// JSONEncoder closes an empty container on a line of its own after a blank line, too.
    private mutating func close(_ bracket: String) {
        empty.removeLast()
        text += "\n"
        indent(empty.count)
        text += bracket
    }

    private mutating func indent(_ depth: Int) {
        for _ in 0..<depth { text += "  " }
    }

    /// JSONEncoder's escaping with `.withoutEscapingSlashes`: quote, backslash and the C0 controls
    /// (`\b \t \n \f \r` by name, the rest as `\u00xx`); everything else as it is.
    static func string(_ text: String) -> String {
        // libc's strcspn finds the next byte to escape, and the text between is copied whole: no
        // Swift loop per byte, which the fuzzer's instrumentation makes slow. strcspn stops at a
        // NUL too (it ends the C string), which is then escaped like the other controls.
        let count = text.utf8.count
        return text.withCString { base in
            let first = strcspn(base, needsEscape)
            if first >= count { return "\"" + text + "\"" }
            var out = "\""
            out.reserveCapacity(count + 16)
            var index = 0
            var run = first
            while true {
                if run > 0 {
                    out += String(decoding: UnsafeRawBufferPointer(start: base + index, count: run).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
                    index += run
                }
                guard index < count else { break }
                out += escaped(UInt8(bitPattern: base[index]))
                index += 1
                run = index < count ? min(strcspn(base + index, needsEscape), count - index) : 0
            }
            return out + "\""
        }
    }

    private static func escaped(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): "\\\""
        case UInt8(ascii: "\\"): "\\\\"
        case 0x08: "\\b"
        case 0x09: "\\t"
        case 0x0A: "\\n"
        case 0x0C: "\\f"
        case 0x0D: "\\r"
        default: "\\u00" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// The bytes `string(_:)` escapes, as a C string for strcspn (NUL ends it, so NUL is not in it).
    nonisolated(unsafe) private static let needsEscape: UnsafePointer<CChar> = {
        let bytes: [CChar] = (1..<0x20).map { CChar($0) } + [CChar(UInt8(ascii: "\"")), CChar(UInt8(ascii: "\\")), 0]
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        return UnsafePointer(pointer)
    }()
}

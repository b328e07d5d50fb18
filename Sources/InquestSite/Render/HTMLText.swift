import InquestCore
import Foundation

/// Escaping and small text transformations for HTML, XML and script output.
public enum HTMLText {
    /// Escapes `& < > " '`, the same set Mustache's `{{…}}` escapes, so text is safe in element
    /// content and in quoted attribute values. Works on UTF-8 bytes (the five characters are
    /// ASCII, so a byte match is a character match, also before a combining mark) and returns
    /// `text` itself, without copying, when nothing needs escaping — most template values.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var extra = 0
            for byte in bytes { extra &+= growth(byte) }
            if extra == 0 { return nil }
            return String(unsafeUninitializedCapacity: bytes.count + extra) { out in
                var position = 0
                for byte in bytes {
                    if growth(byte) == 0 {
                        out[position] = byte
                        position += 1
                        continue
                    }
                    let replacement: StaticString = switch byte {
                    case UInt8(ascii: "&"): "&amp;"
                    case UInt8(ascii: "<"): "&lt;"
                    case UInt8(ascii: ">"): "&gt;"
                    case UInt8(ascii: "\""): "&quot;"
                    default: "&#39;"
                    }
                    replacement.withUTF8Buffer { entity in
                        for entityByte in entity {
                            out[position] = entityByte
                            position += 1
                        }
                    }
                }
                return position
            }
        } ?? text
    }

    /// Appends `text` escaped as ``escape(_:)`` escapes it to `out`, without an intermediate string.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count where growth(bytes[index]) != 0 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                switch bytes[index] {
                case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B] as [UInt8])  // &amp;
                case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B] as [UInt8])  // &lt;
                case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B] as [UInt8])  // &gt;
                case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B] as [UInt8])  // &quot;
                default: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B] as [UInt8])  // &#39;
                }
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// How many bytes escaping adds to `byte` (0 for bytes kept as they are).
    @inline(__always)
    private static func growth(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "'"): 4
        case UInt8(ascii: "<"), UInt8(ascii: ">"): 3
        case UInt8(ascii: "\""): 5
        default: 0
        }
    }

    /// Decodes the entities cmark-gfm and ``escape(_:)`` produce (plus numeric references), for
    /// turning rendered heading HTML back into text.
    static func decodeEntities(_ html: String) -> String {
        // On bytes: a `&` that is not a character of its own (one with a combining mark) is left as
        // it is by the loop below too.
        guard html.utf8.contains(UInt8(ascii: "&")) else { return html }
        var out = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            guard character == "&", let semicolon = html[index...].prefix(12).firstIndex(of: ";") else {
                out.append(character)
                index = html.index(after: index)
                continue
            }
            let name = html[html.index(after: index)..<semicolon]
            var decoded: String?
            switch name {
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "quot": decoded = "\""
            case "apos": decoded = "'"
            case "nbsp": decoded = "\u{00A0}"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) {
                    decoded = String(Character(scalar))
                } else if name.hasPrefix("#"), let value = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(value) {
                    decoded = String(Character(scalar))
                }
            }
            if let decoded {
                out += decoded
                index = html.index(after: semicolon)
            } else {
                out.append(character)
                index = html.index(after: index)
            }
        }
        return out
    }

    /// The text of an HTML fragment: tags removed, entities decoded.
    static func text(ofHTML html: String) -> String {
        // ASCII (most headings): characters are bytes, so tags are cut on bytes.
        if html.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(html.utf8.count)
            var inTag = false
            for byte in html.utf8 {
                if byte == UInt8(ascii: "<") { inTag = true; continue }
                if byte == UInt8(ascii: ">"), inTag { inTag = false; continue }
                if !inTag { out.append(byte) }
            }
            return decodeEntities(String(decoding: out, as: UTF8.self))
        }
        var out = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">", inTag { inTag = false; continue }
            if !inTag { out.append(character) }
        }
        return decodeEntities(out)
    }

    /// A JSON string literal that is also safe inside a `<script>` element and in JavaScript
    /// source: `<`, `>`, `&` and the line separators are escaped as `\u` sequences.
    static func jsonString(_ text: String) -> String {
        // On bytes: `JSON.string` walks the scalars of any string with a byte of 0xE2 (dashes,
        // curly quotes: most passages of the search index), appending one scalar at a time.
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            out.append(UInt8(ascii: "\""))
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
                case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
                case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: #"\u003c"#.utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: #"\u003e"#.utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: #"\u0026"#.utf8)
                case 0..<0x20:
                    // Other C0 controls: `\u00` and two lowercase hex digits.
                    out.append(contentsOf: #"\u00"#.utf8)
                    out.append(Self.hexDigits[Int(byte >> 4)])
                    out.append(Self.hexDigits[Int(byte & 0x0F)])
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    // U+2028 and U+2029 end a line in JavaScript source.
                    out.append(contentsOf: (bytes[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
                    index += 3
                    continue
                default: out.append(byte)
                }
                index += 1
            }
            out.append(UInt8(ascii: "\""))
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` with every character XML 1.0 forbids — C0 controls other than tab, LF and CR, plus
    /// DEL, U+FFFE and U+FFFF — replaced by U+FFFD. Applied to every generated page, so a title
    /// with a pasted ESC cannot make `feed.xml` ill-formed (feed readers then drop the whole feed)
    /// and no page carries an invisible control character. Returns `bytes` itself when clean.
    static func replacingControlCharacters(_ bytes: [UInt8]) -> [UInt8] {
        // Through a buffer pointer: this reads every byte of every page, and a generic index walk
        // costs many times more in an unoptimised (test) build.
        controlBytes.withUnsafeBufferPointer { table in bytes.withUnsafeBufferPointer { buffer -> [UInt8] in
            let count = buffer.count
            func forbiddenWidth(_ index: Int) -> Int {
                let byte = buffer[index]
                if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F { return 1 }
                if byte == 0xEF, index + 2 < count, buffer[index + 1] == 0xBF, buffer[index + 2] == 0xBE || buffer[index + 2] == 0xBF { return 3 }
                return 0
            }
            // Most pages have none: eight bytes at a time, a word with no byte below 0x20, no
            // 0x7F and no 0xEF is skipped (a page's lines end in `\n`, so about one word in
            // eight is looked at byte by byte); then the first candidate byte by table, looked at
            // closer. (The table loop alone cost a few instructions per byte of every page.)
            var first = 0
            if let base = buffer.baseAddress {
                let raw = UnsafeRawPointer(base)
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                scan: while first + 8 <= count {
                    let word = raw.loadUnaligned(fromByteOffset: first, as: UInt64.self)
                    let low = (word &- ones &* 0x20) & ~word & highs
                    let del = word ^ (ones &* 0x7F), ef = word ^ (ones &* 0xEF)
                    let marked = low | ((del &- ones) & ~del & highs) | ((ef &- ones) & ~ef & highs)
                    if marked != 0 {
                        for index in first..<(first + 8) where table[Int(buffer[index])] != 0 { break scan }
                    }
                    first += 8
                }
            }
            while first < count {
                if table[Int(buffer[first])] != 0, forbiddenWidth(first) != 0 { break }
                first += 1
            }
            guard first < count else { return bytes }
            var out = Array(buffer[..<first])
            out.reserveCapacity(count + 16)
            var index = first
            while index < count {
                let width = forbiddenWidth(index)
                if width > 0 {
                    out += [0xEF, 0xBF, 0xBD]
                    index += width
                } else {
                    out.append(buffer[index])
                    index += 1
                }
            }
            return out
        } }
    }

    /// Non-zero for the bytes ``replacingControlCharacters(_:)`` may replace: the controls, DEL,
    /// and 0xEF (which starts U+FFFE and U+FFFF).
    private static let controlBytes: [UInt8] = (0..<256).map { byte in
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F || byte == 0xEF ? 1 : 0
    }

    /// A fragment identifier for a heading, GitHub style: lowercase letters, digits and `-`.
    static func anchor(for text: String) -> String {
        // ASCII: the same rule on bytes (lowercasing and "alphabetic" are ASCII's there).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            var pendingDash = false
            for var byte in text.utf8 {
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    if pendingDash, !out.isEmpty { out.append(UInt8(ascii: "-")) }
                    out.append(byte)
                    pendingDash = false
                } else if byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") {
                    pendingDash = true
                }
                if out.count >= 64 { break }
            }
            return out.isEmpty ? "section" : String(decoding: out, as: UTF8.self)
        }
        var out = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash, !out.isEmpty { out += "-" }
                out.unicodeScalars.append(scalar)
                pendingDash = false
            } else if scalar == " " || scalar == "-" || scalar == "_" || scalar == "/" || scalar == "." {
                pendingDash = true
            }
            if out.utf8.count >= 64 { break }
        }
        return out.isEmpty ? "section" : out
    }

    /// `text` without leading and trailing spaces and tabs (`.whitespaces`), on bytes when ASCII.
    static func trimmingBlanks(_ text: String) -> String {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.trimmingCharacters(in: .whitespaces) }
        let bytes = Array(text.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return start == 0 && end == bytes.count ? text : String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Whether `text` contains `part`; on bytes when both are ASCII (Foundation's search otherwise).
    static func contains(_ text: String, _ part: String) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }), part.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains(part) }
        let haystack = Array(text.utf8), needle = Array(part.utf8)
        // As Foundation's search: the empty string is found nowhere.
        guard !needle.isEmpty else { return false }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        return false
    }

    /// True when `url` is safe to put in an `href`: http(s) and mailto, or a relative reference.
    /// Rejects `javascript:`, `data:`, `vbscript:` and anything else with a scheme.
    static func isSafeURL(_ url: String) -> Bool {
        let trimmed = url.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") || trimmed.hasPrefix("mailto:") { return true }
        // A relative reference has no scheme: no ':' before the first '/', '?' or '#'.
        for character in trimmed {
            if character == "/" || character == "?" || character == "#" { return true }
            if character == ":" { return false }
            if character.isWhitespace || character.asciiValue.map({ $0 < 0x20 }) == true { return false }
        }
        return true
    }
}


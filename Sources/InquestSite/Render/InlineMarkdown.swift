import Foundation
import InquestCore

/// Renders short Markdown fragments (a timeline entry, an action item) to inline HTML with the
/// same safe cmark-gfm settings as the body: raw HTML omitted, dangerous URLs dropped.
enum InlineMarkdown {
    static func html<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let plain = bytes.withContiguousStorageIfAvailable(plainHTML) ?? nil { return plain }
        return htmlFromCmark(bytes)
    }

    /// ``html(_:)`` by cmark-gfm, always (the reference ``plainHTML(_:)`` is tested against).
    static func htmlFromCmark<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var html = CmarkDocument(bytes: bytes).renderHTML()
        while html.hasSuffix("\n") { html.removeLast() }
        // A single paragraph becomes inline content; anything else stays block HTML.
        // Foundation's `contains` decides, as before, but only when the bytes hold a `<p>` at all
        // (it found none in nearly every fragment, at a tenth of a body's rendering).
        if html.hasPrefix("<p>"), html.hasSuffix("</p>"), !(hasParagraphTag(html.utf8.dropFirst(3)) && html.dropFirst(3).contains("<p>")) {
            html = String(html.dropFirst(3).dropLast(4))
        }
        return html
    }

    /// The inline HTML cmark-gfm makes of `bytes`, worked out without it when the fragment is
    /// one line of plain text with single-backtick code spans, nil otherwise. Timeline entries
    /// and action items are mostly such lines, and each was a cmark document of its own: a
    /// parser, five extensions and inline parsing that runs one document at a time in the whole
    /// process (``CmarkDocument``), several per page.
    ///
    /// Plain means nothing cmark-gfm could read as markup, judged conservatively: the line starts
    /// with a letter, a digit (not a list number: digits then `.` or `)`), `(` or a code span and
    /// ends with neither a space nor a tab; outside code spans it holds only letters, digits,
    /// spaces, `, . ; : ' " ( ) / ? = + % $ # - ! >` and valid UTF-8 beyond ASCII, with no
    /// `://` (URL autolink), no `www.` (www autolink) and `@` only after a space (an e-mail
    /// autolink needs an address character before it). A code span is one backtick, one or more
    /// bytes that are neither a backtick nor a control character, one backtick. cmark escapes
    /// `" & < >` in text and code (`'` is kept) and strips one space from each end of a code
    /// span's content when both ends have one and the content is not all spaces.
    static func plainHTML(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        guard count > 0 else { return nil }
        let first = bytes[0], last = bytes[count - 1]
        guard last != UInt8(ascii: " ") else { return nil }
        if first >= 0x30 && first <= 0x39 {
            var index = 0
            while index < count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            if index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ")") { return nil }
        } else if !Self.isLetter(first) && first != UInt8(ascii: "(") && first != UInt8(ascii: "`") {
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(count + 32)
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "`") {
                // A code span: its closing backtick, then its content escaped.
                var end = index + 1
                while end < count, bytes[end] != UInt8(ascii: "`") {
                    if bytes[end] < 0x20 || bytes[end] == 0x7F { return nil }
                    end += 1
                }
                guard end < count, end > index + 1, end + 1 == count || bytes[end + 1] != UInt8(ascii: "`") else { return nil }
                var start = index + 1, stop = end
                guard Self.isValidUTF8(bytes, start..<stop) else { return nil }
                if bytes[start] == UInt8(ascii: " "), bytes[stop - 1] == UInt8(ascii: " "), stop - start >= 2,
                   (start..<stop).contains(where: { bytes[$0] != UInt8(ascii: " ") }) {
                    start += 1
                    stop -= 1
                }
                out.append(contentsOf: "<code>".utf8)
                for position in start..<stop { Self.appendEscaped(bytes[position], to: &out) }
                out.append(contentsOf: "</code>".utf8)
                index = end + 1
                continue
            }
            if byte >= 0x80 {
                // A whole UTF-8 sequence, valid.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                guard index + length <= count, Self.isValidUTF8(bytes, index..<(index + length)) else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
                continue
            }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "%"), UInt8(ascii: "$"), UInt8(ascii: "#"),
                 UInt8(ascii: "-"), UInt8(ascii: "!"):
                out.append(byte)
            case UInt8(ascii: "."):
                // `www.` starts an autolink (matched as cmark does, and in any case).
                if index >= 3, Self.lowercased(bytes[index - 3]) == UInt8(ascii: "w"), Self.lowercased(bytes[index - 2]) == UInt8(ascii: "w"),
                   Self.lowercased(bytes[index - 1]) == UInt8(ascii: "w") { return nil }
                out.append(byte)
            case UInt8(ascii: ":"), UInt8(ascii: "/"):
                // `://` makes a URL autolink.
                if byte == UInt8(ascii: ":"), index + 1 < count, bytes[index + 1] == UInt8(ascii: "/") { return nil }
                out.append(byte)
            case UInt8(ascii: "@"):
                guard index > 0, bytes[index - 1] == UInt8(ascii: " ") else { return nil }
                out.append(byte)
            case UInt8(ascii: "\""), UInt8(ascii: ">"):
                Self.appendEscaped(byte, to: &out)
            default:
                return nil
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    @inline(__always)
    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// cmark's HTML escaping of one byte (`" & < >`; `'` is kept).
    @inline(__always)
    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
        case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
        default: out.append(byte)
        }
    }

    /// Whether `range` of `bytes` is valid UTF-8 (cmark replaces what is not, and NUL).
    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var iterator = UnsafeBufferPointer(rebasing: bytes[range]).makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar.value == 0 { return false }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Whether the bytes hold `<p>`.
    private static func hasParagraphTag(_ bytes: Substring.UTF8View) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in bytes {
            if byte == UInt8(ascii: ">"), previous == (UInt8(ascii: "<"), UInt8(ascii: "p")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// Drops separators a timeline entry or action item starts with after its time or checkbox
    /// (`— `, `- `, `: `, `| `, emphasis markers left over from a bold time).
    static func trimLeadingSeparators(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        let dashes: [[UInt8]] = [Array("—".utf8), Array("–".utf8)]
        while let first = slice.first {
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || first == UInt8(ascii: ":") || first == UInt8(ascii: "|")
                || first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "_") || first == UInt8(ascii: ",") {
                slice = slice.dropFirst()
                continue
            }
            if let dash = dashes.first(where: { slice.starts(with: $0) }) {
                slice = slice.dropFirst(dash.count)
                continue
            }
            break
        }
        return slice
    }

    /// The action item's Markdown without its trailing fields (`— @owner, TICKET, due: DATE`),
    /// for tables that show them in their own columns. Cuts at the last dash separator only when
    /// every comma- or semicolon-separated part after it is one of the parsed `owner`, `ticket`
    /// or `due` values (as `@x`, `owner: x`, `x`, `<x>`, `[…](x)` or `due: x`); else the text stays whole.
    static func trimTrailingFields(_ bytes: ArraySlice<UInt8>, owner: String?, ticket: String?, due: String?) -> ArraySlice<UInt8> {
        if let trimmed = FieldTrimmer(bytes, owner: owner, ticket: ticket, due: due)?.trimmed() { return trimmed }
        return trimTrailingFieldsOnText(bytes, owner: owner, ticket: ticket, due: due)
    }

    /// ``trimTrailingFields(_:owner:ticket:due:)`` on Foundation strings: any text (the byte
    /// version takes only text where bytes and characters agree), and the reference its tests
    /// compare the byte version with.
    static func trimTrailingFieldsOnText(_ bytes: ArraySlice<UInt8>, owner: String?, ticket: String?, due: String?) -> ArraySlice<UInt8> {
        let text = String(decoding: bytes, as: UTF8.self)
        // Byte offsets below come from the decoded text: only valid UTF-8 maps one to one.
        guard text.utf8.count == bytes.count else { return bytes }
        func isField(_ raw: Substring) -> Bool {
            let part = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let lower = part.lowercased()
            if let owner, part == owner || (lower.hasPrefix("owner:") && part.dropFirst(6).trimmingCharacters(in: .whitespaces) == owner) { return true }
            if let ticket, part == ticket || part == "<\(ticket)>" || (part.hasPrefix("[") && part.hasSuffix("](\(ticket))")) { return true }
            if let due, lower.hasPrefix("due:"), part.dropFirst(4).trimmingCharacters(in: .whitespaces) == due { return true }
            return false
        }
        var best: String.Index?
        for separator in [" — ", " – ", " -- ", " - "] {
            guard let range = text.range(of: separator, options: .backwards) else { continue }
            let tail = text[range.upperBound...]
            let parts = tail.split(whereSeparator: { $0 == "," || $0 == ";" })
            guard !parts.isEmpty, parts.allSatisfy(isField) else { continue }
            if best.map({ range.lowerBound > $0 }) ?? true { best = range.lowerBound }
        }
        guard let cut = best else { return bytes }
        var head = text[..<cut]
        while let last = head.last, last.isWhitespace { head.removeLast() }
        guard head.contains(where: { !$0.isWhitespace }) else { return bytes }
        return bytes.prefix(head.utf8.count)
    }

    /// Drops a task-list checkbox (`[ ] `, `[x] `) when the source range still includes it.
    static func trimCheckbox(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let text = Array(bytes.prefix(4))
        guard text.count >= 3, text[0] == UInt8(ascii: "["), text[2] == UInt8(ascii: "]"),
              [UInt8(ascii: " "), UInt8(ascii: "x"), UInt8(ascii: "X")].contains(text[1]) else { return bytes }
        return bytes.dropFirst(3).drop { $0 == UInt8(ascii: " ") }
    }
}

/// ``InlineMarkdown/trimTrailingFields(_:owner:ticket:due:)`` on bytes, for the text it is run on
/// for every action-item row (a tenth of a cold build on Foundation's `range(of:)`).
///
/// Only for text whose characters are single scalars that no Unicode rule treats specially:
/// ASCII, plus dashes, curly quotes and the ellipsis (``isPlain(_:)``) — no combining marks, no
/// whitespace beyond ASCII's, nothing with a case mapping or a canonical decomposition. There a
/// character is its bytes, so searching, splitting, trimming, lowercasing and comparing bytes
/// gives what the `String` version gives; anything else (and owner, ticket or due values outside
/// that set) returns nil from `init`, and the `String` version runs.
private struct FieldTrimmer {
    let bytes: ArraySlice<UInt8>
    let owner: [UInt8]?
    let ticket: [UInt8]?
    let due: [UInt8]?

    init?(_ bytes: ArraySlice<UInt8>, owner: String?, ticket: String?, due: String?) {
        guard Self.isPlain(bytes) else { return nil }
        let owner = owner.map { Array($0.utf8) }, ticket = ticket.map { Array($0.utf8) }, due = due.map { Array($0.utf8) }
        for value in [owner, ticket, due] { if let value, !Self.isPlain(value[...]) { return nil } }
        self.bytes = bytes
        self.owner = owner
        self.ticket = ticket
        self.due = due
    }

    /// ASCII, and the UTF-8 of U+2013 – U+2014 (dashes), U+2018 – U+2019 and U+201C – U+201D
    /// (curly quotes) and U+2026 (ellipsis), nothing else.
    static func isPlain(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            guard byte == 0xE2, index + 2 < bytes.endIndex, bytes[index + 1] == 0x80 else { return false }
            switch bytes[index + 2] {
            case 0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6: index += 3
            default: return false
            }
        }
        return true
    }

    private static let separators: [[UInt8]] = [" — ", " – ", " -- ", " - "].map { Array($0.utf8) }

    /// `Character.isWhitespace` and `.whitespacesAndNewlines` on plain text: tab to carriage return, space.
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    func trimmed() -> ArraySlice<UInt8> {
        var best: Int?
        for separator in Self.separators {
            guard let start = lastStart(of: separator) else { continue }
            let tail = bytes[(start + separator.count)...]
            // `split` drops empty parts.
            let parts = tail.split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") })
            guard !parts.isEmpty, parts.allSatisfy(isField) else { continue }
            if best.map({ start > $0 }) ?? true { best = start }
        }
        guard let cut = best else { return bytes }
        var end = cut
        while end > bytes.startIndex, Self.isSpace(bytes[end - 1]) { end -= 1 }
        guard end > bytes.startIndex else { return bytes }
        return bytes[..<end]
    }

    /// Where the last occurrence of `pattern` starts.
    private func lastStart(of pattern: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var start = bytes.endIndex - pattern.count
        while start >= bytes.startIndex {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
            start -= 1
        }
        return nil
    }

    private func isField(_ raw: ArraySlice<UInt8>) -> Bool {
        let part = Self.trim(raw, Self.isSpace)
        if let owner, part.elementsEqual(owner) || (Self.hasLowercasePrefix(part, "owner:") && Self.trim(part.dropFirst(6), Self.isBlank).elementsEqual(owner)) {
            return true
        }
        if let ticket {
            if part.elementsEqual(ticket) { return true }
            if part.first == UInt8(ascii: "<"), part.last == UInt8(ascii: ">"), part.count >= 2, part.dropFirst().dropLast().elementsEqual(ticket) { return true }
            let suffix = Array("](".utf8) + ticket + [UInt8(ascii: ")")]
            if part.first == UInt8(ascii: "["), part.count >= suffix.count, part.suffix(suffix.count).elementsEqual(suffix) { return true }
        }
        if let due, Self.hasLowercasePrefix(part, "due:"), Self.trim(part.dropFirst(4), Self.isBlank).elementsEqual(due) { return true }
        return false
    }

    /// `.whitespaces` on plain text: space and tab.
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func trim(_ bytes: ArraySlice<UInt8>, _ drop: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, drop(first) { slice = slice.dropFirst() }
        while let last = slice.last, drop(last) { slice = slice.dropLast() }
        return slice
    }

    /// Whether `bytes`, ASCII-lowercased, start with `prefix` (lowercase ASCII).
    private static func hasLowercasePrefix(_ bytes: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        return prefix.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { byte, want in (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) == want }
        }
    }
}

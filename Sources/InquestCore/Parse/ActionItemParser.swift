/// Reads GFM task-list items in the Action Items section: state, owner, ticket, due date.
enum ActionItemParser {
    static func items(in section: Section, source: SourceText) -> [ActionItem] {
        var items: [ActionItem] = []
        for block in section.blocks {
            block.walk { node in
                guard case let .item(task?) = node.kind else { return }
                let paragraph = node.children.first { $0.kind == .paragraph }
                let text = paragraph?.plainText ?? ""
                var urls: [String] = []
                paragraph?.walk { if case let .link(url) = $0.kind, url.hasPrefix("http") { urls.append(url) } }
                items.append(ActionItem(text: text, prose: paragraph.map { ProseText(block: $0, source: source) }, bytes: node.bytes, state: task == .done ? .done : .open,
                                        owner: owner(in: text), ticket: ticket(in: text) ?? urls.first, due: due(in: text)))
            }
        }
        return items
    }

    /// `@handle` or `owner: name`.
    static func owner(in text: String) -> String? {
        let bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] == UInt8(ascii: "@") {
            guard index == 0 || !TimelineParser.isWordByte(bytes[index - 1]) else { continue } // not an e-mail address
            var end = index + 1
            while end < bytes.count, TimelineParser.isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: "/") || bytes[end] == UInt8(ascii: ".") { end += 1 }
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if end > index + 1 { return String(decoding: bytes[index..<end], as: UTF8.self) }
        }
        // Foundation's case-insensitive search costs thousands of instructions a call; a text
        // without "owner:" in ASCII letters of either case has no match for it (no other
        // character folds or decomposes to these letters), so only the others are searched.
        if Self.mayContainOwnerLabel(bytes), let range = text.range(of: "owner:", options: .caseInsensitive) {
            let rest = text[range.upperBound...].drop { $0 == " " }
            let name = rest.prefix { !",;()|—–".contains($0) }.trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        return nil
    }

    /// Whether the bytes hold "owner:" with its letters in either case.
    static func mayContainOwnerLabel(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 6 <= bytes.count {
            if bytes[index] | 0x20 == UInt8(ascii: "o"), bytes[index + 1] | 0x20 == UInt8(ascii: "w"), bytes[index + 2] | 0x20 == UInt8(ascii: "n"),
               bytes[index + 3] | 0x20 == UInt8(ascii: "e"), bytes[index + 4] | 0x20 == UInt8(ascii: "r"), bytes[index + 5] == UInt8(ascii: ":") {
                return true
            }
            index += 1
        }
        return false
    }

    /// A URL or an issue key such as `ABC-123`.
    ///
    /// Scans UTF-8 bytes without building a String per word (this ran for every action item and
    /// was the parser's hottest loop). Words are meant as runs of Characters between separators;
    /// that is a byte split unless a separator byte merges with a neighbouring scalar into one
    /// grapheme (a combining mark after `)`), so such text takes the Character path.
    static func ticket(in text: String) -> String? {
        var text = text
        switch text.withUTF8({ scanTicket($0) }) {
        case let .found(ticket): return ticket
        case .none: return nil
        case .ambiguous: return ticketByCharacters(in: text)
        }
    }

    enum TicketScan: Equatable { case found(String), none, ambiguous }

    static func scanTicket(_ bytes: UnsafeBufferPointer<UInt8>) -> TicketScan {
        let count = bytes.count
        var index = 0
        var wordStart = 0
        var wordHasNonASCII = false
        while index <= count {
            guard index == count || isTicketSeparator(bytes[index]) else {
                if bytes[index] >= 0x80 { wordHasNonASCII = true }
                index += 1
                continue
            }
            if index < count {
                if index > 0, bytes[index - 1] >= 0x80, !isIsolatedScalar(endingAt: index, in: bytes) { return .ambiguous }
                if index + 1 < count, bytes[index + 1] >= 0x80, !isIsolatedScalar(startingAt: index + 1, in: bytes) { return .ambiguous }
            }
            if index > wordStart {
                let word = UnsafeBufferPointer(rebasing: bytes[wordStart..<index])
                if wordHasNonASCII {
                    // Rare: Unicode letters or digits inside the word; the Character rules decide.
                    let string = String(decoding: word, as: UTF8.self)
                    if isTicketWord(Substring(string)) { return .found(string) }
                } else if isASCIITicketWord(word) {
                    return .found(String(decoding: word, as: UTF8.self))
                }
            }
            wordStart = index + 1
            wordHasNonASCII = false
            index += 1
        }
        return .none
    }

    /// ` ,;()[]|`
    @inline(__always)
    static func isTicketSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x2C, 0x3B, 0x28, 0x29, 0x5B, 0x5D, 0x7C: true
        default: false
        }
    }

    /// Scalars that never join an ASCII neighbour into one grapheme (their grapheme break
    /// property is Other): the punctuation action items actually use next to a separator.
    static let isolatedScalars: Set<UInt32> = [0x00A0, 0x00B7, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2018, 0x2019,
                                              0x201C, 0x201D, 0x2022, 0x2026, 0x2192, 0x00AB, 0x00BB]

    private static func isIsolatedScalar(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = end - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return isIsolatedScalar(startingAt: start, in: bytes, expectedEnd: end)
    }

    private static func isIsolatedScalar(startingAt start: Int, in bytes: UnsafeBufferPointer<UInt8>, expectedEnd: Int? = nil) -> Bool {
        var iterator = UnsafeBufferPointer(rebasing: bytes[start...]).makeIterator()
        var decoder = UTF8()
        guard case let .scalarValue(scalar) = decoder.decode(&iterator), scalar.value >= 0x80 else { return false }
        if let expectedEnd, start + UTF8.width(scalar) != expectedEnd { return false }
        return isolatedScalars.contains(scalar.value)
    }

    /// `ABC-123` or a URL, for an all-ASCII word.
    static func isASCIITicketWord(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        if word.starts(with: "http://".utf8) || word.starts(with: "https://".utf8) { return true }
        guard let dash = word.firstIndex(of: UInt8(ascii: "-")) else { return false }
        let key = word[..<dash], number = word[(dash + 1)...]
        guard !number.contains(UInt8(ascii: "-")), key.count >= 2, key.count <= 10,
              let first = key.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
              key.allSatisfy({ ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }),
              !number.isEmpty, number.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        return true
    }

    /// The reference definition on Characters; used for words the byte scan cannot settle.
    static func isTicketWord(_ word: Substring) -> Bool {
        if word.hasPrefix("http://") || word.hasPrefix("https://") { return true }
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let key = parts.first, let number = parts.last,
           key.count >= 2, key.count <= 10, key.first!.isUppercase, key.allSatisfy({ ($0.isUppercase && $0.isASCII) || $0.isNumber }),
           !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return true
        }
        return false
    }

    /// The reference definition: words split on Characters.
    static func ticketByCharacters(in text: String) -> String? {
        for word in text.split(whereSeparator: { " ,;()[]|".contains($0) }) where isTicketWord(word) {
            return String(word)
        }
        return nil
    }

    /// `due: YYYY-MM-DD` (or `due YYYY-MM-DD`).
    static func due(in text: String) -> CalendarDate? {
        guard let upper = dueKeywordEnd(in: text) else { return nil }
        var rest = text[upper...]
        if rest.first == ":" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " }
        return CalendarDate(parsing: String(rest.prefix(10)))
    }

    /// Where the first case-insensitive "due" ends. A byte search finds it; when non-ASCII text
    /// touches the match (a combining accent on the "e"), Foundation's Character-aware search decides.
    static func dueKeywordEnd(in text: String) -> String.Index? {
        let scan = text.utf8.withContiguousStorageIfAvailable { bytes -> Int?? in
            var index = 0
            while index + 3 <= bytes.count {
                if bytes[index] | 0x20 == UInt8(ascii: "d"), bytes[index + 1] | 0x20 == UInt8(ascii: "u"),
                   bytes[index + 2] | 0x20 == UInt8(ascii: "e") {
                    let before = index > 0 ? bytes[index - 1] : 0, after = index + 3 < bytes.count ? bytes[index + 3] : 0
                    return before >= 0x80 || after >= 0x80 ? nil : .some(index + 3)
                }
                index += 1
            }
            return .some(nil)
        }
        guard let scan, let settled = scan else { return text.range(of: "due", options: .caseInsensitive)?.upperBound }
        return settled.map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) }
    }
}

import Foundation

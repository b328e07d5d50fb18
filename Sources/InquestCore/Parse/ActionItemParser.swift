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
        if let range = text.range(of: "owner:", options: .caseInsensitive) {
            let rest = text[range.upperBound...].drop { $0 == " " }
            let name = rest.prefix { !",;()|—–".contains($0) }.trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        return nil
    }

    /// A URL or an issue key such as `ABC-123`.
    static func ticket(in text: String) -> String? {
        for word in text.split(whereSeparator: { " ,;()[]|".contains($0) }) {
            if word.hasPrefix("http://") || word.hasPrefix("https://") { return String(word) }
            let parts = word.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 2, let key = parts.first, let number = parts.last,
               key.count >= 2, key.count <= 10, key.first!.isUppercase, key.allSatisfy({ ($0.isUppercase && $0.isASCII) || $0.isNumber }),
               !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return String(word)
            }
        }
        return nil
    }

    /// `due: YYYY-MM-DD` (or `due YYYY-MM-DD`).
    static func due(in text: String) -> CalendarDate? {
        guard let range = text.range(of: "due", options: .caseInsensitive) else { return nil }
        var rest = text[range.upperBound...]
        if rest.first == ":" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " }
        return CalendarDate(parsing: String(rest.prefix(10)))
    }
}

import Foundation

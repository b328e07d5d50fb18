import Foundation
import InquestCore

/// Renders short Markdown fragments (a timeline entry, an action item) to inline HTML with the
/// same safe cmark-gfm settings as the body: raw HTML omitted, dangerous URLs dropped.
enum InlineMarkdown {
    static func html<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var html = CmarkDocument(bytes: bytes).renderHTML()
        while html.hasSuffix("\n") { html.removeLast() }
        // A single paragraph becomes inline content; anything else stays block HTML.
        if html.hasPrefix("<p>"), html.hasSuffix("</p>"), !html.dropFirst(3).contains("<p>") {
            html = String(html.dropFirst(3).dropLast(4))
        }
        return html
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

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

    /// Drops a task-list checkbox (`[ ] `, `[x] `) when the source range still includes it.
    static func trimCheckbox(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let text = Array(bytes.prefix(4))
        guard text.count >= 3, text[0] == UInt8(ascii: "["), text[2] == UInt8(ascii: "]"),
              [UInt8(ascii: " "), UInt8(ascii: "x"), UInt8(ascii: "X")].contains(text[1]) else { return bytes }
        return bytes.dropFirst(3).drop { $0 == UInt8(ascii: " ") }
    }
}

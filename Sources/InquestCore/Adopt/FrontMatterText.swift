import Foundation

/// Writes inferred fields as a front-matter block and puts it in front of a file's bytes,
/// keeping the file's byte-order mark first and its line endings (CRLF stays CRLF).
enum FrontMatterText {
    /// The block, `---` to `---`, with `newline` line endings.
    static func block(_ fields: [InferredField], newline: String) -> String {
        var lines = ["---"]
        for field in fields {
            switch field.value {
            case let .text(text): lines.append("\(field.key): \(scalar(text))")
            case let .list(items): lines.append("\(field.key): [" + items.map { scalar($0, inFlow: true) }.joined(separator: ", ") + "]")
            case let .time(time): lines.append("\(field.key): \"\(ArchiveExporter.localString(time))\"")
            }
        }
        lines.append("---")
        return lines.map { $0 + newline }.joined()
    }

    /// `bytes` with `block` inserted after a byte-order mark, if any.
    static func insert(_ block: String, into bytes: [UInt8]) -> [UInt8] {
        let bom = FrontMatterSplitter.bomLength(bytes)
        return Array(bytes[..<bom]) + Array(block.utf8) + Array(bytes[bom...])
    }

    /// `\r\n` when the file's first line ends so, else `\n`.
    static func newline(of bytes: [UInt8]) -> String {
        guard let index = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return "\n" }
        return index > 0 && bytes[index - 1] == UInt8(ascii: "\r") ? "\r\n" : "\n"
    }

    /// A YAML scalar: plain when it reads back as the same string, double-quoted otherwise.
    static func scalar(_ text: String, inFlow: Bool = false) -> String {
        // Dates stay plain as the template writes them; the parser keeps scalars as text.
        if CalendarDate(parsing: text) != nil { return text }
        return plainIsSafe(text, inFlow: inFlow) ? text : quoted(text)
    }

    static func plainIsSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if first == " " || last == " " || "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        if inFlow, text.unicodeScalars.contains(where: { ",[]{}".unicodeScalars.contains($0) }) { return false }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FEFF}" }) { return false }
        // Words YAML would read as something other than a string.
        let lower = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lower) { return false }
        if Double(text) != nil || text.allSatisfy({ $0.isNumber || "-.:+_".contains($0) }) { return false }
        return true
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FEFF}" {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

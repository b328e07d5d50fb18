import Foundation

/// `{"version":1,"diagnostics":[…],"summary":{…}}`: one diagnostic per line, keys in the
/// documented order (`file`, `line`, `column`, …; what ``OrderedJSONEncoder`` writes for the
/// declared fields), strings escaped as ``JSON/string(_:scriptSafe:)`` does; byte-identical
/// across runs and platforms. Written straight into the report's bytes; `FormatterEquivalenceTests`
/// compares it with the Codable encoding.
struct JSONFormatter {
    func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        var out = ReportBytes(capacity: 128 + 300 * diagnostics.count)
        out.append("{\"version\":1,\"diagnostics\":[")
        for (index, diagnostic) in diagnostics.enumerated() {
            out.append(index == 0 ? "\n  {\"file\":" : ",\n  {\"file\":")
            out.appendJSONString(diagnostic.file, .inquest)
            out.append(",\"line\":")
            out.append(diagnostic.range.start.line)
            out.append(",\"column\":")
            out.append(diagnostic.range.start.column)
            out.append(",\"endLine\":")
            out.append(diagnostic.range.end.line)
            out.append(",\"endColumn\":")
            out.append(diagnostic.range.end.column)
            out.append(",\"severity\":")
            out.appendJSONString(diagnostic.severity.rawValue, .inquest)
            out.append(",\"rule\":")
            out.appendJSONString(diagnostic.rule, .inquest)
            out.append(",\"message\":")
            out.appendJSONString(diagnostic.message, .inquest)
            if let suggestion = diagnostic.suggestion {
                out.append(",\"suggestion\":")
                out.appendJSONString(suggestion, .inquest)
            }
            if let fix = diagnostic.fix {
                // UTF-8 byte offsets into the file, end exclusive: what `inquest lint --fix` replaces.
                out.append(",\"fix\":{\"start\":")
                out.append(fix.bytes.lowerBound)
                out.append(",\"end\":")
                out.append(fix.bytes.upperBound)
                out.append(",\"replacement\":")
                out.appendJSONString(fix.replacement, .inquest)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(diagnostics.isEmpty ? "]," : "\n],")
        out.append("\"summary\":{\"files\":")
        out.append(summary.files)
        out.append(",\"errors\":")
        out.append(summary.errors)
        out.append(",\"warnings\":")
        out.append(summary.warnings)
        out.append(",\"infos\":")
        out.append(summary.infos)
        out.append("}}\n")
        return out.text
    }
}

/// Minimal JSON string escaping (RFC 8259).
public enum JSON {
    /// - Parameter scriptSafe: also escape `<`, `>` and `&`, so the literal is safe inside a
    ///   `<script>` element and in JavaScript source.
    public static func string(_ text: String, scriptSafe: Bool = false) -> String {
        // Nearly every string has nothing to escape: libc's strcspn says so without a Swift loop
        // per scalar. 0xE2 starts U+2028 and U+2029 (and other text, which takes the loop); a NUL
        // stops strcspn early, and the loop escapes it.
        if text.withCString({ strcspn($0, scriptSafe ? scriptSafeSpecial : special) }) >= text.utf8.count { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where scriptSafe: out += "\\u003c"
            case ">" where scriptSafe: out += "\\u003e"
            case "&" where scriptSafe: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The bytes that may need escaping, as C strings for strcspn: C0 controls, quote, backslash,
    /// 0xE2; for script-safe strings also `<`, `>` and `&`.
    nonisolated(unsafe) private static let special = cString((1..<0x20).map { $0 } + Array("\"\\".utf8) + [0xE2])
    nonisolated(unsafe) private static let scriptSafeSpecial = cString((1..<0x20).map { $0 } + Array("\"\\<>&".utf8) + [0xE2])

    private static func cString(_ bytes: [UInt8]) -> UnsafePointer<CChar> {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
        pointer[bytes.count] = 0
        return UnsafePointer(pointer)
    }
}

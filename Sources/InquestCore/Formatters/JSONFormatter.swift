import Foundation

/// `{"version":1,"diagnostics":[…],"summary":{…}}`: Codable values, encoded with their declared
/// key order (``OrderedJSONEncoder``) and one diagnostic per line, byte-identical across runs
/// and platforms.
struct JSONFormatter {
    /// One diagnostic as `--format json` prints it.
    struct Item: Encodable {
        struct FixRange: Encodable {
            /// UTF-8 byte offsets into the file, end exclusive: what `inquest lint --fix` replaces.
            var start: Int
            var end: Int
            var replacement: String
        }

        var file: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var severity: String
        var rule: String
        var message: String
        var suggestion: String?
        var fix: FixRange?

        init(_ diagnostic: Diagnostic) {
            file = diagnostic.file
            line = diagnostic.range.start.line
            column = diagnostic.range.start.column
            endLine = diagnostic.range.end.line
            endColumn = diagnostic.range.end.column
            severity = diagnostic.severity.rawValue
            rule = diagnostic.rule
            message = diagnostic.message
            suggestion = diagnostic.suggestion
            fix = diagnostic.fix.map { FixRange(start: $0.bytes.lowerBound, end: $0.bytes.upperBound, replacement: $0.replacement) }
        }
    }

    struct Summary: Encodable {
        var files: Int
        var errors: Int
        var warnings: Int
        var infos: Int
    }

    func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        let items = diagnostics.map { "\n  " + OrderedJSONEncoder.encode(Item($0)) }
        let counts = OrderedJSONEncoder.encode(Summary(files: summary.files, errors: summary.errors, warnings: summary.warnings, infos: summary.infos))
        return "{\"version\":1,\"diagnostics\":[" + items.joined(separator: ",") + (diagnostics.isEmpty ? "]," : "\n],")
            + "\"summary\":" + counts + "}\n"
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

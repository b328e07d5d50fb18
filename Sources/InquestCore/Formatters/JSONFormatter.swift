/// `{"version":1,"diagnostics":[…],"summary":{…}}` with stable key order, written by hand so the
/// output is byte-identical across runs and platforms.
struct JSONFormatter {
    func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        var out = "{\"version\":1,\"diagnostics\":["
        for (index, diagnostic) in diagnostics.enumerated() {
            if index > 0 { out += "," }
            out += "\n  {\"file\":\(JSON.string(diagnostic.file)),\"line\":\(diagnostic.range.start.line),\"column\":\(diagnostic.range.start.column),"
            out += "\"endLine\":\(diagnostic.range.end.line),\"endColumn\":\(diagnostic.range.end.column),"
            out += "\"severity\":\(JSON.string(diagnostic.severity.rawValue)),\"rule\":\(JSON.string(diagnostic.rule)),"
            out += "\"message\":\(JSON.string(diagnostic.message))"
            if let suggestion = diagnostic.suggestion { out += ",\"suggestion\":\(JSON.string(suggestion))" }
            if let fix = diagnostic.fix {
                // UTF-8 byte offsets into the file, end exclusive: what `inquest lint --fix` replaces.
                out += ",\"fix\":{\"start\":\(fix.bytes.lowerBound),\"end\":\(fix.bytes.upperBound),\"replacement\":\(JSON.string(fix.replacement))}"
            }
            out += "}"
        }
        out += diagnostics.isEmpty ? "]," : "\n],"
        out += "\"summary\":{\"files\":\(summary.files),\"errors\":\(summary.errors),\"warnings\":\(summary.warnings),\"infos\":\(summary.infos)}}\n"
        return out
    }
}

/// Minimal JSON string escaping (RFC 8259).
public enum JSON {
    /// - Parameter scriptSafe: also escape `<`, `>` and `&`, so the literal is safe inside a
    ///   `<script>` element and in JavaScript source.
    public static func string(_ text: String, scriptSafe: Bool = false) -> String {
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
}

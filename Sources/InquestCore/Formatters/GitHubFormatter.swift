import Foundation

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`.
struct GitHubFormatter {
    func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for diagnostic in diagnostics {
            let command: String
            switch diagnostic.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            var message = diagnostic.message
            if let suggestion = diagnostic.suggestion { message += "\n" + suggestion }
            let properties = [
                "file=\(Self.escapeProperty(diagnostic.file))",
                "line=\(diagnostic.range.start.line)",
                "col=\(diagnostic.range.start.column)",
                "endLine=\(diagnostic.range.end.line)",
                "endColumn=\(diagnostic.range.end.column)",
                "title=\(Self.escapeProperty(diagnostic.rule))",
            ]
            out += "::\(command) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
        }
        return out
    }

    /// Message data: `%`, CR and LF are percent-encoded.
    static func escapeData(_ text: String) -> String {
        escape(text, property: false)
    }

    /// Property values additionally encode `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escape(text, property: true)
    }

    /// One pass over the UTF-8 (every escaped character is ASCII); the text as it is when there is
    /// nothing to escape, which is nearly always.
    private static func escape(_ text: String, property: Bool) -> String {
        func escaped(_ byte: UInt8) -> String? {
            switch byte {
            case UInt8(ascii: "%"): "%25"
            case UInt8(ascii: "\r"): "%0D"
            case UInt8(ascii: "\n"): "%0A"
            case UInt8(ascii: ":") where property: "%3A"
            case UInt8(ascii: ",") where property: "%2C"
            default: nil
            }
        }
        // libc's strcspn answers "anything to escape?" without a Swift loop per byte (slow under
        // the fuzzer's instrumentation); a NUL stops it early and the loop below decides.
        guard text.withCString({ strcspn($0, property ? "%\r\n:," : "%\r\n") }) < text.utf8.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if let replacement = escaped(byte) { out += replacement.utf8 } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import Foundation

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`.
struct GitHubFormatter {
    func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ReportBytes(capacity: 200 * diagnostics.count)
        for diagnostic in diagnostics {
            switch diagnostic.severity {
            case .error: out.append("::error file=")
            case .warning: out.append("::warning file=")
            case .info: out.append("::notice file=")
            }
            Self.escape(diagnostic.file, property: true, into: &out)
            out.append(",line=")
            out.append(diagnostic.range.start.line)
            out.append(",col=")
            out.append(diagnostic.range.start.column)
            out.append(",endLine=")
            out.append(diagnostic.range.end.line)
            out.append(",endColumn=")
            out.append(diagnostic.range.end.column)
            out.append(",title=")
            Self.escape(diagnostic.rule, property: true, into: &out)
            out.append("::")
            Self.escape(diagnostic.message, property: false, into: &out)
            if let suggestion = diagnostic.suggestion {
                out.append("%0A")  // the line break between message and suggestion, escaped
                Self.escape(suggestion, property: false, into: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out.text
    }

    /// Message data: `%`, CR and LF percent-encoded; property values (`property`) `:` and `,`
    /// too. Runs without anything to escape are copied whole: libc's strcspn finds the next byte to
    /// escape (no Swift loop per byte, slow under the fuzzer's instrumentation). It also stops at
    /// a NUL, which is copied as it is.
    private static func escape(_ text: String, property: Bool, into out: inout ReportBytes) {
        let count = text.utf8.count
        text.withCString { signed in
            signed.withMemoryRebound(to: UInt8.self, capacity: count + 1) { base in
                var index = 0
                while index < count {
                    let run = min(strcspn(signed + index, property ? "%\r\n:," : "%\r\n"), count - index)
                    if run > 0 {
                        out.append(contentsOf: UnsafeBufferPointer(start: base + index, count: run))
                        index += run
                    }
                    guard index < count else { break }
                    switch base[index] {
                    case UInt8(ascii: "%"): out.append("%25")
                    case UInt8(ascii: "\r"): out.append("%0D")
                    case UInt8(ascii: "\n"): out.append("%0A")
                    case UInt8(ascii: ":"): out.append("%3A")
                    case UInt8(ascii: ","): out.append("%2C")
                    default: out.append(base[index])  // NUL
                    }
                    index += 1
                }
            }
        }
    }
}

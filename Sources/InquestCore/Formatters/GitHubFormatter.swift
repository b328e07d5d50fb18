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
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Property values additionally encode `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

import Foundation

/// Compiler-style text: `path:line:col: severity: message [rule]`, the source line, an underline,
/// the suggestion, and a summary line.
struct TextFormatter {
    var color: Bool

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText]) -> String {
        var out = ""
        for diagnostic in diagnostics {
            let severity: String
            switch diagnostic.severity {
            case .error: severity = paint("error", "1;31")
            case .warning: severity = paint("warning", "1;33")
            case .info: severity = paint("info", "1;36")
            }
            let location = "\(diagnostic.file):\(diagnostic.range.start.line):\(diagnostic.range.start.column)"
            out += "\(paint(location, "1")): \(severity): \(diagnostic.message) \(paint("[\(diagnostic.rule)]", "2"))\n"
            if let source = sources[diagnostic.file] {
                out += excerpt(diagnostic.range, source: source)
            }
            if let suggestion = diagnostic.suggestion {
                out += "  \(paint("help", "1;32")): \(suggestion)\n"
            }
        }
        out += summaryLine(summary) + "\n"
        return out
    }

    private func excerpt(_ range: SourceRange, source: SourceText) -> String {
        let line = range.start.line
        guard line >= 1, line <= source.lineCount else { return "" }
        // Tabs are expanded to single spaces so the underline lines up.
        let text = source.lineText(line).replacingOccurrences(of: "\t", with: " ")
        let scalars = Array(text.unicodeScalars)
        let gutter = String(line)
        let startColumn = max(1, min(range.start.column, scalars.count + 1))
        let endColumn = range.end.line == line ? max(startColumn + 1, min(range.end.column, scalars.count + 1)) : scalars.count + 1
        let width = max(1, endColumn - startColumn)
        let pad = String(repeating: " ", count: gutter.count)
        var out = " \(pad) |\n"
        out += " \(gutter) | \(text)\n"
        out += " \(pad) | " + String(repeating: " ", count: startColumn - 1) + paint("^" + String(repeating: "~", count: width - 1), "1;32") + "\n"
        return out
    }

    func summaryLine(_ summary: DiagnosticSummary) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(summary.files, "file")) checked: \(plural(summary.errors, "error")), \(plural(summary.warnings, "warning")), \(plural(summary.infos, "info"))"
    }
}

import Foundation

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
            let location = "\(Self.printable(diagnostic.file)):\(diagnostic.range.start.line):\(diagnostic.range.start.column)"
            out += "\(paint(location, "1")): \(severity): \(Self.printable(diagnostic.message)) \(paint("[\(diagnostic.rule)]", "2"))\n"
            if let source = sources[diagnostic.file] {
                out += excerpt(diagnostic.range, source: source)
            }
            if let suggestion = diagnostic.suggestion {
                out += "  \(paint("help", "1;32")): \(Self.printable(suggestion))\n"
            }
        }
        out += summaryLine(summary) + "\n"
        return out
    }

    private func excerpt(_ range: SourceRange, source: SourceText) -> String {
        let line = range.start.line
        guard line >= 1, line <= source.lineCount else { return "" }
        // Tabs are expanded to single spaces so the underline lines up.
        let text = Self.printable(source.lineText(line).replacingOccurrences(of: "\t", with: " "))
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

    /// Control characters (terminal escapes in a file's text, a newline in a file name) become
    /// U+FFFD: one scalar for one scalar, so underlines stay aligned and nothing reaches the terminal raw.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    func summaryLine(_ summary: DiagnosticSummary) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(summary.files, "file")) checked: \(plural(summary.errors, "error")), \(plural(summary.warnings, "warning")), \(plural(summary.infos, "info"))"
    }
}

import Foundation

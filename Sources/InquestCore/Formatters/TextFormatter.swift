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
            case .info: severity = paint("note", "1;36")  // gcc's word: problem matchers know error, warning and note
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
        let raw = source.lineText(line)
        let text = Self.printable(raw.contains("\t") ? String(raw.map { $0 == "\t" ? " " : $0 }) : raw)
        let scalars = Array(text.unicodeScalars)
        let gutter = String(line)
        let startColumn = max(1, min(range.start.column, scalars.count + 1))
        let endColumn = range.end.line == line ? max(startColumn + 1, min(range.end.column, scalars.count + 1)) : scalars.count + 1
        // Columns count scalars; a terminal shows CJK and emoji two cells wide and combining marks
        // in no cell of their own, so the underline is measured in display cells.
        let before = scalars[..<(startColumn - 1)].reduce(0) { $0 + Self.cells($1) }
        let under = scalars[(startColumn - 1)..<min(endColumn - 1, scalars.count)].reduce(0) { $0 + Self.cells($1) }
        let width = max(1, under)
        let pad = String(repeating: " ", count: gutter.count)
        var out = " \(pad) |\n"
        out += " \(gutter) | \(text)\n"
        out += " \(pad) | " + String(repeating: " ", count: before) + paint("^" + String(repeating: "~", count: width - 1), "1;32") + "\n"
        return out
    }

    /// Terminal cells a scalar takes: 0 for combining marks, zero-width joiners and variation
    /// selectors, 2 for East Asian wide/fullwidth characters and emoji, 1 otherwise.
    static func cells(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return 0 }
        if value < 0x1100 { return 1 }
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian wide/fullwidth and emoji ranges (built once: `cells` runs for every scalar shown).
    private static let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
            0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
            0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
            0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
            0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
            0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
            0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD,
    ]

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

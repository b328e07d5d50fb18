import Foundation

/// Compiler-style text: `path:line:col: severity: message [rule]`, the source line, an underline,
/// the suggestion, and a summary line.
struct TextFormatter {
    var color: Bool

    /// `ESC [ code m` when colouring.
    private func begin(_ code: StaticString, _ out: inout ReportBytes) {
        guard color else { return }
        out.append("\u{1B}[")
        out.append(code)
        out.append(UInt8(ascii: "m"))
    }

    private func end(_ out: inout ReportBytes) {
        if color { out.append("\u{1B}[0m") }
    }

    func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText]) -> String {
        var out = ReportBytes(capacity: 80 + Self.bytesPerDiagnostic * diagnostics.count)
        appendBody(diagnostics, sources: sources, into: &out)
        appendSummary(summary, into: &out)
        return out.text
    }

    /// Room reserved per diagnostic: a note with its excerpt and help is 600–700 bytes (reserved
    /// pages that stay unused cost nothing; growing the buffer copies it).
    static let bytesPerDiagnostic = 768

    /// The summary line and its line feed.
    func appendSummary(_ summary: DiagnosticSummary, into out: inout ReportBytes) {
        out.append(summaryLine(summary))
        out.append(UInt8(ascii: "\n"))
    }

    /// Every diagnostic's block (heading, excerpt, help), without the summary line: a long
    /// output is made of such pieces rendered on every core (``DiagnosticFormatter/render(_:summary:sources:pieceSize:)``).
    func appendBody(_ diagnostics: [Diagnostic], sources: [String: SourceText], into out: inout ReportBytes) {
        // Diagnostics come sorted by file: one dictionary lookup per file.
        var lastFile: String?
        var source: SourceText?
        for diagnostic in diagnostics {
            if diagnostic.file != lastFile {
                lastFile = diagnostic.file
                source = sources[diagnostic.file]
            }
            begin("1", &out)
            Self.appendPrintable(diagnostic.file, &out)
            out.append(UInt8(ascii: ":"))
            out.append(diagnostic.range.start.line)
            out.append(UInt8(ascii: ":"))
            out.append(diagnostic.range.start.column)
            end(&out)
            out.append(": ")
            switch diagnostic.severity {
            case .error: begin("1;31", &out); out.append("error")
            case .warning: begin("1;33", &out); out.append("warning")
            case .info: begin("1;36", &out); out.append("note")  // gcc's word: problem matchers know error, warning and note
            }
            end(&out)
            out.append(": ")
            Self.appendPrintable(diagnostic.message, &out)
            out.append(UInt8(ascii: " "))
            begin("2", &out)
            out.append(UInt8(ascii: "["))
            out.append(diagnostic.rule)
            out.append(UInt8(ascii: "]"))
            end(&out)
            out.append(UInt8(ascii: "\n"))
            if let source {
                excerpt(diagnostic.range, source: source, &out)
            }
            if let suggestion = diagnostic.suggestion {
                out.append("  ")
                begin("1;32", &out)
                out.append("help")
                end(&out)
                out.append(": ")
                Self.appendPrintable(suggestion, &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
    }

    private func excerpt(_ range: SourceRange, source: SourceText, _ out: inout ReportBytes) {
        let line = range.start.line
        guard line >= 1, line <= source.lineCount else { return }
        let gutter = String(line)
        // The line as shown (tabs as single spaces so the underline lines up, controls as
        // U+FFFD), its length in scalars, and the cells before and under the flagged columns.
        var shown = ReportBytes()
        let scalarCount: Int
        var before: Int
        var under: Int
        let startColumn: Int
        let endColumn: Int
        if let ascii = Self.asciiLine(source, line: line) {
            // An ASCII line: a byte is a scalar, and every scalar takes one cell (U+FFFD too).
            shown = ascii
            scalarCount = source.lineContentRange(line - 1).count
            startColumn = max(1, min(range.start.column, scalarCount + 1))
            endColumn = range.end.line == line ? max(startColumn + 1, min(range.end.column, scalarCount + 1)) : scalarCount + 1
            before = startColumn - 1
            under = min(endColumn - 1, scalarCount) - (startColumn - 1)
        } else {
            let raw = source.lineText(line)
            // (A tab byte that is not a Character of its own is left as it is, as before.)
            let text = Self.printable(raw.utf8.contains(UInt8(ascii: "\t")) ? String(raw.map { $0 == "\t" ? " " : $0 }) : raw)
            shown.append(text)
            let scalars = Array(text.unicodeScalars)
            scalarCount = scalars.count
            startColumn = max(1, min(range.start.column, scalars.count + 1))
            endColumn = range.end.line == line ? max(startColumn + 1, min(range.end.column, scalars.count + 1)) : scalars.count + 1
            // Columns count scalars; a terminal shows CJK and emoji two cells wide and combining
            // marks in no cell of their own, so the underline is measured in display cells.
            before = scalars[..<(startColumn - 1)].reduce(0) { $0 + Self.cells($1) }
            under = scalars[(startColumn - 1)..<min(endColumn - 1, scalars.count)].reduce(0) { $0 + Self.cells($1) }
        }
        let width = max(1, under)
        out.append(UInt8(ascii: " "), count: 1 + gutter.utf8.count)
        out.append(" |\n ")
        out.append(gutter)
        out.append(" | ")
        out.append(shown)
        out.append(UInt8(ascii: "\n"))
        out.append(UInt8(ascii: " "), count: 1 + gutter.utf8.count)
        out.append(" | ")
        out.append(UInt8(ascii: " "), count: before)
        begin("1;32", &out)
        out.append(UInt8(ascii: "^"))
        out.append(UInt8(ascii: "~"), count: width - 1)
        end(&out)
        out.append(UInt8(ascii: "\n"))
    }

    /// The line as ``excerpt`` shows it when it is ASCII (nearly always): tabs as spaces and the
    /// other controls as U+FFFD, as the general path does; nil for any other line.
    private static func asciiLine(_ source: SourceText, line: Int) -> ReportBytes? {
        let content = source.lineContentRange(line - 1)
        return source.bytes.withUnsafeBufferPointer { all -> ReportBytes? in
            let bytes = UnsafeBufferPointer(rebasing: all[content])
            var shown = ReportBytes(capacity: bytes.count)
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte < 0x7F { continue }
                if byte >= 0x80 { return nil }
                shown.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                if byte == UInt8(ascii: "\t") {
                    shown.append(UInt8(ascii: " "))
                } else {
                    shown.append("\u{FFFD}")
                }
                runStart = index + 1
            }
            shown.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            return shown
        }
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

    /// ``printable(_:)`` appended: the text as it is when none of its bytes may start a control
    /// (C0, DEL, 0xC2 which leads the C1 controls), which is nearly always, checked byte by byte
    /// against a table (libc's strcspn rebuilt its table from the set on every one of the
    /// thousands of calls a warm run makes).
    private static func appendPrintable(_ text: String, _ out: inout ReportBytes) {
        let clean = text.utf8.withContiguousStorageIfAvailable { bytes in
            controlLeads.withUnsafeBufferPointer { leads in !bytes.contains { leads[Int($0)] } }
        } ?? !text.unicodeScalars.contains(where: isControl)
        if clean {
            out.append(text)
        } else {
            out.append(printable(text))
        }
    }

    /// Bytes that may start a control character: C0 (NUL included), DEL and 0xC2.
    private static let controlLeads: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    func summaryLine(_ summary: DiagnosticSummary) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(summary.files, "file")) checked: \(plural(summary.errors, "error")), \(plural(summary.warnings, "warning")), \(plural(summary.infos, "info"))"
    }
}

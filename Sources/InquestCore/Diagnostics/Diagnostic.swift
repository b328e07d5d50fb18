/// How serious a finding is. Ordered so that `.error > .warning > .info`.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A 1-based line/column position. Columns count Unicode scalars, as SARIF's `unicodeCodePoints`.
public struct SourcePosition: Hashable, Sendable, Comparable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A range of source positions; `end` is exclusive (points just past the last character).
public struct SourceRange: Hashable, Sendable, Codable {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = max(start, end)
    }

    /// A range covering a whole line's start, used when nothing finer is known.
    public static func line(_ line: Int) -> SourceRange {
        SourceRange(start: .init(line: line, column: 1), end: .init(line: line, column: 1))
    }
}

/// An automatic correction: replace `bytes` of the diagnostic's file with `replacement`. Rules
/// attach one only when exactly one correction is right (a misspelt enum value with a single
/// candidate, an alias of a catalogue id, an unambiguous date format, a duplicate list entry);
/// prose is never rewritten. Applied by ``Fixer``.
public struct Fix: Hashable, Sendable, Codable {
    /// UTF-8 byte offsets into the file (BOM included), end exclusive.
    public var bytes: Range<Int>
    public var replacement: String

    public init(bytes: Range<Int>, replacement: String) {
        self.bytes = bytes
        self.replacement = replacement
    }
}

/// One finding of one rule in one file: a plain value, printed by a formatter.
public struct Diagnostic: Hashable, Sendable {
    /// Path relative to the repository root (or as given on the command line when outside one).
    public var file: String
    public var range: SourceRange
    public var severity: Severity
    /// Stable rule id, e.g. `blameless/counterfactual`.
    public var rule: String
    /// Lowercase, no trailing period.
    public var message: String
    /// A concrete rewrite or next step, when there is one.
    public var suggestion: String?
    /// The one right correction, when there is one (`inquest lint --fix`, editor code actions).
    public var fix: Fix?

    public init(file: String, range: SourceRange, severity: Severity, rule: String, message: String, suggestion: String? = nil,
                fix: Fix? = nil) {
        self.file = file
        self.range = range
        self.severity = severity
        self.rule = rule
        self.message = message
        self.suggestion = suggestion
        self.fix = fix
    }

    /// The order every formatter prints in: file, line, column, rule, then message for total determinism.
    public static func sortKey(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.message < b.message
    }
}

/// Counts printed in summaries and used for the exit code.
public struct DiagnosticSummary: Sendable, Equatable {
    public var files: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int

    public init(files: Int, diagnostics: [Diagnostic]) {
        self.files = files
        // One pass reading the severity in place (counting with a closure per severity copied
        // every diagnostic three times: 16,000 of them on a warm whole-archive run).
        var counts = (0, 0, 0)
        diagnostics.withUnsafeBufferPointer { all in
            for index in all.indices {
                switch all[index].severity {
                case .error: counts.0 += 1
                case .warning: counts.1 += 1
                case .info: counts.2 += 1
                }
            }
        }
        (errors, warnings, infos) = counts
    }
}

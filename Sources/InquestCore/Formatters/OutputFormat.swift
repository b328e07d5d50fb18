import Foundation

/// The lint output formats.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github, gitlab
}

/// Renders a lint result in a format. Sources are needed for the text format's excerpts.
public struct DiagnosticFormatter: Sendable {
    public var format: OutputFormat
    public var color: Bool
    public var quiet: Bool
    /// The tool version, for SARIF.
    public var version: String
    /// Where the team publishes the rule documentation (`docs_url`), for SARIF's `helpUri`.
    public var docsURL: DocsURL? {
        // The prepared descriptors link to the previous documentation.
        didSet { sarifDescriptors = nil }
    }
    /// The folder machine-format paths are relative to (the repository's working tree), for SARIF's `%SRCROOT%`.
    public var sourceRoot: URL?

    /// The rules SARIF describes in `tool.driver.rules`: every registered rule unless a caller
    /// narrows it (the fuzzer passes the rules that fired, as describing all of them costs more
    /// than the rest of a small document's lint).
    public var sarifRules: [any Rule] = RuleRegistry.all

    /// SARIF's rule descriptors written beforehand, by rule id (``prepared()``).
    private var sarifDescriptors: SARIFFormatter.Descriptors?

    public init(format: OutputFormat, color: Bool = false, quiet: Bool = false, version: String = InquestVersion.current,
                sourceRoot: URL? = nil, docsURL: DocsURL? = nil) {
        self.format = format
        self.color = color
        self.quiet = quiet
        self.version = version
        self.sourceRoot = sourceRoot
        self.docsURL = docsURL
    }

    /// This formatter with what does not depend on the diagnostics written once, for a caller
    /// that renders many results (the fuzzer): SARIF's descriptor of each rule in ``sarifRules``.
    /// The output is the same as without it; narrowing ``sarifRules`` afterwards keeps the
    /// descriptors, changing ``docsURL`` drops them.
    public func prepared() -> DiagnosticFormatter {
        guard format == .sarif else { return self }
        var copy = self
        copy.sarifDescriptors = SARIFFormatter.Descriptors(rules: sarifRules, docsURL: docsURL)
        return copy
    }

    /// - Parameter sources: file contents by path, for excerpts.
    public func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText]) -> String {
        let shown = quiet ? diagnostics.filter { $0.severity == .error } : diagnostics
        return render(shown: shown, summary: summary, sources: sources, fingerprints: nil)
    }

    /// ``render(_:summary:sources:)`` for a long output: in the text format, more than
    /// `pieceSize` diagnostics are rendered in pieces on every core (each diagnostic's block
    /// depends on nothing but itself and its source) and joined as bytes before the summary
    /// line, the same bytes as in one go; other formats are rendered in one go.
    public func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText], pieceSize: Int) -> String {
        let shown = quiet ? diagnostics.filter { $0.severity == .error } : diagnostics
        guard format == .text, shown.count > max(1, pieceSize) else {
            return render(shown: shown, summary: summary, sources: sources, fingerprints: nil)
        }
        let text = TextFormatter(color: color)
        let size = max(1, pieceSize)
        let pieces = parallelMap(Array(stride(from: 0, to: shown.count, by: size))) { start -> ReportBytes in
            let piece = shown[start..<min(start + size, shown.count)]
            var out = ReportBytes(capacity: TextFormatter.bytesPerDiagnostic * piece.count)
            text.appendBody(Array(piece), sources: sources, into: &out)
            return out
        }
        var out = ReportBytes(capacity: pieces.reduce(80) { $0 + $1.count })
        for piece in pieces { out.append(piece) }
        text.appendSummary(summary, into: &out)
        return out.text
    }

    /// One result in each formatter's format, in order, working out once what several formats
    /// print alike (SARIF's and GitLab's fingerprints). Each output is the one
    /// ``render(_:summary:sources:)`` gives.
    public static func render(_ formatters: [DiagnosticFormatter], _ diagnostics: [Diagnostic], summary: DiagnosticSummary,
                              sources: [String: SourceText]) -> [String] {
        // By `quiet`: the fingerprints count occurrences among the diagnostics shown.
        var fingerprints: [Bool: [String]] = [:]
        var errorsOnly: [Diagnostic]?
        return formatters.map { formatter in
            let shown: [Diagnostic]
            if formatter.quiet {
                if errorsOnly == nil { errorsOnly = diagnostics.filter { $0.severity == .error } }
                shown = errorsOnly ?? []
            } else {
                shown = diagnostics
            }
            var shared: [String]?
            if formatter.format == .sarif || formatter.format == .gitlab {
                shared = fingerprints[formatter.quiet] ?? Fingerprint.all(shown, sources: sources)
                fingerprints[formatter.quiet] = shared
            }
            return formatter.render(shown: shown, summary: summary, sources: sources, fingerprints: shared)
        }
    }

    private func render(shown: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText], fingerprints: [String]?) -> String {
        switch format {
        case .text: return TextFormatter(color: color).render(shown, summary: summary, sources: sources)
        case .json: return JSONFormatter().render(shown, summary: summary)
        case .sarif:
            return SARIFFormatter(version: version, sourceRoot: sourceRoot, docsURL: docsURL)
                .render(shown, rules: sarifRules, fingerprints: fingerprints ?? Fingerprint.all(shown, sources: sources), descriptors: sarifDescriptors)
        case .github: return GitHubFormatter().render(shown)
        case .gitlab: return GitLabFormatter().render(shown, fingerprints: fingerprints ?? Fingerprint.all(shown, sources: sources))
        }
    }
}

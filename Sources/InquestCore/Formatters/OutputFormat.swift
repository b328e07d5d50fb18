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
    public var docsURL: DocsURL?
    /// The folder machine-format paths are relative to (the repository's working tree), for SARIF's `%SRCROOT%`.
    public var sourceRoot: URL?

    /// The rules SARIF describes in `tool.driver.rules`: every registered rule unless a caller
    /// narrows it (the fuzzer passes the rules that fired, as describing all of them costs more
    /// than the rest of a small document's lint).
    public var sarifRules: [any Rule] = RuleRegistry.all

    public init(format: OutputFormat, color: Bool = false, quiet: Bool = false, version: String = InquestVersion.current,
                sourceRoot: URL? = nil, docsURL: DocsURL? = nil) {
        self.format = format
        self.color = color
        self.quiet = quiet
        self.version = version
        self.sourceRoot = sourceRoot
        self.docsURL = docsURL
    }

    /// - Parameter sources: file contents by path, for excerpts.
    public func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText]) -> String {
        let shown = quiet ? diagnostics.filter { $0.severity == .error } : diagnostics
        switch format {
        case .text: return TextFormatter(color: color).render(shown, summary: summary, sources: sources)
        case .json: return JSONFormatter().render(shown, summary: summary)
        case .sarif: return SARIFFormatter(version: version, sourceRoot: sourceRoot, docsURL: docsURL).render(shown, rules: sarifRules, sources: sources)
        case .github: return GitHubFormatter().render(shown)
        case .gitlab: return GitLabFormatter().render(shown, sources: sources)
        }
    }
}

import ArgumentParser
import InquestCore

/// How `inquest rules` prints the list.
enum RulesFormat: String, ExpressibleByArgument, CaseIterable {
    /// Aligned columns for a terminal.
    case text
    /// The README's rule table (`make readme` writes it; a test checks README.md matches).
    case markdown
}

struct Rules: InquestCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule with its default severity.")

    @Option(help: "Output format: text, or markdown (the README's rule table).")
    var format: RulesFormat = .text

    func run(in context: CLIContext) throws(CLIError) {
        switch format {
        case .text: context.out(Self.text(RuleRegistry.all))
        case .markdown: context.out(Self.markdown(RuleRegistry.all))
        }
    }

    /// One line per rule: id, default severity, summary.
    static func text(_ rules: [any Rule]) -> String {
        let width = rules.map(\.id.count).max() ?? 0
        var out = ""
        for rule in rules {
            let padded = rule.id + String(repeating: " ", count: width - rule.id.count)
            let severity = rule.defaultSeverity.rawValue + String(repeating: " ", count: 7 - rule.defaultSeverity.rawValue.count)
            out += "\(padded)  \(severity)  \(rule.documentation.summary)\n"
        }
        return out
    }

    /// A Markdown table of the rules, generated from the registry so the README never drifts
    /// from what `inquest explain` says.
    static func markdown(_ rules: [any Rule]) -> String {
        var out = "| rule | default | checks |\n| --- | --- | --- |\n"
        for rule in rules {
            let summary = rule.documentation.summary.replacingOccurrences(of: "|", with: "\\|")
            out += "| `\(rule.id)` | \(rule.defaultSeverity.rawValue) | \(summary) |\n"
        }
        return out
    }
}

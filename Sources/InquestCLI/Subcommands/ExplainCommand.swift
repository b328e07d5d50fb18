import ArgumentParser
import InquestCore

struct Explain: InquestCommand {
    static let configuration = CommandConfiguration(abstract: "Explain a rule: what it checks, why, and examples.")

    @Argument(help: "A rule id, e.g. blameless/counterfactual.")
    var rule: String

    func run(in context: CLIContext) throws(CLIError) {
        guard let found = RuleRegistry.rule(rule) else {
            let guess = Spelling.closest(to: rule, in: RuleRegistry.ids, maxDistance: 6)
            throw .failure("unknown rule '\(rule)'" + (guess.map { "; did you mean '\($0)'?" } ?? "") + " (see 'inquest rules')")
        }
        context.out(Self.text(for: found))
    }

    /// What `explain` prints for a rule.
    static func text(for rule: any Rule) -> String {
        let doc = rule.documentation
        var out = "\(rule.id) (default: \(rule.defaultSeverity.rawValue))\n\n\(doc.summary)\n\n\(wrap(doc.rationale))\n"
        if !doc.triggering.isEmpty {
            out += "\nTriggers on:\n"
            for example in doc.triggering { out += indent(example.focus) }
        }
        if !doc.passing.isEmpty {
            out += "\nDoes not trigger on:\n"
            for example in doc.passing { out += indent(example.focus) }
        }
        out += "\nConfigure in inquest.yml:  rules: { \(rule.id): error|warning|info|off }\n"
        out += "Suppress in a file:        <!-- inquest-disable-next-line \(rule.id) -->\n"
        return out
    }

    private static func indent(_ text: String) -> String {
        "\n" + text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    /// Greedy word wrap at `width` columns.
    static func wrap(_ text: String, width: Int = 88) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, !line.isEmpty {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import InquestCore

struct Explain: InquestCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain a rule: what it checks, why, and examples.")

    @Argument(help: "A rule id, e.g. blameless/counterfactual (or config/invalid, the id of configuration errors).")
    var rule: String

    func run(in context: CLIContext) throws(CLIError) {
        if rule == Self.configurationErrorID {
            return context.out(Self.configurationErrorText)
        }
        guard let found = RuleRegistry.rule(rule) else {
            throw .failure("unknown rule '\(rule)'" + (Self.guess(rule).map { "; did you mean '\($0)'?" } ?? "") + " (see 'inquest rules')")
        }
        context.out(Self.text(for: found))
    }

    /// The id configuration errors carry (`inquest.yml:2:1: error: … [config/invalid]`): not a rule
    /// that can be configured or suppressed, but explained like one.
    static let configurationErrorID = "config/invalid"

    static let configurationErrorText = """
        config/invalid (always an error; exit status 2)

        inquest.yml (or the file given with --config) could not be read: invalid YAML, an unknown
        key, a value of the wrong type, an unknown rule id or rule level. Nothing is linted until it
        is fixed, because a silently ignored setting would change what the gate checks.

        The message names the file, line and column, e.g.

            inquest.yml:2:1: error: unknown key 'rulez' [config/invalid]

        Rule levels are error, warning (or warn), info and off. 'inquest rules' lists the rule ids;
        'inquest schema config' prints a JSON Schema editors can check the file with.

        """

    /// The rule meant by a mistyped or partial id: the one whose name after the family matches
    /// (`named-individual` → `blameless/named-individual`), else the single nearest id.
    static func guess(_ text: String) -> String? {
        let ids = RuleRegistry.ids.union([configurationErrorID])
        let byName = ids.filter { $0.split(separator: "/").last.map(String.init) == text }
        if byName.count == 1 { return byName.first }
        if let near = Spelling.closest(to: text, in: ids, maxDistance: 6) { return near }
        let names = Dictionary(grouping: ids) { String($0.split(separator: "/").last ?? "") }
        guard let nearName = Spelling.closest(to: text, in: names.keys, maxDistance: 3), names[nearName]?.count == 1 else { return nil }
        return names[nearName]?.first
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

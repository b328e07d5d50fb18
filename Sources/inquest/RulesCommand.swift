import ArgumentParser
import InquestCore

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every rule with its default severity.")

    func run() throws {
        let rules = RuleRegistry.all
        let width = rules.map(\.id.count).max() ?? 0
        for rule in rules {
            let padded = rule.id + String(repeating: " ", count: width - rule.id.count)
            let severity = rule.defaultSeverity.rawValue + String(repeating: " ", count: 7 - rule.defaultSeverity.rawValue.count)
            writeOut("\(padded)  \(severity)  \(rule.documentation.summary)\n")
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain a rule: what it checks, why, and examples.")

    @Argument(help: "A rule id, e.g. blameless/counterfactual.")
    var rule: String

    func run() throws {
        guard let found = RuleRegistry.rule(rule) else {
            let guess = Spelling.closest(to: rule, in: RuleRegistry.ids, maxDistance: 6)
            printError("inquest: error: unknown rule '\(rule)'" + (guess.map { "; did you mean '\($0)'?" } ?? "") + " (see 'inquest rules')")
            throw ExitStatus.failure
        }
        let doc = found.documentation
        var out = "\(found.id) (default: \(found.defaultSeverity.rawValue))\n\n\(doc.summary)\n\n\(wrap(doc.rationale))\n"
        if !doc.triggering.isEmpty {
            out += "\nTriggers on:\n"
            for example in doc.triggering { out += indent(example.focus) }
        }
        if !doc.passing.isEmpty {
            out += "\nDoes not trigger on:\n"
            for example in doc.passing { out += indent(example.focus) }
        }
        out += "\nConfigure in inquest.yml:  rules: { \(found.id): error|warning|info|off }\n"
        out += "Suppress in a file:        <!-- inquest-disable-next-line \(found.id) -->\n"
        writeOut(out)
    }

    private func indent(_ text: String) -> String {
        "\n" + text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    private func wrap(_ text: String, width: Int = 88) -> String {
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

import ArgumentParser
import InquestCore

struct Rules: InquestCommand {
    static let configuration = CommandConfiguration(abstract: "List every rule with its default severity.")

    func run(in context: CLIContext) throws(CLIError) {
        let rules = RuleRegistry.all
        let width = rules.map(\.id.count).max() ?? 0
        var out = ""
        for rule in rules {
            let padded = rule.id + String(repeating: " ", count: width - rule.id.count)
            let severity = rule.defaultSeverity.rawValue + String(repeating: " ", count: 7 - rule.defaultSeverity.rawValue.count)
            out += "\(padded)  \(severity)  \(rule.documentation.summary)\n"
        }
        context.out(out)
    }
}

import ArgumentParser
import Foundation
import InquestCore

/// `inquest schema config|front-matter`: JSON Schemas for editors, made from this archive.
struct SchemaCommand: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema (draft 2020-12) for inquest.yml or for the front-matter.",
        discussion: """
            The front-matter schema reflects this archive: its severities and required fields, the \
            services seen, and the cause ids of the catalogue with their titles. Commit the output \
            (e.g. as .inquest/front-matter.schema.json) and point editors at it with a \
            '# yaml-language-server: $schema=…' line.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case config
        case frontMatter = "front-matter"
    }

    @Argument(help: "config or front-matter.")
    var kind: Kind

    @OptionGroup var source: SourceOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Write the schema to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    func run(in context: CLIContext) throws(CLIError) {
        let value: JSONSchemas.Value
        switch kind {
        case .config:
            value = JSONSchemas.configuration(ruleIDs: RuleRegistry.all.map(\.id))
        case .frontMatter:
            let reader = try source.openReader(context)
            let plan = try CLIError.exitingOnFailure { try LintPlan.make(reader: reader, from: reader.workspace.root, loadHistory: false) }
            value = JSONSchemas.frontMatter(configuration: reader.workspace.configuration, archive: plan.archive)
        }
        let text = JSONSchemas.text(value)
        guard let output else { return context.out(text) }
        try AtomicFile.write(Array(text.utf8), to: context.url(output))
    }
}

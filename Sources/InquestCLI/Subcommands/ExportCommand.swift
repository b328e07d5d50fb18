import ArgumentParser
import Foundation
import InquestCore

/// The formats `inquest export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case json
}

struct Export: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the parsed model of every postmortem as versioned JSON.",
        discussion: "Front-matter as written, sections, timeline entries with their parsed times, action items, causes, recurrence and related postmortems. The format is described in docs/export.md and docs/export.schema.json.")

    @Argument(help: "Files or folders to export (default: the whole archive). The whole archive is always read, for recurrence and related postmortems.")
    var paths: [String] = []

    @Option(help: "Output format (json).")
    var format: ExportFormat = .json

    @OptionGroup var source: SourceOptions

    func run(in context: CLIContext) throws(CLIError) {
        let reader = try source.openReader(context, near: paths.first)
        let plan = try CLIError.exitingOnFailure {
            try LintPlan.make(reader: reader, paths: paths, from: context.currentDirectory, loadHistory: false)
        }
        let export = ArchiveExporter.export(plan.archive, reportPaths: plan.input.reportPaths, source: plan.sourceLabel)
        context.out(ArchiveExporter.json(export))
    }
}

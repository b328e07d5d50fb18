import ArgumentParser
import Foundation
import InquestCore

/// Text or JSON for the report commands.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports across the archive.", subcommands: [Actions.self])

    struct Actions: InquestCommand {
        static let configuration = CommandConfiguration(
            abstract: "Action items across the archive.",
            discussion: "Overdue means open with a due date before the reference date: the time of the commit being read, or SOURCE_DATE_EPOCH; never the wall clock, so output is reproducible.")

        @Flag(help: "Only open items.")
        var open = false

        @Flag(help: "Only open items past their due date.")
        var overdue = false

        @Option(help: "Output format: text or json.")
        var format: ReportFormat = .text

        @OptionGroup var source: SourceOptions

        func run(in context: CLIContext) throws(CLIError) {
            let archive = try source.loadArchive(context)
            let now = Archive.referenceDate(history: archive.history, environment: context.environment)
            if overdue, now == nil {
                throw .failure("--overdue needs a reference date: run inside a git repository with commits, or set SOURCE_DATE_EPOCH")
            }
            let report = ActionsReport(archive: archive, filter: overdue ? .overdue : (open ? .open : .all), now: now)
            context.out(format == .json ? report.json() : report.text())
        }
    }
}

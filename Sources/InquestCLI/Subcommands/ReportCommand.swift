import ArgumentParser
import Foundation
import InquestCore

/// The report commands' formats.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, csv
}

/// What `causes` and `report actions` share: format, output file, `--fail-on-overdue`.
struct ReportOptions: ParsableArguments {
    @Option(help: "Output format: text, json, markdown or csv.")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("fail-on-overdue"), help: "Exit 1 when an open action item is past its due date (a CI gate for follow-up work).")
    var failOnOverdue = false

    func write(_ text: String, context: CLIContext) throws(CLIError) {
        guard let output else { return context.out(text) }
        try AtomicFile.write(Array(text.utf8), to: context.url(output))
    }

    /// The reference date; `--fail-on-overdue` and `--overdue` need one.
    func referenceDate(_ archive: Archive, context: CLIContext, required: String?) throws(CLIError) -> CalendarDate? {
        let now = Archive.referenceDate(history: archive.history, environment: context.environment)
        if now == nil, let option = required ?? (failOnOverdue ? "--fail-on-overdue" : nil) {
            throw .failure("\(option) needs a reference date: run inside a git repository with commits, or set SOURCE_DATE_EPOCH")
        }
        return now
    }

    func checkOverdue(_ count: Int) throws(CLIError) {
        guard failOnOverdue, count > 0 else { return }
        throw .lintFailed("inquest: \(plural(count, "action item")) overdue (--fail-on-overdue)")
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports across the archive.", subcommands: [Actions.self])

    struct Actions: InquestCommand {
        static let configuration = CommandConfiguration(
            commandName: "actions",
            abstract: "Action items across the archive.",
            discussion: "Overdue means open with a due date before the reference date: the time of the commit being read, or SOURCE_DATE_EPOCH; never the wall clock, so output is reproducible. Exit status: 0, 1 overdue items with --fail-on-overdue, 2 usage, configuration or I/O error.")

        @Flag(help: "Only open items.")
        var open = false

        @Flag(help: "Only open items past their due date.")
        var overdue = false

        @Option(name: .customLong("group-by"), help: ArgumentHelp("Group by owner (text and markdown print a section per owner).", valueName: "owner"))
        var groupBy: Grouping?

        @OptionGroup var report: ReportOptions

        @OptionGroup var source: SourceOptions

        enum Grouping: String, ExpressibleByArgument, CaseIterable { case owner }

        func run(in context: CLIContext) throws(CLIError) {
            let archive = try source.loadArchive(context)
            let now = try report.referenceDate(archive, context: context, required: overdue ? "--overdue" : nil)
            let actions = ActionsReport(archive: archive, filter: overdue ? .overdue : (open ? .open : .all), now: now,
                                        groupByOwner: groupBy == .owner)
            switch report.format {
            case .text: try report.write(actions.text(), context: context)
            case .json: try report.write(actions.json(), context: context)
            case .markdown: try report.write(actions.markdown(), context: context)
            case .csv: try report.write(actions.csv(), context: context)
            }
            try report.checkOverdue(actions.overdueCount)
        }
    }
}

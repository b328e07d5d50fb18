import ArgumentParser
import Foundation
import InquestCore

struct Causes: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "causes",
        abstract: "List root causes by recurrence, with their incidents and open action items.",
        discussion: "Exit status: 0, 1 overdue action items with --fail-on-overdue, 2 usage, configuration or I/O error.")

    @OptionGroup var report: ReportOptions

    @OptionGroup var source: SourceOptions

    func run(in context: CLIContext) throws(CLIError) {
        let archive = try source.loadArchive(context)
        let causes = CausesReport(archive: archive, now: try report.referenceDate(archive, context: context, required: nil))
        switch report.format {
        case .text: try report.write(causes.text(), context: context)
        case .json: try report.write(causes.json(), context: context)
        case .markdown: try report.write(causes.markdown(), context: context)
        case .csv: try report.write(causes.csv(), context: context)
        }
        try report.checkOverdue(causes.overdueCount)
    }
}

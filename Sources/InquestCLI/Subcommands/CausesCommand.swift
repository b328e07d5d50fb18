import ArgumentParser
import Foundation
import InquestCore

struct Causes: InquestCommand {
    static let configuration = CommandConfiguration(
        abstract: "List root causes by recurrence, with their incidents and open action items.")

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var source: SourceOptions

    func run(in context: CLIContext) throws(CLIError) {
        let report = CausesReport(archive: try source.loadArchive(context))
        context.out(format == .json ? report.json() : report.text())
    }
}

import ArgumentParser
import Foundation
import InquestCore

/// Text or JSON for the report commands.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Loads the archive of the current workspace (working tree) for the report commands.
func loadArchive(config: String?) throws -> Archive {
    let workspace = try openWorkspace(config: config)
    do {
        let input = try workspace.lintInput(source: WorkingTreeSource(root: workspace.root), paths: [], from: currentDirectory)
        return Linter(configuration: workspace.configuration).buildArchive(input)
    } catch {
        printError("inquest: error: \(error.message)")
        throw ExitStatus.failure
    }
}

struct Causes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List root causes by recurrence, with their incidents and open action items.")

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Option(help: "Configuration file.")
    var config: String?

    func run() throws {
        let report = CausesReport(archive: try loadArchive(config: config))
        writeOut(format == .json ? report.json() : report.text())
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports across the archive.", subcommands: [Actions.self])

    struct Actions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Action items across the archive.",
            discussion: "Overdue means open with a due date before the reference date: the time of the commit being read, or SOURCE_DATE_EPOCH; never the wall clock, so output is reproducible.")

        @Flag(help: "Only open items.")
        var open = false

        @Flag(help: "Only open items past their due date.")
        var overdue = false

        @Option(help: "Output format: text or json.")
        var format: ReportFormat = .text

        @Option(help: "Configuration file.")
        var config: String?

        func run() throws {
            let archive = try loadArchive(config: config)
            let now = Archive.referenceDate(history: archive.history, environment: ProcessInfo.processInfo.environment)
            if overdue, now == nil {
                printError("inquest: error: --overdue needs a reference date: run inside a git repository with commits, or set SOURCE_DATE_EPOCH")
                throw ExitStatus.failure
            }
            let report = ActionsReport(archive: archive, filter: overdue ? .overdue : (open ? .open : .all), now: now)
            writeOut(format == .json ? report.json() : report.text())
        }
    }
}

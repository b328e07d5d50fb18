import ArgumentParser
import Foundation
import InquestCore

/// Text or JSON for the report commands.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Where the report commands read from: the same choices as `lint`.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the files as committed at this revision; the working tree is not read.", valueName: "rev"))
    var rev: String?

    @Flag(help: "Read the staged files (the git index).")
    var staged = false

    @Option(help: "Configuration file.")
    var config: String?

    func validate() throws {
        if rev != nil && staged { throw ValidationError("--rev and --staged cannot be combined: pick the revision or the index") }
    }

    /// The archive with its git history (which sets "now" to the commit's time).
    func loadArchive() throws -> Archive {
        let selection: DocumentSourceSelection = rev.map { .revision($0) } ?? (staged ? .index : .workingTree)
        let reader = try openReader(config: config, selection: selection)
        do {
            return try LintPlan.make(reader: reader, from: currentDirectory).archive
        } catch {
            printError("inquest: error: \(error.message)")
            throw ExitStatus.failure
        }
    }
}

struct Causes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List root causes by recurrence, with their incidents and open action items.")

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var source: SourceOptions

    func run() throws {
        let report = CausesReport(archive: try source.loadArchive())
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

        @OptionGroup var source: SourceOptions

        func run() throws {
            let archive = try source.loadArchive()
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

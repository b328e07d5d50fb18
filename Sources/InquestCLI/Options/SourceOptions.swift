import ArgumentParser
import Foundation
import InquestCore

/// Where a command reads the archive from — the working tree (default), `--rev REV` or `--staged` —
/// and which configuration file applies. Shared by `lint`, `causes`, `report`, `build` and `publish`.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the files as committed at this revision (branch, tag, sha); the working tree is not read.", valueName: "rev"))
    var rev: String?

    @Flag(help: "Read the staged files (the git index): what the next commit will contain.")
    var staged = false

    @Option(help: "Configuration file (default: inquest.yml at the repository root).")
    var config: String?

    func validate() throws {
        if rev != nil && staged { throw ValidationError("--rev and --staged cannot be combined: pick the revision or the index") }
    }

    /// What is read, for messages: `the working tree`, `revision main`, `the index`.
    var label: String { rev.map { "revision \($0)" } ?? (staged ? "the index" : "the working tree") }

    var selection: DocumentSourceSelection { rev.map { .revision($0) } ?? (staged ? .index : .workingTree) }

    /// Opens the archive; the workspace is found from `path` (the first path on the command line) when given.
    func openReader(_ context: CLIContext, near path: String? = nil) throws(CLIError) -> ArchiveReader {
        try context.openReader(config: config, near: path, selection: selection)
    }

    /// The parsed archive with its git history (which sets "now" to the commit's time).
    func loadArchive(_ context: CLIContext) throws(CLIError) -> Archive {
        let reader = try openReader(context)
        return try CLIError.exitingOnFailure { try LintPlan.make(reader: reader, from: context.currentDirectory).archive }
    }
}

import ArgumentParser
import Foundation
import InquestCore

extension OutputFormat: ExpressibleByArgument {}

struct Lint: InquestCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check postmortems against the schema, structure and language rules.",
        discussion: "Exit status: 0 no errors, 1 lint errors (or warnings with --strict), 2 usage, configuration or I/O error."
    )

    @Argument(help: "Files or folders to report on (default: the whole postmortems folder).")
    var paths: [String] = []

    @Option(help: "Output format: text, json, sarif or github.")
    var format: OutputFormat = .text

    @OptionGroup var source: SourceOptions

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Flag(help: "Only print errors.")
    var quiet = false

    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    @Option(name: [.customLong("changed-since"), .customLong("base")],
            help: ArgumentHelp("Report only postmortems added or modified since the merge base with this revision (e.g. origin/main).", valueName: "base"))
    var changedSince: String?

    func run(in context: CLIContext) throws(CLIError) {
        // The workspace is found from the first path, so `inquest lint examples/broken` uses that
        // archive's own inquest.yml when it has one.
        let reader = try source.openReader(context, near: paths.first)
        // No lint rule reads history dates, so the history walk is left to `build` and the reports.
        let plan = try CLIError.exitingOnFailure {
            try LintPlan.make(reader: reader, paths: paths, from: context.currentDirectory, changedSince: changedSince, loadHistory: false,
                              judgeStagedChange: true)
        }
        var result = plan.lint()
        // Text is read by people: paths relative to the current folder, so they can be opened.
        // Machine formats keep repository-root paths, which is what CI annotations resolve.
        let repositoryPrefix = reader.repository.map { $0.pathPrefix.isEmpty ? "" : $0.pathPrefix + "/" } ?? ""
        let prefix = format == .text ? context.displayPrefix(for: reader.workspace.root) : repositoryPrefix
        var sources: [String: SourceText] = [:]
        for postmortem in result.archive.postmortems { sources[prefix + postmortem.path] = postmortem.source }
        if let catalogue = result.archive.catalogue { sources[prefix + catalogue.path] = catalogue.source }
        if !prefix.isEmpty { result.diagnostics = result.diagnostics.map { var d = $0; d.file = prefix + d.file; return d } }
        let color = !noColor && context.isTerminal && context.environment["NO_COLOR"] == nil
        let formatter = DiagnosticFormatter(format: format, color: color, quiet: quiet)
        context.out(formatter.render(result.diagnostics, summary: result.summary, sources: sources))
        let summary = result.summary
        if summary.errors > 0 || (strict && summary.warnings > 0) { throw .lintFailed() }
    }
}

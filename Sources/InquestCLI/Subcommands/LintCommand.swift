import ArgumentParser
import Foundation
import InquestCore

extension OutputFormat: ExpressibleByArgument {}

struct Lint: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check postmortems against the schema, structure and language rules.",
        discussion: """
            With --staged (the pre-commit hook), what the commit changes is judged: the staged \
            postmortems, plus findings a staged change causes in other files (not findings that \
            were already there at HEAD). With --changed-since, the same against the merge base.
            Exit status: 0 no errors, 1 lint errors (or warnings with --strict, or more than \
            --max-warnings), 2 usage, configuration or I/O error.
            """
    )

    @Argument(help: "Files or folders to report on (default: the whole postmortems folder); '-' reads standard input (name it with --stdin-filename).")
    var paths: [String] = []

    @Option(help: "Output format: text, json, sarif, github or gitlab.")
    var format: OutputFormat = .text

    @OptionGroup var source: SourceOptions

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Flag(help: "Only print errors.")
    var quiet = false

    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("max-warnings"), help: ArgumentHelp("Fail when there are more than this many warnings.", valueName: "n"))
    var maxWarnings: Int?

    @Option(name: [.customLong("changed-since"), .customLong("base")],
            help: ArgumentHelp("Report only postmortems added or modified since the merge base with this revision (e.g. origin/main).", valueName: "base"))
    var changedSince: String?

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp("The path standard input stands for (with '-'), e.g. postmortems/2025/x.md: the rest of the archive is read around it.", valueName: "path"))
    var stdinFilename: String?

    @Flag(help: "Apply the fixes rules attach (only where exactly one correction is right), then report what remains.")
    var fix = false

    @Flag(name: .customLong("dry-run"), help: "With --fix: print the changes as a unified diff instead of writing them.")
    var dryRun = false

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the lint cache (also INQUEST_NO_CACHE=1). The cache never changes the output; this only trades speed.")
    var noCache = false

    func validate() throws {
        if let maxWarnings, maxWarnings < 0 { throw ValidationError("--max-warnings must be 0 or more") }
        if dryRun && !fix { throw ValidationError("--dry-run goes with --fix") }
        if fix && source.rev != nil { throw ValidationError("--fix writes files: it cannot fix a committed revision (--rev)") }
        let stdin = paths.filter { $0 == "-" }.count
        if stdin > 1 { throw ValidationError("'-' (standard input) can be given once") }
        if stdin == 1 && paths.count > 1 { throw ValidationError("'-' (standard input) cannot be combined with other paths") }
        if stdin == 1 && stdinFilename == nil { throw ValidationError("'-' needs --stdin-filename PATH: where the text belongs in the archive") }
        if stdinFilename != nil && stdin == 0 { throw ValidationError("--stdin-filename goes with '-' (standard input)") }
        if stdin == 1 && fix && !dryRun { throw ValidationError("--fix on standard input needs --dry-run (there is no file to write)") }
        if stdin == 1 && source.rev != nil { throw ValidationError("'-' reads the working tree around standard input: it cannot be combined with --rev") }
    }

    func run(in context: CLIContext) throws(CLIError) {
        if fix {
            let fixed = try applyFixes(context)
            if dryRun {
                try output.write(fixed.diff, context: context)
                context.err("inquest: \(fixed.count > 0 ? "would fix \(fixed.counts)" : "nothing to fix") (dry run: nothing written)")
                return
            }
            if fixed.count > 0 { context.err("inquest: \(fixed.summary)") }
            if source.staged, fixed.count > 0 {
                context.err("inquest: the fixes are in the working tree; stage them (git add) to commit them")
            }
        }
        let (reader, result, prefix) = try lint(context)
        // Freeing the parsed archive (every document's tree) at the end of the command costs 2–3%
        // of a cold lint; the process is about to exit, so the result is kept until the next lint
        // in this process (tests run many) or the exit.
        LastLintResult.keep(result)
        // Formatters read the source of files with diagnostics only: not a dictionary of the whole archive.
        // Diagnostics come sorted by file: each file is looked up once, as it first appears (no
        // set of 16,000 paths on a warm whole-archive run).
        var sources: [String: SourceText] = [:]
        var previous: String?
        for diagnostic in result.diagnostics where diagnostic.file != previous {
            previous = diagnostic.file
            let file = diagnostic.file
            guard sources[prefix + file] == nil, let index = result.archive.indexes(ofPath: file).last else { continue }
            sources[prefix + file] = result.archive.postmortems[index].source
        }
        if let catalogue = result.archive.catalogue { sources[prefix + catalogue.path] = catalogue.source }
        var diagnostics = result.diagnostics
        if !prefix.isEmpty { diagnostics = diagnostics.map { var d = $0; d.file = prefix + d.file; return d } }
        let formatter = DiagnosticFormatter(format: format, color: output.color(context), quiet: quiet,
                                            sourceRoot: reader.repository.map { $0.workingDirectory ?? reader.workspace.root } ?? reader.workspace.root,
                                            docsURL: reader.workspace.configuration.docsURL)
        let summary = result.summary
        try output.write(Self.render(diagnostics, with: formatter, summary: summary, sources: sources), context: context)
        if summary.errors > 0 { throw .lintFailed() }
        if strict && summary.warnings > 0 {
            // With --quiet the warnings were not printed, so say why the run failed.
            throw .lintFailed(quiet ? "inquest: \(plural(summary.warnings, "warning")) (not shown with --quiet) fail the run with --strict" : nil)
        }
        if let maxWarnings, summary.warnings > maxWarnings {
            throw .lintFailed("inquest: too many warnings: \(summary.warnings), --max-warnings is \(maxWarnings)")
        }
    }

    /// The formatted output. A long text output (a whole archive's notes: 1,500 at 1,000
    /// postmortems, 16,000 at 10,000) is rendered in pieces on every core and joined as bytes
    /// (``DiagnosticFormatter/render(_:summary:sources:pieceSize:)``): the same bytes.
    static func render(_ diagnostics: [Diagnostic], with formatter: DiagnosticFormatter, summary: DiagnosticSummary,
                       sources: [String: SourceText], pieceSize: Int = 768) -> String {
        formatter.render(diagnostics, summary: summary, sources: sources, pieceSize: pieceSize)
    }

    /// Lints as the options say; returns the reader, the result and the prefix paths print with.
    private func lint(_ context: CLIContext) throws(CLIError) -> (ArchiveReader, LintResult, String) {
        let stdin = paths == ["-"]
        // The workspace is found from the first path, so `inquest lint examples/broken` uses that
        // archive's own inquest.yml when it has one.
        let reader = try source.openReader(context, near: stdin ? stdinFilename : paths.first)
        var overlay: [String: [UInt8]] = [:]
        if stdin, let stdinFilename {
            guard let relative = Workspace.relativePath(of: context.url(stdinFilename), to: reader.workspace.root), !relative.isEmpty else {
                throw .failure("--stdin-filename \(stdinFilename): outside the archive at \(reader.workspace.root.path)")
            }
            overlay[relative] = [UInt8](context.stdin())
        }
        // No lint rule reads history dates, so the history walk is left to `build` and the reports.
        let plan = try CLIError.exitingOnFailure {
            try LintPlan.make(reader: reader, paths: stdin ? [] : paths, from: context.currentDirectory, changedSince: changedSince,
                              loadHistory: false, judgeStagedChange: true, overlay: overlay, cache: cache(for: reader, context: context))
        }
        // Text is read by people: paths relative to the current folder, so they can be opened.
        // Machine formats keep repository-root paths, which is what CI annotations resolve.
        let repositoryPrefix = reader.repository.map { $0.pathPrefix.isEmpty ? "" : $0.pathPrefix + "/" } ?? ""
        let prefix = format == .text ? context.displayPrefix(for: reader.workspace.root) : repositoryPrefix
        let result = plan.lint()
        // Freed by the exit (or the next lint in this process), not piece by piece now: the
        // plan holds every document of the archive.
        LastLintResult.keep(plan: plan)
        return (reader, result, prefix)
    }

    /// The lint cache (``LintCache``), unless `--no-cache` or a non-empty `INQUEST_NO_CACHE`
    /// other than `0`/`false` turns it off.
    private func cache(for reader: ArchiveReader, context: CLIContext) -> LintCache? {
        if noCache { return nil }
        if context.cachesTurnedOff { return nil }
        return LintCache.location(root: reader.workspace.root, repository: reader.repository)
    }

    /// What `--fix` did (or, with `--dry-run`, would do).
    struct FixOutcome {
        var count = 0
        var files = 0
        var diff = ""
        var counts: String { "\(plural(count, "problem")) in \(plural(files, "file"))" }
        var summary: String { "fixed \(counts)" }
    }

    /// Lints, applies every attached fix file by file (one pass), writes the files atomically
    /// (or collects a diff). With `--staged` a working-tree file is fixed only when it is exactly
    /// what is staged, so a fix never mixes with unstaged edits.
    private func applyFixes(_ context: CLIContext) throws(CLIError) -> FixOutcome {
        let (reader, result, _) = try lint(context)
        let root = reader.workspace.root
        let display = context.displayPrefix(for: root)
        var byFile: [String: [Fix]] = [:]
        for diagnostic in result.diagnostics { if let fix = diagnostic.fix { byFile[diagnostic.file, default: []].append(fix) } }
        var sources: [String: SourceText] = [:]
        for postmortem in result.archive.postmortems { sources[postmortem.path] = postmortem.source }
        if let catalogue = result.archive.catalogue { sources[catalogue.path] = catalogue.source }
        var outcome = FixOutcome()
        for (path, fixes) in byFile.sorted(by: { $0.key < $1.key }) {
            guard let linted = sources[path]?.bytes else { continue }
            let url = root.appendingPathComponent(path)
            if paths != ["-"] {
                // The file on disk must be what was linted: the working tree itself, or (--staged)
                // a working-tree file identical to the index.
                guard let disk = FileManager.default.contents(atPath: url.path), [UInt8](disk) == linted else {
                    if source.staged { context.err("inquest: \(display + path): not fixed, it has unstaged changes") }
                    continue
                }
            }
            let applied = Fixer.apply(fixes, to: linted)
            guard !applied.applied.isEmpty else { continue }
            outcome.count += applied.applied.count
            outcome.files += 1
            if dryRun {
                outcome.diff += Fixer.unifiedDiff(path: display + path, old: linted, new: applied.bytes)
            } else {
                try AtomicFile.write(applied.bytes, to: url)
            }
        }
        return outcome
    }
}

func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }

/// Holds the latest lint result so that it is freed by the process's exit (or the next lint run in
/// the same process) rather than piece by piece when `inquest lint` returns.
private enum LastLintResult {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var result: LintResult?
    nonisolated(unsafe) private static var plan: LintPlan?

    static func keep(_ result: LintResult) {
        lock.lock()
        let previous = Self.result
        Self.result = result
        lock.unlock()
        _ = previous   // the previous run's result is freed here, outside the lock
    }

    static func keep(plan: LintPlan) {
        lock.lock()
        let previous = Self.plan
        Self.plan = plan
        lock.unlock()
        _ = previous
    }
}

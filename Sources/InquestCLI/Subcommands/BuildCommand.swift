import ArgumentParser
import Foundation
import InquestCore
import InquestSite

struct Build: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the static HTML archive of the postmortems.",
        discussion: """
            Writes the site into --output (default: _site at the repository root), atomically: a failed \
            build leaves the previous site untouched. Only pages whose content changed are rendered again. \
            The same commit always gives byte-identical output (dates come from git or SOURCE_DATE_EPOCH). \
            A repository's own site/ folder overrides the built-in theme file by file.
            Exit status: 0 built, 2 usage, configuration, theme or I/O error (including an output folder \
            that inquest did not create).
            """
    )

    @OptionGroup var source: SourceOptions

    @OptionGroup var site: SiteOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder (default: _site at the repository root).", valueName: "dir"))
    var output: String?

    @Flag(help: "Render every page, ignoring the previous build's cache.")
    var clean = false

    @Flag(name: [.short, .long], help: "Print only the path of index.html.")
    var quiet = false

    func run(in context: CLIContext) throws(CLIError) {
        let start = Date()
        BuildTrace.mark("start")
        let reader = try site.openReader(source, context: context)
        let root = reader.workspace.root
        let outputURL = output.map { context.url($0) } ?? root.appendingPathComponent("_site")
        var protected = [root]
        if let workdir = reader.repository?.workingDirectory { protected.append(workdir) }
        let generator = InquestSite.generatorIdentity()
        // One listing of the working tree for the whole build (input digest, lint, site facts),
        // reading only files whose stat changed since the last run.
        if let cache = site.cache(for: reader, context: context) { reader.useStatIndex(StatIndex.beside(cache)) }
        // A rebuild's site facts are read on another core while the input digest is worked out,
        // and stopped as soon as the digest says the build may have nothing to do.
        var prefetched = clean ? nil : site.prefetchCaches(reader, context: context)
        BuildTrace.mark("prefetch started")
        let described = BuildInputs.describe(reader: reader, baseURL: site.baseURL, environment: context.environment, generator: generator)
        let inputs = described?.value
        BuildTrace.mark("input digest")
        if let inputs, SiteBuild.mayBeUnchanged(output: outputURL, inputs: inputs) {
            prefetched?.siteFacts?.cancelPrefetch()
            prefetched = nil
        }
        // Nothing changed since the build in the output folder: nothing to parse, render or write.
        if !clean, let inputs, let unchanged = SiteBuild.unchanged(output: outputURL, protected: protected, inputs: inputs, generator: generator) {
            try site.reportLint(errors: unchanged.lintErrors, source: source, context: context)
            if !quiet {
                let time = String(format: "%.2f", Date().timeIntervalSince(start))
                context.out("Built \(unchanged.pages) pages (0 rendered, \(unchanged.pages) unchanged) and \(unchanged.assets) assets in \(time) s\n")
                let overridden = SiteBuild.overriddenThemeFiles(root: root)
                if !overridden.isEmpty { context.out("Theme overrides from site/: \(overridden.joined(separator: ", "))\n") }
            }
            context.out(outputURL.standardizedFileURL.appendingPathComponent(RenderedSite.indexPath).path + "\n")
            return
        }
        // A one-shot build: the archive and site model are left for the process exit to drop.
        ExitTeardown.skipForThisProcess()
        // Caches are written while the build goes on; the command returns once they are.
        BackgroundWork.deferWrites()
        defer { BackgroundWork.finish() }
        // A build that looked unchanged but is not (a file of the previous output was touched)
        // reads the caches now; the history cache is needed only once the archive is made.
        if !clean, prefetched == nil { prefetched = site.prefetchCaches(reader, context: context) }
        prefetched?.prefetchHistory()
        // The previous output is checked and listed on another core while the archive is read.
        let folder = outputURL.standardizedFileURL.deletingLastPathComponent().path
        let prepared = SiteBuild.PreparedOutput(output: outputURL, protected: protected, generator: generator, incremental: !clean,
                                                whileWaiting: { context.err("inquest: another build is writing in \(folder); waiting for it to finish") })
        BuildTrace.mark("prepared output started")
        // Lint may go on running on another core while the pages are worked out (not with --strict).
        let (archive, theme, settings, lintErrors, stubs, pending) = try site.load(reader, source: source, context: context, stubs: !clean,
                                                                                   deferLint: true, prefetched: prefetched)
        ExitTeardown.keep((archive, stubs, prefetched, described))
        BuildTrace.mark("site.load done")
        // Kept with the site only when the archive read is what the digest describes.
        let builtFrom = described.flatMap { $0.describes(archive) ? $0.value : nil }
        let summary: SiteBuild.Summary
        var pendingErrors: (@Sendable () -> Int?)?
        if let pending { pendingErrors = { pending.errors } }
        do throws(CLIError) {
            summary = try CLIError.exitingOnFailure {
                try SiteBuild.build(archive: archive, settings: settings, theme: theme, output: outputURL, protected: protected,
                                    generator: generator, incremental: !clean, inputs: lintErrors == nil ? nil : builtFrom,
                                    lintErrors: lintErrors ?? 0,
                                    searchCache: site.cache(for: reader, context: context).flatMap {
                                        SearchCache.beside($0, workspace: reader.workspace, generator: generator)
                                    }, stubs: stubs, prepared: prepared, pendingLintErrors: pendingErrors)
            }
        } catch {
            // Lint's report comes first, as in a build that waited for it.
            if let pending { try site.finishLint(pending, source: source, context: context) }
            throw error
        }
        BuildTrace.mark("SiteBuild.build done")
        if let pending { try site.finishLint(pending, source: source, context: context) }
        BuildTrace.mark("finishLint")
        if !quiet {
            // Wall time of the whole command: reading and parsing, git history, rendering, writing.
            let time = String(format: "%.2f", Date().timeIntervalSince(start))
            context.out("Built \(summary.pages) pages (\(summary.rendered) rendered, \(summary.reused) unchanged) and \(summary.files - summary.pages) assets in \(time) s\n")
            if !theme.overridden.isEmpty { context.out("Theme overrides from site/: \(theme.overridden.joined(separator: ", "))\n") }
        }
        context.out(summary.index.path + "\n")
    }
}

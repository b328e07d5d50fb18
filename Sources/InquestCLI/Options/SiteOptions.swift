import ArgumentParser
import Foundation
import InquestCore
import InquestSite

/// What `build` and `publish` share besides the source: the base URL, and loading the archive,
/// its history and the theme.
struct SiteOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: ArgumentHelp("Where the site is served (overrides site.base_url); enables sitemap.xml and absolute feed links.", valueName: "url"))
    var baseURL: String?

    @Flag(help: "Refuse to build when the revision has lint errors (without it they are reported as a warning).")
    var strict = false

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the lint, search and history caches (also INQUEST_NO_CACHE=1). The caches never change the output; this only trades speed.")
    var noCache = false

    /// Reads the archive, its history and the theme; bad input is a ``CLIError`` (exit 2).
    func load(_ source: SourceOptions, context: CLIContext) throws(CLIError) -> (reader: ArchiveReader, archive: Archive, theme: Theme, settings: SiteSettings) {
        let reader = try openReader(source, context: context)
        let loaded = try load(reader, source: source, context: context)
        return (reader, loaded.archive, loaded.theme, loaded.settings)
    }

    /// Opens the source after checking the options (cheap: no document is read yet).
    func openReader(_ source: SourceOptions, context: CLIContext) throws(CLIError) -> ArchiveReader {
        if let baseURL, SiteSettings(baseURL: baseURL).baseURL == nil {
            throw .failure("--base-url must be an http(s) URL or an absolute path, found '\(baseURL)'")
        }
        return try source.openReader(context)
    }

    /// Lints, then reads the archive (the one lint parsed, not a second parse), its history and the theme.
    /// - Parameter stubs: take unchanged documents from the site facts cache as stubs (``SiteStubs``),
    ///   for a build that renders only the pages whose inputs changed.
    /// - Parameter deferLint: without `--strict`, let lint go on running on another core when
    ///   the archive could be made without it (``SiteBuild/Linted/isPending``): its counts, and
    ///   the warnings that follow its report, are then in `pending` (``finishLint(_:source:context:)``).
    /// - Parameter prefetched: the caches ``prefetchCaches(_:context:)`` started reading.
    func load(_ reader: ArchiveReader, source: SourceOptions, context: CLIContext, stubs: Bool = false, deferLint: Bool = false,
              prefetched: PrefetchedCaches? = nil)
        throws(CLIError) -> (archive: Archive, theme: Theme, settings: SiteSettings, lintErrors: Int?, stubs: SiteStubs, pending: PendingLint?) {
        let lintCache = cache(for: reader, context: context)
        let siteFacts = stubs ? prefetched?.siteFacts ?? lintCache.flatMap {
            SiteFactsCache.beside($0, workspace: reader.workspace, generator: InquestSite.generatorIdentity())
        } : nil
        // The theme is compiled on another core meanwhile (its files are read here: `--rev` reads git).
        // Errors are thrown where they were before: after lint is reported.
        let overrides: Result<[String: [UInt8]], SiteError>
        do throws(SiteError) { overrides = .success(try SiteBuild.themeOverrides(reader: reader)) } catch { overrides = .failure(error) }
        let themeLoad = Background { () -> Result<Theme, SiteError> in
            do throws(SiteError) { return .success(try Theme.load(overrides: try overrides.get())) } catch { return .failure(error) }
        }
        BuildTrace.mark("theme started")
        let linted = SiteBuild.lint(reader: reader, cache: lintCache, siteFacts: siteFacts, finishing: !deferLint || strict)
        BuildTrace.mark("SiteBuild.lint returned")
        let deferred = linted.isPending
        var warnings: [String] = []
        if !deferred { try reportLint(errors: linted.errors, source: source, context: context) }
        typealias Loaded = (archive: Archive, theme: Theme, settings: SiteSettings, lintErrors: Int?, stubs: SiteStubs, pending: PendingLint?)
        func rest() throws(CLIError) -> Loaded {
            try CLIError.exitingOnFailure {
                let historyCache = prefetched?.history ?? lintCache.flatMap {
                    HistoryCache.beside($0, workspace: reader.workspace, generator: InquestSite.generatorIdentity())
                }
                let (archive, warning) = try SiteBuild.loadArchive(reader: reader, parsed: linted.archive, historyCache: historyCache)
                if let warning {
                    // After lint's report, as always: held back while lint runs.
                    if deferred { warnings.append("inquest: warning: \(warning)") } else { context.err("inquest: warning: \(warning)") }
                }
                BuildTrace.mark("loadArchive (history)")
                let theme = try themeLoad.value().get()
                BuildTrace.mark("theme waited")
                // The archive could be read, so what stopped lint passed (what did not is reported
                // above, as the build's own error): with --strict refuse, else say so.
                if !deferred, let failure = linted.failure {
                    try refuseUnlinted(failure)
                    context.err(Self.unlinted(failure))
                }
                // Stubs belong to the archive lint returned; a failed lint reads the archive in full.
                return (archive, theme, settings(reader, context: context), linted.failure == nil ? linted.errors : nil,
                        linted.archive == nil ? SiteStubs() : linted.stubs, deferred ? PendingLint(linted: linted, warnings: warnings) : nil)
            }
        }
        do throws(CLIError) {
            return try rest()
        } catch {
            // Lint's report comes before the error, as in a build that waited for it.
            if deferred { try finishLint(PendingLint(linted: linted, warnings: warnings), source: source, context: context) }
            throw error
        }
    }

    /// The site facts and history caches of a rebuild, already being read and decoded on other
    /// cores (``prefetchCaches(_:context:)``, ``PrefetchedCaches/prefetchHistory()``).
    struct PrefetchedCaches {
        var siteFacts: SiteFactsCache?
        var history: HistoryCache?
        /// Where the history cache is, before it is read.
        let historyCache: HistoryCache?

        /// Starts reading the history cache on another core (once the build is known to run:
        /// it is needed only after the archive is made).
        mutating func prefetchHistory() {
            if history == nil { history = historyCache?.prefetching() }
        }
    }

    /// Starts reading the site facts cache a rebuild takes its stubs from on another core, while
    /// the build works out its input digest (it does not depend on it;
    /// ``SiteFactsCache/cancelPrefetch()`` stops it when nothing may have changed). Nil without caches.
    func prefetchCaches(_ reader: ArchiveReader, context: CLIContext) -> PrefetchedCaches? {
        guard let lintCache = cache(for: reader, context: context) else { return nil }
        let generator = InquestSite.generatorIdentity()
        return PrefetchedCaches(siteFacts: SiteFactsCache.beside(lintCache, workspace: reader.workspace, generator: generator)?.prefetching(),
                                history: nil,
                                historyCache: HistoryCache.beside(lintCache, workspace: reader.workspace, generator: generator))
    }

    /// Lint still running while the site is built (``load(_:source:context:stubs:deferLint:)``),
    /// with the warnings held back until it is reported.
    struct PendingLint: Sendable {
        var linted: SiteBuild.Linted
        var warnings: [String]

        /// Lint's error count, once it finished; nil when lint could not run (``SiteBuild/Linted/failure``).
        var errors: Int? {
            let finished = linted.finished()
            return finished.failure == nil ? finished.errors : nil
        }
    }

    /// Reports a lint that ran alongside the build, then the warnings held back behind it: the
    /// same messages in the same order as a build that waited for it.
    func finishLint(_ pending: PendingLint, source: SourceOptions, context: CLIContext) throws(CLIError) {
        let finished = pending.linted.finished()
        if let failure = finished.failure {
            context.err(Self.unlinted(failure))
        } else {
            try reportLint(errors: finished.errors, source: source, context: context)
        }
        for warning in pending.warnings { context.err(warning) }
    }

    /// The warning for a build whose lint could not run.
    static func unlinted(_ failure: String) -> String {
        "inquest: warning: lint could not run (\(failure)); built without its checks"
    }

    /// With `--strict`, a lint that could not run is not a pass: refuse as for lint errors, with
    /// what stopped it (exit 2: nothing was checked).
    func refuseUnlinted(_ failure: String?) throws(CLIError) {
        guard strict, let failure else { return }
        throw .failure("lint could not run (\(failure)); refusing with --strict")
    }

    func settings(_ reader: ArchiveReader, context: CLIContext) -> SiteSettings {
        SiteSettings(configuration: reader.workspace.configuration, baseURL: baseURL,
                     repositoryPrefix: reader.repository?.pathPrefix ?? "", environment: context.environment)
    }

    /// The lint cache (``LintCache``), unless `--no-cache` or a non-empty `INQUEST_NO_CACHE`
    /// other than `0`/`false` turns it off (the same rule as `inquest lint`).
    func cache(for reader: ArchiveReader, context: CLIContext) -> LintCache? {
        if noCache { return nil }
        if context.cachesTurnedOff { return nil }
        return LintCache.location(root: reader.workspace.root, repository: reader.repository)
    }

    /// A site built from a revision that fails lint publishes broken pages without a word: say so,
    /// and with `--strict` refuse (exit 1).
    func reportLint(errors: Int, source: SourceOptions, context: CLIContext) throws(CLIError) {
        guard errors > 0 else { return }
        let command = "inquest lint" + (source.rev.map { " --rev \($0)" } ?? (source.staged ? " --staged" : ""))
        if strict {
            throw .lintFailed("inquest: error: \(source.label) has \(plural(errors, "lint error")) (see '\(command)'); refusing with --strict")
        }
        context.err("inquest: warning: \(source.label) has \(plural(errors, "lint error")) (see '\(command)'); building anyway")
    }
}

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
    func load(_ reader: ArchiveReader, source: SourceOptions, context: CLIContext, stubs: Bool = false)
        throws(CLIError) -> (archive: Archive, theme: Theme, settings: SiteSettings, lintErrors: Int, stubs: SiteStubs) {
        Theme.prepare()
        let lintCache = cache(for: reader, context: context)
        let siteFacts = stubs ? lintCache.flatMap { SiteFactsCache.beside($0, workspace: reader.workspace, generator: InquestSite.generatorIdentity()) } : nil
        let linted = SiteBuild.lint(reader: reader, cache: lintCache, siteFacts: siteFacts)
        try reportLint(errors: linted.errors, source: source, context: context)
        return try CLIError.exitingOnFailure {
            let historyCache = lintCache.flatMap { HistoryCache.beside($0, workspace: reader.workspace, generator: InquestSite.generatorIdentity()) }
            let (archive, warning) = try SiteBuild.loadArchive(reader: reader, parsed: linted.archive, historyCache: historyCache)
            if let warning { context.err("inquest: warning: \(warning)") }
            let theme = try Theme.load(overrides: SiteBuild.themeOverrides(reader: reader))
            // Stubs belong to the archive lint returned; a failed lint reads the archive in full.
            return (archive, theme, settings(reader, context: context), linted.errors, linted.archive == nil ? SiteStubs() : linted.stubs)
        }
    }

    func settings(_ reader: ArchiveReader, context: CLIContext) -> SiteSettings {
        SiteSettings(configuration: reader.workspace.configuration, baseURL: baseURL,
                     repositoryPrefix: reader.repository?.pathPrefix ?? "", environment: context.environment)
    }

    /// The lint cache (``LintCache``), unless `--no-cache` or a non-empty `INQUEST_NO_CACHE`
    /// other than `0`/`false` turns it off (the same rule as `inquest lint`).
    func cache(for reader: ArchiveReader, context: CLIContext) -> LintCache? {
        if noCache { return nil }
        if let value = context.environment["INQUEST_NO_CACHE"], !["", "0", "false"].contains(value.lowercased()) { return nil }
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

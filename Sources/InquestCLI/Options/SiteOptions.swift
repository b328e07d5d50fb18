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

    /// Reads the archive, its history and the theme; bad input is a ``CLIError`` (exit 2).
    func load(_ source: SourceOptions, context: CLIContext) throws(CLIError) -> (reader: ArchiveReader, archive: Archive, theme: Theme, settings: SiteSettings) {
        if let baseURL, SiteSettings(baseURL: baseURL).baseURL == nil {
            throw .failure("--base-url must be an http(s) URL or an absolute path, found '\(baseURL)'")
        }
        let reader = try source.openReader(context)
        try checkLint(reader, source: source, context: context)
        return try CLIError.exitingOnFailure {
            let (archive, warning) = try SiteBuild.loadArchive(reader: reader)
            if let warning { context.err("inquest: warning: \(warning)") }
            let theme = try Theme.load(overrides: SiteBuild.themeOverrides(reader: reader))
            let settings = SiteSettings(configuration: reader.workspace.configuration, baseURL: baseURL,
                                        repositoryPrefix: reader.repository?.pathPrefix ?? "",
                                        environment: context.environment)
            return (reader, archive, theme, settings)
        }
    }

    /// A site built from a revision that fails lint publishes broken pages without a word: say so,
    /// and with `--strict` refuse (exit 1).
    private func checkLint(_ reader: ArchiveReader, source: SourceOptions, context: CLIContext) throws(CLIError) {
        guard let plan = try? LintPlan.make(reader: reader, from: reader.workspace.root, loadHistory: false) else { return }
        let errors = plan.lint().summary.errors
        guard errors > 0 else { return }
        let command = "inquest lint" + (source.rev.map { " --rev \($0)" } ?? (source.staged ? " --staged" : ""))
        if strict {
            throw .lintFailed("inquest: error: \(source.label) has \(plural(errors, "lint error")) (see '\(command)'); refusing with --strict")
        }
        context.err("inquest: warning: \(source.label) has \(plural(errors, "lint error")) (see '\(command)'); building anyway")
    }
}

import ArgumentParser
import Foundation
import InquestCore
import InquestSite

/// Options `build` and `publish` share: which archive, which base URL.
struct SiteSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Build the archive as committed at this revision (branch, tag, sha); the working tree is not read.", valueName: "rev"))
    var rev: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Where the site is served (overrides site.base_url); enables sitemap.xml and absolute feed links.", valueName: "url"))
    var baseURL: String?

    @Option(help: "Configuration file (default: inquest.yml at the repository root).")
    var config: String?

    var selection: DocumentSourceSelection { rev.map { .revision($0) } ?? .workingTree }

    /// Reads the archive, its history and the theme; exits with code 2 on bad input.
    func load() throws -> (reader: ArchiveReader, archive: Archive, theme: Theme, settings: SiteSettings) {
        if let baseURL, SiteSettings(baseURL: baseURL).baseURL == nil {
            printError("inquest: error: --base-url must be an http(s) URL or an absolute path, found '\(baseURL)'")
            throw ExitStatus.failure
        }
        let reader = try openReader(config: config, selection: selection)
        do {
            let (archive, warning) = try SiteBuild.loadArchive(reader: reader)
            if let warning { printError("inquest: warning: \(warning)") }
            let theme = try Theme.load(overrides: SiteBuild.themeOverrides(reader: reader))
            let settings = SiteSettings(configuration: reader.workspace.configuration, baseURL: baseURL,
                                        repositoryPrefix: reader.repository?.pathPrefix ?? "",
                                        environment: ProcessInfo.processInfo.environment)
            return (reader, archive, theme, settings)
        } catch {
            printError("inquest: error: \(error.message)")
            throw ExitStatus.failure
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    @OptionGroup var source: SiteSourceOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder (default: _site at the repository root).", valueName: "dir"))
    var output: String?

    @Flag(help: "Render every page, ignoring the previous build's cache.")
    var clean = false

    @Flag(name: [.short, .long], help: "Print only the path of index.html.")
    var quiet = false

    func run() throws {
        let start = Date()
        let (reader, archive, theme, settings) = try source.load()
        let root = reader.workspace.root
        let outputURL = output.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : currentDirectory.appendingPathComponent($0) }
            ?? root.appendingPathComponent("_site")
        var protected = [root]
        if let workdir = reader.repository?.repository.workdir { protected.append(URL(fileURLWithPath: workdir)) }
        do {
            let summary = try SiteBuild.build(archive: archive, settings: settings, theme: theme, output: outputURL,
                                              protected: protected, incremental: !clean)
            if !quiet {
                // Wall time of the whole command: reading and parsing, git history, rendering, writing.
                let time = String(format: "%.2f", Date().timeIntervalSince(start))
                writeOut("Built \(summary.pages) pages (\(summary.rendered) rendered, \(summary.reused) unchanged) and \(summary.files - summary.pages) assets in \(time) s\n")
                if !theme.overridden.isEmpty { writeOut("Theme overrides from site/: \(theme.overridden.joined(separator: ", "))\n") }
            }
            writeOut(summary.index.path + "\n")
        } catch {
            printError("inquest: error: \(error.message)")
            throw ExitStatus.failure
        }
    }
}

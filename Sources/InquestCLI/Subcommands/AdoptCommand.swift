import ArgumentParser
import Foundation
import InquestCore

struct Adopt: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Add front-matter to existing postmortems, inferred from each document and its git history.",
        discussion: """
        Learns the archive's conventions (section headings, severity words, time zones, task lists) and adds \
        front-matter to every file that has none: title, date, status (draft unless stated), severity, services, \
        authors (the file's first git author), and started/detected/mitigated/resolved where the timeline or a \
        metadata line makes them evident. Files with front-matter are never changed; the body is never rewritten; \
        a second run changes nothing. With --dry-run the change is printed as a unified diff (the summary goes to \
        standard error).
        """)

    @Argument(help: "Files or folders to adopt (default: the postmortems folder). Without inquest.yml, a single folder given here becomes the postmortems folder.")
    var paths: [String] = []

    @Flag(help: "Print the change as a unified diff instead of writing it.")
    var dryRun = false

    @Flag(help: "Also write inquest.yml matching the archive's conventions (never overwrites one).")
    var writeConfig = false

    @Option(help: "Configuration file.")
    var config: String?

    func run(in context: CLIContext) throws(CLIError) {
        var workspace = try context.openWorkspace(config: config, near: paths.first)
        let source = WorkingTreeSource(root: workspace.root)
        let configExists = workspace.configurationPath != nil
            || FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent(ConfigurationLoader.fileName).path)
        if !configExists, paths.count == 1, let folder = folderPath(paths[0], root: workspace.root, source: source, context: context),
           !PostmortemFiles.isInside(folder, folder: workspace.configuration.postmortems) {
            // An archive without inquest.yml keeps its postmortems wherever it does: the folder given is the archive.
            var configuration = workspace.configuration
            configuration.postmortems = folder
            workspace = Workspace(root: workspace.root, configuration: configuration)
        }
        let result: Adopter.Result
        do {
            let input = try workspace.lintInput(source: source, paths: paths, from: context.currentDirectory)
            let selected = input.documents.filter { input.reportPaths?.contains($0.path) ?? true }
            let authors = try Adopter.gitAuthors(root: workspace.root, configuration: workspace.configuration, documents: input.documents)
            let adopter = Adopter(configuration: workspace.configuration, writeConfiguration: writeConfig, configurationExists: configExists)
            result = adopter.run(documents: selected, archive: input.documents, gitAuthors: authors)
        } catch {
            throw CLIError.failure(error.message)
        }
        let prefix = context.displayPrefix(for: workspace.root)
        if dryRun {
            var diff = result.changedFiles.map(\.diff).joined()
            if let text = result.configuration {
                diff += UnifiedDiff.newFile(path: ConfigurationLoader.fileName, contents: Array(text.utf8))
            }
            context.out(diff)
            context.err(Adopter.summary(result, pathPrefix: prefix))
            return
        }
        for file in result.changedFiles {
            guard let new = file.new else { continue }
            try write(new, to: workspace.root.appendingPathComponent(file.path), display: prefix + file.path)
        }
        if let text = result.configuration {
            try write(Array(text.utf8), to: workspace.root.appendingPathComponent(ConfigurationLoader.fileName), display: prefix + ConfigurationLoader.fileName)
        }
        var summary = Adopter.summary(result, pathPrefix: prefix)
        if result.configuration != nil { summary += "wrote \(prefix)\(ConfigurationLoader.fileName)\n" }
        context.out(summary)
    }

    /// The workspace-relative folder `path` names, when it is a folder inside the workspace.
    private func folderPath(_ path: String, root: URL, source: WorkingTreeSource, context: CLIContext) -> String? {
        let url = context.url(path)
        guard let relative = Workspace.relativePath(of: url, to: root), (try? source.kind(of: relative)) == .folder else { return nil }
        return relative
    }

    /// Replaces the file atomically, keeping its permissions.
    private func write(_ bytes: [UInt8], to url: URL, display: String) throws(CLIError) {
        let permissions = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions]
        do {
            try Data(bytes).write(to: url, options: .atomic)
            if let permissions { try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: url.path) }
        } catch {
            throw CLIError.failure("\(display): cannot write: \(error.localizedDescription)")
        }
    }
}

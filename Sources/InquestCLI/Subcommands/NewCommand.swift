import ArgumentParser
import Foundation
import InquestCore

struct New: InquestCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Start a new draft postmortem from the template.")

    @Argument(help: "The incident's title.")
    var title: String

    @Option(help: "Severity, e.g. SEV2.")
    var severity: String?

    @Option(name: .customLong("service"), help: "An affected service (repeatable).")
    var services: [String] = []

    @Option(name: .customLong("author"), help: "An author (repeatable; default: git's user.name).")
    var authors: [String] = []

    @Option(help: "The incident date, YYYY-MM-DD (default: today, UTC).")
    var date: String?

    @Option(help: "Configuration file.")
    var config: String?

    func run(in context: CLIContext) throws(CLIError) {
        let workspace = try context.openWorkspace(config: config)
        let day: CalendarDate
        if let date {
            guard let parsed = CalendarDate(parsing: date) else { throw .failure("--date must be YYYY-MM-DD, found '\(date)'") }
            day = parsed
        } else {
            // The one place the wall clock is read: a new draft is dated today.
            day = CalendarDate(daysSinceEpoch: Int(Date().timeIntervalSince1970) / 86_400)
        }
        if let severity, !workspace.configuration.schema.severities.contains(severity) {
            throw .failure("--severity must be one of \(workspace.configuration.schema.severities.joined(separator: ", "))")
        }
        // New postmortems go into year folders (postmortems/2025/…) unless the archive is flat.
        let base = workspace.configuration.postmortems
        let baseURL = workspace.root.appendingPathComponent(base)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: baseURL.path)) ?? []
        var isDirectory: ObjCBool = false
        let yearFolderExists = FileManager.default.fileExists(atPath: baseURL.appendingPathComponent(String(day.year)).path, isDirectory: &isDirectory) && isDirectory.boolValue
        let folder = Scaffold.folder(
            base: base, year: day.year, yearFolderExists: yearFolderExists,
            hasFlatDocuments: entries.contains { PostmortemFiles.isPostmortem($0) },
            hasYearFolders: entries.contains { $0.count == 4 && $0.allSatisfy(\.isNumber) })
        let templateURL = baseURL.appendingPathComponent("_template.md")
        let template = FileManager.default.contents(atPath: templateURL.path).map { String(decoding: $0, as: UTF8.self) }
        let severity = self.severity ?? Scaffold.defaultSeverity(template: template, severities: workspace.configuration.schema.severities)
        try CLIError.exitingOnFailure {
            let names = authors.isEmpty ? Scaffold.gitUserName(in: workspace.root).map { [$0] } ?? [] : authors
            let file = try Scaffold.newPostmortem(title: title, date: day, severity: severity, services: services,
                                                  authors: names, template: template, folder: folder)
            try Scaffold.write([file], under: workspace.root)
            context.out("created \(file.path)\n")
        }
    }
}

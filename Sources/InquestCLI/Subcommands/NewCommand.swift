import ArgumentParser
import Foundation
import InquestCore

struct New: InquestCommand {
    static let configuration = CommandConfiguration(abstract: "Start a new draft postmortem from the template.")

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
        // Archives sorted into year folders (postmortems/2025/…) get the new file in its year's folder.
        let base = workspace.configuration.postmortems
        let yearFolder = base.isEmpty ? String(day.year) : base + "/" + String(day.year)
        var isDirectory: ObjCBool = false
        let usesYears = FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent(yearFolder).path, isDirectory: &isDirectory) && isDirectory.boolValue
        let folder = usesYears ? yearFolder : base
        let templateURL = workspace.root.appendingPathComponent(base).appendingPathComponent("_template.md")
        let template = FileManager.default.contents(atPath: templateURL.path).map { String(decoding: $0, as: UTF8.self) }
        try CLIError.exitingOnFailure {
            let names = authors.isEmpty ? Scaffold.gitUserName(in: workspace.root).map { [$0] } ?? [] : authors
            let file = try Scaffold.newPostmortem(title: title, date: day, severity: severity, services: services,
                                                  authors: names, template: template, folder: folder)
            try Scaffold.write([file], under: workspace.root)
            context.out("created \(file.path)\n")
        }
    }
}

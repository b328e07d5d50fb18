import Foundation

/// `inquest new` and `inquest init`: files for authors to start from.
public enum Scaffold {
    /// The built-in template, used when the repository has no `_template.md`.
    public static let builtInTemplate = """
    ---
    title: TITLE
    date: YYYY-MM-DD
    status: draft
    severity: SEV3
    authors: []
    services: []
    # started: "YYYY-MM-DDTHH:MM:00Z"
    # detected: "YYYY-MM-DDTHH:MM:00Z"
    # mitigated: "YYYY-MM-DDTHH:MM:00Z"
    # resolved: "YYYY-MM-DDTHH:MM:00Z"
    root_causes: []
    tags: []
    ---

    ## Summary

    <!-- Two or three sentences: what happened, for how long, and how it ended. -->

    ## Impact

    <!-- Who was affected and how much: users, requests, money, data. Numbers beat adjectives. -->

    ## Timeline

    All times in UTC.

    - HH:MM — <!-- what the system did, what people saw and decided -->

    ## Root Causes

    <!-- Which properties of the system made this possible? Ask "why" until you reach a process or design decision. -->

    ## Resolution

    <!-- What stopped the impact, and what restored full service. -->

    ## Action Items

    - [ ] <!-- a change to the system --> — @owner, TICKET-1, due: YYYY-MM-DD

    ## Lessons Learned

    <!-- What went well, where we got lucky, what surprised us. -->

    """

    public static let defaultConfiguration = """
    # Inquest configuration. Every key is optional; see README.md for the reference.
    postmortems: postmortems
    causes: postmortems/causes.yml
    # Files under postmortems/ that are not postmortems (fnmatch patterns; `_*.md` are skipped anyway):
    # exclude: ["drafts", "*.notes.md"]
    # The archive's own readme, directly in postmortems/, is not a postmortem:
    # readmes: [README.md, index.md, README.markdown, index.markdown]
    schema:
      severities: [SEV1, SEV2, SEV3, SEV4]
    # How timelines are read (see docs/format.md):
    # timeline:
    #   zone: UTC            # the zone of times that state none
    #   date_order: dmy      # read 03/04/2025 as 3 April (mdy: March 4); unset, such dates are not read
    #   zones: {IST: "+01:00", CST: "+08:00"}   # abbreviations that mean something else here (defaults: IST India, CST US Central)
    rules:
      # structure/section-order: off
    blameless:
      people: []      # full names of people who should never be named as actors
      teams: []       # @handles that are teams, not people
      allow: []
      deny: []
      git_authors: true
    site:
      title: Postmortems
    # Where your team publishes the rule documentation (your Inquest mirror's README#rules, or your
    # own pages with {rule} for the rule id); linked from SARIF alerts and editor diagnostics:
    # docs_url: https://git.example.com/tools/inquest/blob/main/README.md#rules

    """

    public static let defaultCatalogue = """
    # Root-cause catalogue: one entry per recurring cause. Postmortems list these ids in root_causes.
    missing-alert:
      title: Missing alert
      description: A failure mode had no alert, so users noticed before the team did.
      category: detection

    """

    public struct NewFile: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    public enum ScaffoldError: Error, CustomStringConvertible, Sendable {
        case exists(String)
        case invalid(String)

        public var description: String {
            switch self {
            case let .exists(path): "\(path) already exists; refusing to overwrite it"
            case let .invalid(message): message
            }
        }
    }

    /// A new draft postmortem from `template`, with title, date, severity and services filled in.
    public static func newPostmortem(title: String, date: CalendarDate, severity: String?, services: [String],
                                     authors: [String] = [], template: String?, folder: String) throws(ScaffoldError) -> NewFile {
        let cleanTitle = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cleanTitle.isEmpty, cleanTitle.count <= 120 else { throw .invalid("the title must be 1 to 120 characters") }
        for service in services where !Slug.isValid(service) {
            throw .invalid("service '\(service)' must be a slug ([a-z0-9][a-z0-9-]*)")
        }
        var text = template ?? builtInTemplate
        let values: [(String, String)] = [
            ("title", yamlString(cleanTitle)),
            ("date", date.description),
            ("status", "draft"),
            ("severity", severity ?? "SEV3"),
            ("services", "[\(services.joined(separator: ", "))]"),
            ("authors", "[\(authors.map(yamlString).joined(separator: ", "))]"),
        ]
        for (key, value) in values {
            // Keep the template's own severity and authors unless the author gave some.
            if key == "severity", severity == nil, text.contains("\nseverity:") { continue }
            if key == "authors", authors.isEmpty, text.contains("\nauthors:") { continue }
            text = setField(key, value, in: text)
        }
        let folderPrefix = folder.isEmpty ? "" : folder + "/"
        return NewFile(path: "\(folderPrefix)\(date)-\(Slug.make(from: cleanTitle)).md", contents: text)
    }

    /// The severity to write when the author gave none: nil keeps the template's own when it is
    /// one of the archive's `severities`; otherwise the last (least severe) configured one, so a
    /// `P0…P3` archive never gets the built-in template's `SEV3`.
    public static func defaultSeverity(template: String?, severities: [String]) -> String? {
        let text = template ?? builtInTemplate
        let line = text.components(separatedBy: "\n").first { $0.hasPrefix("severity:") }
        let value = line.map { String($0.dropFirst("severity:".count)).trimmingCharacters(in: .whitespaces) }
        if let value, severities.contains(value) { return nil }
        return severities.last
    }

    /// The folder a new postmortem goes into: `base/YEAR` (docs/format.md's layout) unless the
    /// archive is flat — it has postmortems directly in `base` and no year folders.
    /// - Parameters:
    ///   - yearFolderExists: `base/YEAR` exists already.
    ///   - hasFlatDocuments: `base` holds `.md` postmortems directly.
    ///   - hasYearFolders: `base` holds any four-digit folder.
    public static func folder(base: String, year: Int, yearFolderExists: Bool, hasFlatDocuments: Bool, hasYearFolders: Bool) -> String {
        let yearFolder = base.isEmpty ? String(year) : base + "/" + String(year)
        if yearFolderExists || hasYearFolders || !hasFlatDocuments { return yearFolder }
        return base
    }

    /// Replaces the first `key:` line of the front-matter, or adds one before the closing fence.
    static func setField(_ key: String, _ value: String, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
              let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return "---\n\(key): \(value)\n---\n" + text
        }
        if let index = lines[1..<close].firstIndex(where: { $0.hasPrefix("\(key):") }) {
            lines[index] = "\(key): \(value)"
        } else {
            lines.insert("\(key): \(value)", at: close)
        }
        return lines.joined(separator: "\n")
    }

    /// A YAML scalar for `text`: plain when safe, double-quoted otherwise.
    static func yamlString(_ text: String) -> String {
        let risky = ":#[]{},&*!|>'\"%@`"
        if text.contains(where: { risky.contains($0) }) || text.hasPrefix(" ") || text.hasPrefix("-") || text.hasPrefix("?") {
            return JSON.string(text)
        }
        return text
    }

    /// The files `inquest init` writes.
    public static func initFiles(postmortems: String = "postmortems") -> [NewFile] {
        [
            NewFile(path: ConfigurationLoader.fileName, contents: defaultConfiguration),
            NewFile(path: "\(postmortems)/causes.yml", contents: defaultCatalogue),
            NewFile(path: "\(postmortems)/_template.md", contents: builtInTemplate),
        ]
    }

    /// Writes files under `root`, refusing to overwrite any existing one (checked before writing anything).
    public static func write(_ files: [NewFile], under root: URL) throws(ScaffoldError) {
        for file in files where FileManager.default.fileExists(atPath: root.appendingPathComponent(file.path).path) {
            throw .exists(file.path)
        }
        for file in files {
            let url = root.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                // withoutOverwriting: a file that appeared since the check is not clobbered.
                try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                throw .invalid("\(file.path): \(error.localizedDescription)")
            }
        }
    }
}

import Foundation

/// `inquest adopt`: turns an existing archive into an Inquest archive in one reviewable change.
///
/// Pure: it takes documents (bytes) and what git says about who wrote each one, and returns the
/// new bytes and a summary; the command writes them (or prints the diff). It never changes a
/// file that already has front-matter, never touches the body (the front-matter is put in front
/// of the unchanged bytes), and a second run changes nothing.
public struct Adopter: Sendable {
    /// What happens to one file.
    public struct FileResult: Sendable, Equatable {
        public enum Outcome: Sendable, Equatable {
            /// Front-matter is added.
            case added
            /// The file already has front-matter (readable or not): left alone.
            case hasFrontMatter
            /// Not adopted, with the reason (a template, unreadable bytes).
            case skipped(String)
        }

        public var path: String
        public var outcome: Outcome
        public var inference: Inference?
        public var old: [UInt8]
        /// The new contents when ``outcome`` is `.added`.
        public var new: [UInt8]?

        /// The unified diff of the change ("" when unchanged).
        public var diff: String {
            guard let new else { return "" }
            return UnifiedDiff.prepend(path: path, old: old, new: new)
        }
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        public var files: [FileResult]
        public var conventions: ArchiveConventions
        /// The `inquest.yml` to write with `--write-config` (nil without it, or when one exists).
        public var configuration: String?
        /// Why no configuration is written although it was asked for.
        public var configurationNote: String?

        public var changedFiles: [FileResult] { files.filter { $0.new != nil } }
    }

    public var configuration: Configuration
    /// True when the run writes `inquest.yml`: inferred values must then fit the adopted schema.
    public var writeConfiguration: Bool
    /// True when an `inquest.yml` already exists (it is never overwritten).
    public var configurationExists: Bool

    public init(configuration: Configuration, writeConfiguration: Bool, configurationExists: Bool) {
        self.configuration = configuration
        self.writeConfiguration = writeConfiguration
        self.configurationExists = configurationExists
    }

    /// Adopts `documents` (the ones to change), learning conventions from `archive` (every
    /// document, the selected ones included).
    /// - Parameter gitAuthors: by path, the author of the commit that added the file (mailmap applied).
    public func run(documents: [RawDocument], archive: [RawDocument], gitAuthors: [String: (name: String, shortSHA: String)]) -> Result {
        let parser = PostmortemParser(schema: configuration.schema)
        let learning = archive.map(parser.parse)
        let withoutFrontMatter = learning.filter { !Self.hasFrontMatter($0.source.bytes) && !Self.isTemplate($0.path) }
        let conventions = ArchiveConventions.learn(withoutFrontMatter.isEmpty ? learning : withoutFrontMatter, schema: configuration.schema)
        let adopted = conventions.applied(to: configuration.schema)
        // Headings are read with the adopted aliases (so a timeline under "Incident Timeline" is
        // read); values must be valid under the schema that will be in force.
        var valueSchema = writeConfiguration && !configurationExists ? adopted : configuration.schema
        valueSchema.sections = adopted.sections
        let inference = FrontMatterInference(schema: valueSchema)

        var taken = Set(learning.map(\.id))
        var files: [FileResult] = []
        for document in documents.sorted(by: { $0.path < $1.path }) {
            var result = FileResult(path: document.path, outcome: .added, inference: nil, old: document.bytes, new: nil)
            if Self.hasFrontMatter(document.bytes) {
                result.outcome = .hasFrontMatter
            } else if Self.isTemplate(document.path) {
                result.outcome = .skipped("looks like a template (its name): excluded by --write-config, or add it to exclude:")
            } else if String(validating: document.bytes[FrontMatterSplitter.bomLength(document.bytes)...], as: UTF8.self) == nil {
                result.outcome = .skipped("not valid UTF-8")
            } else {
                let postmortem = inference.parser.parse(document)
                let author = gitAuthors[document.path].map { FrontMatterInference.GitAuthor(name: $0.name, shortSHA: $0.shortSHA) }
                let inferred = inference.infer(postmortem, gitAuthor: author, takenIDs: &taken)
                let block = FrontMatterText.block(inferred.fields, newline: FrontMatterText.newline(of: document.bytes))
                let new = FrontMatterText.insert(block, into: document.bytes)
                // The block must read back as front-matter; anything else is a bug, not a file to write.
                if !parser.parse(RawDocument(path: document.path, bytes: new)).syntaxProblems.isEmpty {
                    result.outcome = .skipped("the inferred front-matter did not read back (please report this)")
                } else {
                    result.inference = inferred
                    result.new = new
                }
            }
            files.append(result)
        }
        var output = Result(files: files, conventions: conventions, configuration: nil, configurationNote: nil)
        if writeConfiguration {
            if configurationExists {
                output.configurationNote = "\(ConfigurationLoader.fileName) exists and is left as it is; the conventions above are what adopt would have written"
            } else {
                let templates = files.filter { if case .skipped = $0.outcome { return Self.isTemplate($0.path) }; return false }.map(\.path)
                output.configuration = ConfigurationWriter.text(conventions: conventions, configuration: configuration, exclude: templates)
            }
        }
        return output
    }

    /// True when the file starts with a `---` line (after a BOM): readable or not, it has front-matter.
    static func hasFrontMatter(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try FrontMatterSplitter.split(SourceText(bytes: bytes))
            return true
        } catch .missing {
            return false
        } catch {
            return true
        }
    }

    /// `template.md`, `postmortem-template.md`, `PMyyyy-nnn - Postmortem template.md`: a skeleton, not an incident.
    static func isTemplate(_ path: String) -> Bool {
        let words = RawDocument(path: path, bytes: []).stem.lowercased().split { !$0.isLetter && !$0.isNumber }
        return words.contains("template")
    }

    /// The per-file summary and the conventions, as printed.
    /// - Parameter pathPrefix: put before every path (the workspace as seen from the current folder).
    public static func summary(_ result: Result, pathPrefix: String = "") -> String {
        var out = ""
        for file in result.files {
            switch file.outcome {
            case .hasFrontMatter:
                out += "\(pathPrefix)\(file.path): has front-matter, unchanged\n"
            case let .skipped(reason):
                out += "\(pathPrefix)\(file.path): skipped: \(reason)\n"
            case .added:
                guard let inference = file.inference else { continue }
                out += "\(pathPrefix)\(file.path): front-matter added\n"
                let width = max(9, (inference.fields.map(\.key.count).max() ?? 0) + 1)
                for field in inference.fields {
                    out += "  " + field.key.padding(toLength: width, withPad: " ", startingAt: 0) + field.display + "  ← " + field.source + "\n"
                }
                if !inference.missing.isEmpty { out += "  to fill in: " + inference.missing.joined(separator: ", ") + "\n" }
                for note in inference.notes { out += "  note: \(note)\n" }
            }
        }
        let changed = result.changedFiles.count
        out += "\(changed) file\(changed == 1 ? "" : "s") to change, \(result.files.count - changed) unchanged\n"
        out += result.conventions.describe().joined(separator: "\n") + "\n"
        if let note = result.configurationNote { out += note + "\n" }
        return out
    }
}

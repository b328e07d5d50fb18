import Foundation
import InquestCore

/// One archive as the language server sees it: every document parsed once from disk, with open
/// buffers replacing their files (unsaved text wins). A keystroke re-parses only the edited
/// document, rebuilds the archive's indexes and runs the rules for that document, so cross-document
/// checks (duplicate ids, related links, cause ids, recurrence) see the whole archive.
final class ArchiveSession {
    let root: URL
    let configuration: Configuration
    private let git: GitLintState
    private let parser: PostmortemParser
    /// Parsed documents by workspace-relative path.
    private var postmortems: [String: Postmortem]
    private var catalogue: CauseCatalogue?
    /// The archive as of the last change; rebuilt lazily.
    private var cached: Archive?

    /// Reads the working tree around `directory` (configuration, every postmortem, the catalogue).
    init(reader: ArchiveReader) throws {
        let plan = try LintPlan.make(reader: reader, from: reader.workspace.root, loadHistory: false)
        root = reader.workspace.root
        configuration = reader.workspace.configuration
        git = plan.git
        parser = PostmortemParser(schema: configuration.schema)
        postmortems = Dictionary(plan.archive.postmortems.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        catalogue = plan.archive.catalogue
        cached = plan.archive
    }

    /// The workspace-relative path of a file, when it is inside this archive's root.
    func relativePath(_ url: URL) -> String? {
        Workspace.relativePath(of: url, to: root)
    }

    /// True for the files the rules check: postmortems (not `_template.md`) and the catalogue.
    func isLinted(_ path: String) -> Bool {
        path == configuration.causes || (PostmortemFiles.isPostmortem(path) && PostmortemFiles.isInside(path, folder: configuration.postmortems))
    }

    /// Replaces a document's text (an edit, an opened buffer, a file re-read on save).
    func update(_ path: String, bytes: [UInt8]) {
        let document = RawDocument(path: path, bytes: bytes)
        if path == configuration.causes {
            catalogue = CauseCatalogue.parse(document)
            cached = nil
        } else {
            let postmortem = parser.parse(document)
            let known = postmortems[path] != nil
            postmortems[path] = postmortem
            // Most keystrokes change nothing the archive's indexes are made of: swap the document in.
            cached = known ? cached?.replacing(postmortem) : nil
        }
    }

    /// Forgets a deleted file.
    func remove(_ path: String) {
        if path == configuration.causes { catalogue = nil } else { postmortems[path] = nil }
        cached = nil
    }

    /// The text the rules see for `path`.
    func source(_ path: String) -> SourceText? {
        path == configuration.causes ? catalogue?.source : postmortems[path]?.source
    }

    var archive: Archive {
        if let cached { return cached }
        let built = Archive(postmortems: Array(postmortems.values), catalogue: catalogue)
        cached = built
        return built
    }

    /// Every finding in `path`, as `inquest lint PATH` reports them.
    func diagnostics(for path: String) -> [Diagnostic] {
        var linter = Linter(configuration: configuration)
        linter.git = git
        return linter.lint(LintInput(documents: [], catalogue: nil, reportPaths: [path]), archive: archive).diagnostics
    }

    /// Values seen across the archive, for completion.
    var services: [String] { Set(postmortems.values.flatMap(\.services)).sorted() }
    var tags: [String] { Set(postmortems.values.flatMap(\.tags)).sorted() }
    var ids: [String] { Set(postmortems.values.map(\.id)).sorted() }
    var causes: [CauseCatalogue.Entry] { (catalogue?.entries ?? []).sorted { $0.id < $1.id } }
}

import Foundation
import InquestCore

/// One archive as the language server sees it: every document parsed once from disk, with open
/// buffers replacing their files (unsaved text wins). A keystroke re-parses only the edited
/// document and runs the rules for that document against the whole archive, so cross-document
/// checks (duplicate ids, related links, cause ids, recurrence, similar root causes) see every
/// document; the archive's indexes are kept current from each document's facts (``LiveArchive``).
final class ArchiveSession {
    let root: URL
    let configuration: Configuration
    private let git: GitLintState
    private let parser: PostmortemParser
    /// Parsed documents by workspace-relative path, and the archive's indexes over them.
    private var live: LiveArchive

    /// Reads the working tree around `directory` (configuration, every postmortem, the catalogue).
    /// - Parameter cache: the lint cache, whose documents the session takes as stubs (facts
    ///   only, parsed when opened): at 10,000 postmortems the first diagnostics come in a
    ///   fraction of a second instead of after parsing every document.
    init(reader: ArchiveReader, cache: LintCache?) throws {
        let plan = try LintPlan.make(reader: reader, from: reader.workspace.root, loadHistory: false, cache: cache, forEditing: true)
        root = reader.workspace.root
        configuration = reader.workspace.configuration
        git = plan.git
        parser = PostmortemParser(schema: configuration.schema)
        live = LiveArchive(plan: plan)
    }

    /// The workspace-relative path of a file, when it is inside this archive's root.
    func relativePath(_ url: URL) -> String? {
        Workspace.relativePath(of: url, to: root)
    }

    /// True for the files the rules check: postmortems (not `_template.md`) and the catalogue.
    func isLinted(_ path: String) -> Bool {
        path == configuration.causes || (PostmortemFiles.isPostmortem(path) && PostmortemFiles.isInside(path, folder: configuration.postmortems))
    }

    /// Replaces a document's text (an edit, an opened buffer, a file re-read on save). Files the
    /// rules do not check (a README open beside a postmortem) are not documents of the archive.
    func update(_ path: String, bytes: [UInt8]) {
        guard isLinted(path) else { return }
        let document = RawDocument(path: path, bytes: bytes)
        if path == configuration.causes {
            live.setCatalogue(CauseCatalogue.parse(document))
        } else {
            live.update(parser.parse(document))
        }
    }

    /// Forgets a deleted file.
    func remove(_ path: String) {
        if path == configuration.causes { live.setCatalogue(nil) } else { live.remove(path: path) }
    }

    /// The text the rules see for `path`.
    func source(_ path: String) -> SourceText? {
        path == configuration.causes ? live.catalogue?.source : live.postmortem(at: path)?.source
    }

    /// Every finding in `path`, as `inquest lint PATH` reports them.
    func diagnostics(for path: String) -> [Diagnostic] {
        var linter = Linter(configuration: configuration)
        linter.git = git
        return linter.lint(LintInput(documents: [], catalogue: nil, reportPaths: [path]), archive: live.archive(checking: path)).diagnostics
    }

    /// Values seen across the archive, for completion.
    var services: [String] { Set(live.documents.flatMap(\.services)).sorted() }
    var tags: [String] { Set(live.documents.flatMap(\.tags)).sorted() }
    var ids: [String] { Set(live.documents.map(\.id)).sorted() }
    var causes: [CauseCatalogue.Entry] { (live.catalogue?.entries ?? []).sorted { $0.id < $1.id } }
}

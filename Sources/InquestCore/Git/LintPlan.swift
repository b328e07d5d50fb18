import Foundation
import InquestGit

/// A lint run prepared from an ``ArchiveReader``: the documents to lint, which of them to report
/// on, the parsed archive with its git history, and the git state the rules see. All plain values,
/// so linting happens with no repository open.
public struct LintPlan: Sendable {
    /// The workspace, with the configuration read at the target.
    public var workspace: Workspace
    public var input: LintInput
    /// Parsed, with ``Archive/history`` set when the archive is in a repository.
    public var archive: Archive
    public var git: GitLintState
    /// Where the documents were read from, e.g. `working tree` or `main (1a2b3c4)`.
    public var sourceLabel: String

    /// Prepares a run.
    ///
    /// - Parameters:
    ///   - paths: files or folders to report on, relative to `directory` (empty: the whole archive).
    ///   - changedSince: `--changed-since BASE`: report only documents added or modified (renames
    ///     count, deletions do not) between `merge-base(BASE, target)` and the target. Archive-wide
    ///     rules still see every document at the target. Combined with `paths`, only changed
    ///     documents among them are reported.
    ///   - loadHistory: walk the history for ``Archive/history`` (one walk for the whole archive).
    /// - Throws: ``SourceError``: unreadable files, `--changed-since` outside a repository, an
    ///   unknown BASE, unrelated histories.
    public static func make(reader: ArchiveReader, paths: [String] = [], from directory: URL,
                            changedSince: String? = nil, loadHistory: Bool = true) throws(SourceError) -> LintPlan {
        let workspace = reader.workspace
        let configuration = workspace.configuration
        var input = try workspace.lintInput(source: reader.source, paths: paths, from: directory)

        var base: GitBaseState?
        if let changedSince {
            guard let repository = reader.repository else {
                throw SourceError("--changed-since needs a git repository, and \(workspace.root.path) is not inside one")
            }
            let changes = try ChangeDetector.changes(since: changedSince, repository: repository, selection: reader.selection,
                                                     configuration: configuration, indexSource: reader.source as? GitIndexSource)
            var changed = changes.changedPaths
            // A document whose id changed breaks `related` lists and links elsewhere, like a rename.
            let idChanged = changes.documents.contains { path, old in
                input.documents.first { $0.path == path }.map { PostmortemParser(schema: configuration.schema).parse($0).id != old.id } ?? false
            }
            if !changes.wholeArchiveReasons.isEmpty || idChanged {
                changed = Set(input.documents.map(\.path))
                if let catalogue = input.catalogue { changed.insert(catalogue.path) }
            }
            input.reportPaths = input.reportPaths.map { $0.intersection(changed) } ?? changed
            base = changes
        }

        var archive = Linter(configuration: configuration).buildArchive(input)
        var authorNames: [String] = []
        if let repository = reader.repository {
            if loadHistory { archive.history = try reader.history(for: archive) }
            if configuration.blameless.gitAuthors {
                // Recent authors are the ones named in new postmortems; the bound keeps huge repositories fast.
                // Unreadable history only costs the names, but a damaged repository is an error.
                do {
                    authorNames = try repository.repository.authorNames(limit: authorCommitLimit)
                } catch let error as GitError where error.isCorruptObject {
                    throw SourceError(error.message)
                } catch {}
            }
        }
        let noticePath = input.documents.map(\.path).filter { input.reportPaths?.contains($0) ?? true }.min()
        let git = GitLintState(hasRepository: reader.repository != nil,
                               // Lint relies on git for commit authors; history dates are a bonus it does not ask for.
                               wantsHistory: configuration.blameless.gitAuthors,
                               isShallow: reader.repository?.repository.isShallow ?? false,
                               authorNames: authorNames, noticePath: noticePath, base: base)
        return LintPlan(workspace: workspace, input: input, archive: archive, git: git, sourceLabel: reader.source.label)
    }

    /// How many commits (newest first) are read for author names.
    public static let authorCommitLimit = 20_000

    /// Runs every rule with the git state.
    public func lint() -> LintResult {
        var linter = Linter(configuration: workspace.configuration)
        linter.git = git
        return linter.lint(input, archive: archive)
    }
}

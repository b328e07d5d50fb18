import Foundation

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
    /// For a change judged against its base (``make(reader:paths:from:changedSince:loadHistory:judgeStagedChange:)``
    /// with `judgeStagedChange`): the archive before the change, linted to tell what the change broke
    /// in documents it did not touch from what was already broken there.
    public var baseline: Baseline?
    /// The cached run prepared by ``make(reader:paths:from:changedSince:loadHistory:judgeStagedChange:overlay:cache:)``
    /// when given a cache; ``lint()`` then checks only what the cache cannot answer.
    public var cached: CachedLint?

    /// The archive as it was before a change, for ``lint()`` to report only new findings outside
    /// the changed documents.
    public struct Baseline: Sendable {
        public var input: LintInput
        public var configuration: Configuration
        /// Documents the change touched: everything found in them is reported.
        public var changedPaths: Set<String>
        /// Paths named on the command line (nil: the whole archive).
        public var limit: Set<String>?
    }

    /// Prepares a run.
    ///
    /// - Parameters:
    ///   - paths: files or folders to report on, relative to `directory` (empty: the whole archive).
    ///   - changedSince: `--changed-since BASE`: report only documents added or modified (renames
    ///     count, deletions do not) between `merge-base(BASE, target)` and the target. Archive-wide
    ///     rules still see every document at the target. Combined with `paths`, only changed
    ///     documents among them are reported.
    ///   - loadHistory: walk the history for ``Archive/history`` (one walk for the whole archive).
    ///   - overlay: unsaved contents by workspace-relative path (standard input, an editor's
    ///     buffer): they replace the file read from the source (or are added to the archive), and
    ///     only they are reported. A path equal to the catalogue's replaces the catalogue.
    ///   - identifyContent: give every document read without a content id its git blob id
    ///     (``RawDocument/contentID``), as a stat index or git names it: for the site, which keys
    ///     pages by it, so that a build with the cache and one without agree.
    ///   - forEditing: the plan an editor session starts from (``LiveArchive/init(plan:)``): it
    ///     reports nothing, reads no document just to quote it, and with the cache keeps every
    ///     cached document's indexed facts and Root Causes terms (``CachedLint/indexedFacts``).
    ///   - judgeStagedChange: for `--staged` without `changedSince`, judge what is being committed:
    ///     report the staged postmortems (added, modified, renamed since HEAD), plus findings that a
    ///     staged change causes elsewhere (a renamed id, an edited catalogue or configuration) but
    ///     not findings that were already there at HEAD. Archive-wide rules still see the whole
    ///     index. Before the first commit everything staged is new, so everything is reported.
    /// - Throws: ``SourceError``: unreadable files, `--changed-since` outside a repository, an
    ///   unknown BASE, unrelated histories.
    public static func make(reader: ArchiveReader, paths: [String] = [], from directory: URL,
                            changedSince: String? = nil, loadHistory: Bool = true,
                            judgeStagedChange: Bool = false, overlay: [String: [UInt8]] = [:],
                            cache: LintCache? = nil, identifyContent: Bool = false, forEditing: Bool = false) throws(SourceError) -> LintPlan {
        let workspace = reader.workspace
        let configuration = workspace.configuration
        let usesCache = cache != nil && workspace.configurationDigest != nil
        // Unchanged working-tree files are known by their stat, not read (``StatIndex``).
        if usesCache, let cache { reader.useStatIndex(StatIndex.beside(cache)) }
        // The cache file is read and checked on another core while the archive is listed.
        let loader = usesCache ? cache.map(SnapshotLoader.init(cache:)) : nil
        var input = try workspace.lintInput(source: reader.source, paths: paths, from: directory, listOnly: usesCache)
        if !overlay.isEmpty { input.apply(overlay: overlay, catalogue: configuration.causes) }
        /// The document at `path`, read now if it was only listed.
        func document(_ path: String) throws(SourceError) -> RawDocument? {
            guard let index = input.documents.firstIndex(where: { $0.path == path }) else { return nil }
            if !input.documents[index].isLoaded {
                let stamp = input.documents[index].stamp
                input.documents[index] = try reader.source.load(input.documents[index])
                input.documents[index].stamp = stamp
            }
            return input.documents[index]
        }
        func idChanged(_ changes: GitBaseState) throws(SourceError) -> Bool {
            for (path, old) in changes.documents.sorted(by: { $0.key < $1.key }) {
                if let current = try document(path), PostmortemParser(schema: configuration.schema).parse(current).id != old.id { return true }
            }
            return false
        }

        var base: GitBaseState?
        var baseline: Baseline?
        if judgeStagedChange, changedSince == nil, reader.selection == .index, let repository = reader.repository,
           let head = try repository.targetCommit(.index) {
            let changes = try ChangeDetector.changes(since: head.hex, repository: repository, selection: .index,
                                                     configuration: configuration, indexFile: reader.source.indexFile)
            let limit = input.reportPaths
            var changed = changes.changedPaths
            if let catalogue = input.catalogue, changes.wholeArchiveReasons.contains("\(configuration.causes) changed") {
                changed.insert(catalogue.path)
            }
            let idChanged = try idChanged(changes)
            if !changes.wholeArchiveReasons.isEmpty || idChanged {
                // The change can break documents it did not touch: lint HEAD too, to report only what is new.
                baseline = try Self.baseline(at: head, repository: repository, workspace: workspace, changed: changed, limit: limit)
            }
            if baseline == nil { input.reportPaths = limit.map { $0.intersection(changed) } ?? changed }
            base = changes
        } else if let changedSince {
            guard let repository = reader.repository else {
                throw SourceError("--changed-since needs a git repository, and \(workspace.root.path) is not inside one")
            }
            let changes = try ChangeDetector.changes(since: changedSince, repository: repository, selection: reader.selection,
                                                     configuration: configuration, indexFile: reader.source.indexFile)
            var changed = changes.changedPaths
            // A document whose id changed breaks `related` lists and links elsewhere, like a rename.
            let idChanged = try idChanged(changes)
            if !changes.wholeArchiveReasons.isEmpty || idChanged {
                // Every document is checked again, and findings outside the changed documents
                // are reported only when the merge base did not have them: a pull request is
                // not blamed for what was already broken.
                var touched = changed
                if let catalogue = input.catalogue, changes.wholeArchiveReasons.contains("\(configuration.causes) changed") {
                    touched.insert(catalogue.path)
                }
                if let mergeBase = try? repository.resolve(changes.mergeBase) {
                    baseline = try Self.baseline(at: mergeBase, repository: repository, workspace: workspace, changed: touched, limit: input.reportPaths)
                }
                changed = Set(input.documents.map(\.path))
                if let catalogue = input.catalogue { changed.insert(catalogue.path) }
            }
            input.reportPaths = input.reportPaths.map { $0.intersection(changed) } ?? changed
            base = changes
        }

        var authorNames: [String] = []
        if let repository = reader.repository, configuration.blameless.gitAuthors {
            // Recent authors are the ones named in new postmortems; the bound keeps huge repositories fast.
            // Unreadable history only costs the names, but a damaged repository is an error.
            authorNames = try AuthorNamesCache.names(of: repository, cache: usesCache ? cache.map(AuthorNamesCache.beside) : nil)
        }
        let noticePath = Self.noticePath(of: input)
        var archive: Archive
        var cached: CachedLint?
        let hasRepository = reader.repository != nil
        if usesCache, let cache,
           let key = CachedLint.fileKey(workspace: workspace, catalogue: input.catalogue) {
            // What lint() reports on: with a baseline, the whole archive (or the paths named);
            // nothing for an editor session, which checks each document as it is opened.
            let reported = forEditing ? [] : baseline != nil ? baseline?.limit : input.reportPaths
            let notes = (!hasRepository && configuration.blameless.gitAuthors) || (reader.repository?.repository.isShallow ?? false)
            let prepared = try CachedLint.prepare(input: &input, source: reader.source, cache: cache, key: key,
                                                  configuration: configuration, reported: reported, base: base,
                                                  noticePath: notes && !forEditing ? noticePath : nil, loader: loader, printed: !forEditing,
                                                  allTerms: forEditing, authorNames: authorNames)
            cached = prepared.0
            archive = prepared.1
        } else {
            archive = try Self.uncachedArchive(&input, source: reader.source, identifyContent: identifyContent, configuration: configuration)
        }
        if loadHistory, reader.repository != nil { archive.history = try reader.history(for: archive) }
        let git = GitLintState(hasRepository: reader.repository != nil,
                               // Lint relies on git for commit authors; history dates are a bonus it does not ask for.
                               wantsHistory: configuration.blameless.gitAuthors,
                               isShallow: reader.repository?.isShallow ?? false,
                               authorNames: authorNames, noticePath: noticePath, base: base)
        return LintPlan(workspace: workspace, input: input, archive: archive, git: git, sourceLabel: reader.source.label,
                        baseline: baseline, cached: cached)
    }

    /// The archive at `commit` (with the configuration committed there when the run's own came
    /// from the repository), for ``lint()`` to tell new findings from old ones.
    private static func baseline(at commit: CommitID, repository: WorkspaceRepository, workspace: Workspace,
                                 changed: Set<String>, limit: Set<String>?) throws(SourceError) -> Baseline? {
        let source = try repository.source(.revision(commit.hex), root: workspace.root)
        var configuration = workspace.configuration
        if workspace.configurationPath == ConfigurationLoader.fileName {
            // Its own configuration applies to the old archive (defaults when it had none, the
            // current one when the old one does not load).
            configuration = (try? workspace.readingConfiguration(from: source))?.configuration ?? configuration
        }
        let old = Workspace(root: workspace.root, configuration: configuration)
        guard let input = try? old.lintInput(source: source, paths: [], from: workspace.root) else { return nil }
        return Baseline(input: input, configuration: configuration, changedPaths: changed, limit: limit)
    }

    /// How many commits (newest first) are read for author names.
    public static let authorCommitLimit = 20_000

    /// Runs every rule with the git state. With a ``baseline``, reports every finding in the changed
    /// documents and, elsewhere, only findings the baseline did not have.
    public func lint() -> LintResult {
        var linter = Linter(configuration: workspace.configuration)
        linter.git = git
        guard let baseline else { return cached?.lint(linter, input: input, archive: archive) ?? linter.lint(input, archive: archive) }
        var whole = input
        whole.reportPaths = baseline.limit
        var result = cached?.lint(linter, input: whole, archive: archive) ?? linter.lint(whole, archive: archive)
        // Outside the changed files only breakage counts: notes (infos) there are not about this
        // change. Only untouched files with errors or warnings need the old archive's verdict; in
        // the usual case (nothing broken elsewhere) the old archive is not linted at all.
        result.diagnostics.removeAll { $0.severity == .info && !baseline.changedPaths.contains($0.file) }
        let suspects = Set(result.diagnostics.map(\.file)).subtracting(baseline.changedPaths)
        guard !suspects.isEmpty else { return result }
        var before = Linter(configuration: baseline.configuration)
        before.git = git
        before.git?.base = nil
        var oldInput = baseline.input
        oldInput.reportPaths = suspects
        let old = before.lint(oldInput)
        // A finding is "the same" when rule, file, column and the text of its line match, so one
        // that only moved (lines added above it) or whose message changed with the configuration
        // (a new list of allowed values) is not new.
        var known: [String: Int] = [:]
        let oldSources = Self.sources(of: old.archive)
        for diagnostic in old.diagnostics { known[Self.key(diagnostic, sources: oldSources), default: 0] += 1 }
        let newSources = Self.sources(of: result.archive)
        result.diagnostics = result.diagnostics.filter { diagnostic in
            if baseline.changedPaths.contains(diagnostic.file) { return true }
            let key = Self.key(diagnostic, sources: newSources)
            guard let count = known[key], count > 0 else { return true }
            known[key] = count - 1
            return false
        }
        return result
    }

    private static func sources(of archive: Archive) -> [String: SourceText] {
        var sources = Dictionary(archive.postmortems.map { ($0.path, $0.source) }, uniquingKeysWith: { first, _ in first })
        if let catalogue = archive.catalogue { sources[catalogue.path] = catalogue.source }
        return sources
    }

    private static func key(_ diagnostic: Diagnostic, sources: [String: SourceText]) -> String {
        let source = sources[diagnostic.file]
        let line = source.map { diagnostic.range.start.line <= $0.lineCount ? $0.lineText(diagnostic.range.start.line) : "" } ?? ""
        return [diagnostic.rule, diagnostic.file, String(diagnostic.range.start.column), line].joined(separator: "\u{0}")
    }
}

extension LintInput {
    /// Gives every loaded document without a content id its git blob id (on every core).
    public mutating func identifyContent() {
        let missing = documents.indices.filter { documents[$0].contentID == nil && documents[$0].isLoaded }
        guard !missing.isEmpty else { return }
        let bytes = missing.map { documents[$0].bytes }
        let ids = parallelMap(bytes) { StatIndex.blobID(of: $0) }
        for (index, id) in zip(missing, ids) { documents[index].contentID = id }
    }
}

extension LintPlan {
    /// What a whole-archive lint with the cache reads from an ``ArchiveReader`` and its
    /// repository, gathered on the reader's thread (``detach(reader:cache:)``), so that the run
    /// itself (``make(detached:cache:identifyContent:)``) can go on another core: the reader and
    /// its libgit2 repository are used by one thread only. The source's listing (memoized, under
    /// a lock) and reads are safe from any thread.
    public struct Detached: @unchecked Sendable {
        public let workspace: Workspace
        /// The reader's source, with the stat index when the cache is used.
        public let source: any DocumentSource
        let hasRepository: Bool
        let isShallow: Bool
        let authorNames: [String]
    }

    /// Gathers what ``make(detached:cache:identifyContent:)`` needs (the part of
    /// ``make(reader:paths:from:changedSince:loadHistory:judgeStagedChange:overlay:cache:identifyContent:)``
    /// that reads git), for a run over the whole archive with no base and no overlay.
    public static func detach(reader: ArchiveReader, cache: LintCache?) throws(SourceError) -> Detached {
        let workspace = reader.workspace
        if cache != nil, workspace.configurationDigest != nil, let cache { reader.useStatIndex(StatIndex.beside(cache)) }
        var authorNames: [String] = []
        if let repository = reader.repository, workspace.configuration.blameless.gitAuthors {
            let usesCache = cache != nil && workspace.configurationDigest != nil
            authorNames = try AuthorNamesCache.names(of: repository, cache: usesCache ? cache.map(AuthorNamesCache.beside) : nil)
        }
        return Detached(workspace: workspace, source: reader.source, hasRepository: reader.repository != nil,
                        isShallow: reader.repository?.isShallow ?? false, authorNames: authorNames)
    }

    /// ``make(reader:paths:from:changedSince:loadHistory:judgeStagedChange:overlay:cache:identifyContent:)``
    /// for the whole archive, without history, from what ``detach(reader:cache:)`` gathered: the
    /// same plan, made without the reader (on any thread).
    /// - Parameter printed: false when only the counts of the diagnostics are used (``CachedLint/prepare(input:source:cache:key:configuration:reported:base:noticePath:loader:printed:)``).
    public static func make(detached: Detached, cache: LintCache?, identifyContent: Bool = false, printed: Bool = true) throws(SourceError) -> LintPlan {
        let workspace = detached.workspace
        let configuration = workspace.configuration
        let usesCache = cache != nil && workspace.configurationDigest != nil
        let loader = usesCache ? cache.map(SnapshotLoader.init(cache:)) : nil
        var input = try workspace.lintInput(source: detached.source, paths: [], from: workspace.root, listOnly: usesCache)
        let noticePath = Self.noticePath(of: input)
        var archive: Archive
        var cached: CachedLint?
        if usesCache, let cache,
           let key = CachedLint.fileKey(workspace: workspace, catalogue: input.catalogue) {
            let notes = (!detached.hasRepository && configuration.blameless.gitAuthors) || detached.isShallow
            let prepared = try CachedLint.prepare(input: &input, source: detached.source, cache: cache, key: key,
                                                  configuration: configuration, reported: input.reportPaths, base: nil,
                                                  noticePath: notes ? noticePath : nil, loader: loader, printed: printed,
                                                  authorNames: detached.authorNames)
            cached = prepared.0
            archive = prepared.1
        } else {
            archive = try Self.uncachedArchive(&input, source: detached.source, identifyContent: identifyContent, configuration: configuration)
        }
        let git = GitLintState(hasRepository: detached.hasRepository, wantsHistory: configuration.blameless.gitAuthors,
                               isShallow: detached.isShallow, authorNames: detached.authorNames, noticePath: noticePath, base: nil)
        return LintPlan(workspace: workspace, input: input, archive: archive, git: git, sourceLabel: detached.source.label,
                        baseline: nil, cached: cached)
    }
}

extension LintPlan {
    /// The archive without the lint cache: every document read (those the listing left unread)
    /// and parsed.
    static func uncachedArchive(_ input: inout LintInput, source: some DocumentSource, identifyContent: Bool,
                                configuration: Configuration) throws(SourceError) -> Archive {
        for index in input.documents.indices where !input.documents[index].isLoaded {
            input.documents[index] = try source.load(input.documents[index])
        }
        if identifyContent { input.identifyContent() }
        return Linter(configuration: configuration).buildArchive(input)
    }

    /// The document a run-wide git note goes on: the first reported path of the archive. A few
    /// reported paths are looked up, not every path of the archive hashed.
    static func noticePath(of input: LintInput) -> String? {
        if let report = input.reportPaths, report.count <= 8 {
            return report.filter { path in input.documents.contains { $0.path == path } }.min()
        }
        return input.documents.lazy.map(\.path).filter { input.reportPaths?.contains($0) ?? true }.min()
    }
}

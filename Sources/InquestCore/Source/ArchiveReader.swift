import Foundation

/// Where a command reads the archive from. Every command that reads documents (lint, causes,
/// report, site build) takes one of these and opens it with ``ArchiveReader/open(at:configFile:selection:)``.
public enum DocumentSourceSelection: Sendable, Hashable {
    /// The files on disk, including uncommitted and untracked ones (the default).
    case workingTree
    /// The files exactly as committed at a revision (`--rev REV`), read from git objects.
    case revision(String)
    /// The git index (`--staged`): what the next commit will contain.
    case index

    /// The command-line option that selects this source, for messages.
    public var optionName: String {
        switch self {
        case .workingTree: "the working tree"
        case .revision: "--rev"
        case .index: "--staged"
        }
    }
}

/// An archive opened for reading at a ``DocumentSourceSelection``: the workspace with its
/// configuration read *at the target* (so `--rev` uses the `inquest.yml` of that revision), the
/// document source, and the repository when there is one.
///
/// Not `Sendable` (it holds the repository); commands use it on one thread and pass the values it
/// produces onward.
public final class ArchiveReader {
    public let selection: DocumentSourceSelection
    /// The workspace; its configuration is the one at the target.
    public let workspace: Workspace
    public private(set) var source: any DocumentSource
    /// nil outside a repository (only possible for `.workingTree`).
    public let repository: WorkspaceRepository?

    init(selection: DocumentSourceSelection, workspace: Workspace, source: any DocumentSource, repository: WorkspaceRepository?) {
        self.selection = selection
        self.workspace = workspace
        self.source = source
        self.repository = repository
    }

    /// Finds the workspace from `directory` (as ``Workspace/open(at:configFile:)`` does), opens the
    /// repository and the source, and loads the configuration.
    ///
    /// - Parameter configFile: an explicit configuration file; it is always read from disk.
    ///   Without one, `inquest.yml` is read from the selected source: from the revision for `--rev`,
    ///   from the index for `--staged`.
    /// - Parameter indexFile: for `--staged`, the index git names in `GIT_INDEX_FILE` while a
    ///   pre-commit hook runs (`git commit -a` and `git commit <paths>` use a temporary one), as an
    ///   absolute path; nil or the repository's own index reads `$GIT_DIR/index`.
    /// - Throws: ``SourceError`` (a git selection outside a repository, an unknown revision, a bare
    ///   repository without `--rev`) or ``ConfigurationError``.
    public static func open(at directory: URL, configFile: String? = nil, selection: DocumentSourceSelection,
                            indexFile: String? = nil) throws -> ArchiveReader {
        let start = directory.standardizedFileURL
        // A bare repository has neither `.git` nor a checked-out `inquest.yml`, so root finding
        // would walk past it: the bare folder itself is the root.
        if let found = try WorkspaceRepository.discover(root: start), found.isBare {
            guard selection != .workingTree else {
                throw SourceError("\(start.path) is a bare repository, which has no working tree: use --rev REV (for example --rev HEAD)")
            }
            return try open(root: start, directory: directory, configFile: configFile, selection: selection,
                            repository: found, indexFile: indexFile)
        }
        if selection == .workingTree {
            let workspace = try Workspace.open(at: directory, configFile: configFile)
            let repository = try WorkspaceRepository.discover(root: workspace.root)
            return ArchiveReader(selection: selection, workspace: workspace, source: WorkingTreeSource(root: workspace.root), repository: repository)
        }
        let root = Workspace.findRoot(from: start) ?? start
        guard let repository = try WorkspaceRepository.discover(root: root) else {
            throw SourceError("\(selection.optionName) needs a git repository, and \(root.path) is not inside one")
        }
        return try open(root: root, directory: directory, configFile: configFile, selection: selection,
                        repository: repository, indexFile: indexFile)
    }

    private static func open(root: URL, directory: URL, configFile: String?, selection: DocumentSourceSelection,
                             repository: WorkspaceRepository, indexFile: String?) throws -> ArchiveReader {
        let source = try repository.source(selection, root: root, indexFile: indexFile)
        var workspace: Workspace
        if let configFile {
            let explicit = try Workspace.open(at: directory, configFile: configFile)
            workspace = Workspace(root: root, configuration: explicit.configuration, configurationPath: explicit.configurationPath)
            workspace.configurationDigest = explicit.configurationDigest
        } else {
            workspace = try Workspace(root: root, configuration: Configuration()).readingConfiguration(from: source)
        }
        return ArchiveReader(selection: selection, workspace: workspace, source: source, repository: repository)
    }

    /// Lists the working tree through the stat index `index` from now on (``StatIndex``): one
    /// listing per folder for the rest of this reader's life, unchanged files never read. For a
    /// one-shot command with its caches on; a no-op for `--rev` and `--staged`.
    public func useStatIndex(_ index: StatIndex) {
        guard selection == .workingTree else { return }
        source = source.withStatIndex(index.vouched(by: repository?.workingTreeVouching()))
    }

    /// The commit the archive is read at (the revision, else HEAD); nil outside a repository or
    /// when HEAD is unborn.
    public func targetCommit() throws(SourceError) -> CommitID? {
        try repository?.targetCommit(selection)
    }

    /// Git history for every document of `archive` in one revision walk, up to the target commit.
    /// nil outside a repository; empty (no documents) when HEAD is unborn. Uncommitted documents
    /// have no entry: callers fall back to front-matter dates.
    public func history(for archive: Archive) throws(SourceError) -> ArchiveHistory? {
        guard let repository else { return nil }
        return try HistoryLoader.load(repository: repository, target: targetCommit(), archive: archive,
                                      configuration: workspace.configuration)
    }
}

import Foundation
internal import InquestGit

/// The git repository that holds a workspace, and where the workspace root sits inside it.
///
/// This is the git adapter's face to the rest of the code: the libgit2 repository it wraps is
/// internal to `Git/`, and everything it answers is a plain core value (``CommitID``,
/// ``DocumentSource``, ``ArchiveHistory``, paths). It wraps an open repository and is therefore not
/// `Sendable`: open it, use it and drop it on one thread.
public final class WorkspaceRepository {
    /// The libgit2 repository; only the git adapter (`Sources/InquestCore/Git/`) touches it.
    let repository: GitRepository
    /// The workspace root relative to the repository's working tree ("" when they are the same,
    /// and always "" for a bare repository).
    public let pathPrefix: String

    init(repository: GitRepository, pathPrefix: String) {
        self.repository = repository
        self.pathPrefix = GitPaths.normalised(pathPrefix)
    }

    /// Starts the git library's one-time set-up on another core (see `GitLibrary`): a command
    /// that will open a repository calls this first thing.
    public static func prepareGit() {
        GitLibrary.prepareInBackground()
    }

    /// The repository containing `root`; nil when `root` is not inside one. A repository that
    /// exists but cannot be opened is an error rather than "no repository", so it is not silently ignored.
    public static func discover(root: URL) throws(SourceError) -> WorkspaceRepository? {
        let repository: GitRepository?
        do {
            repository = try GitRepository.discover(from: root.path)
        } catch {
            throw SourceError("cannot open the git repository at \(root.path): \(GitPaths.message(error))")
        }
        guard let repository else { return nil }
        var prefix = ""
        if let workdir = repository.workdir {
            let resolvedRoot = root.resolvingSymlinksInPath()
            let resolvedWorkdir = URL(fileURLWithPath: workdir).resolvingSymlinksInPath()
            prefix = Workspace.relativePath(of: resolvedRoot, to: resolvedWorkdir) ?? ""
        }
        return WorkspaceRepository(repository: repository, pathPrefix: prefix)
    }

    /// True for a repository without a working tree (only `--rev` can read it).
    public var isBare: Bool { repository.isBare }

    /// True for a shallow clone: history stops early, so dates and contributors may be incomplete.
    public var isShallow: Bool { repository.isShallow }

    /// The top of the repository's working tree; nil for a bare repository.
    public var workingDirectory: URL? { repository.workdir.map { URL(fileURLWithPath: $0) } }

    /// The repository's own git folder (`.git`, or a linked worktree's folder under it), for
    /// files Inquest keeps beside git's.
    public var gitDirectory: URL { URL(fileURLWithPath: repository.gitDir) }

    /// A value of the repository's git configuration (`user.name`), nil when unset.
    public func configString(_ key: String) -> String? { repository.configString(key) }

    /// The document source for `selection`; `.workingTree` reads the disk at `root`.
    /// - Parameter indexFile: for `.index`, an index file other than `$GIT_DIR/index` (`GIT_INDEX_FILE`).
    public func source(_ selection: DocumentSourceSelection, root: URL, indexFile: String? = nil) throws(SourceError) -> any DocumentSource {
        switch selection {
        case .workingTree: WorkingTreeSource(root: root)
        case .revision(let revision): try GitRevisionSource(repository: repository, revision: revision, pathPrefix: pathPrefix)
        case .index: try GitIndexSource(repository: repository, pathPrefix: pathPrefix, indexFile: indexFile)
        }
    }

    /// The commit a revision (branch, tag, sha, `HEAD~2`) names.
    /// - Throws: ``SourceError`` for a damaged repository or a revision that does not resolve.
    public func resolve(_ revision: String) throws(SourceError) -> CommitID {
        do {
            return CommitID(try repository.resolve(revision))
        } catch {
            if let error = error as? GitError, error.isCorruptObject { throw SourceError(error.message) }
            throw SourceError("unknown revision '\(revision)': not a branch, tag or commit in this repository")
        }
    }

    /// The commit a selection reads or builds on: the revision itself, else HEAD; nil when HEAD is
    /// unborn (a repository without commits).
    public func targetCommit(_ selection: DocumentSourceSelection) throws(SourceError) -> CommitID? {
        do {
            switch selection {
            case .revision(let revision): return CommitID(try repository.resolve(revision))
            case .workingTree, .index: return try repository.headCommit().map(CommitID.init)
            }
        } catch {
            if let error = error as? GitError, error.isCorruptObject { throw SourceError(error.message) }
            if case .revision(let revision) = selection {
                throw SourceError("unknown revision '\(revision)': not a branch, tag or commit in this repository")
            }
            throw GitPaths.failure("cannot read HEAD", error)
        }
    }

    /// Mailmap-resolved names of the authors of the newest `limit` commits, newest first (bots
    /// left out), with how many commits were read; nil when HEAD is unborn. The rules read them
    /// through ``AuthorNamesCache``.
    /// - Throws: ``SourceError``; a damaged repository gives one whose ``SourceError/isCorruptObject`` is true.
    func countedAuthorNames(limit: Int) throws(SourceError) -> (names: [String], commits: Int)? {
        do {
            return try repository.countedAuthorNames(limit: limit)
        } catch {
            throw GitPaths.failure("cannot read the commit authors", error)
        }
    }

    /// The author names of the commits reachable from HEAD and not from `known` (an ancestor of
    /// HEAD), and how many; nil when that cannot be told that way (see the git layer's
    /// `authorNames(since:limit:)`).
    func authorNames(since known: CommitID, limit: Int) throws(SourceError) -> (names: [String], commits: Int)? {
        guard let oid = GitOID(hex: known.hex) else { return nil }
        do {
            return try repository.authorNames(since: oid, limit: limit)
        } catch {
            throw GitPaths.failure("cannot read the commit authors", error)
        }
    }

    /// A workspace-relative path as a repository-relative one.
    public func repositoryPath(_ path: String) -> String { GitPaths.join(pathPrefix, path) }

    /// A repository-relative path as a workspace-relative one; nil when it lies outside the workspace.
    public func workspacePath(_ path: String) -> String? { GitPaths.strip(pathPrefix, from: path) }

    /// The libgit2 id of a commit named by a ``CommitID``.
    func oid(_ commit: CommitID) throws(SourceError) -> GitOID {
        guard let oid = GitOID(hex: commit.hex) else { throw SourceError("'\(commit.hex)' is not a commit id") }
        return oid
    }
}

extension CommitID {
    init(_ oid: GitOID) {
        self.init(hex: oid.hex)
    }
}

extension Scaffold {
    /// git's `user.name` for the repository at `root`, read through libgit2.
    public static func gitUserName(in root: URL) -> String? {
        guard let repository = try? GitRepository.discover(from: root.path) else { return nil }
        return repository.configString("user.name")
    }
}

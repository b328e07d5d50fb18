internal import InquestGit

/// Finds what changed between `merge-base(BASE, target)` and the target, for `--changed-since`.
public enum ChangeDetector {
    /// - Parameters:
    ///   - base: the revision given to `--changed-since` (`origin/main`, a tag, a sha).
    ///   - selection: the target: the working tree (with untracked files), the index, or a revision.
    ///   - indexFile: for `.index`, the temporary index file the linted source reads
    ///     (``DocumentSource/indexFile``, from `GIT_INDEX_FILE`); the change set then compares that
    ///     file with the merge base path by path, so renames read as additions there. nil compares
    ///     the repository's own index.
    /// - Throws: ``SourceError`` for an unknown BASE, an unborn HEAD, or histories without a
    ///   common ancestor (with a hint when the clone is shallow).
    public static func changes(since base: String, repository: WorkspaceRepository, selection: DocumentSourceSelection,
                               configuration: Configuration, indexFile: String? = nil) throws(SourceError) -> GitBaseState {
        let git = repository.repository
        let shallowHint = git.isShallow ? "; the clone is shallow: fetch the full history (actions/checkout: fetch-depth: 0, or git fetch --unshallow)" : ""
        let baseCommit: GitOID
        do {
            baseCommit = try git.resolve(base)
        } catch {
            throw SourceError("unknown revision '\(base)' for --changed-since: not a branch, tag or commit in this repository"
                + remoteHint(base)
                + shallowHint)
        }
        guard let target = try repository.targetCommit(selection).map(repository.oid) else {
            throw SourceError("--changed-since needs a commit to compare with, and HEAD has none yet")
        }
        let mergeBase: GitOID?
        do {
            mergeBase = try git.mergeBase(baseCommit, target)
        } catch {
            throw SourceError("cannot find the merge base of '\(base)' and \(target.short): \(GitPaths.message(error))\(shallowHint)")
        }
        guard let mergeBase else {
            throw SourceError("'\(base)' and \(target.short) have no common ancestor\(shallowHint)")
        }

        // The catalogue may live outside the postmortems folder (`causes:`), so it gets its own diff then.
        var folders = [configuration.postmortems]
        if !PostmortemFiles.isInside(configuration.causes, folder: configuration.postmortems) { folders.append(configuration.causes) }
        folders.append(ConfigurationLoader.fileName)
        var deltas: [GitDelta] = []
        do {
            for folder in folders {
                let path = repository.repositoryPath(folder)
                switch selection {
                case .workingTree: deltas += try git.diff(from: mergeBase, to: nil, under: path)
                case .index:
                    if let indexFile {
                        deltas += try compare(git.files(at: mergeBase, under: path), with: git.indexEntries(under: path, indexFile: indexFile))
                    } else {
                        deltas += try git.diffToIndex(from: mergeBase, under: path)
                    }
                case .revision: deltas += try git.diff(from: mergeBase, to: target, under: path)
                }
            }
        } catch {
            throw GitPaths.failure("cannot compare with '\(base)'", error)
        }

        let parser = PostmortemParser(schema: configuration.schema)
        var changed = Set<String>()
        var documents: [String: GitBaseState.Document] = [:]
        // Changes that can break documents the change did not touch: a deleted or renamed document
        // (links and `related` to it), the catalogue (cause ids), the configuration (the rules).
        var wholeArchive: [String] = []
        for delta in deltas {
            let path = repository.workspacePath(delta.newPath) ?? delta.newPath
            if path == ConfigurationLoader.fileName { wholeArchive.append("\(ConfigurationLoader.fileName) changed") }
            else if path == configuration.causes { wholeArchive.append("\(configuration.causes) changed") }
            else if delta.status == .deleted { wholeArchive.append("\(repository.workspacePath(delta.oldPath) ?? delta.oldPath) was deleted") }
            else if delta.status == .renamed { wholeArchive.append("\(repository.workspacePath(delta.oldPath) ?? delta.oldPath) was renamed") }
        }
        for delta in deltas where delta.status != .deleted {
            guard let path = repository.workspacePath(delta.newPath) else { continue }
            if path == configuration.causes { changed.insert(path); continue }
            guard GitPaths.isPostmortem(path, under: configuration.postmortems) else { continue }
            changed.insert(path)
            // A copy leaves the original in place and an added file has no past: neither changes an id.
            guard delta.status == .modified || delta.status == .renamed || delta.status == .typechange,
                  let oldPath = repository.workspacePath(delta.oldPath),
                  let old = try? git.files(at: mergeBase, under: delta.oldPath).first(where: { $0.path == delta.oldPath }),
                  !old.isSymlink, let bytes = try? git.blob(old.oid)
            else { continue }
            let parsed = parser.parse(RawDocument(path: oldPath, bytes: bytes, contentID: old.oid.hex))
            documents[path] = GitBaseState.Document(path: oldPath, id: parsed.id, status: parsed.status)
        }
        var state = GitBaseState(revision: base, mergeBase: mergeBase.hex, changedPaths: changed, documents: documents)
        state.wholeArchiveReasons = wholeArchive
        return state
    }

    /// Path-by-path comparison of two snapshots, for index files libgit2 cannot diff.
    static func compare(_ old: [GitTreeEntry], with new: [GitTreeEntry]) -> [GitDelta] {
        let before = Dictionary(old.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var deltas: [GitDelta] = []
        for entry in new {
            if let previous = before[entry.path] {
                if previous.oid != entry.oid || previous.mode != entry.mode {
                    deltas.append(GitDelta(status: .modified, oldPath: entry.path, newPath: entry.path))
                }
            } else {
                deltas.append(GitDelta(status: .added, oldPath: entry.path, newPath: entry.path))
            }
        }
        return deltas
    }

    /// For `origin/main`-like names, how to fetch them: CI checkouts often have no remote branches.
    private static func remoteHint(_ base: String) -> String {
        let parts = base.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, !base.hasPrefix("refs/") else { return "" }
        return " (if it is a remote branch, fetch it first: git fetch \(parts[0]) \(parts[1]))"
    }
}

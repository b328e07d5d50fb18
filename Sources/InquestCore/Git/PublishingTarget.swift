internal import InquestGit

/// A branch to commit a rendered site onto (`gh-pages`), checked when it is made: a name git
/// accepts, and not the branch checked out in this repository's working tree (whose files would
/// silently go stale). Commits are written with libgit2: no checkout, the working tree and the
/// index are untouched. Holds the repository, so it is not `Sendable`.
public struct PublishingTarget {
    /// The branch as given.
    public let branch: String
    /// `refs/heads/NAME`.
    public let reference: String
    let repository: WorkspaceRepository

    /// What ``commit(files:message:author:)`` did.
    public enum Outcome: Sendable, Equatable {
        /// A new commit on the branch.
        case committed(commit: String, parent: String?, files: Int)
        /// The branch already holds exactly these files.
        case unchanged(commit: String)
    }

    /// - Throws: ``SourceError`` for a branch name git rejects or the checked-out branch.
    public init(branch: String, in repository: WorkspaceRepository) throws(SourceError) {
        let reference = try Self.reference(for: branch)
        // A bare repository has no working tree to go stale.
        if !repository.isBare, let head = repository.repository.headBranchReference, head == reference {
            throw SourceError("\(branch) is the branch checked out here; publishing onto it would leave the working tree out of date. Publish to another branch (e.g. gh-pages)")
        }
        self.branch = branch
        self.reference = reference
        self.repository = repository
    }

    /// `refs/heads/NAME` for a branch name; rejects names git would reject or misread, by
    /// libgit2's own check (which also refuses `HEAD`).
    static func reference(for branch: String) throws(SourceError) -> String {
        let name = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst("refs/heads/".count)) : branch
        guard GitRepository.isValidBranchName(name) else {
            throw SourceError("'\(branch)' is not a valid branch name")
        }
        return "refs/heads/" + name
    }

    /// Commits `files` (repository-relative paths) as the whole tree of the branch, with the
    /// branch's previous tip as parent; when the tip already has exactly this tree, no commit is made.
    public func commit(files: [String: [UInt8]], message: String, author: CommitSignature) throws(SourceError) -> Outcome {
        let git = repository.repository
        do {
            let tree = try git.writeTree(files: files.keys.sorted().map { (path: $0, contents: files[$0]!) })
            let parent = try git.referenceTarget(reference)
            if let parent, try git.treeOfCommit(parent) == tree {
                return .unchanged(commit: parent.hex)
            }
            let signature = GitSignature(name: author.name, email: author.email,
                                         time: GitTime(secondsSinceEpoch: Int64(author.time.seconds), offsetMinutes: author.time.offsetMinutes))
            let commit = try git.commit(tree: tree, parents: parent.map { [$0] } ?? [], message: message,
                                        updateRef: reference, author: signature)
            return .committed(commit: commit.hex, parent: parent?.hex, files: files.count)
        } catch let error as GitError {
            throw SourceError("cannot publish to \(branch): \(error.message)")
        } catch {
            throw SourceError("cannot publish to \(branch): \(error)")
        }
    }
}

import Foundation
import InquestCore
import InquestGit

/// Commits a rendered site onto a branch (`gh-pages`) with libgit2: no checkout, the working
/// tree and the index are untouched, the new commit's parent is the branch's previous tip, and
/// an unchanged site makes no commit.
public struct SitePublisher {
    public let repository: GitRepository

    public init(repository: GitRepository) {
        self.repository = repository
    }

    /// What ``publish(_:branch:message:author:)`` did.
    public enum Outcome: Sendable, Equatable {
        /// A new commit on the branch.
        case committed(commit: String, parent: String?, files: Int)
        /// The branch already holds exactly this site.
        case unchanged(commit: String)
    }

    /// Files published besides the site: `.nojekyll` stops GitHub Pages from running Jekyll,
    /// which would hide files and folders starting with `_` or `.`.
    static let extraFiles: [String: [UInt8]] = [".nojekyll": []]

    /// Commits `site` as the whole tree of `branch`.
    /// - Throws: ``SiteError`` for a branch name git rejects, the branch checked out in this
    ///   repository's working tree (its files would silently go stale), or a git failure.
    public func publish(_ site: RenderedSite, branch: String, message: String, author: GitSignature) throws(SiteError) -> Outcome {
        let reference = try Self.reference(for: branch)
        if let head = checkedOutReference(), head == reference {
            throw SiteError("\(branch) is the branch checked out here; publishing onto it would leave the working tree out of date. Publish to another branch (e.g. gh-pages)")
        }
        var files = site.files
        for (path, bytes) in Self.extraFiles { files[path] = bytes }
        do {
            let tree = try repository.writeTree(files: files.keys.sorted().map { (path: $0, contents: files[$0]!) })
            let parent = try repository.referenceTarget(reference)
            if let parent, try repository.treeOfCommit(parent) == tree {
                return .unchanged(commit: parent.hex)
            }
            let commit = try repository.commit(tree: tree, parents: parent.map { [$0] } ?? [], message: message,
                                               updateRef: reference, author: author)
            return .committed(commit: commit.hex, parent: parent?.hex, files: files.count)
        } catch let error as GitError {
            throw SiteError("cannot publish to \(branch): \(error.message)")
        } catch {
            throw SiteError("cannot publish to \(branch): \(error)")
        }
    }

    /// `refs/heads/NAME` for a branch name; rejects names git would reject or misread, by
    /// libgit2's own check (which also refuses `HEAD`).
    static func reference(for branch: String) throws(SiteError) -> String {
        let name = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst("refs/heads/".count)) : branch
        guard GitRepository.isValidBranchName(name) else {
            throw SiteError("'\(branch)' is not a valid branch name")
        }
        return "refs/heads/" + name
    }

    /// The branch HEAD points at (`refs/heads/main`); nil when detached or in a bare repository
    /// (which has no working tree to go stale).
    func checkedOutReference() -> String? {
        repository.isBare ? nil : repository.headBranchReference
    }
}

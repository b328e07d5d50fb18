import Foundation
import InquestCore

/// Commits a rendered site onto a branch (`gh-pages`) through the core's ``PublishingTarget``:
/// no checkout, the working tree and the index are untouched, the new commit's parent is the
/// branch's previous tip, and an unchanged site makes no commit.
public struct SitePublisher {
    public let repository: WorkspaceRepository

    public init(repository: WorkspaceRepository) {
        self.repository = repository
    }

    /// What ``publish(_:branch:message:author:)`` did.
    public typealias Outcome = PublishingTarget.Outcome

    /// Files published besides the site: `.nojekyll` stops GitHub Pages from running Jekyll,
    /// which would hide files and folders starting with `_` or `.`.
    static let extraFiles: [String: [UInt8]] = [".nojekyll": []]

    /// Commits `site` as the whole tree of `branch`.
    /// - Throws: ``SiteError`` for a branch name git rejects, the branch checked out in this
    ///   repository's working tree (its files would silently go stale), or a git failure.
    public func publish(_ site: RenderedSite, branch: String, message: String, author: CommitSignature) throws(SiteError) -> Outcome {
        var files = site.files
        for (path, bytes) in Self.extraFiles { files[path] = bytes }
        do {
            return try PublishingTarget(branch: branch, in: repository).commit(files: files, message: message, author: author)
        } catch {
            throw SiteError(error.message)
        }
    }
}

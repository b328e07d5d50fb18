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

    /// The site a build wrote into `folder` (``SiteBuild/build(archive:settings:theme:output:protected:generator:incremental:inputs:lintErrors:searchCache:stubs:prepared:pendingLintErrors:)``),
    /// as ``RenderedSite/files`` holds it: the files ``SiteWriter/walkSite(at:_:)`` finds, which
    /// leaves out the build's own marker and cache (and the user's entries a build keeps, which a
    /// build never writes). Symbolic links and other special files are never followed or published.
    public static func files(in folder: URL) throws(SiteError) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        var failure: SiteError?
        let root = folder.path
        let walked = SiteWriter.walkSite(at: root) { entry in
            switch entry {
            case .file(let path, _):
                guard let bytes = BuildInputs.readRegularFile(root + "/" + path) else {
                    failure = SiteError("cannot read \(root)/\(path)")
                    return false
                }
                files[path] = bytes
            case .folder(let path, listed: false), .unlisted(let path):
                failure = SiteError("cannot read \(root)/\(path)")
                return false
            case .other(let path):
                // A link or special file is left out; an entry that vanished or cannot be examined is an error.
                var info = stat()
                if lstat(root + "/" + path, &info) != 0 {
                    failure = SiteError("cannot read \(root)/\(path)")
                    return false
                }
            case .folder:
                break
            }
            return true
        }
        if let failure { throw failure }
        guard walked else { throw SiteError("cannot read \(root)") }
        return files
    }

    /// Commits `site` as the whole tree of `branch`.
    /// - Throws: ``SiteError`` for a branch name git rejects, the branch checked out in this
    ///   repository's working tree (its files would silently go stale), or a git failure.
    public func publish(_ site: RenderedSite, branch: String, message: String, author: CommitSignature) throws(SiteError) -> Outcome {
        try publish(files: site.files, branch: branch, message: message, author: author)
    }

    /// Commits `files` (a site by path) as the whole tree of `branch`; see ``publish(_:branch:message:author:)``.
    public func publish(files site: [String: [UInt8]], branch: String, message: String, author: CommitSignature) throws(SiteError) -> Outcome {
        var files = site
        for (path, bytes) in Self.extraFiles { files[path] = bytes }
        do {
            return try PublishingTarget(branch: branch, in: repository).commit(files: files, message: message, author: author)
        } catch {
            throw SiteError(error.message)
        }
    }
}

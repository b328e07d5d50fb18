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
    /// as ``RenderedSite/files`` holds it: every file below it but the build's own marker and
    /// cache. Symbolic links and other special files are never followed or published (a build
    /// writes none).
    public static func files(in folder: URL) throws(SiteError) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let skipped: Set<String> = [SiteWriter.markerName, BuildCache.fileName]
        func walk(_ path: String, _ relative: String, depth: Int) throws(SiteError) {
            guard depth < 64 else { throw SiteError("\(folder.path): the site is nested too deep to publish") }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw SiteError("cannot read \(path)")
            }
            for name in names.sorted() {
                let child = path + "/" + name
                let inner = relative.isEmpty ? name : relative + "/" + name
                if relative.isEmpty, skipped.contains(name) { continue }
                var info = stat()
                guard lstat(child, &info) == 0 else { throw SiteError("cannot read \(child)") }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: try walk(child, inner, depth: depth + 1)
                case S_IFREG:
                    guard let data = FileManager.default.contents(atPath: child) else { throw SiteError("cannot read \(child)") }
                    files[inner] = Array(data)
                default: continue
                }
            }
        }
        try walk(folder.path, "", depth: 0)
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

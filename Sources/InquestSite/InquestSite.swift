import Foundation
import InquestCore

/// The static HTML archive: `inquest build` and `inquest publish`.
///
/// - ``SiteBuilder`` renders an ``Archive`` with a ``Theme`` into a ``RenderedSite`` (in memory).
/// - ``SiteWriter`` writes it atomically into an output folder, with an incremental cache.
/// - ``SitePublisher`` commits it onto a branch (`gh-pages`) without a checkout.
/// - ``SiteBuild`` ties them to an ``ArchiveReader`` for the command line.
public enum InquestSite {
    /// The renderer's version, part of every cache key.
    public static let generatorVersion = "inquest-site/1 (inquest \(InquestVersion.current))"

    /// ``generatorVersion`` plus the running executable's size and modification time: a rebuilt
    /// `inquest` never reuses pages rendered by different code, even without a version bump.
    public static func generatorIdentity() -> String {
        var info = stat()
        for path in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where !path.isEmpty && stat(path, &info) == 0 {
            return generatorVersion + " \(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return generatorVersion
    }
}

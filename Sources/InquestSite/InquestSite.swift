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
        // `/proc/self/exe` (Linux) is a link to the executable; argv[0] is the fallback elsewhere.
        for path in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where !path.isEmpty {
            let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                  let size = (attributes[.size] as? NSNumber)?.uint64Value,
                  let modified = attributes[.modificationDate] as? Date else { continue }
            // Portable (Foundation, not `stat`'s Linux-only `st_mtim`), to the microsecond.
            let micros = Int64((modified.timeIntervalSince1970 * 1_000_000).rounded())
            return generatorVersion + " \(size)-\(micros)"
        }
        return generatorVersion
    }
}

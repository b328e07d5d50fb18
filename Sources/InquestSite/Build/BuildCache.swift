import Foundation

/// The incremental build cache: for every page, the hash of everything it was rendered from
/// (theme, template, path and its whole context) and the hash of the bytes written. A page whose
/// key matches last build's, and whose file is still intact, is copied instead of rendered.
///
/// Stored as `.inquest-cache.json` inside the output folder, so it travels with the site it
/// describes and a deleted site never leaves a stale cache behind.
public struct BuildCache: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        /// Hash of the page's inputs.
        public var key: String
        /// Hash of the bytes written, to detect a file edited or damaged since.
        public var sha256: String
    }

    /// Bumped when rendering changes in ways the keys cannot see (new generator code).
    public static let formatVersion = 1
    public static let fileName = ".inquest-cache.json"

    public var version: Int
    public var generator: String
    public var pages: [String: Entry]

    public init(generator: String = InquestSite.generatorVersion, pages: [String: Entry] = [:]) {
        version = Self.formatVersion
        self.generator = generator
        self.pages = pages
    }

    /// Sorted, pretty JSON: the same build writes the same bytes.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [UInt8(ascii: "\n")]
    }

    /// The cache in `bytes`; nil when unreadable or written by another generator.
    public static func decode(_ bytes: [UInt8], generator: String) -> BuildCache? {
        guard let cache = try? JSONDecoder().decode(BuildCache.self, from: Data(bytes)),
              cache.version == formatVersion, cache.generator == generator else { return nil }
        return cache
    }
}

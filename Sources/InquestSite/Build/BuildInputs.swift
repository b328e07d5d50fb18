import Foundation
import InquestCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A digest of everything a working-tree build reads, computed without parsing anything: the
/// bytes of every postmortem file, the catalogue, the configuration, the theme overrides in
/// `site/` and `.mailmap`; the commit HEAD points to (history, dates, authors) and whether the
/// clone is shallow; the command-line and environment settings; the generator. When it equals
/// the digest stored with the previous build and that build's files are intact, the build has
/// nothing to do: a no-op rebuild reads the inputs once and writes nothing.
///
/// Content hashes rather than file times: a digest that depends only on the bytes is itself
/// deterministic (it is stored in the site), and it cannot be fooled by an edit within the
/// file system's timestamp granularity.
public enum BuildInputs {
    /// The digest, or nil when the build reads something the digest cannot describe (`--rev`,
    /// `--staged`: their own inputs are git objects) or an input cannot be read (the build then
    /// runs in full and reports the problem).
    public static func digest(reader: ArchiveReader, baseURL: String?, environment: [String: String], generator: String) -> String? {
        describe(reader: reader, baseURL: baseURL, environment: environment, generator: generator)?.value
    }

    /// The digest with what it read of the postmortems and the catalogue, so that a build can
    /// check that what it went on to read is what the digest describes (``Digest/describes(_:)``).
    public struct Digest: Sendable {
        /// The digest itself (``BuildInputs/digest(reader:baseURL:environment:generator:)``).
        public var value: String
        /// Each postmortem's blob id, by path, as the digest hashed it.
        public var documents: [String: String]
        /// The SHA-256 of the catalogue's bytes; nil when there was none.
        public var catalogue: String?

        /// Whether `archive` holds exactly the postmortems and catalogue the digest describes.
        /// A file can change between the digest's read and the build's (an editor saving, a
        /// checkout): the site then shows other bytes than the digest says, and a build that
        /// kept the digest would later find "nothing changed" and leave the site stale. Such a
        /// build keeps no digest, so the next one runs and checks every page.
        public func describes(_ archive: Archive) -> Bool {
            guard archive.postmortems.count == documents.count,
                  archive.catalogue.map({ SHA256.hex($0.source.bytes) }) == catalogue else { return false }
            for postmortem in archive.postmortems {
                let id = postmortem.contentID ?? StatIndex.blobID(of: postmortem.source.bytes)
                guard documents[postmortem.path] == id else { return false }
            }
            return true
        }
    }

    /// ``digest(reader:baseURL:environment:generator:)`` with what it read (``Digest``).
    public static func describe(reader: ArchiveReader, baseURL: String?, environment: [String: String], generator: String) -> Digest? {
        guard reader.selection == .workingTree, !reader.source.isSnapshot else { return nil }
        let workspace = reader.workspace
        let root = workspace.root
        let configuration = workspace.configuration
        var hasher = SHA256()
        func field(_ name: String, _ value: String) { hasher.update("\(name)\u{0}\(value)\u{0}") }
        field("format", "2")
        field("generator", generator)
        field("base-url", baseURL ?? "-")
        field("prefix", reader.repository?.pathPrefix ?? "-")
        field("source-date-epoch", environment["SOURCE_DATE_EPOCH"] ?? "-")

        // Configuration: the file the workspace loaded (relative to the root, or absolute).
        if let path = workspace.configurationPath {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
            guard let bytes = readRegularFile(url.path) else { return nil }
            field("config", SHA256.hex(bytes))
        } else {
            field("config", "-")
        }

        // Postmortems: the files the working-tree source lists, in order, with their blob ids:
        // from the stat index (``StatIndex``) when the reader has one, which reads only files
        // whose stamp changed (and the build reuses that listing), else read and hashed here.
        let documents: [RawDocument]
        do {
            guard try reader.source.kind(of: configuration.postmortems) == .folder else { return nil }
            documents = try reader.source.postmortemListing(under: configuration.postmortems)
        } catch {
            return nil
        }
        let source = reader.source
        nonisolated(unsafe) let shared = source
        let ids = parallelMap(documents) { document -> String? in
            if let id = document.contentID { return id }
            return (try? shared.load(document)).map { StatIndex.blobID(of: $0.bytes) }
        }
        var read: [String: String] = [:]
        read.reserveCapacity(documents.count)
        for (document, id) in zip(documents, ids) {
            guard let id else { return nil }
            field("document", document.path + "\u{0}" + id)
            // What the archive holds: excluded files (a README, `exclude:` patterns) are hashed
            // above, since changing what is excluded changes the build, but never read as postmortems.
            if !PostmortemFiles.isExcluded(document.path, configuration: configuration) { read[document.path] = id }
        }
        let catalogue = readRegularFile(root.appendingPathComponent(configuration.causes).path).map { SHA256.hex($0) }
        field("causes", catalogue ?? "-")

        // Theme overrides, as ``SiteBuild/themeOverrides(folder:)`` reads them.
        let theme = SiteBuild.themeOverrides(folder: root.appendingPathComponent(SiteBuild.themeFolder))
        for path in theme.keys.sorted() { field("theme", path + "\u{0}" + SHA256.hex(theme[path]!)) }

        // Git: history, first/last commit dates and authors all follow from HEAD's commit.
        if let repository = reader.repository {
            let head: CommitID?
            do {
                head = try reader.targetCommit()
            } catch {
                return nil
            }
            field("head", head?.hex ?? "unborn")
            field("shallow", repository.isShallow ? "1" : "0")
            if let workdir = repository.workingDirectory {
                let mailmap = workdir.appendingPathComponent(".mailmap").path
                field("mailmap", readRegularFile(mailmap).map { SHA256.hex($0) } ?? "-")
            }
        } else {
            field("head", "no-repository")
        }
        return Digest(value: hasher.finalizeHex(), documents: read, catalogue: catalogue)
    }

    /// A regular file's bytes (symbolic links are not followed); nil when missing or unreadable.
    static func readRegularFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size < 1 << 30 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        // A file that grew while being read is read again by the full build; the digest then misses.
        return bytes
    }
}

extension SiteBuild {
    /// A previous build that is still current (see ``unchanged(output:protected:inputs:generator:)``).
    public struct Unchanged: Sendable {
        public var pages: Int
        public var assets: Int
        /// Lint errors of the inputs, as the previous build recorded them.
        public var lintErrors: Int
    }

    /// Whether the build in `output` recorded the input digest `inputs` (its cache file's first
    /// lines only): false means ``unchanged(output:protected:inputs:generator:)`` is nil, so a
    /// build knows it will run before checking every file of the previous one.
    public static func mayBeUnchanged(output: URL, inputs: String) -> Bool {
        BuildCache.recordedInputs(folder: output.standardizedFileURL) == inputs
    }

    /// The previous build in `output` when it was made from the inputs with digest `inputs` by
    /// this generator and every file it wrote is still there, unmodified (same size, not newer
    /// than the cache), with nothing else added: the build then has nothing to do. Reads only
    /// the cache and the folder listing; nil whenever in doubt (the full build then decides).
    public static func unchanged(output: URL, protected: [URL], inputs: String, generator: String) -> Unchanged? {
        // Other inputs: known from the cache file's first lines, before decoding all of it.
        guard BuildCache.recordedInputs(folder: output.standardizedFileURL) == inputs else { return nil }
        guard let previous = try? SiteWriter.inspect(output: output, protected: protected, generator: generator),
              let cache = previous.cache, cache.inputs == inputs, previous.cacheModified != nil else { return nil }
        let files = cache.files
        var seen = 0
        // Every file must be one the cache lists, untouched; anything else (a folder that cannot be
        // listed, a link, a stray file) means the full build decides.
        let complete = SiteWriter.walkSite(at: previous.folder.path) { entry in
            switch entry {
            case .folder(_, let listed): return listed
            case .file(let path, let info):
                guard let entry = files[path], previous.isIntact(info, entry) else { return false }
                seen += 1
                return true
            case .other, .unlisted: return false
            }
        }
        guard complete, seen == files.count else { return nil }
        return Unchanged(pages: cache.pages.count, assets: cache.assets.count, lintErrors: cache.lintErrors)
    }
}

extension SiteBuild {
    /// The theme files of the workspace's `site/` folder that differ from the built-in theme, as
    /// ``Theme/overridden`` lists them, without loading the theme (for a build with nothing to do).
    public static func overriddenThemeFiles(root: URL) -> [String] {
        let embedded = EmbeddedTheme.files
        return themeOverrides(folder: root.appendingPathComponent(themeFolder))
            .filter { Theme.isThemeFile($0.key) && embedded[$0.key].map { Array($0.utf8) } != $0.value }
            .keys.sorted()
    }
}

import Foundation
internal import InquestGit

/// What git history said at one commit, kept between builds: the per-file histories of the
/// revision walk (``HistoryLoader``), the action items of the file versions read to date them,
/// and the ids renamed documents had. A build at the same commit reads it instead of walking the
/// history; a build at a descendant commit walks only the commits in between when that gives the
/// same result (``GitRepository/historyWalk(under:from:matching:continuing:at:limit:)``), else
/// the whole history. Keyed by the commit and by everything else the answer depends on (the
/// generator and configuration, which decide the folder and how old versions parse; the
/// mailmap; the grafts), under the same rules as the lint cache it sits beside: versioned,
/// written atomically, and a missing, damaged or foreign file is ignored. Never used in a
/// shallow clone (its boundary moves without the commit changing).
public struct HistoryCache: Sendable {
    /// The cache file.
    public let url: URL
    /// Everything the stored facts depend on besides the commit, the mailmap and the grafts.
    public let key: String

    /// The file's facts, read and decoded on another core since ``prefetching()``.
    private var prefetched: Background<Stored?>?

    public init(url: URL, key: String) {
        self.url = url
        self.key = key
    }

    /// This cache with its file read and decoded on another core from now on (it depends on
    /// nothing the build reads first): ``load()`` then waits for that instead of reading, and
    /// returns the file as it was read then (a prefetching cache serves one build).
    public func prefetching() -> HistoryCache {
        var copy = self
        let plain = HistoryCache(url: url, key: key)
        copy.prefetched = Background { plain.load() }
        return copy
    }

    /// The cache beside the lint cache (`$GIT_DIR/inquest/` or `.inquest-cache/`), for `generator`
    /// and the workspace's configuration; nil when the configuration cannot be identified.
    public static func beside(_ lintCache: LintCache, workspace: Workspace, generator: String) -> HistoryCache? {
        guard let file = lintCache.sibling("history", formatVersion: formatVersion, workspace: workspace, generator: generator) else { return nil }
        return HistoryCache(url: file.url, key: ContentID.of(Array(file.keyText.utf8)))
    }

    /// An action item of one file version, as ``HistoryLoader/itemEvents(of:history:commits:repository:parser:versions:)`` matches them.
    struct VersionItem: Hashable, Sendable {
        var key: String
        var state: ActionItem.State
    }

    /// The stored facts.
    struct Stored: Sendable {
        /// The commit they describe (hex).
        var target: String
        /// ``HistoryLoader/environment(_:)`` when they were made.
        var environment: String
        var commitTime: Timestamp
        var walk: GitHistoryWalk
        /// Action items of file versions, by ``HistoryLoader/versionKey(blob:path:)``.
        var versions: [String: [VersionItem]]
        /// The id a document had before a rename, by ``HistoryLoader/renameKey(_:)``.
        var previousIDs: [String: String]
    }

    /// 1: histories (blobs as raw ids), touched paths, version items, previous ids.
    static let formatVersion = 1
    static let magic = Array("INQHIST\u{1}".utf8)

    /// The stored facts; nil when the file is missing, damaged or foreign.
    func load() -> Stored? {
        if let prefetched { return prefetched.value() }
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return Self.decode(Array(data), key: key)
    }

    /// Writes the facts atomically (temporary file, then rename); failures are ignored.
    func save(_ stored: Stored) {
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        LintCache(url: url).save(Self.encode(stored, key: key))
    }

    static func encode(_ stored: Stored, key: String) -> [UInt8] {
        var writer = CacheWriter(capacity: 1 << 16)
        writer.bytesAppend(UnsafeRawBufferPointer(start: magic, count: magic.count))
        for _ in 0..<8 { writer.bool(false) }
        writer.string(key)
        writer.string(stored.target)
        writer.string(stored.environment)
        writer.int64(Int64(stored.commitTime.seconds))
        writer.int(stored.commitTime.offsetMinutes)
        // Commits once each: a commit touching many files is listed by number.
        var numbers: [GitOID: Int] = [:]
        var commits: [GitFileCommit] = []
        func number(_ commit: GitFileCommit) -> Int {
            if let known = numbers[commit.oid] { return known }
            numbers[commit.oid] = commits.count
            commits.append(commit)
            return commits.count - 1
        }
        let paths = stored.walk.histories.keys.sorted()
        var files = CacheWriter()
        files.unsigned(UInt64(paths.count))
        for path in paths {
            let history = stored.walk.histories[path]!
            files.string(path)
            files.unsigned(UInt64(history.commits.count))
            for (commit, blob) in zip(history.commits, history.blobs) {
                files.int(number(commit))
                blob.bytes.withUnsafeBytes { files.bytesAppend($0) }
            }
            files.unsigned(UInt64(history.renames.count))
            for rename in history.renames {
                files.string(rename.from)
                files.string(rename.to)
                files.int(number(rename.commit))
            }
        }
        writer.unsigned(UInt64(commits.count))
        for commit in commits {
            writer.string(commit.oid.hex)
            writer.string(commit.authorName)
            writer.string(commit.authorEmail)
            writer.int64(commit.authorTime.secondsSinceEpoch)
            writer.int(commit.authorTime.offsetMinutes)
            writer.string(commit.summary)
        }
        writer.block(files.bytes)
        writer.bool(stored.walk.touched != nil)
        if let touched = stored.walk.touched { writer.strings(touched.sorted()) }
        writer.unsigned(UInt64(stored.versions.count))
        for version in stored.versions.keys.sorted() {
            writer.string(version)
            let items = stored.versions[version]!
            writer.unsigned(UInt64(items.count))
            for item in items {
                writer.string(item.key)
                writer.bool(item.state == .done)
            }
        }
        writer.unsigned(UInt64(stored.previousIDs.count))
        for rename in stored.previousIDs.keys.sorted() {
            writer.string(rename)
            writer.string(stored.previousIDs[rename]!)
        }
        var file = writer.bytes
        let checksum = CacheChecksum.of(file, from: 16)
        for index in 0..<8 { file[8 + index] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(index))) }
        return file
    }

    static func decode(_ bytes: [UInt8], key: String) -> Stored? {
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { return nil }
        var checksum: UInt64 = 0
        for index in 0..<8 { checksum |= UInt64(bytes[8 + index]) << (8 * UInt64(index)) }
        guard CacheChecksum.of(bytes, from: 16) == checksum else { return nil }
        var reader = CacheReader(bytes, range: 16..<bytes.count)
        do throws(CacheReader.Failure) {
            guard try reader.string() == key else { return nil }
            let target = try reader.string()
            let environment = try reader.string()
            let commitTime = Timestamp(seconds: Int(try reader.int64()), offsetMinutes: try reader.int())
            var commits: [GitFileCommit] = []
            for _ in 0..<(try reader.count()) {
                guard let oid = GitOID(hex: try reader.string()) else { return nil }
                commits.append(GitFileCommit(oid: oid, authorName: try reader.string(), authorEmail: try reader.string(),
                                             authorTime: GitTime(secondsSinceEpoch: try reader.int64(), offsetMinutes: try reader.int()),
                                             summary: try reader.string()))
            }
            func commit(_ number: Int) throws(CacheReader.Failure) -> GitFileCommit {
                guard commits.indices.contains(number) else { throw CacheReader.Failure() }
                return commits[number]
            }
            var files = CacheReader(reader.buffer, range: try reader.block())
            var histories: [String: GitFileHistory] = [:]
            for _ in 0..<(try files.count()) {
                let path = try files.string()
                var fileCommits: [GitFileCommit] = [], blobs: [GitOID] = [], renames: [GitRename] = []
                for _ in 0..<(try files.count()) {
                    fileCommits.append(try commit(try files.int()))
                    guard files.end - files.offset >= 20,
                          let blob = GitOID(bytes: UnsafeBufferPointer(start: files.base + files.offset, count: 20)) else { return nil }
                    files.offset += 20
                    blobs.append(blob)
                }
                for _ in 0..<(try files.count()) {
                    renames.append(GitRename(from: try files.string(), to: try files.string(), commit: try commit(try files.int())))
                }
                guard !fileCommits.isEmpty else { return nil }
                var seen = Set<String>()
                let contributors = fileCommits.reversed().map(\.authorName).filter { seen.insert($0).inserted }
                histories[path] = GitFileHistory(path: path, commits: fileCommits, contributors: contributors, renames: renames, blobs: blobs)
            }
            let touched = try reader.bool() ? Set(try reader.strings()) : nil
            var versions: [String: [VersionItem]] = [:]
            for _ in 0..<(try reader.count()) {
                let version = try reader.string()
                var items: [VersionItem] = []
                for _ in 0..<(try reader.count()) {
                    items.append(VersionItem(key: try reader.string(), state: try reader.bool() ? .done : .open))
                }
                versions[version] = items
            }
            var previousIDs: [String: String] = [:]
            for _ in 0..<(try reader.count()) { previousIDs[try reader.string()] = try reader.string() }
            guard reader.isAtEnd else { return nil }
            return Stored(target: target, environment: environment, commitTime: commitTime,
                          walk: GitHistoryWalk(histories: histories, touched: touched), versions: versions, previousIDs: previousIDs)
        } catch {
            return nil
        }
    }
}

extension ArchiveReader {
    /// ``history(for:)`` through `cache` (nil: no cache, as `--no-cache`).
    public func history(for archive: Archive, cache: HistoryCache?) throws(SourceError) -> ArchiveHistory? {
        guard let repository else { return nil }
        return try HistoryLoader.load(repository: repository, target: targetCommit(), archive: archive,
                                      configuration: workspace.configuration, cache: cache)
    }
}

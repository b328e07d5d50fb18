import Foundation
internal import InquestGit

/// What git history said at one commit, kept between builds: the per-file histories of the
/// revision walk (``HistoryLoader``), each walked commit's changes, the action items of the file
/// versions read to date them, and the ids renamed documents had. A build at the same commit
/// reads it instead of walking the history; a build at any other commit diffs only the commits
/// the stored walk did not (``GitRepository/historyWalk(under:from:matching:reusing:at:twoThreadsFrom:)``):
/// new commits and merges on top, a HEAD moved back, another branch. Keyed by the commit and by
/// everything else the answer depends on (the generator and configuration, which decide the
/// folder and how old versions parse; the
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
        /// The walk. Read from the file, its ``GitHistoryWalk/commits`` are empty until
        /// ``withCommits()``: a build at the same commit never needs them.
        var walk: GitHistoryWalk
        /// Action items of file versions, by ``HistoryLoader/versionKey(blob:path:)``.
        var versions: [String: [VersionItem]]
        /// The id a document had before a rename, by ``HistoryLoader/renameKey(_:)``.
        var previousIDs: [String: String]
        /// The walk's commits as the file holds them, decoded by ``withCommits()``.
        var encodedCommits: EncodedCommits?

        /// These facts with the walk's commits decoded; nil when they are damaged.
        func withCommits() -> Stored? {
            guard let encodedCommits else { return self }
            guard let commits = encodedCommits.decode() else { return nil }
            var copy = self
            copy.walk.commits = commits
            copy.encodedCommits = nil
            return copy
        }
    }

    /// The commits' changes section of a file, and the commit table it numbers commits in.
    struct EncodedCommits: Sendable {
        let bytes: CacheBytes
        let range: Range<Int>
        let table: [GitFileCommit]

        func decode() -> [GitCommitChanges]? {
            var reader = CacheReader(bytes, range: range)
            do throws(CacheReader.Failure) {
                var commits: [GitCommitChanges] = []
                for _ in 0..<(try reader.count()) {
                    guard let oid = try reader.objectID() else { return nil }
                    let number = try reader.int()
                    guard number == -1 || table.indices.contains(number) else { return nil }
                    var deltas: [GitCommitChanges.Delta] = []
                    for _ in 0..<(try reader.count()) {
                        let newPath = try reader.string()
                        let renamedFrom = try reader.string()
                        let isRename = try reader.bool()
                        let blob = try reader.bool() ? try reader.objectID() : nil
                        deltas.append(.init(oldPath: renamedFrom.isEmpty ? newPath : renamedFrom, newPath: newPath, isRename: isRename, blob: blob))
                    }
                    commits.append(GitCommitChanges(oid: oid, deltas: deltas, commit: number == -1 ? nil : table[number]))
                }
                guard reader.isAtEnd else { return nil }
                return commits
            } catch {
                return nil
            }
        }
    }

    /// 1: histories (blobs as raw ids), touched paths, version items, previous ids.
    /// 2: the walk's folder and each commit's changes instead of the touched paths.
    static let formatVersion = 2
    static let magic = Array("INQHIST\u{1}".utf8)

    /// The stored facts; nil when the file is missing, damaged or foreign.
    func load() -> Stored? {
        if let prefetched { return prefetched.value() }
        BackgroundWork.wait(for: url)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return Self.decode(Array(data), key: key)
    }

    /// Writes the facts atomically (temporary file, then rename); failures are ignored. Encoded
    /// and written on a thread of its own while a build defers its writes (``BackgroundWork``).
    func save(_ stored: Stored) {
        let url = url, key = key
        BackgroundWork.start(writing: url) {
            let folder = url.deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            LintCache(url: url).save(Self.encode(stored, key: key))
        }
    }

    static func encode(_ stored: Stored, key: String) -> [UInt8] {
        // Facts read from a file write their commits as they read them.
        let stored = stored.withCommits() ?? stored
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
        // Each commit's changes, in the walk's order (a commit with nothing but deletions is -1).
        var changes = CacheWriter()
        changes.unsigned(UInt64(stored.walk.commits.count))
        for commit in stored.walk.commits {
            commit.oid.bytes.withUnsafeBytes { changes.bytesAppend($0) }
            changes.int(commit.commit.map(number) ?? -1)
            changes.unsigned(UInt64(commit.deltas.count))
            for delta in commit.deltas {
                changes.string(delta.newPath)
                changes.string(delta.oldPath == delta.newPath ? "" : delta.oldPath)
                changes.bool(delta.isRename)
                changes.bool(delta.blob != nil)
                delta.blob?.bytes.withUnsafeBytes { changes.bytesAppend($0) }
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
        writer.string(stored.walk.prefix)
        writer.block(files.bytes)
        writer.block(changes.bytes)
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
            let prefix = try reader.string()
            var files = CacheReader(reader.buffer, range: try reader.block())
            var histories: [String: GitFileHistory] = [:]
            for _ in 0..<(try files.count()) {
                let path = try files.string()
                var fileCommits: [GitFileCommit] = [], blobs: [GitOID] = [], renames: [GitRename] = []
                for _ in 0..<(try files.count()) {
                    fileCommits.append(try commit(try files.int()))
                    guard let blob = try files.objectID() else { return nil }
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
            let encodedCommits = EncodedCommits(bytes: reader.buffer, range: try reader.block(), table: commits)
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
                          walk: GitHistoryWalk(prefix: prefix, histories: histories, commits: []), versions: versions,
                          previousIDs: previousIDs, encodedCommits: encodedCommits)
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

extension CacheReader {
    /// A raw 20-byte git object id (nil when the bytes are not one).
    fileprivate mutating func objectID() throws(Failure) -> GitOID? {
        guard end - offset >= 20 else { throw Failure() }
        defer { offset += 20 }
        return GitOID(bytes: UnsafeBufferPointer(start: base + offset, count: 20))
    }
}

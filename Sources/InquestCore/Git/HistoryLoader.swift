import Foundation
internal import InquestGit

/// Builds ``ArchiveHistory`` from git: one revision walk for the whole archive (never one walk
/// per file), plus a blob read per rename to learn the id the document had before it.
public enum HistoryLoader {
    /// The history of every document of `archive` up to `target`.
    ///
    /// - Parameters:
    ///   - target: the commit the archive is read at (the revision, or HEAD for the working tree
    ///     and the index); nil when HEAD is unborn, which yields an empty history.
    ///   - archive: the documents to describe; history entries for other files are dropped.
    ///     Documents with no commit yet (new, uncommitted) get no entry.
    /// - Returns: commits newest first with mailmap-resolved authors; contributors without bots
    ///   (`*[bot]`); earlier paths; id changes caused by renames, mapped to the document's
    ///   current id so the site can redirect every old permalink straight to the live page.
    ///   - cache: the facts of an earlier load (``HistoryCache``): at the same commit nothing is
    ///     walked, at a descendant only the new commits when that gives the same result; file
    ///     versions and renamed documents read before are not read again. nil walks everything.
    public static func load(repository: WorkspaceRepository, target: CommitID?, archive: Archive,
                            configuration: Configuration, cache: HistoryCache? = nil) throws(SourceError) -> ArchiveHistory {
        let git = repository.repository
        let isShallow = git.isShallow
        guard let target = try target.map(repository.oid) else {
            return ArchiveHistory(documents: [:], idChanges: [], isShallow: isShallow, commitTime: nil)
        }
        let folder = configuration.postmortems
        let prefix = repository.pathPrefix
        // A shallow clone's boundary moves without the commit changing: no cache there.
        let environment = cache == nil || isShallow ? nil : Self.environment(repository)
        var stored = environment.flatMap { environment in cache?.load().flatMap { $0.environment == environment ? $0 : nil } }
        let storedTarget = stored?.target
        let walk: GitHistoryWalk
        let commitTime: Timestamp
        // At the same commit the stored walk's histories are all this needs; its commits are
        // decoded only if the file is written again (``HistoryCache/Stored/withCommits()``).
        var sameCommit: HistoryCache.Stored?
        do {
            if let stored, stored.target == target.hex {
                walk = stored.walk
                commitTime = stored.commitTime
                sameCommit = stored
                // (What it keeps besides the walk is copied below, and released there.)
                sameCommit?.versions = [:]
                sameCommit?.previousIDs = [:]
            } else {
                commitTime = Timestamp(try git.commitInfo(target).committerTime)
                let under = repository.repositoryPath(folder)
                let matching: (String) -> Bool = { path in
                    guard let relative = GitPaths.strip(prefix, from: path) else { return false }
                    return GitPaths.isPostmortem(relative, under: folder)
                }
                // Only the commits the stored walk did not diff are diffed (new ones, a merged
                // branch's); a damaged commits section diffs them all.
                let previous = stored?.withCommits()
                walk = try git.historyWalk(under: under, from: target, matching: matching, reusing: previous?.walk,
                                           at: previous.flatMap { GitOID(hex: $0.target) })
            }
        } catch {
            throw GitPaths.failure("cannot read git history", error)
        }
        let histories = walk.histories

        // Positions, not copies of every document.
        var byPath: [String: Int] = [:]
        byPath.reserveCapacity(archive.postmortems.count)
        for index in archive.postmortems.indices where byPath[archive.postmortems[index].path] == nil {
            byPath[archive.postmortems[index].path] = index
        }
        // Each commit converted once (its id as text made once), however many files it touched.
        var converted: [GitOID: ArchiveHistory.Commit] = [:]
        func convert(_ commit: GitFileCommit) -> ArchiveHistory.Commit {
            if let known = converted[commit.oid] { return known }
            let made = ArchiveHistory.Commit(commit)
            converted[commit.oid] = made
            return made
        }
        let parser = PostmortemParser(schema: configuration.schema)
        var documents: [String: ArchiveHistory.Document] = [:]
        var actionItems: [String: [ArchiveHistory.ActionItemEvents?]] = [:]
        documents.reserveCapacity(histories.count)
        actionItems.reserveCapacity(histories.count)
        var idChanges: [ArchiveHistory.IDChange] = []
        var seenChanges = Set<ArchiveHistory.IDChange>()
        // What this load read (or took from the cache): what the next one may take.
        var versions = Memo(known: stored?.versions ?? [:])
        var previousIDs = Memo(known: stored?.previousIDs ?? [:])
        stored = nil
        learnVersions(histories: histories, archive: archive, byPath: byPath, repository: repository, parser: parser, into: &versions)
        // In any order: id changes are sorted below, and a repeated one is the same value.
        for (repositoryPath, history) in histories {
            guard let path = repository.workspacePath(repositoryPath), let index = byPath[path] else { continue }
            let commits = history.commits.map(convert)
            let contributors = history.contributors.filter { !$0.hasSuffix("[bot]") && !$0.isEmpty }
            // Renames are newest first; previous paths read oldest first.
            let previousPaths = history.renames.reversed().compactMap { repository.workspacePath($0.from) ?? $0.from }
            documents[path] = ArchiveHistory.Document(path: path, commits: commits, contributors: contributors,
                                                      previousPaths: previousPaths)
            let items = archive.postmortems[index].actionItems
            if !items.isEmpty {
                actionItems[path] = itemEvents(of: items, path: path, history: history, commits: commits, repository: git,
                                               parser: parser, versions: &versions)
            }
            for rename in history.renames.reversed() {
                let oldID = previousIDs.value(renameKey(rename)) { previousID(of: rename, repository: git, prefix: prefix, parser: parser) }
                let change = ArchiveHistory.IDChange(oldID: oldID, newID: archive.postmortems[index].id)
                if oldID != change.newID, seenChanges.insert(change).inserted { idChanges.append(change) }
            }
        }
        idChanges.sort { ($0.oldID, $0.newID) < ($1.oldID, $1.newID) }
        var result = ArchiveHistory(documents: documents, idChanges: idChanges, isShallow: isShallow, commitTime: commitTime)
        result.actionItems = actionItems
        if let cache, let environment, storedTarget != target.hex || versions.learned || previousIDs.learned
            || versions.known.count != versions.used.count || previousIDs.known.count != previousIDs.used.count {
            // Written with the walk's commits: an unreadable commits section leaves the file as it is.
            if let saved = sameCommit.map({ $0.withCommits()?.walk }) ?? walk {
                cache.save(HistoryCache.Stored(target: target.hex, environment: environment, commitTime: commitTime, walk: saved,
                                               versions: versions.used, previousIDs: previousIDs.used))
            }
        }
        return result
    }

    /// The action items of every older version ``itemEvents(of:path:history:commits:repository:parser:versions:)``
    /// will ask for and `versions` does not know: the blobs read here, in order (the repository
    /// stays on this thread), and parsed on every core, a batch at a time (a long history holds
    /// thousands of versions). A version whose blob cannot be read is left out, and is then
    /// skipped as before. At 5,000 commits of 1,000 postmortems, parsing the versions was most
    /// of a cold build's history, on one core.
    static func learnVersions(histories: [String: GitFileHistory], archive: Archive, byPath: [String: Int],
                              repository: WorkspaceRepository, parser: PostmortemParser, into versions: inout Memo<[HistoryCache.VersionItem]>) {
        var wanted: [(key: String, blob: GitOID, path: String)] = []
        var queued: Set<String> = []
        for (repositoryPath, history) in histories {
            guard let path = repository.workspacePath(repositoryPath), let index = byPath[path],
                  readsVersions(history, items: archive.postmortems[index].actionItems) else { continue }
            for blob in history.blobs {
                let key = versionKey(blob: blob, path: path)
                guard !versions.knows(key), queued.insert(key).inserted else { continue }
                wanted.append((key, blob, path))
            }
        }
        // In path order: which blob is read first does not change a value, and the order is then the same every run.
        wanted.sort { ($0.path, $0.key) < ($1.path, $1.key) }
        let batch = 1_024
        for start in stride(from: 0, to: wanted.count, by: batch) {
            var read: [(key: String, document: RawDocument)] = []
            for item in wanted[start..<min(wanted.count, start + batch)] {
                guard let bytes = try? repository.repository.blob(item.blob) else { continue }
                read.append((item.key, RawDocument(path: item.path, bytes: bytes)))
            }
            let parsed = parallelMap(read) { item in
                parser.actionItems(of: item.document).map { HistoryCache.VersionItem(key: itemKey($0), state: $0.state) }
            }
            for (item, items) in zip(read, parsed) { versions.learn(item.key, items) }
        }
    }

    /// Values looked up by key, made when unknown; remembers which were used and whether any was made.
    struct Memo<Value> {
        let known: [String: Value]
        private(set) var used: [String: Value] = [:]
        private(set) var learned = false

        init(known: [String: Value]) { self.known = known }

        mutating func value(_ key: String, _ make: () -> Value) -> Value {
            optionalValue(key, make)!
        }

        /// Whether `key` has a value already (known from before, or made this time).
        func knows(_ key: String) -> Bool { used[key] != nil || known[key] != nil }

        /// A value made ahead of its use (it is used: every value learned is asked for).
        mutating func learn(_ key: String, _ value: Value) {
            used[key] = value
            learned = true
        }

        /// A value `make` could not make (nil) is not remembered.
        mutating func optionalValue(_ key: String, _ make: () -> Value?) -> Value? {
            if let value = used[key] ?? known[key] {
                used[key] = value
                return value
            }
            guard let value = make() else { return nil }
            used[key] = value
            learned = true
            return value
        }
    }

    /// What the history depends on besides the commit and the cache's key: the mailmap (the
    /// working tree's `.mailmap`, `mailmap.file` and `mailmap.blob`) and the grafts file.
    static func environment(_ repository: WorkspaceRepository) -> String {
        var bytes: [UInt8] = []
        func add(_ text: String?) { bytes += Array((text ?? "-").utf8) + [0] }
        func addFile(_ path: String?) {
            guard let path, let data = FileManager.default.contents(atPath: (path as NSString).expandingTildeInPath) else { return add(nil) }
            bytes += Array(String(data.count).utf8) + [0] + Array(data) + [0]
        }
        addFile(repository.workingDirectory?.appendingPathComponent(".mailmap").path)
        let file = repository.configString("mailmap.file")
        add(file)
        addFile(file)
        add(repository.configString("mailmap.blob"))
        addFile(repository.gitDirectory.appendingPathComponent("info/grafts").path)
        return ContentID.of(bytes)
    }

    /// The key of a rename's previous id: the commit and the old path.
    static func renameKey(_ rename: GitRename) -> String { rename.commit.oid.hex + "\u{0}" + rename.from }

    /// The key of one file version's action items: its blob and path.
    static func versionKey(blob: GitOID, path: String) -> String { blob.hex + "\u{0}" + path }

    /// When each current action item (`items`, of the postmortem at `path`) was added and ticked. A file with one commit
    /// needs no blob read (everything was added then; done items were written done); otherwise
    /// each older version is parsed once (or its items taken from `versions`) and items are
    /// matched by ``itemKey(_:)``.
    static func itemEvents(of items: [ActionItem], path: String, history: GitFileHistory, commits: [ArchiveHistory.Commit],
                           repository: GitRepository, parser: PostmortemParser,
                           versions: inout Memo<[HistoryCache.VersionItem]>) -> [ArchiveHistory.ActionItemEvents?] {
        guard readsVersions(history, items: items) else {
            let only = commits.first
            // Each item's state read in place (a closure over the items copied every field of each).
            var out: [ArchiveHistory.ActionItemEvents?] = []
            out.reserveCapacity(items.count)
            for index in items.indices { out.append(.init(added: only, ticked: items[index].state == .done ? only : nil)) }
            return out
        }
        var events: [String: ArchiveHistory.ActionItemEvents] = [:]
        var lastState: [String: ActionItem.State] = [:]
        // Oldest version first.
        for (commit, blob) in zip(commits, history.blobs).reversed() {
            let version = versions.optionalValue(versionKey(blob: blob, path: path)) { () -> [HistoryCache.VersionItem]? in
                guard let bytes = try? repository.blob(blob) else { return nil }
                return parser.actionItems(of: RawDocument(path: path, bytes: bytes)).map {
                    HistoryCache.VersionItem(key: itemKey($0), state: $0.state)
                }
            }
            guard let version else { continue }
            for item in version {
                let key = item.key
                if events[key] == nil {
                    events[key] = .init(added: commit, ticked: item.state == .done ? commit : nil)
                } else if item.state == .done, lastState[key] == .open {
                    events[key]?.ticked = commit
                } else if item.state == .open {
                    events[key]?.ticked = nil
                }
                lastState[key] = item.state
            }
        }
        return items.map { events[itemKey($0)] }
    }

    /// Whether ``itemEvents(of:path:history:commits:repository:parser:versions:)`` reads the
    /// older versions of a document with `items` (``learnVersions`` reads them ahead for it): it
    /// has items, more than one commit, and a blob for each.
    static func readsVersions(_ history: GitFileHistory, items: [ActionItem]) -> Bool {
        !items.isEmpty && history.commits.count > 1 && history.blobs.count == history.commits.count
    }

    /// What identifies an action item across edits: its ticket, else its text before the
    /// owner/ticket suffix, lowercased letters and digits only (ticking or rewording the suffix
    /// keeps the key).
    static func itemKey(_ item: ActionItem) -> String {
        if let ticket = item.ticket, !ticket.isEmpty { return "ticket:" + ticket }
        var text = Substring(item.text)
        if let dash = text.range(of: " — ") ?? text.range(of: " -- ") { text = text[..<dash.lowerBound] }
        return "text:" + String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The id a renamed document had just before the rename: its `id:` field, else its old file
    /// name. Falls back to the old file name when the old blob cannot be read.
    static func previousID(of rename: GitRename, repository: GitRepository, prefix: String, parser: PostmortemParser) -> String {
        let path = GitPaths.strip(prefix, from: rename.from) ?? rename.from
        let fallback = RawDocument(path: path, bytes: []).stem
        guard let parent = try? repository.commitInfo(rename.commit.oid).parents.first,
              let entry = try? repository.files(at: parent, under: rename.from).first(where: { $0.path == rename.from }),
              !entry.isSymlink, let bytes = try? repository.blob(entry.oid)
        else { return fallback }
        return parser.parse(RawDocument(path: path, bytes: bytes)).id
    }
}

extension ArchiveHistory.Commit {
    init(_ commit: GitFileCommit) {
        self.init(sha: commit.oid.hex, shortSHA: commit.shortSHA, author: commit.authorName,
                  time: Timestamp(commit.authorTime), summary: commit.summary)
    }
}

extension Timestamp {
    init(_ time: GitTime) {
        self.init(seconds: Int(time.secondsSinceEpoch), offsetMinutes: time.offsetMinutes)
    }
}

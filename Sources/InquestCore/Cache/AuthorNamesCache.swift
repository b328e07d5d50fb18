import Foundation

/// The git author names the blame-language rules know (``LintPlan/authorCommitLimit`` newest
/// commits from HEAD, mailmap applied), kept beside the lint cache as `authors.cache`: reading
/// them walks up to 20,000 commits, about 0.1 s at 5,000, which every `lint FILE` and
/// `lint --staged` paid.
///
/// - At the HEAD the file was written at, the names are read from it.
/// - At a later HEAD (a commit, a pull), when the file's walk read every commit (fewer than the
///   limit), only the commits since are read: HEAD's commits are the stored ones and those, so
///   the names are the union — the very names a whole walk gives. The pre-commit hook then reads
///   one commit per commit.
/// - Anything else (another branch, a history past the limit, a new mailmap) walks again, and
///   so does every run in a shallow clone.
///
/// The names come sorted: the rules treat them as a set, and the lint cache is keyed by them, so
/// a commit that only changes which of the same authors came last (every commit, in a team)
/// no longer turns every cached result away.
///
/// Like the other caches it is a hint: a missing, damaged or foreign file means walking the
/// history (and writing the file again); a file that cannot be written costs only the speed-up.
struct AuthorNamesCache {
    let url: URL
    let ownsFolder: Bool

    static let magic = "inquest-authors 2"

    /// What the file holds: the names at `head`, whose walk read `commits` commits.
    struct Stored: Equatable {
        var head: String
        var commits: Int
        var names: [String]
    }

    /// The file beside `lintCache` (`authors.cache`, `authors-<hash>.cache` for a nested workspace).
    static func beside(_ lintCache: LintCache) -> AuthorNamesCache {
        let name = LintCache.renamed(lintCache.url.deletingPathExtension().lastPathComponent, role: "authors")
        return AuthorNamesCache(url: lintCache.url.deletingLastPathComponent().appendingPathComponent(name + ".cache"),
                                ownsFolder: lintCache.ownsFolder)
    }

    /// The sorted author names of `repository`'s HEAD: from the file, from the file and the
    /// commits since, or walked (and stored). Without a cache (`nil`), walked.
    /// - Throws: a damaged repository's error (``SourceError/isCorruptObject``); any other
    ///   failure to read the history gives no names, as before.
    /// - Parameter limit: the most commits read (``LintPlan/authorCommitLimit``).
    static func names(of repository: WorkspaceRepository, cache: AuthorNamesCache?,
                      limit: Int = LintPlan.authorCommitLimit) throws(SourceError) -> [String] {
        // Not in a shallow clone: its boundary moves (a deeper fetch) while HEAD stays.
        let cache = repository.isShallow ? nil : cache
        do throws(SourceError) {
            var key: String?, head: CommitID?
            if let cache {
                key = Self.key(of: repository, limit: limit)
                head = try repository.targetCommit(.workingTree)
                if let key, let head, let stored = cache.load(key: key) {
                    if stored.head == head.hex { return stored.names }
                    if stored.commits < limit,
                       let added = try repository.authorNames(since: CommitID(hex: stored.head), limit: limit - stored.commits) {
                        let names = Set(stored.names).union(added.names).sorted()
                        cache.save(Stored(head: head.hex, commits: stored.commits + added.commits, names: names), key: key)
                        return names
                    }
                }
            }
            guard let walked = try repository.countedAuthorNames(limit: limit) else { return [] }
            let names = walked.names.sorted()
            if let cache, let key, let head { cache.save(Stored(head: head.hex, commits: walked.commits, names: names), key: key) }
            return names
        } catch where error.isCorruptObject {
            throw error
        } catch {
            return []
        }
    }

    /// What the names are a function of besides HEAD: the commit limit, and what the history
    /// cache keys git's history by (the mailmap sources libgit2 reads and the grafts file).
    static func key(of repository: WorkspaceRepository, limit: Int = LintPlan.authorCommitLimit) -> String {
        ContentID.of(Array("\(limit)\n\(HistoryLoader.environment(repository))".utf8))
    }

    /// What the file holds when it is whole and made under `key`.
    func load(key: String) -> Stored? {
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(data: data, encoding: .utf8), text.hasSuffix("\nend\n") else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // magic, key, head, commits, names…, "end", "" (after the last newline)
        guard lines.count >= 6, lines[0] == Self.magic, lines[1] == key, lines[2].utf8.count == 40,
              let commits = Int(lines[3]), commits >= 0 else { return nil }
        lines.removeLast(2)
        return Stored(head: lines[2], commits: commits, names: Array(lines.dropFirst(4)))
    }

    func save(_ stored: Stored, key: String) {
        // A name with a line break (not one git writes) is not stored: the next run walks again.
        guard !stored.names.contains(where: { $0.contains("\n") }) else { return }
        let text = ([Self.magic, key, stored.head, String(stored.commits)] + stored.names + ["end", ""]).joined(separator: "\n")
        LintCache(url: url, ownsFolder: ownsFolder).save(Array(text.utf8))
    }
}

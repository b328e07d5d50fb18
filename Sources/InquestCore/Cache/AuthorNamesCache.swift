import Foundation

/// The git author names the blame-language rules know (``LintPlan/authorCommitLimit`` newest
/// commits from HEAD, mailmap applied), kept beside the lint cache as `authors.cache` and keyed
/// by HEAD and the mailmap: reading them walks up to 20,000 commits, about 0.1 s at 5,000, which
/// every `lint FILE` and `lint --staged` paid. A run at the same HEAD reads the file instead.
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

    static let magic = "inquest-authors 1"

    /// The file beside `lintCache` (`authors.cache`, `authors-<hash>.cache` for a nested workspace).
    static func beside(_ lintCache: LintCache) -> AuthorNamesCache {
        let name = LintCache.renamed(lintCache.url.deletingPathExtension().lastPathComponent, role: "authors")
        return AuthorNamesCache(url: lintCache.url.deletingLastPathComponent().appendingPathComponent(name + ".cache"),
                                ownsFolder: lintCache.ownsFolder)
    }

    /// The sorted author names of `repository`: from the file when its key matches, else walked
    /// (and stored). Without a cache (`nil`), walked.
    /// - Throws: a damaged repository's error (``SourceError/isCorruptObject``); any other
    ///   failure to read the history gives no names, as before.
    static func names(of repository: WorkspaceRepository, cache: AuthorNamesCache?) throws(SourceError) -> [String] {
        let key = cache.flatMap { _ in Self.key(of: repository) }
        if let cache, let key, let stored = cache.load(key: key) { return stored }
        var names: [String] = []
        do {
            names = try repository.authorNames(limit: LintPlan.authorCommitLimit).sorted()
        } catch where error.isCorruptObject {
            throw error
        } catch {
            return []
        }
        if let cache, let key { cache.save(names, key: key) }
        return names
    }

    /// What the names are a function of: HEAD, the commit limit and every mailmap source libgit2
    /// reads (the working tree's `.mailmap`, `mailmap.file` and `mailmap.blob`). Nil when HEAD
    /// cannot be read (unborn: no names to keep).
    static func key(of repository: WorkspaceRepository) -> String? {
        guard let head = try? repository.targetCommit(.workingTree) else { return nil }
        var text = "\(head.hex)\n\(LintPlan.authorCommitLimit)\n"
        if let top = repository.workingDirectory,
           let bytes = FileManager.default.contents(atPath: top.appendingPathComponent(".mailmap").path) {
            text += "mailmap " + ContentID.of(Array(bytes)) + "\n"
        }
        if let file = repository.configString("mailmap.file") {
            let path = (file as NSString).expandingTildeInPath
            let digest = FileManager.default.contents(atPath: path).map { ContentID.of(Array($0)) } ?? "-"
            text += "mailmap.file \(file) \(digest)\n"
        }
        if let blob = repository.configString("mailmap.blob") { text += "mailmap.blob \(blob)\n" }
        return ContentID.of(Array(text.utf8))
    }

    /// The stored names when the file is whole and made under `key`.
    func load(key: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(data: data, encoding: .utf8), text.hasSuffix("\nend\n") else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // magic, key, names…, "end", "" (after the last newline)
        guard lines.count >= 4, lines[0] == Self.magic, lines[1] == key else { return nil }
        lines.removeLast(2)
        return Array(lines.dropFirst(2))
    }

    func save(_ names: [String], key: String) {
        // A name with a line break (not one git writes) is not stored: the next run walks again.
        guard !names.contains(where: { $0.contains("\n") }) else { return }
        let text = ([Self.magic, key] + names + ["end", ""]).joined(separator: "\n")
        LintCache(url: url, ownsFolder: ownsFolder).save(Array(text.utf8))
    }
}

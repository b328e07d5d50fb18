import Foundation
import XCTest
@testable import InquestCore
import InquestGit
import InquestTestSupport

/// The history cache (``HistoryCache``): a build at the same commit reads the stored facts, one
/// at a later commit walks only the new commits, and either way the history is the one an
/// uncached load gives; a damaged or foreign file, or another mailmap, is not trusted.
final class HistoryCacheTests: XCTestCase {
    /// Everything an ``ArchiveHistory`` says, as comparable text.
    static func describe(_ history: ArchiveHistory?) -> String {
        guard let history else { return "none" }
        func commit(_ commit: ArchiveHistory.Commit?) -> String {
            commit.map { "\($0.sha) \($0.shortSHA) \($0.author) \($0.time.seconds)\($0.time.offsetMinutes) \($0.summary)" } ?? "-"
        }
        var lines = ["shallow \(history.isShallow) time \(history.commitTime.map { "\($0.seconds) \($0.offsetMinutes)" } ?? "-")"]
        for path in history.documents.keys.sorted() {
            let document = history.documents[path]!
            lines.append("doc \(path) by \(document.contributors) from \(document.previousPaths)")
            lines += document.commits.map { "  " + commit($0) }
            for item in history.actionItems[path] ?? [] {
                lines.append("  item added \(commit(item?.added)) ticked \(commit(item?.ticked))")
            }
        }
        lines += history.idChanges.map { "id \($0.oldID) -> \($0.newID)" }
        return lines.joined(separator: "\n")
    }

    final class Sample {
        let repo: GitTestRepository
        let cache: HistoryCache

        init() throws {
            repo = try GitTestRepository()
            try repo.writeCatalogue()
            try repo.write(".mailmap", "Priya Raman <priya@example.com> <praman@old.example>\n")
            try repo.writePostmortem("postmortems/2025/2025-01-10-a.md", sections: ["Action Items": "- [ ] Alert on lag — @ops, LRK-1\n- [ ] Add a runbook — @ops, LRK-2"])
            try repo.writePostmortem("postmortems/2025/old-name.md", fields: ["date": "2025-02-01"])
            try repo.commitAll("Add postmortems", as: .priyaOld)
            cache = HistoryCache(url: repo.url.appendingPathComponent(".git/inquest/history.cache"), key: "test key")
        }

        /// The history of the working tree's archive, with and without the cache.
        func load(cache: HistoryCache?) throws -> ArchiveHistory? {
            let reader = try ArchiveReader.open(at: repo.url, selection: .workingTree)
            let input = try reader.workspace.lintInput(source: reader.source, paths: [], from: repo.url)
            let archive = Linter(configuration: reader.workspace.configuration).buildArchive(input)
            return try reader.history(for: archive, cache: cache)
        }

        func assertCachedEqualsUncached(_ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let cached = try load(cache: cache)
            let uncached = try load(cache: nil)
            XCTAssertEqual(HistoryCacheTests.describe(cached), HistoryCacheTests.describe(uncached), message, file: file, line: line)
        }
    }

    func testCachedHistoryEqualsAnUncachedOneAfterEveryCommit() throws {
        let sample = try Sample()
        let repo = sample.repo
        try sample.assertCachedEqualsUncached("first load")
        XCTAssertEqual(sample.cache.load()?.target, try repo.sha("HEAD"), "stored at HEAD")
        try sample.assertCachedEqualsUncached("same commit, from the cache")
        let steps: [(String, () throws -> Void)] = [
            ("tick an item", {
                try repo.writePostmortem("postmortems/2025/2025-01-10-a.md", sections: ["Action Items": "- [x] Alert on lag — @ops, LRK-1\n- [ ] Add a runbook — @ops, LRK-2"])
                try repo.commitAll("Tick", as: .marcus)
            }),
            ("rename with a new id", {
                try repo.move("postmortems/2025/old-name.md", "postmortems/2025/2025-02-01-b.md")
                try repo.commit("Rename", as: .lena)
            }),
            ("two commits, one a bot's", {
                try repo.writePostmortem("postmortems/2025/2025-03-01-c.md", fields: ["date": "2025-03-01"])
                try repo.commitAll("Add c", as: .priya)
                try repo.writePostmortem("postmortems/2025/2025-01-10-a.md", sections: ["Action Items": "- [x] Alert on lag — @ops, LRK-1\n- [x] Add a runbook — @ops, LRK-2"])
                try repo.commitAll("Tick again", as: .bot)
            }),
            ("a working-tree edit only", {
                try repo.writePostmortem("postmortems/2025/2025-03-01-c.md", fields: ["date": "2025-03-01", "severity": "SEV3"])
            }),
            ("a deletion", {
                try repo.remove("postmortems/2025/2025-03-01-c.md")
                try repo.commitAll("Drop c", as: .priya)
            }),
            ("a merge", {
                try repo.checkout(newBranch: "topic")
                try repo.writePostmortem("postmortems/2025/2025-04-01-d.md", fields: ["date": "2025-04-01"])
                try repo.commitAll("Add d", as: .marcus)
                try repo.checkout("main")
                try repo.writePostmortem("postmortems/2025/2025-01-10-a.md", sections: ["Action Items": "- [ ] Alert on lag — @ops, LRK-1\n- [x] Add a runbook — @ops, LRK-2"])
                try repo.commitAll("Reopen", as: .lena)
                try repo.merge("topic", as: .priya)
            }),
        ]
        for (name, step) in steps {
            try step()
            try sample.assertCachedEqualsUncached(name)
            XCTAssertEqual(sample.cache.load()?.target, try repo.sha("HEAD"), "\(name): stored at HEAD")
        }
    }

    /// At the stored commit the facts come from the file, not from git: a stored summary that
    /// git never had shows.
    func testTheSameCommitReadsTheStoredFacts() throws {
        let sample = try Sample()
        _ = try sample.load(cache: sample.cache)
        var stored = try XCTUnwrap(sample.cache.load())
        let path = "postmortems/2025/2025-01-10-a.md"
        let history = try XCTUnwrap(stored.walk.histories[path])
        let commit = history.commits[0]
        let marked = GitFileCommit(oid: commit.oid, authorName: commit.authorName, authorEmail: commit.authorEmail,
                                   authorTime: commit.authorTime, summary: "Stored, not walked")
        stored.walk.histories[path] = GitFileHistory(path: path, commits: [marked], contributors: history.contributors,
                                                     renames: history.renames, blobs: history.blobs)
        sample.cache.save(stored)
        XCTAssertEqual(try sample.load(cache: sample.cache)?.documents[path]?.commits.first?.summary, "Stored, not walked")
        // Read on another core beforehand (as a rebuild does): the same facts.
        XCTAssertEqual(try sample.load(cache: sample.cache.prefetching())?.documents[path]?.commits.first?.summary, "Stored, not walked")
        XCTAssertEqual(try sample.load(cache: nil)?.documents[path]?.commits.first?.summary, "Add postmortems", "no cache: git")
        // Another mailmap: the stored facts no longer apply.
        try sample.repo.write(".mailmap", "Priya R. <priya@example.com> <praman@old.example>\n")
        XCTAssertEqual(try sample.load(cache: sample.cache)?.documents[path]?.commits.first?.author, "Priya R.")
        try sample.assertCachedEqualsUncached("after the mailmap change")
    }

    func testADamagedOrForeignCacheIsIgnoredAndRewritten() throws {
        let sample = try Sample()
        _ = try sample.load(cache: sample.cache)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: sample.cache.url.path))
        let stored = try XCTUnwrap(HistoryCache.decode(Array(bytes), key: "test key"))
        XCTAssertEqual(HistoryCache.encode(stored, key: "test key"), Array(bytes), "round trip")
        XCTAssertNil(HistoryCache.decode(Array(bytes), key: "another key"), "another generator or configuration")
        XCTAssertNil(HistoryCache.decode(Array(bytes.dropLast()), key: "test key"), "truncated")
        var flipped = Array(bytes)
        flipped[flipped.count / 2] ^= 0x20
        XCTAssertNil(HistoryCache.decode(flipped, key: "test key"), "damaged")
        XCTAssertNil(HistoryCache.decode(Array("garbage".utf8), key: "test key"))

        try Data(flipped).write(to: sample.cache.url)
        try sample.repo.writePostmortem("postmortems/2025/2025-03-01-c.md", fields: ["date": "2025-03-01"])
        try sample.repo.commitAll("Add c", as: .priya)
        try sample.assertCachedEqualsUncached("damaged file")
        XCTAssertEqual(sample.cache.load()?.target, try sample.repo.sha("HEAD"), "written again")
        let foreign = HistoryCache(url: sample.cache.url, key: "another key")
        XCTAssertNil(foreign.load())
        XCTAssertEqual(Self.describe(try sample.load(cache: foreign)), Self.describe(try sample.load(cache: nil)))
    }
}

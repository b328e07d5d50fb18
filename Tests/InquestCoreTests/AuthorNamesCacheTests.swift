import Foundation
import InquestTestSupport
import XCTest
@testable import InquestCore

/// The git author names the blame-language rules know: sorted (a set, whatever order the newest
/// commits came in), kept beside the lint cache keyed by HEAD and the mailmap, walked again when
/// either moves or the file is damaged.
final class AuthorNamesCacheTests: XCTestCase {
    private func repository() throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025-01-10-a.md")
        try repo.commitAll("Add a", as: .priya)
        try repo.writePostmortem("postmortems/2025-01-11-b.md")
        try repo.commitAll("Add b", as: .marcus)
        return repo
    }

    private func workspace(_ repo: GitTestRepository) throws -> WorkspaceRepository {
        try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
    }

    private func cache(_ repo: GitTestRepository) throws -> AuthorNamesCache {
        AuthorNamesCache.beside(LintCache.location(root: repo.url, repository: try workspace(repo)))
    }

    func testNamesAreSortedWhateverOrderTheNewestCommitsCameIn() throws {
        let repo = try repository()
        let first = try AuthorNamesCache.names(of: try workspace(repo), cache: nil)
        XCTAssertEqual(first, [GitPerson.marcus.name, GitPerson.priya.name])
        try repo.writePostmortem("postmortems/2025-01-12-c.md")
        try repo.commitAll("Add c", as: .priya)
        XCTAssertEqual(try workspace(repo).authorNames(limit: 10), [GitPerson.priya.name, GitPerson.marcus.name],
                       "newest first, the other way round now")
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: nil), first)
    }

    func testARunAtTheSameHeadReadsTheNamesItStoredAndANewCommitWalksAgain() throws {
        let repo = try repository()
        let cache = try cache(repo)
        let names = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        XCTAssertEqual(names, [GitPerson.marcus.name, GitPerson.priya.name])
        // The stored names replaced under the same key: what comes back is the file's.
        let key = try XCTUnwrap(AuthorNamesCache.key(of: try workspace(repo)))
        XCTAssertEqual(cache.load(key: key), names)
        cache.save(["Stored Only"], key: key)
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache), ["Stored Only"])
        // HEAD moves: walked again, and stored under the new key.
        try repo.writePostmortem("postmortems/2025-01-12-c.md")
        try repo.commitAll("Add c", as: .lena)
        XCTAssertNotEqual(AuthorNamesCache.key(of: try workspace(repo)), key)
        let walked = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        XCTAssertEqual(walked, [GitPerson.lena.name, GitPerson.marcus.name, GitPerson.priya.name])
        XCTAssertEqual(cache.load(key: try XCTUnwrap(AuthorNamesCache.key(of: try workspace(repo)))), walked)
    }

    func testAMailmapEditChangesTheKey() throws {
        let repo = try repository()
        let before = try XCTUnwrap(AuthorNamesCache.key(of: try workspace(repo)))
        try repo.write(".mailmap", "\(GitPerson.priya.name) <\(GitPerson.priya.email)> \(GitPerson.priyaOld.name) <\(GitPerson.priyaOld.email)>\n")
        XCTAssertNotEqual(AuthorNamesCache.key(of: try workspace(repo)), before)
    }

    func testADamagedOrForeignFileIsWalkedAgainAndRewritten() throws {
        let repo = try repository()
        let cache = try cache(repo)
        let key = try XCTUnwrap(AuthorNamesCache.key(of: try workspace(repo)))
        _ = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        let whole = try Data(contentsOf: cache.url)
        for damaged in [whole.prefix(whole.count - 3), Data("inquest-authors 0\n\(key)\nSomeone\nend\n".utf8), Data()] {
            try damaged.write(to: cache.url)
            XCTAssertNil(cache.load(key: key))
            XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache), [GitPerson.marcus.name, GitPerson.priya.name])
            XCTAssertEqual(try Data(contentsOf: cache.url), whole, "rewritten whole")
        }
    }

    /// The point of sorting: a commit by an author already known keeps the lint cache's key, so
    /// the next lint reuses every cached result instead of linting the whole archive again.
    func testACommitByAKnownAuthorKeepsTheLintCache() throws {
        let repo = try repository()
        let lintCache = LintCache.location(root: repo.url, repository: try workspace(repo))
        func lint() throws -> CachedLint.Statistics? {
            let reader = try ArchiveReader.open(at: repo.url, selection: .workingTree)
            let plan = try LintPlan.make(reader: reader, from: repo.url, loadHistory: false, cache: lintCache)
            _ = plan.lint()
            return plan.cached?.statistics
        }
        _ = try lint()
        try repo.write("notes.txt", "not a postmortem\n")
        try repo.commitAll("A note", as: .priya)
        let after = try XCTUnwrap(try lint())
        XCTAssertTrue(after.hit, "the lint cache was kept")
        XCTAssertEqual(after.checked, 0)
    }
}

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
        XCTAssertEqual(try workspace(repo).countedAuthorNames(limit: 10)?.names, [GitPerson.priya.name, GitPerson.marcus.name],
                       "newest first, the other way round now")
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: nil), first)
    }

    func testARunAtTheSameHeadReadsTheStoredNames() throws {
        let repo = try repository()
        let cache = try cache(repo)
        let names = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        XCTAssertEqual(names, [GitPerson.marcus.name, GitPerson.priya.name])
        let key = AuthorNamesCache.key(of: try workspace(repo))
        var stored = try XCTUnwrap(cache.load(key: key))
        XCTAssertEqual(stored.names, names)
        XCTAssertEqual(stored.commits, 2)
        // The stored names replaced, same HEAD: what comes back is the file's.
        stored.names = ["Stored Only"]
        cache.save(stored, key: key)
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache), ["Stored Only"])
    }

    func testALaterHeadReadsOnlyTheCommitsSinceAndGivesWhatAWholeWalkGives() throws {
        let repo = try repository()
        let cache = try cache(repo)
        _ = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        let key = AuthorNamesCache.key(of: try workspace(repo))
        var stored = try XCTUnwrap(cache.load(key: key))
        stored.names = ["Stored Only"]
        cache.save(stored, key: key)
        // A side branch by Lena, merged by Marcus: the commits since are the branch's and the merge.
        try repo.checkout(newBranch: "side")
        try repo.writePostmortem("postmortems/2025-01-12-c.md")
        try repo.commitAll("Add c", as: .lena)
        try repo.checkout("main")
        try repo.writePostmortem("postmortems/2025-01-13-d.md")
        try repo.commitAll("Add d", as: .marcus)
        try repo.merge("side", as: .marcus)
        // Only the commits since were read: the stored (replaced) names are kept, Lena's added.
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache),
                       [GitPerson.lena.name, GitPerson.marcus.name, "Stored Only"])
        XCTAssertEqual(cache.load(key: key)?.commits, 5)
        // With a true file, the incremental names are the whole walk's.
        try FileManager.default.removeItem(at: cache.url)
        try repo.checkout(detached: "HEAD~1")
        _ = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        try repo.checkout("main")
        let incremental = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        XCTAssertEqual(incremental, try AuthorNamesCache.names(of: try workspace(repo), cache: nil))
        XCTAssertEqual(incremental, [GitPerson.lena.name, GitPerson.marcus.name, GitPerson.priya.name])
    }

    func testAnotherBranchAnOlderHeadOrAHistoryPastTheLimitIsWalkedWhole() throws {
        let repo = try repository()
        let cache = try cache(repo)
        try repo.checkout(newBranch: "other")
        try repo.writePostmortem("postmortems/2025-01-12-c.md")
        try repo.commitAll("Add c", as: .lena)
        _ = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        // Back on main: the stored HEAD is not an ancestor, so nothing of it is kept.
        try repo.checkout("main")
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache), [GitPerson.marcus.name, GitPerson.priya.name])
        // A limit of two commits, reached: a new commit is not added to the stored names, since
        // the whole walk of the newest two no longer reaches Priya's.
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache, limit: 2), [GitPerson.marcus.name, GitPerson.priya.name])
        try repo.writePostmortem("postmortems/2025-01-13-d.md")
        try repo.commitAll("Add d", as: .lena)
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: cache, limit: 2), [GitPerson.lena.name, GitPerson.marcus.name])
        XCTAssertEqual(try AuthorNamesCache.names(of: try workspace(repo), cache: nil, limit: 2), [GitPerson.lena.name, GitPerson.marcus.name])
    }

    func testAShallowCloneKeepsNoFile() throws {
        let repo = try repository()
        let shallow = try repo.clone("shallow", depth: 1)
        let git = try workspace(shallow)
        XCTAssertTrue(git.isShallow)
        let cache = AuthorNamesCache.beside(LintCache.location(root: shallow.url, repository: git))
        XCTAssertEqual(try AuthorNamesCache.names(of: git, cache: cache), [GitPerson.marcus.name])
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.url.path), "a deeper fetch would move the boundary under the same HEAD")
    }

    func testAMailmapEditChangesTheKey() throws {
        let repo = try repository()
        let before = AuthorNamesCache.key(of: try workspace(repo))
        try repo.write(".mailmap", "\(GitPerson.priya.name) <\(GitPerson.priya.email)> \(GitPerson.priyaOld.name) <\(GitPerson.priyaOld.email)>\n")
        XCTAssertNotEqual(AuthorNamesCache.key(of: try workspace(repo)), before)
    }

    func testADamagedOrForeignFileIsWalkedAgainAndRewritten() throws {
        let repo = try repository()
        let cache = try cache(repo)
        let key = AuthorNamesCache.key(of: try workspace(repo))
        _ = try AuthorNamesCache.names(of: try workspace(repo), cache: cache)
        let whole = try Data(contentsOf: cache.url)
        let head = try XCTUnwrap(cache.load(key: key)).head
        for damaged in [whole.prefix(whole.count - 3), Data("inquest-authors 1\n\(key)\n\(head)\n2\nSomeone\nend\n".utf8),
                        Data("inquest-authors 2\n\(key)\n\(head)\nmany\nSomeone\nend\n".utf8), Data()] {
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

import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// `inquest hook install|uninstall` and the hook it writes, run by real `git commit`s.
final class GitHooksTests: XCTestCase {
    private func repository() throws -> GitTestRepository { try GitTestRepository.withOnePostmortem() }

    private func hookPath(_ repo: GitTestRepository) -> String { repo.path + "/.git/hooks/pre-commit" }

    func testInstallWritesAnExecutableHookAndUpdatesItsOwn() throws {
        let repo = try repository()
        XCTAssertEqual(try GitHooks.hookPath(from: repo.url, homeDirectory: repo.home.path), hookPath(repo))
        let first = try GitHooks.install(from: repo.url, homeDirectory: repo.home.path)
        XCTAssertEqual(first, GitHooks.Installation(path: hookPath(repo), updated: false, backup: nil))
        let text = try String(contentsOfFile: hookPath(repo), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("#!/bin/sh\n" + GitHooks.marker + "\n"))
        XCTAssertTrue(text.contains("exec \"$inquest\" lint --staged\n"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hookPath(repo)))
        let second = try GitHooks.install(from: repo.url.appendingPathComponent("postmortems"), homeDirectory: repo.home.path)
        XCTAssertEqual(second.updated, true, "its own hook is rewritten, from any folder of the repository")
    }

    func testInstallRefusesAForeignHookUnlessForcedAndUninstallRestoresIt() throws {
        let repo = try repository()
        let foreign = "#!/bin/sh\necho husky\n"
        try repo.write(".git/hooks/pre-commit", foreign)
        XCTAssertThrowsError(try GitHooks.install(from: repo.url, homeDirectory: repo.home.path)) { error in
            XCTAssertEqual((error as? SourceError)?.message,
                           "\(hookPath(repo)) already exists and was not written by inquest: use --force to replace it (it is kept as pre-commit.inquest-backup)")
        }
        XCTAssertEqual(try repo.read(".git/hooks/pre-commit"), foreign, "left untouched")
        XCTAssertThrowsError(try GitHooks.uninstall(from: repo.url, homeDirectory: repo.home.path)) { error in
            XCTAssertEqual((error as? SourceError)?.message, "\(hookPath(repo)) was not written by inquest: leaving it in place")
        }
        XCTAssertEqual(try repo.read(".git/hooks/pre-commit"), foreign)

        let forced = try GitHooks.install(from: repo.url, force: true, homeDirectory: repo.home.path)
        XCTAssertEqual(forced.backup, hookPath(repo) + ".inquest-backup")
        XCTAssertEqual(try repo.read(".git/hooks/pre-commit.inquest-backup"), foreign)
        XCTAssertTrue(try repo.read(".git/hooks/pre-commit").contains(GitHooks.marker))

        XCTAssertEqual(try GitHooks.uninstall(from: repo.url, homeDirectory: repo.home.path), .removed(path: hookPath(repo), restored: true))
        XCTAssertEqual(try repo.read(".git/hooks/pre-commit"), foreign, "the replaced hook is back")
    }

    func testUninstallRemovesOnlyItsOwnHook() throws {
        let repo = try repository()
        XCTAssertEqual(try GitHooks.uninstall(from: repo.url, homeDirectory: repo.home.path), .notInstalled(path: hookPath(repo)))
        _ = try GitHooks.install(from: repo.url, homeDirectory: repo.home.path)
        XCTAssertEqual(try GitHooks.uninstall(from: repo.url, homeDirectory: repo.home.path), .removed(path: hookPath(repo), restored: false))
        XCTAssertFalse(FileManager.default.fileExists(atPath: hookPath(repo)))
    }

    func testALinkedWorktreeInstallsIntoTheMainRepositorysHooks() throws {
        let repo = try repository()
        let worktree = repo.url.deletingLastPathComponent().appendingPathComponent(repo.url.lastPathComponent + "-wt")
        defer { try? FileManager.default.removeItem(at: worktree) }
        try repo.addWorktree(at: worktree)
        // git runs the hooks of the common directory for every worktree (libgit2's commondir).
        XCTAssertEqual(try GitHooks.hookPath(from: worktree, homeDirectory: repo.home.path), hookPath(repo))
    }

    func testCoreHooksPathIsRespected() throws {
        let repo = try repository()
        try repo.setConfig("core.hooksPath", ".githooks")
        let installed = try GitHooks.install(from: repo.url, homeDirectory: repo.home.path)
        XCTAssertEqual(installed.path, repo.path + "/.githooks/pre-commit")
        XCTAssertFalse(FileManager.default.fileExists(atPath: hookPath(repo)))
        try repo.setConfig("core.hooksPath", "~/hooks")
        XCTAssertEqual(try GitHooks.hookPath(from: repo.url, homeDirectory: repo.home.path), repo.home.path + "/hooks/pre-commit")
    }

    func testOutsideARepositoryAndInABareOneThereIsNoHook() throws {
        let plain = try GitTestRepository(plain: true)
        XCTAssertThrowsError(try GitHooks.install(from: plain.url, homeDirectory: plain.home.path))
        let bare = try GitTestRepository(bare: true)
        XCTAssertThrowsError(try GitHooks.install(from: bare.url, homeDirectory: bare.home.path)) { error in
            XCTAssertTrue((error as? SourceError)?.message.contains("bare repository") == true, "\(error)")
        }
    }

    func testNestedArchiveHookChangesIntoTheWorkspace() throws {
        let repo = try GitTestRepository()
        try repo.write("incidents/inquest.yml", "")
        try repo.writePostmortem("incidents/postmortems/2025-01-10-a.md")
        try repo.commitAll("Nested", as: .priya)
        _ = try GitHooks.install(from: repo.url.appendingPathComponent("incidents"), homeDirectory: repo.home.path)
        let text = try repo.read(".git/hooks/pre-commit")
        XCTAssertTrue(text.contains("cd 'incidents' || exit 1\n"), text)
    }
}

import Foundation
import XCTest
@testable import InquestCore

/// `inquest hook install|uninstall` and the hook it writes, run by real `git commit`s.
final class GitHooksTests: XCTestCase {
    private func repository() throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025-01-10-a.md")
        try repo.commitAll("Add a", as: .priya)
        return repo
    }

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
        try repo.git("worktree", "add", "-q", worktree.path)
        // git runs the hooks of the common directory for every worktree (libgit2's commondir).
        XCTAssertEqual(try GitHooks.hookPath(from: worktree, homeDirectory: repo.home.path), hookPath(repo))
    }

    func testCoreHooksPathIsRespected() throws {
        let repo = try repository()
        try repo.git("config", "core.hooksPath", ".githooks")
        let installed = try GitHooks.install(from: repo.url, homeDirectory: repo.home.path)
        XCTAssertEqual(installed.path, repo.path + "/.githooks/pre-commit")
        XCTAssertFalse(FileManager.default.fileExists(atPath: hookPath(repo)))
        try repo.git("config", "core.hooksPath", "~/hooks")
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

    /// The hook as git runs it, with a stand-in `inquest` that records how it was called.
    func testGitRunsTheHookWithLintStaged() throws {
        let repo = try repository()
        let bin = repo.base.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let record = repo.base.appendingPathComponent("called").path
        try "#!/bin/sh\necho \"$* | $GIT_INDEX_FILE | $(pwd)\" >> '\(record)'\nexit ${STUB_EXIT:-0}\n"
            .write(toFile: bin.path + "/stub", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.path + "/stub")
        // Not on PATH: the hook falls back to the executable recorded at install time.
        _ = try GitHooks.install(from: repo.url, executable: bin.path + "/stub", homeDirectory: repo.home.path)
        var environment = ["PATH": "/usr/bin:/bin"]
        try repo.writePostmortem("postmortems/2025-01-10-a.md", fields: ["severity": "SEV3"])
        try repo.git(["commit", "-q", "-am", "Lower the severity"], environment: environment)
        let calls = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(calls.count, 1)
        XCTAssertTrue(calls[0].hasPrefix("lint --staged | "), String(calls[0]))
        XCTAssertTrue(calls[0].hasSuffix(" | " + repo.path), String(calls[0]))
        // A failing lint stops the commit.
        environment["STUB_EXIT"] = "1"
        try repo.writePostmortem("postmortems/2025-01-10-a.md", fields: ["severity": "SEV4"])
        XCTAssertThrowsError(try repo.git(["commit", "-q", "-am", "Lower it again"], environment: environment))
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

    /// With the real binary (built alongside the tests): a broken postmortem cannot be committed,
    /// whether staged with `git add` or by `git commit -a`, which stages into a temporary index.
    func testRealHookBlocksBrokenPostmortems() throws {
        let binary = try XCTUnwrap(InquestBinary.url, "the inquest binary is built with --build-tests")
        let repo = try repository()
        _ = try GitHooks.install(from: repo.url, executable: binary.path, homeDirectory: repo.home.path)
        let environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        // Staged with git add.
        try repo.writePostmortem("postmortems/2025-01-10-a.md", fields: ["severity": "SEV9"])
        try repo.git(["add", "-A"])
        XCTAssertThrowsError(try repo.git(["commit", "-q", "-m", "Broken"], environment: environment)) { error in
            XCTAssertTrue("\(error)".contains("[schema/invalid-value]"), "\(error)")
        }
        // Fixed in the working tree only: the index still has the broken file.
        try repo.writePostmortem("postmortems/2025-01-10-a.md", fields: ["severity": "SEV3"])
        XCTAssertThrowsError(try repo.git(["commit", "-q", "-m", "Still broken in the index"], environment: environment))
        // `git commit -a` stages the fix into a temporary index, which the hook reads.
        try repo.git(["commit", "-q", "-am", "Fixed"], environment: environment)
        // And `git commit -a` of a broken edit is refused although the real index is clean.
        try repo.writePostmortem("postmortems/2025-01-10-a.md", fields: ["severity": "SEV8"])
        XCTAssertThrowsError(try repo.git(["commit", "-q", "-am", "Broken again"], environment: environment))
    }
}

/// The `inquest` executable built next to the test bundle, when there is one.
enum InquestBinary {
    static var url: URL? {
        let bundle = Bundle(for: GitHooksTests.self).bundleURL
        // On Linux the bundle URL is the products folder itself; on macOS the .xctest bundle inside it.
        let candidates = [bundle.appendingPathComponent("inquest"), bundle.deletingLastPathComponent().appendingPathComponent("inquest")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

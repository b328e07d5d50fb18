import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// The pre-commit hook as `git commit` runs it: a stand-in `inquest`, then the real binary.
/// (Installing, updating and removing the hook is tested in-process in GitHooksTests.)
final class HookCLITests: XCTestCase {
    private func repository() throws -> GitTestRepository { try GitTestRepository.withOnePostmortem() }

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

    /// With the real binary (built alongside the tests): a broken postmortem cannot be committed,
    /// whether staged with `git add` or by `git commit -a`, which stages into a temporary index.
    func testRealHookBlocksBrokenPostmortems() throws {
        let binary = try XCTUnwrap(InquestBinary.url, "the inquest binary is built with --build-tests")
        let repo = try repository()
        _ = try GitHooks.install(from: repo.url, executable: binary.path, homeDirectory: repo.home.path)
        let environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        // Staged with git add.
        try repo.writePostmortem("postmortems/2025-01-10-a.md", fields: ["severity": "SEV9"])
        try repo.addAll()
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

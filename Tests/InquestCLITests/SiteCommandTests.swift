import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

/// `inquest build` and `inquest publish`, run in-process: a revision that fails lint is not published silently.
final class SiteCommandTests: XCTestCase {
    private func brokenArchive() throws -> URL {
        try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/2025/2025-03-04-a.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n").replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9"),
        ])
    }

    func testBuildWarnsAboutLintErrorsAndBuildsAnyway() throws {
        let root = try brokenArchive()
        let run = CLI.run(["build", "--quiet", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("inquest: warning: the working tree has 1 lint error (see 'inquest lint'); building anyway"), run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/index.html").path))
    }

    func testBuildRefusesWithStrict() throws {
        let root = try brokenArchive()
        let run = CLI.run(["build", "--strict", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("refusing with --strict"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    func testPublishNamesTheRevisionAndRefusesWithStrict() throws {
        let root = try brokenArchive()
        _ = try GitTestRepository(existing: root, initialising: true)
        try GitTestRepository(existing: root).addAll()
        try GitTestRepository(existing: root).commit("broken", as: .priya)
        let refused = CLI.run(["publish", "--strict"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("revision HEAD has 1 lint error (see 'inquest lint --rev HEAD')"), refused.stderr)
        XCTAssertThrowsError(try GitTestRepository(existing: root).sha("gh-pages"), "no branch was made")
        let published = CLI.run(["publish"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(published.status, 0, published.stderr)
        XCTAssertTrue(published.stderr.contains("building anyway"), published.stderr)
    }

    func testACleanArchiveBuildsWithoutAWord() throws {
        let root = try brokenArchive()
        try CLI.write(CLI.postmortem(extra: "root_causes: [pool-limits]\n"), to: "postmortems/2025/2025-03-04-a.md", in: root)
        let run = CLI.run(["build", "--strict", "--quiet", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
    }

    func testUnchangedRebuildWritesNothingAndStillWarnsOrRefuses() throws {
        let root = try brokenArchive()
        let environment = ["SOURCE_DATE_EPOCH": "1746057600"]
        XCTAssertEqual(CLI.run(["build", "--output", "out"], in: root, environment: environment).status, 0)
        let index = root.appendingPathComponent("out/index.html").path
        let cache = root.appendingPathComponent("out/.inquest-cache.tsv").path
        var before = stat(), cacheBefore = stat()
        XCTAssertEqual(lstat(index, &before), 0)
        XCTAssertEqual(lstat(cache, &cacheBefore), 0)
        let again = CLI.run(["build", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("(0 rendered, "), again.stdout)
        XCTAssertTrue(again.stderr.contains("has 1 lint error (see 'inquest lint'); building anyway"), "the warning is the same: \(again.stderr)")
        var after = stat(), cacheAfter = stat()
        XCTAssertEqual(lstat(index, &after), 0)
        XCTAssertEqual(lstat(cache, &cacheAfter), 0)
        XCTAssertEqual(after.st_ino, before.st_ino, "nothing was replaced")
        XCTAssertEqual(cacheAfter.st_ino, cacheBefore.st_ino, "not even the cache")
        let strict = CLI.run(["build", "--strict", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(strict.status, 1, "--strict still refuses an unchanged archive with lint errors")
        // Another SOURCE_DATE_EPOCH is another input: the build runs again.
        let other = CLI.run(["build", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746144000"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertFalse(other.stdout.contains("(0 rendered, "), other.stdout)
    }
}

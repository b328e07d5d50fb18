import Foundation
import XCTest
@testable import InquestCLI

/// `inquest lint` with its cache: where it is written, `--no-cache` and `INQUEST_NO_CACHE`, and
/// output byte-identical with and without it in every format.
final class LintCacheCLITests: XCTestCase {
    private func archive() throws -> URL {
        try CLI.temporaryArchive(self, files: [
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/2025-03-04-checkout-latency.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n"),
            "postmortems/2025-01-02-earlier.md": CLI.postmortem(title: "Earlier", date: "2025-01-02", extra: "root_causes: [pool-limits]\nrelated: [nowhere]\n")
                .replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9"),
        ])
    }

    func testEveryFormatPrintsTheSameWithAndWithoutTheCache() throws {
        let root = try archive()
        try CLI.git(["init", "-q"], in: root)
        for format in ["text", "json", "sarif", "github", "gitlab"] {
            let uncached = CLI.run(["lint", "--format", format, "--no-cache"], in: root)
            let cold = CLI.run(["lint", "--format", format], in: root)
            let warm = CLI.run(["lint", "--format", format], in: root)
            XCTAssertEqual(uncached.status, 1, uncached.stdout)
            for run in [cold, warm] {
                XCTAssertEqual(run.stdout, uncached.stdout, format)
                XCTAssertEqual(run.stderr, uncached.stderr, format)
                XCTAssertEqual(run.status, uncached.status, format)
            }
        }
        // Named file, and an edit since the last run.
        try CLI.write(CLI.postmortem(title: "Earlier", date: "2025-01-02", extra: "root_causes: [pool-limits]\n"),
                      to: "postmortems/2025-01-02-earlier.md", in: root)
        let file = "postmortems/2025-01-02-earlier.md"
        XCTAssertEqual(CLI.run(["lint", file, "--format", "json"], in: root).stdout, CLI.run(["lint", file, "--format", "json", "--no-cache"], in: root).stdout)
        XCTAssertEqual(CLI.run(["lint"], in: root).stdout, CLI.run(["lint", "--no-cache"], in: root).stdout)
    }

    func testTheCacheLivesInTheGitFolderAndNoCacheTurnsItOff() throws {
        let root = try archive()
        try CLI.git(["init", "-q"], in: root)
        let cache = root.appendingPathComponent(".git/inquest/lint.cache")
        let statIndex = root.appendingPathComponent(".git/inquest/stat.cache")
        _ = CLI.run(["lint", "--no-cache"], in: root)
        _ = CLI.run(["lint"], in: root, environment: ["INQUEST_NO_CACHE": "1"])
        _ = CLI.run(["build", "--no-cache", "-o", "out"], in: root)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.path), "--no-cache and INQUEST_NO_CACHE=1 neither read nor write it")
        XCTAssertFalse(FileManager.default.fileExists(atPath: statIndex.path), "nor the stat index")
        _ = CLI.run(["lint"], in: root, environment: ["INQUEST_NO_CACHE": "0"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: statIndex.path), "the stat index lives beside it")
        XCTAssertEqual(try CLI.git(["status", "--porcelain"], in: root).split(separator: "\n").filter { $0.contains("inquest") && !$0.contains("inquest.yml") }, [])
    }

    func testOutsideARepositoryTheCacheFolderIgnoresItself() throws {
        let root = try archive()
        _ = CLI.run(["lint"], in: root)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(".inquest-cache/lint.cache").path))
        try CLI.git(["init", "-q"], in: root)
        XCTAssertFalse(try CLI.git(["status", "--porcelain", "--untracked-files=all"], in: root).contains(".inquest-cache"),
                       "a repository created later does not see the cache")
    }
}

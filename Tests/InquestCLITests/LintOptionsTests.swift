import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

/// `inquest lint` conventions: --fix, standard input, --output, --max-warnings, colour, --quiet --strict.
final class LintOptionsTests: XCTestCase {
    private let broken = CLI.postmortem(extra: "root_causes: [pool-limits]\n")
        .replacingOccurrences(of: "status: final", with: "status: finall")
        .replacingOccurrences(of: "services: [checkout]", with: "services: [checkout, checkout]")
    private let catalogue = "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n"

    private func archive(_ files: [String: String] = [:]) throws -> URL {
        try CLI.temporaryArchive(self, files: ["postmortems/causes.yml": catalogue, "inquest.yml": "blameless: {git_authors: false}\n"]
            .merging(files) { $1 })
    }

    func testFixWritesTheFixesAndReportsWhatRemains() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken.replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9")])
        let run = CLI.run(["lint", "--fix"], in: root)
        XCTAssertEqual(run.status, 1, "SEV9 has no single fix and remains")
        XCTAssertEqual(run.stderr, "inquest: fixed 2 problems in 1 file\n")
        XCTAssertTrue(run.stdout.contains("found 'SEV9'"), run.stdout)
        XCTAssertFalse(run.stdout.contains("finall"), run.stdout)
        let text = try CLI.read("postmortems/2025-03-04-a.md", in: root)
        XCTAssertTrue(text.contains("\nstatus: final\n"))
        XCTAssertTrue(text.contains("\nservices: [checkout]\n"))
        // Idempotent: nothing left to fix.
        let again = CLI.run(["lint", "--fix"], in: root)
        XCTAssertEqual(again.stderr, "")
        XCTAssertEqual(try CLI.read("postmortems/2025-03-04-a.md", in: root), text)
    }

    func testFixDryRunPrintsAUnifiedDiffAndWritesNothing() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken])
        let run = CLI.run(["lint", "--fix", "--dry-run"], in: root)
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("--- a/postmortems/2025-03-04-a.md\n+++ b/postmortems/2025-03-04-a.md\n@@ "), run.stdout)
        XCTAssertTrue(run.stdout.contains("\n-status: finall\n+status: final\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\n-services: [checkout, checkout]\n+services: [checkout]\n"), run.stdout)
        XCTAssertEqual(run.stderr, "inquest: would fix 2 problems in 1 file (dry run: nothing written)\n")
        XCTAssertEqual(try CLI.read("postmortems/2025-03-04-a.md", in: root), broken)
        // After the real fix, a dry run has nothing to say but that.
        XCTAssertEqual(CLI.run(["lint", "--fix"], in: root).stderr, "inquest: fixed 2 problems in 1 file\n")
        let clean = CLI.run(["lint", "--fix", "--dry-run"], in: root)
        XCTAssertEqual(clean.stdout, "")
        XCTAssertEqual(clean.stderr, "inquest: nothing to fix (dry run: nothing written)\n")
    }

    func testFixWithStagedOnlyTouchesFilesThatMatchTheIndex() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n")])
        _ = try GitTestRepository(existing: root, initialising: true)
        try GitTestRepository(existing: root).addAll()
        try GitTestRepository(existing: root).commit("start", as: .priya)
        try CLI.write(broken, to: "postmortems/2025-03-04-a.md", in: root)
        try CLI.write(broken.replacingOccurrences(of: "Checkout latency", with: "Second"), to: "postmortems/2025-03-05-b.md", in: root)
        try GitTestRepository(existing: root).addAll()
        // b has an unstaged edit on top of what is staged: it must not be fixed.
        let edited = broken.replacingOccurrences(of: "Checkout latency", with: "Second, edited")
        try CLI.write(edited, to: "postmortems/2025-03-05-b.md", in: root)
        let run = CLI.run(["lint", "--staged", "--fix"], in: root)
        XCTAssertEqual(run.status, 1, "the index itself is unchanged until the fixes are staged")
        XCTAssertTrue(run.stderr.contains("fixed 2 problems in 1 file"), run.stderr)
        XCTAssertTrue(run.stderr.contains("postmortems/2025-03-05-b.md: not fixed, it has unstaged changes"), run.stderr)
        XCTAssertTrue(run.stderr.contains("git add"), run.stderr)
        XCTAssertTrue(try CLI.read("postmortems/2025-03-04-a.md", in: root).contains("\nstatus: final\n"))
        XCTAssertEqual(try CLI.read("postmortems/2025-03-05-b.md", in: root), edited)
        try GitTestRepository(existing: root).add("postmortems/2025-03-04-a.md")
        try GitTestRepository(existing: root).restore("postmortems/2025-03-05-b.md")
        // Now b's working tree matches the index: it is fixed too; staging the fixes clears the gate.
        let second = CLI.run(["lint", "--staged", "--fix"], in: root)
        XCTAssertTrue(second.stderr.contains("fixed 2 problems in 1 file"), second.stderr)
        try GitTestRepository(existing: root).addAll()
        XCTAssertEqual(CLI.run(["lint", "--staged"], in: root).status, 0)
    }

    func testStandardInputIsLintedInPlaceOfTheNamedFileWithTheArchiveAroundIt() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n"),
                                "postmortems/2025-01-01-other.md": broken])
        let run = CLI.run(["lint", "-", "--stdin-filename", "postmortems/2025-03-04-a.md", "--format", "json"], in: root,
                          stdin: CLI.postmortem(extra: "root_causes: [pool-limit]\n"))
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("did you mean 'pool-limits'?"), run.stdout)
        XCTAssertFalse(run.stdout.contains("2025-01-01-other.md"), "only standard input is reported")
        XCTAssertTrue(run.stdout.contains("\"files\":1"), run.stdout)
        let missing = CLI.run(["lint", "-"], in: root)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("--stdin-filename"), missing.stderr)
    }

    func testOutputIsWrittenAtomicallyAndNotAtAllOnAConfigurationError() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken])
        let run = CLI.run(["lint", "--format", "sarif", "--output", "inquest.sarif"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "")
        let sarif = try CLI.read("inquest.sarif", in: root)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(sarif.utf8)))
        try CLI.write("rulez: {}\n", to: "inquest.yml", in: root)
        let failed = CLI.run(["lint", "--format", "sarif", "--output", "other.sarif"], in: root)
        XCTAssertEqual(failed.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("other.sarif").path), "no 0-byte file")
        XCTAssertEqual(CLI.run(["lint", "--format", "sarif", "-o", "inquest.sarif"], in: root).status, 2)
        XCTAssertEqual(try CLI.read("inquest.sarif", in: root), sarif, "the previous report is left")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testMaxWarningsFailsAboveTheLimit() throws {
        let warning = CLI.postmortem(extra: "root_causes: [pool-limits]\n") + "\n## Appendix\n\n<!-- empty -->\n"
        let root = try archive(["postmortems/2025-03-04-a.md": warning])
        let plain = CLI.run(["lint", "--format", "json"], in: root)
        XCTAssertEqual(plain.status, 0, plain.stdout)
        XCTAssertTrue(plain.stdout.contains("\"warnings\":1"), plain.stdout)
        XCTAssertEqual(CLI.run(["lint", "--max-warnings", "1"], in: root).status, 0)
        let over = CLI.run(["lint", "--max-warnings", "0"], in: root)
        XCTAssertEqual(over.status, 1)
        XCTAssertTrue(over.stderr.contains("too many warnings: 1, --max-warnings is 0"), over.stderr)
        XCTAssertEqual(CLI.run(["lint", "--max-warnings", "-1"], in: root).status, 2)
    }

    func testQuietStrictSaysWhyItFails() throws {
        let warning = CLI.postmortem(extra: "root_causes: [pool-limits]\n") + "\n## Appendix\n\n<!-- empty -->\n"
        let root = try archive(["postmortems/2025-03-04-a.md": warning])
        let run = CLI.run(["lint", "--quiet", "--strict"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "inquest: 1 warning (not shown with --quiet) fail the run with --strict\n")
    }

    func testColourFollowsTheFlagsForceColorAndNoColor() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken])
        let escape = "\u{1B}["
        func coloured(_ arguments: [String], _ environment: [String: String], terminal: Bool) -> Bool {
            CLI.run(["lint"] + arguments, in: root, environment: environment, isTerminal: terminal).stdout.contains(escape)
        }
        let unset = ["NO_COLOR": "<unset>"]
        XCTAssertTrue(coloured([], unset, terminal: true))
        XCTAssertFalse(coloured([], unset, terminal: false))
        XCTAssertFalse(coloured([], ["NO_COLOR": "1"], terminal: true))
        XCTAssertTrue(coloured([], ["NO_COLOR": ""], terminal: true), "an empty NO_COLOR does not disable colour")
        XCTAssertTrue(coloured([], ["NO_COLOR": "<unset>", "FORCE_COLOR": "1"], terminal: false))
        XCTAssertFalse(coloured([], ["NO_COLOR": "<unset>", "FORCE_COLOR": "0"], terminal: true))
        XCTAssertTrue(coloured(["--color", "always"], ["NO_COLOR": "1"], terminal: false))
        XCTAssertFalse(coloured(["--color", "never"], ["FORCE_COLOR": "1"], terminal: true))
        XCTAssertFalse(coloured(["--no-color"], unset, terminal: true))
        XCTAssertEqual(CLI.run(["lint", "--color", "sometimes"], in: root).status, 2)
    }

    func testGitLabCodeQualityReport() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken])
        let run = CLI.run(["lint", "--format", "gitlab"], in: root)
        XCTAssertEqual(run.status, 1)
        let issues = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(issues.isEmpty)
        for issue in issues {
            XCTAssertNotNil(issue["description"] as? String)
            XCTAssertNotNil(issue["check_name"] as? String)
            XCTAssertEqual((issue["fingerprint"] as? String)?.count, 16)
            XCTAssertTrue(["info", "minor", "major", "critical", "blocker"].contains(issue["severity"] as? String ?? ""))
            let location = try XCTUnwrap(issue["location"] as? [String: Any])
            XCTAssertNotNil(location["path"] as? String)
            XCTAssertNotNil((location["lines"] as? [String: Any])?["begin"] as? Int)
        }
        XCTAssertEqual(Set(issues.compactMap { $0["fingerprint"] as? String }).count, issues.count, "fingerprints are unique")
    }

    func testSARIFBaseIsTheRepositoryRootAndFingerprintsSurviveLineShifts() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken])
        _ = try GitTestRepository(existing: root, initialising: true)
        func sarif() throws -> [String: Any] {
            let run = CLI.run(["lint", "--format", "sarif"], in: root)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        func fingerprints(_ object: [String: Any]) -> [String: String] {
            let run = (object["runs"] as? [[String: Any]])?.first ?? [:]
            var byRule: [String: String] = [:]
            for result in run["results"] as? [[String: Any]] ?? [] {
                byRule[result["ruleId"] as? String ?? ""] = (result["partialFingerprints"] as? [String: String])?.values.first
            }
            return byRule
        }
        let before = try sarif()
        let run = try XCTUnwrap((before["runs"] as? [[String: Any]])?.first)
        let base = try XCTUnwrap((run["originalUriBaseIds"] as? [String: [String: String]])?["%SRCROOT%"]?["uri"])
        XCTAssertEqual(base, root.resolvingSymlinksInPath().absoluteString.hasSuffix("/") ? root.resolvingSymlinksInPath().absoluteString : root.resolvingSymlinksInPath().absoluteString + "/")
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        XCTAssertFalse(rules.contains { $0["helpUri"] != nil }, "no docs_url: no link, rather than one that 404s")
        // A line added above every finding moves them all; the fingerprints stay.
        try CLI.write(broken.replacingOccurrences(of: "---\ntitle:", with: "---\n# a comment\ntitle:"), to: "postmortems/2025-03-04-a.md", in: root)
        XCTAssertEqual(fingerprints(try sarif()), fingerprints(before))
        XCTAssertFalse(fingerprints(before).isEmpty)
    }

    func testSARIFHelpUriComesFromTheArchivesDocsURL() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": broken,
                                "inquest.yml": "blameless: {git_authors: false}\ndocs_url: https://git.example.com/tools/inquest/blob/main/README.md#{rule}\n"])
        let run = CLI.run(["lint", "--format", "sarif"], in: root)
        XCTAssertEqual(run.status, 1, run.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let driver = try XCTUnwrap(((object["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["informationUri"] as? String, "https://git.example.com/tools/inquest/blob/main/README.md")
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertFalse(rules.isEmpty)
        for rule in rules {
            XCTAssertEqual(rule["helpUri"] as? String, "https://git.example.com/tools/inquest/blob/main/README.md#\(rule["id"] as? String ?? "?")")
        }
        // A bad value is a located configuration error, and no report is written.
        try CLI.write("docs_url: docs/rules.md\n", to: "inquest.yml", in: root)
        let bad = CLI.run(["lint", "--format", "sarif", "--output", "inquest.sarif"], in: root)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("inquest.yml:1:11: error: 'docs_url' must be an absolute http(s) URL, found 'docs/rules.md' [config/invalid]"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("inquest.sarif").path))
    }

    func testFixDryRunOnStandardInputPrintsTheDiffForTheNamedFile() throws {
        let root = try archive(["postmortems/2025-03-04-a.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n")])
        let run = CLI.run(["lint", "-", "--stdin-filename", "postmortems/2025-03-04-a.md", "--fix", "--dry-run"], in: root, stdin: broken)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("--- a/postmortems/2025-03-04-a.md\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("+status: final\n"), run.stdout)
        XCTAssertEqual(CLI.run(["lint", "-", "--stdin-filename", "postmortems/2025-03-04-a.md", "--fix"], in: root, stdin: broken).status, 2,
                       "there is no file to write")
    }
}

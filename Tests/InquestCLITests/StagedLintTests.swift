import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

/// `inquest lint --staged` (the pre-commit hook) judges what is being committed.
final class StagedLintTests: XCTestCase {
    /// A repository with a committed, valid catalogue and two postmortems, one of them broken
    /// (as if committed with --no-verify).
    private func repository() throws -> URL {
        let root = try CLI.temporaryArchive(self, files: [
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n  aliases: [pool-size]\n",
            "postmortems/2025-03-04-checkout-latency.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n"),
            "postmortems/2025-01-02-old-broken.md": CLI.postmortem(title: "Old broken", date: "2025-01-02", extra: "root_causes: [pool-limits]\nrelated: [2025-03-04-checkout-latency]\n")
                .replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9"),
            "README.md": "archive\n",
        ])
        _ = try GitTestRepository(existing: root, initialising: true)
        try GitTestRepository(existing: root).addAll()
        try GitTestRepository(existing: root).commit("start", as: .priya)
        return root
    }

    func testAnOldBrokenFileDoesNotBlockUnrelatedCommits() throws {
        let root = try repository()
        XCTAssertEqual(CLI.run(["lint"], in: root).status, 1, "the archive itself is broken")
        try CLI.write("archive, edited\n", to: "README.md", in: root)
        try GitTestRepository(existing: root).add("README.md")
        let run = CLI.run(["lint", "--staged"], in: root)
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertFalse(run.stdout.contains("old-broken"), run.stdout)
    }

    func testAStagedBrokenPostmortemIsReportedAndTheOldOneIsNot() throws {
        let root = try repository()
        try CLI.write(CLI.postmortem(title: "New one", date: "2025-05-05").replacingOccurrences(of: "status: final", with: "status: finall"),
                      to: "postmortems/2025-05-05-new-one.md", in: root)
        try GitTestRepository(existing: root).addAll()
        let run = CLI.run(["lint", "--staged", "--format", "json"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("2025-05-05-new-one.md"), run.stdout)
        XCTAssertFalse(run.stdout.contains("\"file\":\"postmortems/2025-01-02-old-broken.md\""), run.stdout)
    }

    func testUnstagedEditsAreNotJudged() throws {
        let root = try repository()
        try CLI.write(CLI.postmortem().replacingOccurrences(of: "severity: SEV2", with: "severity: SEV7"),
                      to: "postmortems/2025-03-04-checkout-latency.md", in: root)
        XCTAssertEqual(CLI.run(["lint", "--staged"], in: root).status, 0)
    }

    func testARenamedIdBreaksItsReferencesElsewhere() throws {
        let root = try repository()
        try GitTestRepository(existing: root).move("postmortems/2025-03-04-checkout-latency.md", "postmortems/2025-03-04-checkout-slow.md")
        let run = CLI.run(["lint", "--staged", "--format", "json"], in: root)
        XCTAssertEqual(run.status, 1, run.stdout)
        // The unchanged document now points at an id that no longer exists …
        XCTAssertTrue(run.stdout.contains("\"rule\":\"links/related-unknown\""), run.stdout)
        // … but its old error (severity SEV9) is not this commit's doing.
        XCTAssertFalse(run.stdout.contains("SEV9"), run.stdout)
    }

    func testAnEditedCatalogueIsJudgedByWhatItBreaks() throws {
        let root = try repository()
        try CLI.write("other-cause:\n  title: Something else\n  description: Not the cause these postmortems cite.\n", to: "postmortems/causes.yml", in: root)
        try GitTestRepository(existing: root).addAll()
        let run = CLI.run(["lint", "--staged", "--format", "json"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("2025-03-04-checkout-latency.md"), run.stdout)
        XCTAssertTrue(run.stdout.contains("causes/unknown"), run.stdout)
        XCTAssertFalse(run.stdout.contains("SEV9"), run.stdout)
    }

    func testAnEditedConfigurationIsJudgedByWhatItBreaks() throws {
        let root = try repository()
        try CLI.write("schema:\n  severities: [P1, P2]\n", to: "inquest.yml", in: root)
        try GitTestRepository(existing: root).addAll()
        let run = CLI.run(["lint", "--staged", "--format", "json"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("found 'SEV2'"), run.stdout)
        XCTAssertFalse(run.stdout.contains("found 'SEV9'"), run.stdout)
    }

    func testBeforeTheFirstCommitEverythingStagedIsJudged() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "postmortems/2025-01-02-broken.md": CLI.postmortem(title: "Broken", date: "2025-01-02").replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9"),
        ])
        _ = try GitTestRepository(existing: root, initialising: true)
        try GitTestRepository(existing: root).addAll()
        let run = CLI.run(["lint", "--staged"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("SEV9"), run.stdout)
    }

    func testThePullRequestGateIsNotBlamedForWhatWasAlreadyBroken() throws {
        let root = try repository()
        try GitTestRepository(existing: root).checkout(newBranch: "feature")
        try CLI.write("other-cause:\n  title: Something else\n  description: Not the cause these postmortems cite.\n", to: "postmortems/causes.yml", in: root)
        try GitTestRepository(existing: root).commitTracked("edit the catalogue", as: .priya)
        let run = CLI.run(["lint", "--changed-since", "main", "--format", "json"], in: root)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("\"file\":\"postmortems/2025-03-04-checkout-latency.md\""), run.stdout)
        XCTAssertTrue(run.stdout.contains("causes/unknown"), run.stdout)
        XCTAssertFalse(run.stdout.contains("SEV9"), "the old file's own error is not this change's: \(run.stdout)")
    }
}

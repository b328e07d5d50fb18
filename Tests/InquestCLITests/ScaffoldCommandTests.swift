import Foundation
import XCTest
@testable import InquestCLI

/// `inquest new` and `inquest init`, run in-process.
final class ScaffoldCommandTests: XCTestCase {
    func testNewWritesADraftThatParsesAndRefusesToOverwrite() throws {
        let repo = try CLI.temporaryArchive(self)
        let run = CLI.run(["new", "Checkout: cache stampede", "--severity", "SEV2", "--service", "checkout", "--author", "Priya Raman", "--date", "2026-11-20"], in: repo)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "created postmortems/2026/2026-11-20-checkout-cache-stampede.md\n")
        let text = try String(contentsOf: repo.appendingPathComponent("postmortems/2026/2026-11-20-checkout-cache-stampede.md"), encoding: .utf8)
        XCTAssertTrue(text.contains("title: \"Checkout: cache stampede\""))
        XCTAssertTrue(text.contains("status: draft"))
        XCTAssertTrue(text.contains("services: [checkout]"))
        XCTAssertTrue(text.contains("authors: [Priya Raman]"))
        let lint = CLI.run(["lint", "--format", "json"], in: repo)
        XCTAssertFalse(lint.stdout.contains("syntax/"), lint.stdout)
        XCTAssertFalse(lint.stdout.contains("schema/"), lint.stdout)
        let again = CLI.run(["new", "Checkout: cache stampede", "--date", "2026-11-20"], in: repo)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("refusing to overwrite"))
    }

    func testInitScaffoldsAndRefusesToOverwrite() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = CLI.run(["init"], in: url)
        XCTAssertEqual(run.status, 0, run.stderr)
        for path in ["inquest.yml", "postmortems/causes.yml", "postmortems/_template.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path), path)
        }
        XCTAssertEqual(CLI.run(["lint"], in: url).status, 0)
        XCTAssertEqual(CLI.run(["init"], in: url).status, 2)
    }

    func testNewUsesTheConfiguredSeveritiesAndYearFolders() throws {
        let repo = try CLI.temporaryArchive(self)
        try "schema:\n  severities: [P0, P1, P2, P3]\n".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let run = CLI.run(["new", "Queue backlog", "--service", "queue", "--author", "Sam Lee", "--date", "2025-02-03"], in: repo)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "created postmortems/2025/2025-02-03-queue-backlog.md\n")
        let text = try CLI.read("postmortems/2025/2025-02-03-queue-backlog.md", in: repo)
        XCTAssertTrue(text.contains("\nseverity: P3\n"), text)
        let lint = CLI.run(["lint", "--format", "json"], in: repo)
        XCTAssertFalse(lint.stdout.contains("'severity' must be one of"), lint.stdout)
        // The template's placeholder action item is reported until it is written.
        XCTAssertTrue(lint.stdout.contains("\"rule\":\"action-items/invalid-due\""), lint.stdout)
        XCTAssertTrue(lint.stdout.contains("YYYY-MM-DD"), lint.stdout)
    }

    func testAFlatArchiveStaysFlat() throws {
        let repo = try CLI.temporaryArchive(self, files: ["postmortems/2024-01-01-old.md": CLI.postmortem(date: "2024-01-01")])
        let run = CLI.run(["new", "Second", "--date", "2025-02-03"], in: repo)
        XCTAssertEqual(run.stdout, "created postmortems/2025-02-03-second.md\n", run.stderr)
    }
}

import Foundation
import XCTest
@testable import InquestCLI

/// `inquest new` and `inquest init`, run in-process.
final class ScaffoldCommandTests: XCTestCase {
    func testNewWritesADraftThatParsesAndRefusesToOverwrite() throws {
        let repo = try CLI.temporaryArchive(self)
        let run = CLI.run(["new", "Checkout: cache stampede", "--severity", "SEV2", "--service", "checkout", "--author", "Priya Raman", "--date", "2026-11-20"], in: repo)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "created postmortems/2026-11-20-checkout-cache-stampede.md\n")
        let text = try String(contentsOf: repo.appendingPathComponent("postmortems/2026-11-20-checkout-cache-stampede.md"), encoding: .utf8)
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
}

import Foundation
import XCTest
import InquestTestSupport

/// `inquest export` and `inquest adopt` from the command line.
extension CLITests {
    func testExportOfTheSampleArchiveValidatesAgainstItsJSONSchema() throws {
        let run = try inquest(["export", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let exported = folder.appendingPathComponent("export.json")
        try Data(run.stdout.utf8).write(to: exported)
        let schema = Repository.root.appendingPathComponent("docs/export.schema.json").path
        // Python's jsonschema (installed by `make setup-site-tests` and .ci/run) is an independent validator.
        // Required here (a failure, not a skip, as when each check started its own Python).
        let validator: JSONSchemaValidator
        do { validator = try JSONSchemaValidator.shared() } catch { return XCTFail("\(error)") }
        let validation = try validator.validate("json", schema: schema, [exported.path])
        XCTAssertEqual(validation.status, 0, validation.output)
        XCTAssertEqual(validation.output, "validated 1 json document(s): 0 problem(s)\n")
        let documents = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["documents"] as? [[String: Any]])
        let counts = [documents.count, documents.reduce(0) { $0 + ((($1["timeline"] as? [Any])?.count) ?? 0) }]
        XCTAssertEqual(counts.first, 14, "every sample postmortem is exported")
        XCTAssertGreaterThan(counts.last ?? 0, 50, "with their timelines")
    }

    func testExportIsByteIdenticalAndSelectsPaths() throws {
        let all = try inquest(["export"])
        XCTAssertEqual(all.stdout, try inquest(["export"]).stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? Int, 1)
        let one = try inquest(["export", "postmortems/2025"])
        let documents = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])?["documents"] as? [[String: Any]])
        XCTAssertFalse(documents.isEmpty)
        XCTAssertTrue(documents.allSatisfy { ($0["path"] as? String)?.hasPrefix("postmortems/2025/") == true })
        if FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent(".git").path) {
            let committed = try inquest(["export", "--rev", "HEAD", "postmortems/2025"])
            XCTAssertEqual(committed.status, 0, committed.stderr)
            let source = (try JSONSerialization.jsonObject(with: Data(committed.stdout.utf8)) as? [String: Any])?["source"] as? String
            XCTAssertTrue(source?.hasPrefix("HEAD") ?? false, source ?? "no source")
            XCTAssertEqual(try inquest(["export", "--rev", "HEAD", "--staged"]).status, 2, "one source at a time")
        }
        let bad = try inquest(["export", "--format", "xml"])
        XCTAssertEqual(bad.status, 2, "a usage error")
        let missing = try inquest(["export", "no/such/folder"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.hasPrefix("inquest: error: "), missing.stderr)
    }

    func testAdoptDryRunPrintsADiffAndWritesNothingThenAdoptWrites() throws {
        let repository = try temporaryRepository()
        try FileManager.default.removeItem(at: repository.appendingPathComponent("inquest.yml"))
        let file = repository.appendingPathComponent("postmortems/2025-04-02-queue-backlog.md")
        let original = "# Queue backlog\n\n**Severity:** P2\n\n## Summary\n\nThe queue grew.\n"
        try original.write(to: file, atomically: true, encoding: .utf8)

        let dry = try inquest(["adopt", "--dry-run", "--write-config"], in: repository)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.hasPrefix("--- a/postmortems/2025-04-02-queue-backlog.md\n+++ b/postmortems/2025-04-02-queue-backlog.md\n@@ -1,3 +1,9 @@\n+---\n+title: Queue backlog\n+date: 2025-04-02\n+status: draft\n+severity: P2\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("--- /dev/null\n+++ b/inquest.yml\n"), dry.stdout)
        XCTAssertTrue(dry.stderr.contains("postmortems/2025-04-02-queue-backlog.md: front-matter added\n"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("to fill in: authors, services"), dry.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), original, "--dry-run writes nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent("inquest.yml").path))

        let write = try inquest(["adopt", "--write-config"], in: repository)
        XCTAssertEqual(write.status, 0, write.stderr)
        XCTAssertTrue(write.stdout.contains("wrote inquest.yml"), write.stdout)
        let adopted = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(adopted.hasPrefix("---\ntitle: Queue backlog\n"), adopted)
        XCTAssertTrue(adopted.hasSuffix(original))
        XCTAssertTrue(try String(contentsOf: repository.appendingPathComponent("inquest.yml"), encoding: .utf8).contains("severities: [P1, P2, P3, P4]"))

        let lint = try inquest(["lint", "--format", "json"], in: repository)
        XCTAssertFalse(lint.stdout.contains("syntax/front-matter"), lint.stdout)
        XCTAssertFalse(lint.stdout.contains("schema/invalid-value"), lint.stdout)

        let again = try inquest(["adopt", "--dry-run", "--write-config"], in: repository)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.stdout, "", "a second run changes nothing")
        XCTAssertTrue(again.stderr.contains("has front-matter, unchanged"), again.stderr)
    }

    func testAdoptTakesTheFolderItIsGivenWhenThereIsNoConfiguration() throws {
        let repository = try temporaryRepository()
        try FileManager.default.removeItem(at: repository.appendingPathComponent("inquest.yml"))
        try FileManager.default.createDirectory(at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("incidents"), withIntermediateDirectories: true)
        try "# Disk full\n".write(to: repository.appendingPathComponent("incidents/disk.md"), atomically: true, encoding: .utf8)
        let run = try inquest(["adopt", "incidents", "--write-config"], in: repository)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(try String(contentsOf: repository.appendingPathComponent("inquest.yml"), encoding: .utf8).contains("postmortems: incidents\n"))
        XCTAssertTrue(try String(contentsOf: repository.appendingPathComponent("incidents/disk.md"), encoding: .utf8).hasPrefix("---\n"))
    }
}

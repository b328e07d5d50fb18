import Foundation
import XCTest

/// Runs the built binary on fixture repositories and checks output and exit codes.
final class CLITests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `inquest` binary next to the test bundle.
    static var binary: URL {
        // On Linux the bundle URL is the products folder itself; on macOS it is the .xctest bundle inside it.
        let bundle = Bundle(for: CLITests.self).bundleURL
        let candidates = [bundle.appendingPathComponent("inquest"), bundle.deletingLastPathComponent().appendingPathComponent("inquest")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func inquest(_ arguments: [String], in directory: URL = CLITests.repositoryRoot, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryRepository() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("postmortems"), withIntermediateDirectories: true)
        try "".write(to: url.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testSampleArchiveIsCleanAndExitsZero() throws {
        let run = try inquest(["lint"])
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertTrue(run.stdout.contains("checked: 0 errors, 0 warnings"), String(run.stdout.suffix(300)))
    }

    func testBrokenExamplesExitOneAndShowEveryRegisteredRule() throws {
        let run = try inquest(["lint", "examples/broken", "--format", "json"])
        XCTAssertEqual(run.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rules = Set((object["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
        let listed = try inquest(["rules"]).stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        // Rules that need git state are demonstrated by the git tests instead.
        let expected = Set(listed.filter { !$0.hasPrefix("git/") })
        XCTAssertEqual(expected.subtracting(rules), [], "rules not demonstrated by examples/broken")
    }

    func testTextOutputIsCompilerStyleWithPathsFromTheCurrentDirectory() throws {
        let run = try inquest(["lint", "examples/broken"])
        XCTAssertTrue(run.stdout.contains("examples/broken/2025-06-01-checkout-outage.md:5:11: error: 'severity' must be one of SEV1, SEV2, SEV3, SEV4, found 'SEV9' [schema/invalid-value]"), run.stdout)
    }

    func testREADMEOutputExcerptIsRealOutput() throws {
        let readme = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let output = try inquest(["lint", "examples/broken"]).stdout
        let excerpt = readme.components(separatedBy: "\n").filter { $0.hasPrefix("examples/broken/") }
        XCTAssertGreaterThanOrEqual(excerpt.count, 3)
        for line in excerpt { XCTAssertTrue(output.contains(line + "\n"), "README shows output the tool no longer prints: \(line)") }
    }

    func testStrictFailsOnWarnings() throws {
        let repo = try temporaryRepository()
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("postmortems/2024/2024-01-23-sessions-cache-host-loss.md"), encoding: .utf8)
        try (text + "\n## Appendix\n\n<!-- empty -->\n").write(to: repo.appendingPathComponent("postmortems/a.md"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("postmortems/causes.yml"), to: repo.appendingPathComponent("postmortems/causes.yml"))
        XCTAssertEqual(try inquest(["lint"], in: repo).status, 0)
        XCTAssertEqual(try inquest(["lint", "--strict"], in: repo).status, 1)
    }

    func testInvalidConfigurationExitsTwoWithItsLine() throws {
        let repo = try temporaryRepository()
        try "postmortems: postmortems\nrulez: {}\n".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let run = try inquest(["lint"], in: repo)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("inquest.yml:2:1: error: unknown key 'rulez'"), run.stderr)
        XCTAssertTrue(run.stderr.contains("[config/invalid]"))
    }

    func testRunsThatWouldCheckNothingAreErrors() throws {
        let repo = try temporaryRepository()
        try "postmortems: nothere\n".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let missing = try inquest(["lint"], in: repo)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no postmortems folder 'nothere'"), missing.stderr)
        try "".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(at: repo.appendingPathComponent("postmortems"), to: repo.appendingPathComponent("real"))
        try FileManager.default.createSymbolicLink(at: repo.appendingPathComponent("postmortems"), withDestinationURL: repo.appendingPathComponent("real"))
        let linked = try inquest(["lint"], in: repo)
        XCTAssertEqual(linked.status, 2)
        XCTAssertTrue(linked.stderr.contains("symbolic link"), linked.stderr)
        XCTAssertEqual(try inquest(["lint", "/etc/hostname"], in: Self.repositoryRoot).status, 2)
    }

    func testMissingPathExitsTwo() throws {
        let run = try inquest(["lint", "no/such/folder"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("no such file or folder"), run.stderr)
    }

    func testUnknownFormatIsAUsageError() throws {
        let run = try inquest(["lint", "--format", "xml"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("xml"), run.stderr)
    }

    func testExplainPrintsDocumentationAndExamples() throws {
        let run = try inquest(["explain", "action-items/not-actionable"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("Triggers on:"))
        XCTAssertTrue(run.stdout.contains("Be more careful"))
        let unknown = try inquest(["explain", "schema/missing-feild"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'schema/missing-field'?"), unknown.stderr)
    }

    func testNewWritesADraftThatParsesAndRefusesToOverwrite() throws {
        let repo = try temporaryRepository()
        let run = try inquest(["new", "Checkout: cache stampede", "--severity", "SEV2", "--service", "checkout", "--author", "Priya Raman", "--date", "2026-11-20"], in: repo)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "created postmortems/2026-11-20-checkout-cache-stampede.md\n")
        let text = try String(contentsOf: repo.appendingPathComponent("postmortems/2026-11-20-checkout-cache-stampede.md"), encoding: .utf8)
        XCTAssertTrue(text.contains("title: \"Checkout: cache stampede\""))
        XCTAssertTrue(text.contains("status: draft"))
        XCTAssertTrue(text.contains("services: [checkout]"))
        XCTAssertTrue(text.contains("authors: [Priya Raman]"))
        let lint = try inquest(["lint", "--format", "json"], in: repo)
        XCTAssertFalse(lint.stdout.contains("syntax/"), lint.stdout)
        XCTAssertFalse(lint.stdout.contains("schema/"), lint.stdout)
        let again = try inquest(["new", "Checkout: cache stampede", "--date", "2026-11-20"], in: repo)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("refusing to overwrite"))
    }

    func testInitScaffoldsAndRefusesToOverwrite() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try inquest(["init"], in: url)
        XCTAssertEqual(run.status, 0, run.stderr)
        for path in ["inquest.yml", "postmortems/causes.yml", "postmortems/_template.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path), path)
        }
        XCTAssertEqual(try inquest(["lint"], in: url).status, 0)
        XCTAssertEqual(try inquest(["init"], in: url).status, 2)
    }

    func testCausesListsTheSampleByRecurrence() throws {
        let run = try inquest(["causes", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let causes = try XCTUnwrap(object["causes"] as? [[String: Any]])
        let counts = causes.compactMap { $0["occurrences"] as? Int }
        XCTAssertEqual(counts, counts.sorted(by: >))
        XCTAssertGreaterThanOrEqual(counts.filter { $0 >= 3 }.count, 3)
    }

    func testOverdueActionItemsNeedAReferenceDateOutsideGit() throws {
        let repo = try temporaryRepository()
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("postmortems/2026/2026-01-20-auth-retry-storm.md"), encoding: .utf8)
        try text.write(to: repo.appendingPathComponent("postmortems/a.md"), atomically: true, encoding: .utf8)
        let refused = try inquest(["report", "actions", "--overdue"], in: repo)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("SOURCE_DATE_EPOCH"), refused.stderr)
        // 2026-05-01: LRK-319 (due 2026-03-31) is overdue, LRK-1026 (due 2026-06-30) is not yet.
        let run = try inquest(["report", "actions", "--overdue"], in: repo, environment: ["SOURCE_DATE_EPOCH": "1777593600"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("LRK-319"), run.stdout)
        XCTAssertFalse(run.stdout.contains("LRK-1026"), run.stdout)
        XCTAssertTrue(run.stdout.hasSuffix("as of 2026-05-01\n"), run.stdout)
    }

    func testVersion() throws {
        let run = try inquest(["--version"])
        XCTAssertEqual(run.status, 0)
        XCTAssertFalse(run.stdout.isEmpty)
    }

    func testOutputIsByteIdenticalAcrossRuns() throws {
        for format in ["text", "json", "sarif", "github"] {
            let a = try inquest(["lint", "examples/broken", "--format", format]).stdout
            let b = try inquest(["lint", "examples/broken", "--format", format]).stdout
            XCTAssertEqual(a, b, format)
        }
    }
}

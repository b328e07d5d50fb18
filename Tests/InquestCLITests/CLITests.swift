import Foundation
import XCTest
import InquestTestSupport

/// Runs the built binary on fixture repositories and checks output and exit codes.
final class CLITests: XCTestCase {
    /// The `inquest` binary next to the test bundle.
    static var binary: URL {
        InquestBinary.url ?? URL(fileURLWithPath: "/nonexistent/inquest")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func inquest(_ arguments: [String], in directory: URL = Repository.root, environment: [String: String] = [:]) throws -> Run {
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

    /// A fresh archive folder (empty `inquest.yml`, `postmortems/`), removed after the test.
    func temporaryRepository() throws -> URL { try CLI.temporaryArchive(self) }

    func testSampleArchiveIsCleanAndExitsZero() throws {
        let run = try inquest(["lint"])
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertTrue(run.stdout.contains("checked: 0 errors, 0 warnings"), String(run.stdout.suffix(300)))
    }

    func testInvalidConfigurationExitsTwoWithItsLine() throws {
        let repo = try temporaryRepository()
        try "postmortems: postmortems\nrulez: {}\n".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let run = try inquest(["lint"], in: repo)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("inquest.yml:2:1: error: unknown key 'rulez'"), run.stderr)
        XCTAssertTrue(run.stderr.contains("[config/invalid]"))
    }

    func testUnknownFormatIsAUsageError() throws {
        let run = try inquest(["lint", "--format", "xml"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("xml"), run.stderr)
    }

    func testVersion() throws {
        let run = try inquest(["--version"])
        XCTAssertEqual(run.status, 0)
        XCTAssertFalse(run.stdout.isEmpty)
    }
}

import Foundation
import XCTest

/// Hostile repositories and environments end to end: every failure is `inquest: error: …` with
/// exit 2, never a crash, a hang or a damaged output folder.
final class ReliabilityCLITests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with a watchdog: a hang fails the test instead of stalling the suite.
    @discardableResult
    func inquest(_ arguments: [String], in directory: URL, timeout: TimeInterval = 120,
                 shellPrefix: String? = nil) throws -> Run {
        let process = Process()
        if let shellPrefix {
            // e.g. `ulimit -f 64;` — a limit only this child inherits.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let quoted = ([CLITests.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.arguments = ["-c", shellPrefix + " exec " + quoted.joined(separator: " ")]
        } else {
            process.executableURL = CLITests.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-out-\(UUID().uuidString)")
        let err = out.appendingPathExtension("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("inquest \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    @discardableResult
    func git(_ arguments: String..., in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Alice", "-c", "user.email=alice@example.com",
                             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                               "HOME": directory.path, "GIT_CONFIG_NOSYSTEM": "1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A committed archive of one postmortem.
    func committedArchive() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("postmortems"), withIntermediateDirectories: true)
        addTeardownBlock {
            Self.makeWritable(url)
            try? FileManager.default.removeItem(at: url)
        }
        try "".write(to: url.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let document = """
        ---
        id: PM-1
        title: Queue backlog after a config push
        date: 2026-01-05
        severity: SEV2
        status: published
        ---

        ## Summary

        A configuration push halved the consumer pool and the queue backed up for an hour.

        """
        try document.write(to: url.appendingPathComponent("postmortems/queue.md"), atomically: true, encoding: .utf8)
        try git("init", "-q", in: url)
        try git("add", "-A", in: url)
        try git("commit", "-qm", "first", in: url)
        return url
    }

    static func makeWritable(_ url: URL) {
        guard let walker = FileManager.default.enumerator(atPath: url.path) else { return }
        chmod(url.path, 0o755)
        for case let relative as String in walker {
            chmod(url.appendingPathComponent(relative).path, 0o755)
        }
    }

    func objectFile(_ sha: String, in repository: URL) -> URL {
        repository.appendingPathComponent(".git/objects/\(sha.prefix(2))/\(sha.dropFirst(2))")
    }

    func truncate(_ sha: String, in repository: URL) throws {
        let file = objectFile(sha, in: repository)
        let bytes = try Data(contentsOf: file)
        chmod(file.path, 0o644)
        try bytes.prefix(bytes.count / 2).write(to: file)
    }

    // MARK: Broken git objects

    func testTruncatedCommitIsAnErrorForEveryCommandThatReadsGit() throws {
        let repository = try committedArchive()
        let head = try git("rev-parse", "HEAD", in: repository)
        try truncate(head, in: repository)
        for arguments in [["lint"], ["lint", "--rev", "HEAD"], ["lint", "--staged"], ["build", "--output", "out"]] {
            let run = try inquest(arguments, in: repository)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("inquest: error: corrupt git object \(head) ("), "\(arguments): \(run.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent("out").path))
    }

    func testTruncatedBlobIsAnErrorNotAHang() throws {
        let repository = try committedArchive()
        let blob = try git("rev-parse", "HEAD:postmortems/queue.md", in: repository)
        try truncate(blob, in: repository)
        for arguments in [["lint", "--rev", "HEAD"], ["lint", "--staged"], ["build", "--rev", "HEAD", "--output", "out"]] {
            let run = try inquest(arguments, in: repository)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("inquest: error: corrupt git object \(blob) ("), "\(arguments): \(run.stderr)")
        }
    }
}

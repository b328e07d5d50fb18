import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `inquest serve` as a user runs it: the binary prints its URL, answers over HTTP, stops on
/// Ctrl-C (SIGINT) with status 0, and refuses a taken port with exit 2.
final class ServeCommandTests: XCTestCase {
    /// A running `inquest serve` with its output files.
    private final class Server {
        let process = Process()
        let out: URL
        let err: URL

        init(arguments: [String], in directory: URL) throws {
            out = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-serve-\(UUID().uuidString)")
            err = out.appendingPathExtension("err")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            process.executableURL = CLITests.binary
            process.arguments = ["serve"] + arguments
            process.currentDirectoryURL = directory
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
        }

        var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

        /// The URL the command printed, once it has (at most 60 s: the archive is read first).
        func url() -> URL? {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, process.isRunning {
                if let line = stdout.split(separator: "\n").first, line.hasPrefix("http://") { return URL(string: String(line)) }
                usleep(20_000)
            }
            return nil
        }

        /// Waits for the process to end (at most `timeout` seconds, then kills it).
        func wait(timeout: TimeInterval = 30) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            guard !process.isRunning else {
                process.terminate()
                process.waitUntilExit()
                return nil
            }
            return process.terminationStatus
        }

        deinit {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
    }

    private func archive() throws -> URL {
        try CLI.temporaryArchive(self, files: ["postmortems/2025-03-04-checkout-latency.md": CLI.postmortem(title: "Checkout latency after a deploy")])
    }

    private func get(_ url: URL) throws -> (Int, String) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String) = (0, "")
        URLSession.shared.dataTask(with: URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: 30)) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    func testServesOnAFreePortAndStopsCleanlyOnSigint() throws {
        let folder = try archive()
        let server = try Server(arguments: ["--port", "0"], in: folder)
        let url = try XCTUnwrap(server.url(), "no URL printed; stderr: \(server.stderr)")
        XCTAssertEqual(url.host, "127.0.0.1")
        XCTAssertNotEqual(url.port, 0)
        let (status, body) = try get(url.appendingPathComponent("postmortems/2025-03-04-checkout-latency.html"))
        XCTAssertEqual(status, 200)
        XCTAssertTrue(body.contains("Checkout latency after a deploy"))
        XCTAssertEqual(try get(url.appendingPathComponent("missing.html")).0, 404)

        kill(server.process.processIdentifier, SIGINT)
        XCTAssertEqual(server.wait(), 0, server.stderr)
        XCTAssertTrue(server.stderr.contains("inquest serve: stopping"), server.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("_site").path), "serve wrote a site")
    }

    func testATakenPortExitsWithStatus2() throws {
        let folder = try archive()
        let first = try Server(arguments: ["--port", "0"], in: folder)
        let url = try XCTUnwrap(first.url(), first.stderr)
        let port = try XCTUnwrap(url.port)
        let second = try Server(arguments: ["--port", String(port)], in: folder)
        XCTAssertEqual(second.wait(), 2)
        XCTAssertTrue(second.stderr.contains("inquest: error: port \(port) on 127.0.0.1 is already in use"), second.stderr)
        XCTAssertEqual(second.stdout, "")
        // The first server is still serving; how it stops on Ctrl-C is the test above's (a clean
        // stop waits out the server's one-second grace period, which this test does not need).
        XCTAssertTrue(first.process.isRunning, first.stderr)
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
    }

    func testAPortOutOfRangeIsAUsageError() throws {
        let run = CLI.run(["serve", "--port", "70000"], in: try archive())
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--port must be between 0 and 65535"), run.stderr)
    }

    func testOutsideAnArchiveItIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-serve-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Through `inquest serve` → `inquest-serve`: the server program's errors keep the command's form.
        let server = try Server(arguments: ["--port", "0"], in: folder)
        XCTAssertEqual(server.wait(), 2)
        XCTAssertTrue(server.stderr.hasPrefix("inquest: error: no postmortems folder"), server.stderr)
        XCTAssertEqual(server.stdout, "")
    }

    func testWithoutTheServerProgramBesideItServeSaysWhereItLooked() throws {
        let folder = try archive()
        let lone = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-lone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: lone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: lone) }
        let copy = lone.appendingPathComponent("inquest")
        try FileManager.default.copyItem(at: CLITests.binary, to: copy)
        let process = Process()
        process.executableURL = copy
        process.arguments = ["serve", "--port", "0"]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2)
        XCTAssertEqual(stderr, "inquest: error: inquest serve needs the inquest-serve program beside inquest, at "
                       + lone.resolvingSymlinksInPath().appendingPathComponent("inquest-serve").path + " (make install installs both)\n")
    }

    func testInProcessWithoutTheServerLinkedItIsAnErrorNotAnExec() {
        // A test's context never replaces the test process with another program.
        let run = CLI.run(["serve", "--port", "0"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "inquest: error: the preview server is not part of this program (run inquest serve)\n")
    }

    func testHelpAndCompletionsComeFromTheCommandDefinition() {
        let help = CLI.run(["serve", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--port <port>"), help.stdout)
        for shell in ["bash", "zsh", "fish"] {
            let run = CLI.run(["--generate-completion-script", shell])
            XCTAssertTrue(run.stdout.contains("serve") && run.stdout.contains("port"), shell)
        }
    }
}

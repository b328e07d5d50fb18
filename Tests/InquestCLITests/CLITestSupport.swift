import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

/// Runs `inquest` commands in-process through ``InquestCLI/run(_:context:)``, capturing output.
enum CLI {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `arguments` from `directory` with `environment` (NO_COLOR set unless given) and `stdin`.
    static func run(_ arguments: [String], in directory: URL = Repository.root, environment: [String: String] = [:],
                    stdin: String = "", isTerminal: Bool = false) -> Run {
        let box = OutputBox()
        var env = ["NO_COLOR": "1"]
        for (key, value) in environment { env[key] = value }
        if environment["NO_COLOR"] == "<unset>" { env["NO_COLOR"] = nil }
        let context = CLIContext(currentDirectory: directory, environment: env, isTerminal: isTerminal,
                                 stdin: { Data(stdin.utf8) },
                                 stdout: { box.out += $0 }, stderr: { box.err += $0 })
        let status = InquestCLI.run(arguments, context: context)
        return Run(status: status, stdout: box.out, stderr: box.err)
    }

    /// A fresh folder with an empty `inquest.yml` and a `postmortems/` folder, removed after the test.
    static func temporaryArchive(_ test: XCTestCase, files: [String: String] = [:]) throws -> URL {
        let url = ScratchSpace.url.appendingPathComponent("inquest-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("postmortems"), withIntermediateDirectories: true)
        try "".write(to: url.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        for (path, contents) in files { try write(contents, to: path, in: url) }
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func write(_ contents: String, to path: String, in root: URL) throws {
        let file = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    static func read(_ path: String, in root: URL) throws -> String {
        try String(decoding: Data(contentsOf: root.appendingPathComponent(path)), as: UTF8.self)
    }

    /// Runs the real `git` in `directory` with a fixed identity and no user or system config
    /// (for the end-to-end tests that stage and commit around a command); throws on a non-zero exit.
    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        let output = try Subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main",
                                         "-c", "commit.gpgsign=false"] + arguments, in: directory, environment: env)
        return output.isEmpty ? output : output + "\n"
    }

    /// A valid postmortem with `id`-derived title, for archives built in tests.
    static func postmortem(title: String = "Checkout latency", date: String = "2025-03-04", extra: String = "", body: String? = nil) -> String {
        """
        ---
        title: \(title)
        date: \(date)
        status: final
        severity: SEV2
        authors: [Test Author]
        services: [checkout]
        started: "\(date)T10:00:00Z"
        detected: "\(date)T10:05:00Z"
        mitigated: "\(date)T10:40:00Z"
        resolved: "\(date)T10:45:00Z"
        \(extra)---

        """ + (body ?? defaultBody)
    }

    static let defaultBody = """
    ## Summary

    Checkout requests slowed down for forty minutes after a configuration change reduced the connection pool.

    ## Impact

    About 3% of checkout requests took longer than five seconds.

    ## Timeline

    All times in UTC.

    - 10:00 — A configuration change reduced the pool size.
    - 10:40 — The change was reverted and latency recovered.

    ## Root Causes

    The pool size had no lower bound in the configuration schema.

    ## Resolution

    The change was reverted.

    ## Action Items

    - [ ] Add a lower bound to the pool size setting — @platform, PLAT-12, due: 2025-04-01

    ## Lessons Learned

    Configuration limits need validation before rollout.

    """
}

/// Collects output written by a command run in-process.
final class OutputBox: @unchecked Sendable {
    var out = ""
    var err = ""
}

import Foundation
import InquestTestSupport

/// Running the real `git` (and shell lines), for the end-to-end tests that need git itself: hooks
/// run by `git commit`, the CI commands the docs give. Everything else builds repositories
/// in-process with `GitTestRepository`. Only this test target starts processes.
struct ProcessError: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    let output: String
    var description: String { "\(command) exited \(status): \(output)" }
}

enum Subprocess {
    /// Runs a command line (`["git", …]`, `["/bin/sh", "-c", …]`) through `/usr/bin/env`, throwing on a
    /// non-zero exit; returns standard output without the final newline.
    @discardableResult
    static func run(_ command: [String], in folder: URL, environment: [String: String]) throws -> String {
        let result = try execute(command, in: folder, environment: environment)
        guard result.status == 0 else {
            throw ProcessError(command: command.joined(separator: " "), status: result.status, output: result.output + result.error)
        }
        return result.output.hasSuffix("\n") ? String(result.output.dropLast()) : result.output
    }

    /// Runs a command line and returns its exit status and outputs.
    static func execute(_ command: [String], in folder: URL, environment: [String: String], stdin: Data? = nil) throws
        -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = folder
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes before waiting, on separate threads, so a full pipe cannot block the child.
        let errorData = PipeReader(error.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Drains a pipe on a background thread.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

extension GitTestRepository {
    /// The clean environment for a `git` process: own HOME, no system config, `person` as author
    /// and committer at the repository's next scripted time.
    func environment(for person: GitPerson) -> [String: String] {
        let minutes = offsetMinutes
        let date = "\(nextTime) \(minutes < 0 ? "-" : "+")\(String(format: "%02d%02d", abs(minutes) / 60, abs(minutes) % 60))"
        return [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": person.email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": person.name, "GIT_COMMITTER_EMAIL": person.email, "GIT_COMMITTER_DATE": date,
        ]
    }

    /// Runs the real `git` in the repository (or `folder`); returns standard output without the final newline.
    @discardableResult
    func git(_ arguments: [String], as person: GitPerson = .priya, in folder: URL? = nil,
             environment: [String: String] = [:]) throws -> String {
        try Subprocess.run(["git"] + arguments, in: folder ?? url, environment: self.environment(for: person).merging(environment) { $1 })
    }

    @discardableResult
    func git(_ arguments: String..., as person: GitPerson = .priya) throws -> String {
        try git(arguments, as: person)
    }
}

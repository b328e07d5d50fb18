import ArgumentParser
import Foundation
import InquestCore

/// `inquest hook install|uninstall`: the git pre-commit hook that runs `inquest lint --staged`.
struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install or remove the git pre-commit hook that runs 'inquest lint --staged'.",
        subcommands: [Install.self, Uninstall.self]
    )

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the pre-commit hook (in core.hooksPath when set).",
            discussion: "Refuses to replace a pre-commit hook that inquest did not write unless --force is given; the replaced hook is kept as pre-commit.inquest-backup and restored by 'inquest hook uninstall'."
        )

        @Flag(help: "Replace an existing pre-commit hook that inquest did not write.")
        var force = false

        func run() throws {
            do {
                let result = try GitHooks.install(from: currentDirectory, force: force, executable: currentExecutable())
                if let backup = result.backup { writeOut("moved the previous hook to \(backup)\n") }
                writeOut("\(result.updated ? "updated" : "installed") \(result.path)\n")
            } catch {
                printError("inquest: error: \(error.message)")
                throw ExitStatus.failure
            }
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the pre-commit hook written by 'inquest hook install'.")

        func run() throws {
            do {
                switch try GitHooks.uninstall(from: currentDirectory) {
                case .removed(let path, let restored):
                    writeOut("removed \(path)\(restored ? " and restored the hook it had replaced" : "")\n")
                case .notInstalled(let path):
                    writeOut("no pre-commit hook at \(path)\n")
                }
            } catch {
                printError("inquest: error: \(error.message)")
                throw ExitStatus.failure
            }
        }
    }
}

/// The absolute path of the running `inquest`, so the hook still finds it when it is not on PATH.
private func currentExecutable() -> String? {
    let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    if path != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: path) { return path }
    guard let argument = CommandLine.arguments.first, argument.contains("/") else { return nil }
    let url = argument.hasPrefix("/") ? URL(fileURLWithPath: argument) : currentDirectory.appendingPathComponent(argument)
    return FileManager.default.isExecutableFile(atPath: url.path) ? url.standardizedFileURL.path : nil
}

import ArgumentParser
import Foundation
import InquestCore

/// `inquest hook install|uninstall`: the git pre-commit hook that runs `inquest lint --staged`.
struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Install or remove the git pre-commit hook that runs 'inquest lint --staged'.",
        subcommands: [Install.self, Uninstall.self]
    )

    struct Install: InquestCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Write the pre-commit hook (in core.hooksPath when set).",
            discussion: "Refuses to replace a pre-commit hook that inquest did not write unless --force is given; the replaced hook is kept as pre-commit.inquest-backup and restored by 'inquest hook uninstall'."
        )

        @Flag(help: "Replace an existing pre-commit hook that inquest did not write.")
        var force = false

        func run(in context: CLIContext) throws(CLIError) {
            let result = try CLIError.exitingOnFailure {
                try GitHooks.install(from: context.currentDirectory, force: force, executable: currentExecutable(context))
            }
            if let backup = result.backup { context.out("moved the previous hook to \(backup)\n") }
            context.out("\(result.updated ? "updated" : "installed") \(result.path)\n")
        }
    }

    struct Uninstall: InquestCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove the pre-commit hook written by 'inquest hook install'.")

        func run(in context: CLIContext) throws(CLIError) {
            switch try CLIError.exitingOnFailure({ try GitHooks.uninstall(from: context.currentDirectory) }) {
            case .removed(let path, let restored):
                context.out("removed \(path)\(restored ? " and restored the hook it had replaced" : "")\n")
            case .notInstalled(let path):
                context.out("no pre-commit hook at \(path)\n")
            }
        }
    }
}

/// The absolute path of the running `inquest`, so the hook still finds it when it is not on PATH.
private func currentExecutable(_ context: CLIContext) -> String? {
    let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    if path != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: path) { return path }
    guard let argument = CommandLine.arguments.first, argument.contains("/") else { return nil }
    let url = URL(fileURLWithPath: context.absolutePath(argument))
    return FileManager.default.isExecutableFile(atPath: url.path) ? url.standardizedFileURL.path : nil
}

import ArgumentParser
import InquestCore

/// The `inquest` command: argument parsing and printing only; the work happens in InquestCore.
struct Inquest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inquest",
        abstract: "Lint, index and publish blameless incident postmortems kept in git.",
        version: InquestVersion.current,
        subcommands: [Lint.self, Rules.self, Explain.self, Causes.self, Report.self, New.self, Init.self, Hook.self, Build.self, Publish.self, Export.self, Adopt.self]
    )
}

/// Exit codes: 0 clean (warnings allowed), 1 lint errors, 2 usage, configuration or I/O errors.
enum ExitStatus {
    static let lintErrors = ExitCode(1)
    static let failure = ExitCode(2)

    /// Prints a usage message and exits with 2.
    static func usage(_ message: String) -> ExitCode {
        printError(message)
        return failure
    }
}

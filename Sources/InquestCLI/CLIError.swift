import Foundation
import InquestCore

/// The one way a command stops early: a message for standard error (already formatted, or a plain
/// `inquest: error: …` line) and an exit code. ``InquestCLI/run(_:context:)`` prints it and turns it
/// into the process's exit status, so no command prints-and-exits by itself.
///
/// Exit codes: 0 clean (warnings allowed), 1 lint errors, 2 usage, configuration or I/O errors.
public struct CLIError: Error, Sendable, Equatable {
    /// What to print on standard error; nil prints nothing (the command has said what it had to).
    public var message: String?
    public var code: Int32

    public init(message: String?, code: Int32) {
        self.message = message
        self.code = code
    }

    /// `inquest: error: MESSAGE`, exit 2.
    public static func failure(_ message: String) -> CLIError {
        CLIError(message: "inquest: error: \(message)", code: 2)
    }

    /// Exit 1 for lint findings, with an optional explanation (e.g. why `--quiet --strict` failed).
    public static func lintFailed(_ message: String? = nil) -> CLIError {
        CLIError(message: message, code: 1)
    }

    /// Any error as exit 2: configuration errors print their located description, everything else
    /// `inquest: error: …`.
    public init(_ error: any Error) {
        switch error {
        case let error as CLIError: self = error
        case let error as ConfigurationError: self.init(message: error.description, code: 2)
        case let error as SourceError: self = .failure(error.message)
        default: self = .failure("\(error)")
        }
    }

    /// Runs `body`, turning whatever it throws into a ``CLIError``.
    static func exitingOnFailure<T>(_ body: () throws -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError(error)
        }
    }
}

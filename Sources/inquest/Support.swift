import Foundation
import InquestCore

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

/// Writes to standard output without Swift's print buffering surprises on large outputs.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

var currentDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

/// Colour only on a terminal and when NO_COLOR is unset (https://no-color.org).
func shouldColor(disabled: Bool) -> Bool {
    !disabled && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}

/// Opens the workspace, turning configuration problems into exit code 2 with a located message.
func openWorkspace(config: String?) throws -> Workspace {
    do {
        return try Workspace.open(at: currentDirectory, configFile: config)
    } catch let error as ConfigurationError {
        printError(error.description)
        throw ExitStatus.failure
    } catch let error as SourceError {
        printError("inquest: error: \(error.message)")
        throw ExitStatus.failure
    }
}

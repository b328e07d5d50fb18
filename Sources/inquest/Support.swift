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
/// - Parameter path: a path given on the command line; the workspace is searched from there.
func openWorkspace(config: String?, near path: String? = nil) throws -> Workspace {
    var start = currentDirectory
    if let path {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : currentDirectory.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            start = isDirectory.boolValue ? url : url.deletingLastPathComponent()
        }
    }
    do {
        return try Workspace.open(at: start, configFile: config.map { $0.hasPrefix("/") ? $0 : currentDirectory.appendingPathComponent($0).path })
    } catch let error as ConfigurationError {
        printError(error.description)
        throw ExitStatus.failure
    } catch let error as SourceError {
        printError("inquest: error: \(error.message)")
        throw ExitStatus.failure
    }
}

/// The workspace root relative to the current directory, with a trailing slash ("" when they are the same
/// or the root is not below the current directory).
func displayPrefix(for root: URL) -> String {
    guard let relative = Workspace.relativePath(of: root, to: currentDirectory), !relative.isEmpty else { return "" }
    return relative + "/"
}

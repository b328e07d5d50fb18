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
    let start = searchStart(near: path)
    return try exitingOnOpenFailure { try Workspace.open(at: start, configFile: config.map(absolutePath)) }
}

/// Opens the archive at `selection` (working tree, `--rev`, `--staged`) like ``openWorkspace(config:near:)``:
/// outside a repository, unknown revisions and configuration problems exit with code 2 and a clear message.
func openReader(config: String?, near path: String? = nil, selection: DocumentSourceSelection) throws -> ArchiveReader {
    let start = searchStart(near: path)
    // In a pre-commit hook of `git commit -a` or `git commit <paths>`, git stages into a temporary
    // index named here (relative to the current directory, as git means it).
    let indexFile = ProcessInfo.processInfo.environment["GIT_INDEX_FILE"].flatMap { $0.isEmpty ? nil : $0 }.map(absolutePath)
    return try exitingOnOpenFailure {
        try ArchiveReader.open(at: start, configFile: config.map(absolutePath), selection: selection,
                               indexFile: selection == .index ? indexFile : nil)
    }
}

/// A command-line path made absolute against the current directory.
private func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : currentDirectory.appendingPathComponent(path).path
}

/// Runs `open`, printing configuration and source problems and exiting with code 2 on them.
private func exitingOnOpenFailure<T>(_ open: () throws -> T) throws -> T {
    do {
        return try open()
    } catch let error as ConfigurationError {
        printError(error.description)
        throw ExitStatus.failure
    } catch let error as SourceError {
        printError("inquest: error: \(error.message)")
        throw ExitStatus.failure
    } catch {
        printError("inquest: error: \(error)")
        throw ExitStatus.failure
    }
}

/// Where the workspace search starts: the folder of a path given on the command line when it
/// exists, else the current directory.
private func searchStart(near path: String?) -> URL {
    guard let path else { return currentDirectory }
    let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : currentDirectory.appendingPathComponent(path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return currentDirectory }
    return isDirectory.boolValue ? url : url.deletingLastPathComponent()
}

/// The workspace root relative to the current directory, with a trailing slash ("" when they are the same
/// or the root is not below the current directory).
func displayPrefix(for root: URL) -> String {
    // Paths print relative to where the user stands, so they can be opened from there
    // ("../postmortems/x.md" from inside a subfolder).
    let from = currentDirectory.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    let to = root.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
    let parts = Array(repeating: "..", count: from.count - common) + to[common...]
    return parts.isEmpty ? "" : parts.joined(separator: "/") + "/"
}

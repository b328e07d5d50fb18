import Foundation
import InquestCore

/// Everything a command reads from or writes to the outside world: the current folder, the
/// environment, standard input/output/error and whether stdout is a terminal. The executable uses
/// ``process``; tests run commands in-process with a context whose output is captured.
public final class CLIContext: @unchecked Sendable {
    public let currentDirectory: URL
    public let environment: [String: String]
    /// True when standard output is a terminal (for `--color auto`).
    public let isTerminal: Bool
    private let readInput: () -> Data
    private let writeOutput: (String) -> Void
    private let writeError: (String) -> Void
    /// Where `inquest serve` finds the preview server.
    public let preview: PreviewServerLocation

    public init(currentDirectory: URL, environment: [String: String], isTerminal: Bool = false,
                stdin: @escaping () -> Data = { Data() },
                stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void,
                preview: PreviewServerLocation = .unavailable) {
        self.currentDirectory = currentDirectory
        self.environment = environment
        self.isTerminal = isTerminal
        readInput = stdin
        writeOutput = stdout
        writeError = stderr
        self.preview = preview
    }

    /// The real process: its folder, environment and file descriptors. `inquest serve` runs the
    /// `inquest-serve` program installed beside this one.
    public static var process: CLIContext { process(preview: .besideThisProgram) }

    /// The real process, with the preview server where `preview` says.
    public static func process(preview: PreviewServerLocation) -> CLIContext {
        CLIContext(currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                   environment: ProcessInfo.processInfo.environment,
                   isTerminal: isatty(STDOUT_FILENO) == 1,
                   stdin: { FileHandle.standardInput.readDataToEndOfFile() },
                   stdout: { FileHandle.standardOutput.write(Data($0.utf8)) },
                   stderr: { FileHandle.standardError.write(Data($0.utf8)) },
                   preview: preview)
    }

    /// Writes to standard output (no buffering surprises on large outputs).
    public func out(_ text: String) { writeOutput(text) }

    /// Writes a line to standard error.
    public func err(_ message: String) { writeError(message.hasSuffix("\n") ? message : message + "\n") }

    /// All of standard input.
    public func stdin() -> Data { readInput() }

    /// A command-line path made absolute against the current directory.
    public func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : currentDirectory.appendingPathComponent(path).path
    }

    /// A command-line path as a file URL.
    public func url(_ path: String) -> URL { URL(fileURLWithPath: absolutePath(path)).standardizedFileURL }

    /// Opens the workspace, turning configuration problems into exit code 2 with a located message.
    /// - Parameter path: a path given on the command line; the workspace is searched from there.
    func openWorkspace(config: String?, near path: String? = nil) throws(CLIError) -> Workspace {
        let start = searchStart(near: path)
        return try CLIError.exitingOnFailure { try Workspace.open(at: start, configFile: config.map(absolutePath)) }
    }

    /// Opens the archive at `selection` (working tree, `--rev`, `--staged`) like ``openWorkspace(config:near:)``:
    /// outside a repository, unknown revisions and configuration problems exit with code 2 and a clear message.
    func openReader(config: String?, near path: String? = nil, selection: DocumentSourceSelection) throws(CLIError) -> ArchiveReader {
        let start = searchStart(near: path)
        // In a pre-commit hook of `git commit -a` or `git commit <paths>`, git stages into a temporary
        // index named here (relative to the current directory, as git means it).
        let indexFile = environment["GIT_INDEX_FILE"].flatMap { $0.isEmpty ? nil : $0 }.map(absolutePath)
        return try CLIError.exitingOnFailure {
            try ArchiveReader.open(at: start, configFile: config.map(absolutePath), selection: selection,
                                   indexFile: selection == .index ? indexFile : nil)
        }
    }

    /// Where the workspace search starts: the folder of a path given on the command line when it
    /// exists, else the current directory.
    private func searchStart(near path: String?) -> URL {
        guard let path else { return currentDirectory }
        let url = URL(fileURLWithPath: absolutePath(path))
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
}

extension CLIContext {
    /// Whether `INQUEST_NO_CACHE` turns the caches off: any value but empty, `0` or `false`.
    var cachesTurnedOff: Bool {
        environment["INQUEST_NO_CACHE"].map { !["", "0", "false"].contains($0.lowercased()) } ?? false
    }
}

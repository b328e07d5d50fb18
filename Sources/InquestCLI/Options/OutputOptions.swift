import ArgumentParser
import Foundation
import InquestCore

/// When to colour text output.
enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Where a report goes (`--output FILE`) and whether it is coloured (`--color`, `--no-color`,
/// `FORCE_COLOR`, `NO_COLOR`).
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to this file (atomically: on an error no file, or the previous one, is left) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Colour: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never.", valueName: "when"))
    var color: ColorMode = .auto

    @Flag(name: .customLong("no-color"), help: "Same as --color never.")
    var noColor = false

    /// Explicit flags first, then `FORCE_COLOR` (set and not `0`/`false`), then `NO_COLOR` (set and
    /// non-empty, as https://no-color.org says), then whether standard output is a terminal. A
    /// report written to a file is not coloured unless asked for.
    func color(_ context: CLIContext) -> Bool {
        if noColor { return false }
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let force = context.environment["FORCE_COLOR"], !force.isEmpty {
                return !["0", "false"].contains(force.lowercased())
            }
            if let noColor = context.environment["NO_COLOR"], !noColor.isEmpty { return false }
            return output == nil && context.isTerminal
        }
    }

    /// Writes `text` to `--output` atomically, or to standard output.
    func write(_ text: String, context: CLIContext) throws(CLIError) {
        guard let output else { return context.out(text) }
        try AtomicFile.write(Array(text.utf8), to: context.url(output))
    }
}

/// Replaces a file in one step: written beside it under a temporary name, then renamed over it,
/// so readers (and `upload-sarif`) see the old file or the new one, never a partial or empty one.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to url: URL) throws(CLIError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).inquest-\(UUID().uuidString).tmp")
        do {
            try Data(bytes).write(to: temporary, options: .withoutOverwriting)
            // Keep the permissions of the file being replaced.
            if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
               let permissions = attributes[.posixPermissions] {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw CLIError.failure("cannot write \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch let error as CLIError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .failure("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}

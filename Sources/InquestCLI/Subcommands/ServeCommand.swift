import ArgumentParser
import Foundation
import InquestCore

/// `inquest serve`: the site of the working tree on 127.0.0.1, rebuilt as files are saved.
///
/// The server itself lives in the `inquest-serve` program (InquestServe): its HTTP stack pulls in
/// libcurl and some twenty libraries more, which `inquest` would otherwise load on every start
/// (about 5 ms of a 15 ms `inquest --version`). This command parses and checks the options, then
/// `inquest` replaces itself with `inquest-serve` (same process id, streams and signals);
/// `inquest-serve` runs this same command with the server in hand (``PreviewServerLocation``).
struct Serve: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the archive site locally, updated as you save.",
        discussion: """
            Serves the site of the working tree on 127.0.0.1 only, from memory: pages are rendered when \
            requested and nothing is written (not into _site/ either). When a postmortem, the cause \
            catalogue, inquest.yml or a file under site/ is saved, only what changed is parsed again and \
            open pages reload themselves. Each postmortem page shows its lint findings (line:column, \
            message, rule) in a panel that exists only in the preview. Prints the URL on standard output; \
            Ctrl-C stops. The server is the inquest-serve program, installed beside inquest.
            Exit status: 0 stopped, 2 usage, configuration or theme error, or the port is taken.
            """
    )

    @Option(help: ArgumentHelp("Port on 127.0.0.1; 0 picks a free one.", valueName: "port"))
    var port: Int = 8000

    @Option(help: "Configuration file (default: inquest.yml at the repository root).")
    var config: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, found \(port)") }
    }

    func run(in context: CLIContext) throws(CLIError) {
        switch context.preview {
        case .linked(let run):
            try CLIError.exitingOnFailure {
                try run(UInt16(port), config.map(context.absolutePath), context)
            }
        case .besideThisProgram:
            var arguments = ["--port", String(port)]
            if let config { arguments += ["--config", context.absolutePath(config)] }
            throw PreviewServerLocation.execute(arguments: arguments)
        case .unavailable:
            throw .failure("the preview server is not part of this program (run inquest serve)")
        }
    }
}

/// Where `inquest serve` finds its server (``Serve``).
public enum PreviewServerLocation: Sendable {
    /// Linked into this program: runs it with the port, the absolute configuration path and the
    /// context (what `inquest-serve` passes).
    case linked(@Sendable (_ port: UInt16, _ configFile: String?, _ context: CLIContext) throws -> Void)
    /// The `inquest-serve` program in this program's folder (`inquest` itself).
    case besideThisProgram
    /// Nowhere: in-process tests that did not link it.
    case unavailable

    /// The program beside the running one (symbolic links to it resolved, as `make install` or a
    /// package manager may link `inquest` into a `bin/` folder).
    static var program: URL {
        let running = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
        return running.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("inquest-serve")
    }

    /// Replaces this process with `inquest-serve ARGUMENTS`; returns only the error when that fails.
    static func execute(arguments: [String]) -> CLIError {
        let path = program.path
        guard access(path, X_OK) == 0 else {
            return .failure("inquest serve needs the inquest-serve program beside inquest, at \(path) (make install installs both)")
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        for pointer in argv { free(pointer) }
        return .failure("cannot start \(path): \(reason)")
    }
}

import ArgumentParser
import Foundation
import InquestCore
import InquestServe

/// `inquest serve`: the site of the working tree on 127.0.0.1, rebuilt as files are saved.
struct Serve: InquestCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the archive site locally, updated as you save.",
        discussion: """
            Serves the site of the working tree on 127.0.0.1 only, from memory: pages are rendered when \
            requested and nothing is written (not into _site/ either). When a postmortem, the cause \
            catalogue, inquest.yml or a file under site/ is saved, only what changed is parsed again and \
            open pages reload themselves. Each postmortem page shows its lint findings (line:column, \
            message, rule) in a panel that exists only in the preview. Prints the URL on standard output; \
            Ctrl-C stops.
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
        let session = try CLIError.exitingOnFailure {
            try PreviewSession(directory: context.currentDirectory, configFile: config.map(context.absolutePath), environment: context.environment)
        }
        for warning in session.warnings { context.err("inquest: warning: \(warning)") }
        let server = PreviewServer(session: session, port: UInt16(port), log: { context.err("inquest serve: \($0)") })

        // Signals are taken before the server starts, so a Ctrl-C at any moment stops it cleanly.
        let stop = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "inquest-serve-signals")
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        defer {
            for source in signals { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }

        let started = Blocking { () async throws(PreviewServer.StartError) -> UInt16 in try await server.start() }
        let bound: UInt16
        switch started.result! {
        case .success(let port): bound = port
        case .failure(let error): throw .failure(error.description)
        }
        context.err("inquest serve: \(session.root.path) on http://127.0.0.1:\(bound)/ (Ctrl-C to stop)")
        context.out("http://127.0.0.1:\(bound)/\n")
        stop.wait()
        context.err("inquest serve: stopping")
        // A short grace for a request being answered: FlyingFox waits out the whole timeout even
        // when no connection is open, and a local preview should exit when asked (an open page's
        // long poll just ends).
        _ = Blocking { () async throws(PreviewServer.StartError) -> Void in await server.stop(timeout: 0.2) }
    }
}

/// Runs async work to completion from a synchronous command (the server's own tasks run on the
/// concurrency pool, never on this thread).
private final class Blocking<Value: Sendable>: @unchecked Sendable {
    private(set) var result: Result<Value, PreviewServer.StartError>!

    init(_ body: @escaping @Sendable () async throws(PreviewServer.StartError) -> Value) {
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(PreviewServer.StartError) {
                self.result = .success(try await body())
            } catch {
                self.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
    }
}

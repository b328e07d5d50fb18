import Foundation

/// What `inquest serve` runs once its options are parsed: the preview of the working tree until
/// SIGINT or SIGTERM. The `inquest-serve` program hands it to the command line; `inquest` itself
/// does not link this module (its HTTP stack loads libcurl and some twenty other libraries, which
/// every `inquest lint` would pay for at start).
public enum PreviewCommand {
    /// Serves `directory`'s archive on 127.0.0.1:`port` (0 picks a free port) until a signal.
    /// - Parameters:
    ///   - out: standard output (the URL, one line).
    ///   - err: standard error (progress, warnings).
    /// - Throws: what ``PreviewSession/init(directory:configFile:environment:)`` throws for a bad
    ///   workspace or theme, and ``PreviewServer/StartError`` when the port cannot be taken.
    public static func run(port: UInt16, configFile: String?, directory: URL, environment: [String: String],
                           out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) throws {
        let session = try PreviewSession(directory: directory, configFile: configFile, environment: environment)
        for warning in session.warnings { err("inquest: warning: \(warning)") }
        let server = PreviewServer(session: session, port: port, log: { err("inquest serve: \($0)") })

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

        let bound = try Blocking { () async throws(PreviewServer.StartError) -> UInt16 in try await server.start() }.result.get()
        err("inquest serve: \(session.root.path) on http://127.0.0.1:\(bound)/ (Ctrl-C to stop)")
        out("http://127.0.0.1:\(bound)/\n")
        stop.wait()
        err("inquest serve: stopping")
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

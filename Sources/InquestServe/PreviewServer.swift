import FlyingFox
import FlyingSocks
import Foundation
import InquestCore
import InquestSite

/// `inquest serve`: an HTTP server on 127.0.0.1 that answers every request from memory — pages
/// rendered on demand from the current ``PreviewSession`` snapshot, the theme's assets, and the
/// preview's own script and stylesheet — while a watcher thread picks up saved files. Nothing is
/// read from disk to answer a request (a path is only ever a key into the site's page list), and
/// nothing is written anywhere.
public final class PreviewServer: @unchecked Sendable {
    public let session: PreviewSession
    private let requestedPort: UInt16
    private let interval: TimeInterval
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var server: HTTPServer?
    private var serverTask: Task<Void, any Error>?
    private var watcher: Thread?
    /// Wakes the watcher early: on a change in a watched folder, and when stopping.
    private var signal: ChangeSignal?
    private var stopping = false
    /// How long the watcher waits after being told of a change before it looks (the rest of a
    /// save that writes a file in several steps).
    static let settle: TimeInterval = 0.005

    /// How long a `/_inquest/changes` request waits for a change before answering "no change"
    /// (below FlyingFox's request timeout, so the answer always gets out).
    static let longPollSeconds: Double = 10

    /// - Parameters:
    ///   - port: 0 picks a free port (``start()`` returns it).
    ///   - interval: seconds between two looks at the watched files (on Linux a change in a
    ///     watched folder is looked at at once, ``ChangeSignal``).
    ///   - log: one line per rebuild, for the terminal.
    public init(session: PreviewSession, port: UInt16, interval: TimeInterval = 0.1, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.session = session
        requestedPort = port
        self.interval = interval
        self.log = log
    }

    /// A port that cannot be bound (taken, or privileged) or another socket error.
    public struct StartError: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// True when another process listens on the port.
        public var addressInUse: Bool
    }

    /// Binds 127.0.0.1 (never another interface), starts serving and watching, and returns the
    /// port actually bound.
    public func start() async throws(StartError) -> UInt16 {
        let address: sockaddr_in
        do {
            address = try .inet(ip4: "127.0.0.1", port: requestedPort)
        } catch {
            throw StartError(description: "cannot make the address 127.0.0.1:\(requestedPort): \(error)", addressInUse: false)
        }
        // Long polls stay open up to longPollSeconds; FlyingFox answers 500 to a handler slower
        // than its timeout.
        let server = HTTPServer(address: address, timeout: Self.longPollSeconds + 20, pool: NoDelaySocketPool(), logger: .disabled, handler: Handler(owner: self))
        let failure = FailureBox()
        let task = Task {
            do { try await server.run() } catch { failure.set(error); throw error }
        }
        lock.withLock {
            self.server = server
            serverTask = task
        }
        // `run()` throws when the port cannot be bound; until then, wait for it to listen.
        while await !server.isListening {
            if let error = failure.get() {
                throw StartError(description: Self.describe(error, port: requestedPort), addressInUse: Self.isAddressInUse(error))
            }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        guard case .ip4(_, let port)? = await server.listeningAddress else {
            await server.stop()
            throw StartError(description: "the server did not report its address", addressInUse: false)
        }
        startWatching()
        return port
    }

    /// Stops the watcher and the server (open long polls end); returns when both have.
    /// - Parameter timeout: how long open connections (a browser's keep-alive, a pending long
    ///   poll) get to finish before they are closed.
    public func stop(timeout: TimeInterval = 1) async {
        let (server, task) = lock.withLock { () -> (HTTPServer?, Task<Void, any Error>?) in
            stopping = true
            signal?.wake()
            return (self.server, serverTask)
        }
        await server?.stop(timeout: timeout)
        _ = await task?.result
        while lock.withLock({ watcher != nil }) { try? await Task.sleep(nanoseconds: 5_000_000) }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func startWatching() {
        // Where the system can say so, a change in a watched folder ends the wait at once.
        let signal = ChangeSignal.make()
        lock.withLock { self.signal = signal }
        let thread = Thread { [self] in
            var folders: [String: FileScanner.Interest]?
            // How long a look takes when nothing changed (a scan alone).
            var scanSeconds = 0.0
            while !isStopping {
                let start = DispatchTime.now()
                let changed = session.refresh()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                if changed.isEmpty { scanSeconds = seconds }
                if !changed.isEmpty {
                    let names = changed.prefix(3).joined(separator: ", ") + (changed.count > 3 ? ", …" : "")
                    log("updated \(names) in \(String(format: "%.3f", seconds)) s")
                }
                // Looking costs about 3 ms per 1,000 files: in a very large archive, look less
                // often so that an idle preview stays under 5% of a core.
                let pause = changed.isEmpty ? max(interval, seconds * 20) : interval
                guard let signal else {
                    Thread.sleep(forTimeInterval: pause)
                    continue
                }
                // Folders come and go with the files (a new year's folder, a new theme folder),
                // and a folder can come before its first file: a look between the two finds no
                // changed file, and the folder must be watched all the same, or that file waits
                // for the tick. So the folders are compared after every look (a dozen entries).
                let now = session.watchedFolders()
                if now != folders { signal.watch(now) }
                folders = now
                guard signal.wait(timeout: pause) else { continue }
                // A save can be several writes: a moment for the rest before looking. And files
                // written on and on (a script writing postmortems) must not keep the watcher
                // scanning: at most a third of the time goes to looking.
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                Thread.sleep(forTimeInterval: max(Self.settle, scanSeconds * 3 - elapsed))
            }
            lock.withLock { watcher = nil }
        }
        thread.name = "inquest-serve-watcher"
        lock.withLock { watcher = thread }
        thread.start()
    }

    static func isAddressInUse(_ error: any Error) -> Bool {
        if case SocketError.failed(_, let code, _)? = error as? SocketError { return code == EADDRINUSE }
        return false
    }

    static func describe(_ error: any Error, port: UInt16) -> String {
        if case SocketError.failed(_, let code, _)? = error as? SocketError {
            switch code {
            case EADDRINUSE: return "port \(port) on 127.0.0.1 is already in use (pick another with --port, or --port 0 for any free one)"
            case EACCES: return "port \(port) on 127.0.0.1 needs privileges (pick one above 1023, or --port 0)"
            default: return "cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(code)))"
            }
        }
        return "cannot listen on 127.0.0.1:\(port): \(error.localizedDescription)"
    }

    // MARK: Requests

    /// Answers one request (the server calls it on its own tasks).
    /// - Parameter waitSeconds: how long a `_inquest/changes` request waits for a change.
    func respond(method: String, rawPath: String, query: [String: String], host: String? = nil,
                 waitSeconds: Double = longPollSeconds) async -> PreviewResponse {
        // A page elsewhere can point a name it controls at 127.0.0.1 (DNS rebinding) and read
        // the archive through the browser: only requests addressed to this machine are answered.
        if let host, !Self.isLocal(host: host) {
            return PreviewResponse(status: 400, type: "text/plain; charset=utf-8", body: Array("unexpected Host header\n".utf8))
        }
        guard method == "GET" || method == "HEAD" else {
            return PreviewResponse(status: 405, type: "text/plain; charset=utf-8", body: Array("method not allowed\n".utf8), allow: "GET, HEAD")
        }
        guard let path = RequestPath.resolve(rawPath) else {
            return PreviewResponse(status: 400, type: "text/plain; charset=utf-8", body: Array("bad request path\n".utf8))
        }
        switch path {
        case PreviewMarkup.scriptPath:
            return PreviewResponse(status: 200, type: "text/javascript; charset=utf-8", body: Array(PreviewMarkup.script.utf8))
        case PreviewMarkup.stylePath:
            return PreviewResponse(status: 200, type: "text/css; charset=utf-8", body: Array(PreviewMarkup.style.utf8))
        case PreviewMarkup.changesPath:
            let since = query["since"].flatMap(Int.init) ?? 0
            let version = await waitForChange(since: since, seconds: waitSeconds)
            return PreviewResponse(status: 200, type: "application/json", body: Array("{\"version\":\(version)}\n".utf8))
        default:
            break
        }
        let snapshot = session.snapshot
        if !path.hasPrefix(PreviewMarkup.folder), let bytes = snapshot.renderer.render(path) {
            return PreviewResponse(status: 200, type: RequestPath.contentType(of: path), body: page(bytes, path: path, snapshot: snapshot))
        }
        let missing = snapshot.renderer.render(PageRenderer.notFoundPath).map { page($0, path: PageRenderer.notFoundPath, snapshot: snapshot) }
        return PreviewResponse(status: 404, type: "text/html; charset=utf-8", body: missing ?? Array("not found\n".utf8))
    }

    /// `127.0.0.1`, `localhost` or `[::1]`, with or without a port.
    static func isLocal(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") {
            name = String(name.prefix { $0 != "]" }) + "]"
        } else if let colon = name.firstIndex(of: ":") {
            name = String(name[..<colon])
        }
        return ["127.0.0.1", "localhost", "[::1]"].contains(name)
    }

    private func page(_ bytes: [UInt8], path: String, snapshot: PreviewSnapshot) -> [UInt8] {
        guard path.hasSuffix(".html") else { return bytes }
        let document = snapshot.renderer.documentPath(ofPage: path)
        let diagnostics = document.map { session.diagnostics(forDocument: $0) } ?? []
        return PreviewMarkup.inject(into: bytes, version: snapshot.version, documentPath: document, diagnostics: diagnostics,
                                    problems: snapshot.problems)
    }

    /// The version once it differs from `since`, or the same one after `seconds`.
    /// Checks every 20 ms: simpler than waking waiters, and cheap for the few open pages.
    private func waitForChange(since: Int, seconds: Double) async -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while true {
            let version = session.snapshot.version
            if version != since || isStopping || DispatchTime.now().uptimeNanoseconds >= deadline || Task.isCancelled { return version }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    private struct Handler: HTTPHandler {
        let owner: PreviewServer

        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
            var query: [String: String] = [:]
            for item in request.query { query[item.name] = item.value }
            let response = await owner.respond(method: request.method.rawValue, rawPath: request.target.path(), query: query,
                                               host: request.headers[.host])
            var headers: HTTPHeaders = [.contentType: response.type, .cacheControl: "no-store"]
            headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
            if let allow = response.allow { headers[HTTPHeader("Allow")] = allow }
            let body = request.method == .HEAD ? Data() : Data(response.body)
            return HTTPResponse(statusCode: HTTPStatusCode(response.status, phrase: Self.phrase(response.status)), headers: headers, body: body)
        }

        static func phrase(_ status: Int) -> String {
            switch status {
            case 200: "OK"
            case 400: "Bad Request"
            case 404: "Not Found"
            case 405: "Method Not Allowed"
            default: "Error"
            }
        }
    }
}

/// A response before it becomes FlyingFox's (kept plain for tests).
struct PreviewResponse: Sendable {
    var status: Int
    var type: String
    var body: [UInt8]
    var allow: String? = nil
}

/// Turns a request's path into a site path, refusing anything that could name a file outside
/// the site: `.` or `..` segments (also percent-encoded), backslashes, NUL and control bytes.
enum RequestPath {
    /// `postmortems/x.html` for `/postmortems/x.html`, `index.html` for `/` and `causes/index.html`
    /// for `/causes/`; nil for a path that must be refused (answered 400).
    static func resolve(_ raw: String) -> String? {
        guard raw.hasPrefix("/") else { return nil }
        var segments: [String] = []
        let parts = raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (position, part) in parts.enumerated() {
            guard let decoded = String(part).removingPercentEncoding else { return nil }
            if decoded.isEmpty {
                // Only a trailing slash (a folder's index) may leave a segment empty.
                guard position == parts.count - 1 else { return nil }
                continue
            }
            guard decoded != ".", decoded != "..", !decoded.contains("/"), !decoded.contains("\\"),
                  !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
            segments.append(decoded)
        }
        if segments.isEmpty { return "index.html" }
        if raw.hasSuffix("/") { segments.append("index.html") }
        return segments.joined(separator: "/")
    }

    static func contentType(of path: String) -> String {
        let types = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
                     "json": "application/json", "xml": "application/xml", "xsl": "application/xslt+xml", "svg": "image/svg+xml",
                     "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
                     "ico": "image/x-icon", "woff2": "font/woff2", "woff": "font/woff", "txt": "text/plain; charset=utf-8"]
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return types[ext] ?? "application/octet-stream"
    }
}

/// The error `HTTPServer.run()` ended with, read from the thread that waits for it to listen.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.withLock { self.error = error } }
    func get() -> (any Error)? { lock.withLock { error } }
}

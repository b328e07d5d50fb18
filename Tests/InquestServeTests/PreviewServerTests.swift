import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import InquestCore
import XCTest
@testable import InquestServe
import InquestTestSupport

/// The preview server over real HTTP on loopback: pages from memory, reload on save, the lint
/// panel, refusals, and nothing written to disk.
final class PreviewServerTests: XCTestCase {
    private var folder: URL!
    private var server: PreviewServer!
    private var port: UInt16 = 0

    static let clean = "postmortems/2025-03-04-checkout-latency.md"
    static let other = "postmortems/2025-05-01-search-outage.md"

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-serve-\(UUID().uuidString)")
        try write("site:\n  title: Preview Test Archive\n", to: "inquest.yml")
        try write(ExampleDocument.catalogue, to: "postmortems/causes.yml")
        try write(ExampleDocument.make(), to: Self.clean)
        try write(ExampleDocument.make(fields: ["title": "Search outage after index rebuild", "date": "2025-05-01"]), to: Self.other)
        try write("secret outside the site\n", to: "secret.txt")
        try write("a previous build\n", to: "_site/marker.txt")
        let session = try PreviewSession(directory: folder, environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        server = PreviewServer(session: session, port: 0, interval: 0.02)
        port = try await server.start()
    }

    override func tearDown() async throws {
        // No grace period: URLSession keeps its connections alive, and waiting out the default
        // second for each of them was most of this class's time.
        await server?.stop(timeout: 0)
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: Pages

    func testServesTheIndexAndAPostmortemPageWithThePreviewAdded() async throws {
        let index = try await get("/")
        XCTAssertEqual(index.status, 200)
        XCTAssertTrue(index.type.hasPrefix("text/html"), index.type)
        XCTAssertTrue(index.body.contains("Preview Test Archive"))
        XCTAssertTrue(index.body.contains("Search outage after index rebuild"))
        // The preview's additions, and a policy that lets its script ask this server for changes.
        XCTAssertTrue(index.body.contains("<script src=\"/_inquest/preview.js\" data-inquest-version=\"1\""))
        XCTAssertTrue(index.body.contains("connect-src 'self'"))
        XCTAssertFalse(index.body.contains("connect-src 'none'"))

        let page = try await get("/postmortems/2025-03-04-checkout-latency.html")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("Checkout latency after cache eviction"))
        XCTAssertTrue(page.body.contains("id=\"inquest-preview\""))
        XCTAssertTrue(page.body.contains(Self.clean + ":"), "the panel names the page's document")

        let css = try await get("/assets/site.css")
        XCTAssertEqual(css.status, 200)
        XCTAssertTrue(css.type.hasPrefix("text/css"))
        XCTAssertFalse(css.body.contains("inquest-preview"), "only HTML pages get the preview")
        let script = try await get("/_inquest/preview.js")
        XCTAssertEqual(script.status, 200)
        XCTAssertTrue(script.body.contains("/_inquest/changes?since="))
        let folderIndex = try await get("/causes/")
        XCTAssertEqual(folderIndex.status, 200)
        // The search index is built on first request, then served like any file.
        let manifest = try await get("/search/manifest.js")
        XCTAssertEqual(manifest.status, 200)
        XCTAssertTrue(manifest.type.hasPrefix("text/javascript"))
        XCTAssertFalse(manifest.body.isEmpty)
    }

    func testAnEditIsSignalledAndShownWithoutWritingAnything() async throws {
        let before = try snapshotOfDisk()
        let page = "/postmortems/2025-03-04-checkout-latency.html"
        let first = try await get(page)
        XCTAssertFalse(first.body.contains("Marmalade"))
        // The page's script waits on this request; it must answer once the file is saved.
        let port = self.port
        async let signal = Self.get("/_inquest/changes?since=1", port: port)
        try await Task.sleep(nanoseconds: 100_000_000)
        try write(ExampleDocument.make(sections: ["Summary": "Marmalade jammed the checkout cache for 65 minutes."]), to: Self.clean)
        let changed = try await signal
        XCTAssertEqual(changed.status, 200)
        XCTAssertEqual(changed.body, "{\"version\":2}\n")
        let second = try await get(page)
        XCTAssertTrue(second.body.contains("Marmalade jammed the checkout cache"))
        XCTAssertTrue(second.body.contains("data-inquest-version=\"2\""))
        // Asking again with the current version does not answer "changed".
        let unchanged = await server.respond(method: "GET", rawPath: "/_inquest/changes", query: ["since": "2"], waitSeconds: 0.2)
        XCTAssertEqual(String(decoding: unchanged.body, as: UTF8.self), "{\"version\":2}\n")

        var after = try snapshotOfDisk()
        after[Self.clean] = before[Self.clean]
        XCTAssertEqual(after, before, "serving wrote or removed files")
    }

    /// On Linux the kernel says when a watched folder changes: a save is looked at at once, not
    /// at the next tick. With a one-minute tick, an edit (and a new year's folder) shows in
    /// seconds, and stopping does not wait for the tick either.
    func testASaveIsLookedAtBeforeTheNextTickWhereTheSystemSignalsIt() async throws {
        #if os(Linux)
        let (slow, port) = try await startedWithAOneMinuteTick()
        let started = Date()
        try write(ExampleDocument.make(sections: ["Summary": "Quince jammed the checkout cache for 65 minutes."]), to: Self.clean)
        try await Self.waitUntil(port: port, path: "/postmortems/2025-03-04-checkout-latency.html", contains: "Quince jammed")
        try write(ExampleDocument.make(fields: ["title": "Queue backlog after failover", "date": "2026-06-02"]),
                  to: "postmortems/2026/2026-06-02-queue-backlog.md")
        try await Self.waitUntil(port: port, path: "/postmortems/2026-06-02-queue-backlog.html", contains: "Queue backlog after failover")
        // The folder made after the watch began is watched too.
        try write(ExampleDocument.make(fields: ["title": "Queue backlog, second", "date": "2026-06-03"]),
                  to: "postmortems/2026/2026-06-03-queue-backlog.md")
        try await Self.waitUntil(port: port, path: "/postmortems/2026-06-03-queue-backlog.html", contains: "Queue backlog, second")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "three saves seen long before a one-minute tick")
        let stopping = Date()
        await slow.stop(timeout: 0)
        XCTAssertLessThan(Date().timeIntervalSince(stopping), 30, "stopping wakes the watcher")
        #else
        throw XCTSkip("the change signal is inotify's (Linux); elsewhere the watcher polls")
        #endif
    }

    /// A folder made empty, looked at, and only then given its first file (a scan can fall
    /// between the two): the folder is watched from that look on, so the file shows long before
    /// a one-minute tick.
    func testAFolderSeenEmptyIsWatchedForItsFirstFile() async throws {
        #if os(Linux)
        let (slow, port) = try await startedWithAOneMinuteTick()
        let started = Date()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("postmortems/2027"), withIntermediateDirectories: true)
        // The folder's creation wakes the watcher, which finds no changed file in it.
        try await Task.sleep(nanoseconds: 1_500_000_000)
        try write(ExampleDocument.make(fields: ["title": "Queue backlog in a new year", "date": "2027-01-05"]),
                  to: "postmortems/2027/2027-01-05-queue-backlog.md")
        try await Self.waitUntil(port: port, path: "/postmortems/2027-01-05-queue-backlog.html", contains: "Queue backlog in a new year")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "seen long before a one-minute tick")
        await slow.stop(timeout: 0)
        #else
        throw XCTSkip("the change signal is inotify's (Linux); elsewhere the watcher polls")
        #endif
    }

    /// A server on the test folder whose watcher ticks once a minute, after its first look (it
    /// looks once at start, then waits for a tick or a signal).
    private func startedWithAOneMinuteTick() async throws -> (server: PreviewServer, port: UInt16) {
        let session = try PreviewSession(directory: folder, environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        let server = PreviewServer(session: session, port: 0, interval: 60)
        let port = try await server.start()
        try await Task.sleep(nanoseconds: 300_000_000)
        return (server, port)
    }

    /// Fetches `path` until it contains `text` (at most 30 s).
    private static func waitUntil(port: UInt16, path: String, contains text: String) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try await get(path, port: port).body.contains(text) { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("\(path) never showed '\(text)'")
    }

    func testAddedAndRemovedPostmortemsAppearAndDisappear() async throws {
        try write(ExampleDocument.make(fields: ["title": "Queue backlog after failover", "date": "2025-06-02"]),
                  to: "postmortems/2025/2025-06-02-queue-backlog.md")
        try await waitForVersion(2)
        let page = try await get("/postmortems/2025-06-02-queue-backlog.html")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("Queue backlog after failover"))
        let index = try await get("/")
        XCTAssertTrue(index.body.contains("Queue backlog after failover"))

        try FileManager.default.removeItem(at: folder.appendingPathComponent(Self.other))
        try await waitForVersion(3)
        let removed = try await get("/postmortems/2025-05-01-search-outage.html")
        XCTAssertEqual(removed.status, 404)
        let shorter = try await get("/")
        XCTAssertFalse(shorter.body.contains("Search outage after index rebuild"))
    }

    func testThePanelListsTheFindingsOfThePagesDocument() async throws {
        try write(ExampleDocument.make(fields: ["severity": "SEV9"]), to: Self.other)
        try await waitForVersion(2)
        let page = try await get("/postmortems/2025-05-01-search-outage.html")
        XCTAssertEqual(page.status, 200)
        // `severity: SEV9` is line 5; the value starts at column 11.
        XCTAssertTrue(page.body.contains("<span class=\"inquest-preview-position\">5:11</span> <span class=\"inquest-preview-severity\">error</span>"),
                      page.body)
        XCTAssertTrue(page.body.contains("<code class=\"inquest-preview-rule\">schema/invalid-value</code>"))
        // The other document's page does not show this document's findings.
        let clean = try await get("/postmortems/2025-03-04-checkout-latency.html")
        XCTAssertFalse(clean.body.contains("schema/invalid-value"))
        // Only pages of documents list findings.
        let index = try await get("/")
        XCTAssertFalse(index.body.contains("inquest-preview-diagnostics"))
    }

    func testABrokenConfigurationKeepsTheLastGoodSiteAndSaysWhy() async throws {
        try write("site: [not, a, mapping]\n", to: "inquest.yml")
        try await waitForVersion(2)
        let index = try await get("/")
        XCTAssertEqual(index.status, 200)
        XCTAssertTrue(index.body.contains("Preview Test Archive"), "the last good site is still served")
        XCTAssertTrue(index.body.contains("class=\"inquest-preview-problem\" role=\"alert\">inquest.yml"), index.body)
        try write(ExampleDocument.make(sections: ["Summary": "Edited while the configuration is broken."]), to: Self.clean)
        try await waitForVersion(3)
        let still = try await get("/")
        XCTAssertTrue(still.body.contains("class=\"inquest-preview-problem\" role=\"alert\">inquest.yml"))

        try write("site:\n  title: Renamed Archive\n", to: "inquest.yml")
        try await waitForVersion(4)
        let fixed = try await get("/")
        XCTAssertTrue(fixed.body.contains("Renamed Archive"))
        XCTAssertFalse(fixed.body.contains("inquest-preview-problem"))
    }

    func testThemeAndCatalogueEditsAreShownAndABrokenTemplateIsReported() async throws {
        try write("body { color: rebeccapurple; }\n", to: "site/assets/site.css")
        try await waitForVersion(2)
        let css = try await get("/assets/site.css")
        XCTAssertEqual(css.body, "body { color: rebeccapurple; }\n")

        try write(ExampleDocument.catalogue.replacingOccurrences(of: "title: No alert on saturation", with: "title: Saturation went unalerted"),
                  to: "postmortems/causes.yml")
        try await waitForVersion(3)
        let page = try await get("/postmortems/2025-03-04-checkout-latency.html")
        XCTAssertTrue(page.body.contains("Saturation went unalerted"))

        try write("{{#unclosed}}\n", to: "site/templates/index.mustache")
        try await waitForVersion(4)
        let index = try await get("/")
        XCTAssertEqual(index.status, 200, "the previous theme still renders")
        XCTAssertTrue(index.body.contains("site/templates/index.mustache"), index.body)
        XCTAssertTrue(index.body.contains("showing the previous theme"))
        // The problem stays on screen while the template is broken, whatever else is saved.
        try write(ExampleDocument.make(sections: ["Summary": "Edited while the template is broken."]), to: Self.clean)
        try await waitForVersion(5)
        let still = try await get("/")
        XCTAssertTrue(still.body.contains("showing the previous theme"))
    }

    // MARK: Refusals

    func testMissingPathsAre404WithTheNotFoundPage() async throws {
        for path in ["/nope.html", "/postmortems/nope.html", "/inquest.yml", "/secret.txt", "/postmortems/causes.yml", "/_site/marker.txt"] {
            let response = try await get(path)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertFalse(response.body.contains("secret outside"), path)
        }
        let missing = try await get("/nope.html")
        XCTAssertTrue(missing.body.contains("Page not found"))
    }

    func testPathTraversalIsRefused() throws {
        // Raw requests: an HTTP library would resolve the dots before sending.
        for target in ["/../secret.txt", "/../../../../etc/passwd", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd",
                       "/postmortems/..%2f..%2fsecret.txt", "/postmortems/%2e%2e/%2e%2e/secret.txt", "//etc/passwd",
                       "/etc/passwd", "/assets/..%5c..%5csecret.txt", "/index.html%00.txt", "/./index.html"] {
            let (status, body) = try rawGet(target)
            XCTAssertTrue(status == 400 || status == 404, "\(target): \(status)")
            XCTAssertFalse(body.contains("secret outside") || body.contains("root:"), target)
        }
    }

    func testRequestsForAnotherHostAreRefused() throws {
        // DNS rebinding: a foreign name resolved to 127.0.0.1 must not read the archive.
        let (status, body) = try rawGet("/index.html", host: "attacker.example")
        XCTAssertEqual(status, 400)
        XCTAssertFalse(body.contains("Checkout latency"))
        XCTAssertEqual(try rawGet("/index.html", host: "localhost:\(port)").0, 200)
        for host in ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]:8000"] { XCTAssertTrue(PreviewServer.isLocal(host: host), host) }
        for host in ["127.0.0.1.example", "localhost.example:80", "evil", "[::2]"] { XCTAssertFalse(PreviewServer.isLocal(host: host), host) }
    }

    func testOnlyGetAndHeadAreAnswered() async throws {
        let post = await server.respond(method: "POST", rawPath: "/index.html", query: [:])
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.allow, "GET, HEAD")
    }

    func testListensOnLoopbackOnly() throws {
        // /proc/net/tcp lists listening sockets as ADDR:PORT in hex; 0100007F is 127.0.0.1.
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { throw XCTSkip("no /proc/net/tcp") }
        let suffix = ":" + String(format: "%04X", port)
        var listening: [String] = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields: [Substring] = line.split(separator: " ")
            guard fields.count > 3, fields[1].hasSuffix(suffix), fields[3] == "0A" else { continue }
            listening.append(String(fields[1]))
        }
        XCTAssertEqual(listening, ["0100007F" + suffix])
    }

    func testATakenPortIsAClearError() async throws {
        let second = PreviewServer(session: server.session, port: port)
        do {
            _ = try await second.start()
            XCTFail("a second server bound the same port")
            await second.stop()
        } catch {
            XCTAssertTrue(error.addressInUse)
            XCTAssertTrue(error.description.contains("port \(port) on 127.0.0.1 is already in use"), error.description)
        }
    }

    // MARK: Helpers

    private func write(_ text: String, to path: String) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Atomic, as editors save: the watcher never sees a half-written file.
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Every file of the workspace with its bytes.
    private func snapshotOfDisk() throws -> [String: [UInt8]] { try regularFiles(in: folder) }

    /// Waits (at most 20 s) until the session has picked up changes up to `version`.
    private func waitForVersion(_ version: Int) async throws {
        for _ in 0..<3 {
            if server.session.snapshot.version >= version { break }
            _ = try await get("/_inquest/changes?since=\(server.session.snapshot.version)")
        }
        XCTAssertEqual(server.session.snapshot.version, version)
    }

    private struct Response: Sendable {
        var status: Int
        var type: String
        var body: String
    }

    private func get(_ path: String) async throws -> Response {
        try await Self.get(path, port: port)
    }

    /// A GET with URLSession: a real HTTP client over loopback.
    private static func get(_ path: String, port: UInt16) async throws -> Response {
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: 30)
        request.httpMethod = "GET"
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let data, let response { continuation.resume(returning: (data, response)) } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return Response(status: http.statusCode, type: http.value(forHTTPHeaderField: "Content-Type") ?? "", body: String(decoding: data, as: UTF8.self))
    }

    /// A request line sent as written, over a plain socket; returns the status and the body.
    private func rawGet(_ target: String, host: String = "127.0.0.1") throws -> (Int, String) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        let request = Array("GET \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        // A server may also just close the connection on a request it cannot parse.
        guard let line = text.split(separator: "\r\n").first, line.hasPrefix("HTTP/1.1 ") else { return (400, text) }
        let status = Int(line.split(separator: " ")[1]) ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }
}

/// `RequestPath` and the page markup, without a server.
final class PreviewRequestTests: XCTestCase {
    func testRequestPathsMapToSitePathsOrAreRefused() {
        XCTAssertEqual(RequestPath.resolve("/"), "index.html")
        XCTAssertEqual(RequestPath.resolve("/causes/"), "causes/index.html")
        XCTAssertEqual(RequestPath.resolve("/postmortems/a-b.html"), "postmortems/a-b.html")
        XCTAssertEqual(RequestPath.resolve("/assets/site%2Ecss"), "assets/site.css")
        for refused in ["", "index.html", "/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2e/x", "/a/%2e/x", "/a%2fb", "/a%5cb", "/a//b", "/%00",
                        "/a%0a", "/%zz", "/."] {
            XCTAssertNil(RequestPath.resolve(refused), refused)
        }
    }

    func testThePolicyAllowsRequestsToTheServerAndKeepsTheRest() {
        let page = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; connect-src 'none'; base-uri 'none'\">"
        XCTAssertEqual(PreviewMarkup.allowingConnections(page),
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; base-uri 'none'; connect-src 'self'\">")
    }

    func testThePanelEscapesMessagesAndSaysWhenADocumentIsClean() {
        let diagnostic = Diagnostic(file: "postmortems/a.md", range: SourceRange(start: .init(line: 3, column: 7), end: .init(line: 3, column: 9)),
                                    severity: .warning, rule: "blameless/named-individual", message: "names <b>Bo</b>")
        let panel = PreviewMarkup.panel(documentPath: "postmortems/a.md", diagnostics: [diagnostic], problems: [])
        XCTAssertTrue(panel.contains("postmortems/a.md: 1 warning"))
        XCTAssertTrue(panel.contains(">3:7<"))
        XCTAssertTrue(panel.contains("names &lt;b&gt;Bo&lt;/b&gt;"))
        XCTAssertTrue(PreviewMarkup.panel(documentPath: "postmortems/a.md", diagnostics: [], problems: []).contains("postmortems/a.md: no findings"))
    }
}

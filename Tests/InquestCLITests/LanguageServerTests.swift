import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

/// `inquest lsp`: framing and messages in-process, and the built binary driven by a real LSP
/// client (Tests/lsp/test_lsp.py: open, diagnostics, code actions, hover, completion, shutdown).
final class LanguageServerTests: XCTestCase {
    private func frame(_ json: String) -> Data {
        Data("Content-Length: \(json.utf8.count)\r\n\r\n\(json)".utf8)
    }

    /// Runs the server on `messages` and returns the bodies it wrote; `before[i]` runs just before
    /// message `i` is delivered (to change files between messages).
    private func serve(_ messages: [String], before: [Int: () -> Void] = [:]) -> (status: Int32, replies: [[String: Any]]) {
        var pending = messages.map(frame)
        var next = 0
        var input = Data()
        var output = Data()
        let transport = LSPTransport(read: {
            if input.isEmpty, next < pending.count {
                before[next]?()
                input = pending[next]
                pending[next] = Data()
                next += 1
            }
            // Deliver in small chunks, as a pipe may, to exercise the framing.
            let chunk = input.prefix(7)
            input.removeFirst(chunk.count)
            return Data(chunk)
        }, write: { output.append($0) })
        let status = LanguageServer(transport: transport, log: { _ in }).run()
        var replies: [[String: Any]] = []
        let reader = LSPTransport(read: { defer { output = Data() }; return output }, write: { _ in })
        while let body = reader.receive() {
            if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] { replies.append(object) }
        }
        return (status, replies)
    }

    func testInitializeShutdownExit() {
        let (status, replies) = serve([
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-32","utf-16"]}}}}"#,
            #"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"no/such","params":{}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#,
            #"{"jsonrpc":"2.0","method":"exit"}"#,
        ])
        XCTAssertEqual(status, 0)
        let capabilities = (replies.first?["result"] as? [String: Any])?["capabilities"] as? [String: Any]
        XCTAssertEqual(capabilities?["positionEncoding"] as? String, "utf-32", "Inquest's own columns when the client offers them")
        XCTAssertEqual((replies[1]["error"] as? [String: Any])?["code"] as? Int, -32601)
        XCTAssertTrue(replies[2].keys.contains("result"))
    }

    func testExitWithoutShutdownIsStatusOne() {
        XCTAssertEqual(serve([#"{"jsonrpc":"2.0","method":"exit"}"#]).status, 1)
    }

    func testDiagnosticsForAnOpenedBufferUseUTF16Columns() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
        ])
        let uri = root.appendingPathComponent("postmortems/a.md").absoluteString
        // An emoji (two UTF-16 units) before the bad value moves its column by two, not one.
        let text = CLI.postmortem(extra: "root_causes: [pool-limits]\n").replacingOccurrences(of: "services: [checkout]", with: "services: [🔥, Bad]")
        let open = try String(decoding: JSONSerialization.data(withJSONObject: [
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": uri, "languageId": "markdown", "version": 1, "text": text]],
        ]), as: UTF8.self)
        let (_, replies) = serve([#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#, open])
        let publish = try XCTUnwrap(replies.first { $0["method"] as? String == "textDocument/publishDiagnostics" })
        let diagnostics = try XCTUnwrap((publish["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        let starts = diagnostics.filter { $0["code"] as? String == "schema/invalid-value" }.compactMap { ($0["range"] as? [String: Any])?["start"] as? [String: Int] }
        // "services: [" is 11 units, 🔥 two more, ", " two: 'Bad' starts at 15 (14 in scalars).
        XCTAssertEqual(starts, [["line": 6, "character": 11], ["line": 6, "character": 15]])
    }

    func testARealClientSeesDiagnosticsAppliesFixesAndGetsCompletions() throws {
        let binary = CLITests.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("the inquest binary is built with --build-tests") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root.appendingPathComponent("Tests/lsp/test_lsp.py").path, binary.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("lsp: all checks passed"), output)
    }

    /// The same flow through pygls's LanguageClient (PyPI), a client we did not write: its types,
    /// framing and edit application (Tests/lsp/test_pygls_client.py; `make test` installs pygls).
    func testThePyglsClientAppliesTheQuickFixAndTheDiagnosticGoes() throws {
        let binary = CLITests.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("the inquest binary is built with --build-tests") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root.appendingPathComponent("Tests/lsp/test_pygls_client.py").path, binary.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 { throw XCTSkip("pygls is not installed: python3 -m pip install pygls (make test does)") }
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("pygls: all checks passed"), output)
    }

    /// An editor: Neovim's built-in LSP client, headless (Tests/lsp/test_neovim.lua; Neovim 0.7+,
    /// Debian's `neovim`, installed by `make test` and .ci/run). Open, diagnostic, quick fix, gone.
    func testNeovimShowsTheDiagnosticAppliesTheQuickFixAndItGoes() throws {
        let binary = CLITests.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("the inquest binary is built with --build-tests") }
        let nvim = ["/usr/bin/nvim", "/usr/local/bin/nvim"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let nvim else { throw XCTSkip("neovim is not installed: apt-get install neovim (make test does)") }
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/2025/2025-03-04-checkout.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n")
                .replacingOccurrences(of: "status: final", with: "status: finall"),
        ])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nvim)
        process.arguments = ["--headless", "--clean", "-u", "NONE", "-c",
                             "luafile " + Repository.root.appendingPathComponent("Tests/lsp/test_neovim.lua").path]
        var environment = ProcessInfo.processInfo.environment
        environment["INQUEST_BIN"] = binary.path
        environment["INQUEST_FILE"] = root.appendingPathComponent("postmortems/2025/2025-03-04-checkout.md").path
        // Neovim's LSP log and state go to the temporary archive, not the user's home.
        environment["XDG_CACHE_HOME"] = root.appendingPathComponent(".nvim").path
        environment["XDG_STATE_HOME"] = root.appendingPathComponent(".nvim").path
        process.environment = environment
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("neovim: all checks passed"), output)
        XCTAssertTrue(try CLI.read("postmortems/2025/2025-03-04-checkout.md", in: root).contains("status: finall"), "the buffer was fixed, not the file")
    }

    func testTheExplainCommandAnswersWithTheRuleAndRejectsUnknownOnes() {
        let (_, replies) = serve([
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"workspace/executeCommand","params":{"command":"inquest.explain","arguments":["causes/unknown"]}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"workspace/executeCommand","params":{"command":"inquest.explain","arguments":["no/such"]}}"#,
        ])
        let commands = ((replies.first?["result"] as? [String: Any])?["capabilities"] as? [String: Any])?["executeCommandProvider"] as? [String: Any]
        XCTAssertEqual(commands?["commands"] as? [String], ["inquest.explain"])
        let shown = replies.first { $0["method"] as? String == "window/showMessage" }
        XCTAssertTrue(((shown?["params"] as? [String: Any])?["message"] as? String)?.hasPrefix("causes/unknown (default: ") == true, "\(replies)")
        XCTAssertTrue((replies.first { ($0["id"] as? Int) == 2 }?["result"] as? String)?.hasPrefix("causes/unknown") == true)
        XCTAssertEqual((replies.first { ($0["id"] as? Int) == 3 }?["error"] as? [String: Any])?["code"] as? Int, -32602)
    }

    func testSavingTheConfigurationReloadsTheArchive() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
        ])
        let uri = root.appendingPathComponent("postmortems/a.md").absoluteString
        let config = root.appendingPathComponent("inquest.yml").absoluteString
        let text = CLI.postmortem(extra: "root_causes: [pool-limits]\n").replacingOccurrences(of: "severity: SEV2", with: "severity: P1")
        let open = try String(decoding: JSONSerialization.data(withJSONObject: [
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": uri, "languageId": "markdown", "version": 1, "text": text]],
        ]), as: UTF8.self)
        let save = #"{"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"\#(config)"}}}"#
        let (_, replies) = serve([#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#, open, save], before: [
            2: { try? "schema:\n  severities: [P0, P1]\nblameless: {git_authors: false}\n".write(to: root.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8) },
        ])
        let published = replies.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
            .compactMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }
        XCTAssertEqual(published.count, 2)
        XCTAssertTrue(published[0].contains { ($0["message"] as? String)?.contains("found 'P1'") == true }, "\(published[0])")
        XCTAssertFalse(published[1].contains { ($0["message"] as? String)?.contains("found 'P1'") == true }, "\(published[1])")
    }

    func testFilesChangedOutsideTheEditorAreReadAgain() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
        ])
        let uri = root.appendingPathComponent("postmortems/b.md").absoluteString
        let other = root.appendingPathComponent("postmortems/2025-01-01-other.md")
        let text = CLI.postmortem(extra: "root_causes: [pool-limits]\nrelated: [2025-01-01-other]\n")
        let open = try String(decoding: JSONSerialization.data(withJSONObject: [
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": uri, "languageId": "markdown", "version": 1, "text": text]],
        ]), as: UTF8.self)
        let watched = #"{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":[{"uri":"\#(other.absoluteString)","type":1}]}}"#
        let response = #"{"jsonrpc":"2.0","id":99,"result":null}"#
        let (_, replies) = serve([#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#, open, watched, response], before: [
            2: { try? Data(CLI.postmortem(title: "Other", date: "2025-01-01", extra: "root_causes: [pool-limits]\n").utf8).write(to: other) },
        ])
        let published = replies.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
            .compactMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }
        XCTAssertEqual(published.count, 2)
        XCTAssertTrue(published[0].contains { $0["code"] as? String == "links/related-unknown" }, "\(published[0])")
        XCTAssertFalse(published[1].contains { $0["code"] as? String == "links/related-unknown" }, "\(published[1])")
        XCTAssertFalse(replies.contains { $0["error"] != nil }, "a client's response is not answered with an error")
    }
}

/// Typing into Root Causes changes which earlier incidents read alike (``LiveArchive``): each
/// keystroke's diagnostics are the ones `inquest lint` gives for the same text.
extension LanguageServerTests {
    func testARootCausesEditIsJudgedAsLintJudgesTheSameText() throws {
        let alike = "The session cache ran on a single host with no replica, so losing the host dropped every session."
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": """
                pool-limits:
                  title: Pool limits
                  description: Connection pools had no lower bound.
                cache-host:
                  title: Cache host
                  description: The cache lived on one host.

                """,
            "postmortems/2025-01-01-sessions.md": CLI.postmortem(title: "Sessions", date: "2025-01-01", extra: "root_causes: [cache-host]\n",
                                                                 body: CLI.defaultBody.replacingOccurrences(
                                                                    of: "The pool size had no lower bound in the configuration schema.",
                                                                    with: "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped.")),
        ])
        let path = "postmortems/a.md"
        let uri = root.appendingPathComponent(path).absoluteString
        let original = CLI.postmortem(extra: "root_causes: [pool-limits]\n")
        let edited = original.replacingOccurrences(of: "The pool size had no lower bound in the configuration schema.", with: alike)
        func message(_ method: String, _ document: [String: Any], _ extra: [String: Any] = [:]) throws -> String {
            try String(decoding: JSONSerialization.data(withJSONObject: [
                "jsonrpc": "2.0", "method": method, "params": ["textDocument": document].merging(extra) { a, _ in a },
            ]), as: UTF8.self)
        }
        let versions = [original, edited, original]
        var messages = [#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
                        try message("textDocument/didOpen", ["uri": uri, "languageId": "markdown", "version": 1, "text": versions[0]])]
        for (offset, text) in versions.enumerated().dropFirst() {
            messages.append(try message("textDocument/didChange", ["uri": uri, "version": offset + 1], ["contentChanges": [["text": text]]]))
        }
        let (_, replies) = serve(messages)
        let published = replies.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
            .compactMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }
        XCTAssertEqual(published.count, versions.count)
        for (text, diagnostics) in zip(versions, published) {
            try Data(text.utf8).write(to: root.appendingPathComponent(path))
            let lint = CLI.run(["lint", "--format", "json", path], in: root)
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lint.stdout.utf8)) as? [String: Any], lint.stdout + lint.stderr)
            let expected = try XCTUnwrap(report["diagnostics"] as? [[String: Any]])
            XCTAssertEqual(diagnostics.compactMap { $0["code"] as? String }.sorted(), expected.compactMap { $0["rule"] as? String }.sorted())
        }
        let similar = published.map { $0.contains { $0["code"] as? String == "causes/similar" } }
        XCTAssertEqual(similar, [false, true, false], "the edit makes the earlier incident read alike, and undoing it does not")
    }
}

/// Markdown open beside the postmortems that the rules do not check (notes, a README) is not a
/// document of the archive.
extension LanguageServerTests {
    func testAnOpenFileOutsideThePostmortemsIsNotADocumentOfTheArchive() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
        ])
        let text = CLI.postmortem(extra: "id: checkout-latency\nroot_causes: [pool-limits]\n")
        func open(_ path: String) throws -> String {
            try String(decoding: JSONSerialization.data(withJSONObject: [
                "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": ["textDocument": ["uri": root.appendingPathComponent(path).absoluteString, "languageId": "markdown", "version": 1,
                                            "text": text]],
            ]), as: UTF8.self)
        }
        // A draft copied into notes/ first, then the postmortem itself.
        let (_, replies) = serve([#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#, try open("notes/draft.md"),
                                  try open("postmortems/2025-03-04-checkout-latency.md")])
        let published = replies.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
            .compactMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }
        XCTAssertEqual(published.count, 2)
        XCTAssertEqual(published.first?.count, 0, "the note is not checked")
        XCTAssertEqual(published.last?.compactMap { $0["code"] as? String } ?? ["none"], [], "no duplicate of the note's id: \(published)")
    }
}

/// `codeDescription` links a diagnostic to the archive's `docs_url`, and is left out without one.
extension LanguageServerTests {
    private func publishedDiagnostics(config: String) throws -> [[String: Any]] {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": config,
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
        ])
        let uri = root.appendingPathComponent("postmortems/a.md").absoluteString
        let text = CLI.postmortem(extra: "root_causes: [pool-limit]\n").replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9")
        let open = try String(decoding: JSONSerialization.data(withJSONObject: [
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": uri, "languageId": "markdown", "version": 1, "text": text]],
        ]), as: UTF8.self)
        let (_, replies) = serve([#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#, open])
        let publish = try XCTUnwrap(replies.first { $0["method"] as? String == "textDocument/publishDiagnostics" })
        let diagnostics = try XCTUnwrap((publish["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(Set(diagnostics.compactMap { $0["code"] as? String }).isSuperset(of: ["schema/invalid-value", "causes/unknown"]), true, "\(diagnostics)")
        return diagnostics
    }

    func testDiagnosticsLinkToTheConfiguredRuleDocumentation() throws {
        let diagnostics = try publishedDiagnostics(config: "blameless: {git_authors: false}\ndocs_url: https://docs.example.com/inquest/{rule}.html\n")
        for diagnostic in diagnostics {
            let code = try XCTUnwrap(diagnostic["code"] as? String)
            XCTAssertEqual((diagnostic["codeDescription"] as? [String: String])?["href"], "https://docs.example.com/inquest/\(code).html")
        }
    }

    func testDiagnosticsHaveNoCodeDescriptionWithoutDocsURL() throws {
        let diagnostics = try publishedDiagnostics(config: "blameless: {git_authors: false}\n")
        XCTAssertFalse(diagnostics.contains { $0.keys.contains("codeDescription") }, "\(diagnostics)")
    }
}

import Foundation
import InquestCore

/// `inquest lsp`: a Language Server (LSP 3.17, JSON-RPC over stdio). Diagnostics on open, change
/// and save, computed with the whole archive around the edited buffer; code actions from the
/// rules' fixes; hover on a diagnostic with the rule's explanation; completion in the
/// front-matter (keys, severities, statuses, services, tags, cause ids with titles).
final class LanguageServer {
    private let transport: LSPTransport
    private let log: (String) -> Void
    /// Sessions by workspace root.
    private var sessions: [String: ArchiveSession] = [:]
    /// The session of each folder a document was opened from (nil: not in an archive).
    private var sessionByFolder: [String: ArchiveSession?] = [:]
    /// Open documents: text and version by URI.
    private var open: [String: (text: String, version: Int?)] = [:]
    /// The last findings published per URI, for code actions and hover.
    private var published: [String: [Diagnostic]] = [:]
    /// Columns in UTF-32 (Unicode scalars, Inquest's own) when the client offers it, else UTF-16.
    private var utf32 = false
    private var shuttingDown = false
    /// Whether sessions start from the lint cache (`INQUEST_NO_CACHE` turns it off).
    private let usesCache: Bool

    init(transport: LSPTransport, log: @escaping (String) -> Void, usesCache: Bool = true) {
        self.transport = transport
        self.log = log
        self.usesCache = usesCache
    }

    /// Serves until `exit` or the end of input; returns the exit status (0 after `shutdown`).
    func run() -> Int32 {
        while let body = transport.receive() {
            guard !body.isEmpty else { continue }
            if let status = handle(body) { return status }
        }
        return shuttingDown ? 0 : 1
    }

    /// Handles one message; returns an exit status when the server must stop.
    func handle(_ body: Data) -> Int32? {
        let decoder = JSONDecoder()
        guard let envelope = try? decoder.decode(LSP.Envelope.self, from: body) else {
            send(LSP.ErrorResponse(id: nil, error: .init(code: -32700, message: "parse error")))
            return nil
        }
        func params<P: Decodable>(_ type: P.Type) -> P? { try? decoder.decode(LSP.Incoming<P>.self, from: body).params }
        switch envelope.method {
        case "initialize":
            let initialize = params(LSP.InitializeParams.self)
            utf32 = initialize?.capabilities?.general?.positionEncodings?.contains("utf-32") ?? false
            respond(envelope.id, LSP.InitializeResult(
                capabilities: .init(positionEncoding: utf32 ? "utf-32" : "utf-16"),
                serverInfo: .init(name: "inquest", version: InquestVersion.current)))
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration":
            break
        case "shutdown":
            shuttingDown = true
            respond(envelope.id, LSP.Null())
        case "exit":
            return shuttingDown ? 0 : 1
        case "textDocument/didOpen":
            guard let p = params(LSP.DidOpenParams.self) else { break }
            open[p.textDocument.uri] = (p.textDocument.text, p.textDocument.version)
            refresh(p.textDocument.uri)
        case "textDocument/didChange":
            guard let p = params(LSP.DidChangeParams.self), let text = p.contentChanges.last(where: { $0.range == nil })?.text else { break }
            open[p.textDocument.uri] = (text, p.textDocument.version)
            refresh(p.textDocument.uri)
        case "textDocument/didSave":
            guard let p = params(LSP.DidSaveParams.self) else { break }
            if let text = p.text { open[p.textDocument.uri] = (text, open[p.textDocument.uri]?.version) }
            if fileURL(p.textDocument.uri)?.lastPathComponent == ConfigurationLoader.fileName {
                // A saved configuration changes every rule's settings: read the archives again.
                sessions.removeAll()
                sessionByFolder.removeAll()
                for uri in open.keys.sorted() { refresh(uri) }
            } else {
                refresh(p.textDocument.uri)
            }
        case "textDocument/didClose":
            guard let p = params(LSP.DidCloseParams.self) else { break }
            let uri = p.textDocument.uri
            open[uri] = nil
            // What is on disk applies again for the rest of the archive.
            if let url = fileURL(uri), let (session, path) = locate(url),
               let bytes = FileManager.default.contents(atPath: url.path) { session.update(path, bytes: [UInt8](bytes)) }
            published[uri] = nil
            notify("textDocument/publishDiagnostics", LSP.PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: []))
        case "textDocument/codeAction":
            guard let p = params(LSP.CodeActionParams.self) else { return respondNull(envelope.id) }
            respond(envelope.id, codeActions(p))
        case "workspace/executeCommand":
            guard let p = params(LSP.ExecuteCommandParams.self), p.command == LSP.explainCommand,
                  let id = p.arguments?.first, let text = Self.explanation(id) else {
                send(LSP.ErrorResponse(id: envelope.id, error: .init(code: -32602, message: "unknown command or rule")))
                break
            }
            // Clients show the message; the result carries the same text for those that use it.
            notify("window/showMessage", LSP.ShowMessageParams(message: text))
            respond(envelope.id, text)
        case "textDocument/hover":
            guard let p = params(LSP.TextDocumentPositionParams.self), let hover = hover(p) else { return respondNull(envelope.id) }
            respond(envelope.id, hover)
        case "textDocument/completion":
            guard let p = params(LSP.TextDocumentPositionParams.self) else { return respondNull(envelope.id) }
            respond(envelope.id, LSP.CompletionList(items: completions(p)))
        case "workspace/didChangeWatchedFiles":
            // Files changed outside the editor (a checkout, a script): read them again.
            guard let p = params(LSP.DidChangeWatchedFilesParams.self) else { break }
            for change in p.changes {
                guard let url = fileURL(change.uri), open[change.uri] == nil, let (session, path) = locate(url) else { continue }
                if let bytes = FileManager.default.contents(atPath: url.path), change.type != 3 {
                    session.update(path, bytes: [UInt8](bytes))
                } else {
                    session.remove(path)
                }
            }
            for uri in open.keys.sorted() { refresh(uri) }
        case nil:
            // A response to a request of ours (none expects an answer): nothing to do.
            break
        default:
            // Unknown requests get "method not found"; unknown notifications are ignored.
            if let id = envelope.id {
                send(LSP.ErrorResponse(id: id, error: .init(code: -32601, message: "method not found: \(envelope.method ?? "")")))
            }
        }
        return nil
    }

    // MARK: Diagnostics

    /// Re-lints an open document and publishes its diagnostics.
    private func refresh(_ uri: String) {
        guard let url = fileURL(uri), let text = open[uri]?.text else { return }
        guard let (session, path) = locate(url), session.isLinted(path) else {
            notify("textDocument/publishDiagnostics", LSP.PublishDiagnosticsParams(uri: uri, version: open[uri]?.version, diagnostics: []))
            return
        }
        session.update(path, bytes: Array(text.utf8))
        let found = session.diagnostics(for: path)
        published[uri] = found
        let source = session.source(path)
        let diagnostics = found.map { diagnostic in
            LSP.Diagnostic(range: lspRange(diagnostic.range, source: source), severity: Self.severity(diagnostic.severity),
                           code: diagnostic.rule, codeDescription: session.configuration.docsURL.map { .init(href: $0.help(for: diagnostic.rule)) },
                           message: diagnostic.message + (diagnostic.suggestion.map { "\n\($0)" } ?? ""))
        }
        notify("textDocument/publishDiagnostics", LSP.PublishDiagnosticsParams(uri: uri, version: open[uri]?.version, diagnostics: diagnostics))
    }

    private static func severity(_ severity: Severity) -> Int {
        switch severity {
        case .error: 1
        case .warning: 2
        case .info: 3
        }
    }

    /// The session of the archive that holds `url`, opened on first use; and the file's path in it.
    private func locate(_ url: URL) -> (ArchiveSession, String)? {
        let folder = url.deletingLastPathComponent().standardizedFileURL.path
        if sessionByFolder[folder] == nil {
            do {
                let reader = try ArchiveReader.open(at: URL(fileURLWithPath: folder), selection: .workingTree)
                let root = reader.workspace.root.path
                if sessions[root] == nil {
                    let cache = usesCache ? LintCache.location(root: reader.workspace.root, repository: reader.repository) : nil
                    sessions[root] = try ArchiveSession(reader: reader, cache: cache)
                }
                sessionByFolder[folder] = .some(sessions[root])
                // Other open buffers of this archive replace their files.
                if let session = sessions[root] {
                    for (uri, document) in open {
                        if let other = fileURL(uri), let path = session.relativePath(other), other != url {
                            session.update(path, bytes: Array(document.text.utf8))
                        }
                    }
                }
            } catch {
                log("inquest lsp: \(folder): \(CLIError(error).message ?? "cannot open the archive")")
                sessionByFolder[folder] = .some(nil)
            }
        }
        guard let session = sessionByFolder[folder] ?? nil, let path = session.relativePath(url) else { return nil }
        return (session, path)
    }

    // MARK: Code actions and hover

    private func codeActions(_ params: LSP.CodeActionParams) -> [LSP.CodeActionOrCommand] {
        let uri = params.textDocument.uri
        guard let url = fileURL(uri), let (session, path) = locate(url), let source = session.source(path) else { return [] }
        var actions: [LSP.CodeActionOrCommand] = []
        for diagnostic in published[uri] ?? [] {
            guard let fix = diagnostic.fix else { continue }
            let range = lspRange(diagnostic.range, source: source)
            guard overlaps(range, params.range) else { continue }
            let edit = LSP.TextEdit(range: lspRange(bytes: fix.bytes, source: source), newText: fix.replacement)
            let title = diagnostic.suggestion.map { "Fix: \($0)" } ?? "Fix \(diagnostic.rule)"
            let matching = params.context.diagnostics.filter { $0.code == diagnostic.rule && $0.range == range }
            actions.append(.action(LSP.CodeAction(title: title, diagnostics: matching, isPreferred: true,
                                                  edit: LSP.WorkspaceEdit(changes: [uri: [edit]]))))
        }
        // One "explain" action per rule with a diagnostic in the range, after the fixes.
        var explained: Set<String> = []
        for diagnostic in published[uri] ?? [] where !explained.contains(diagnostic.rule) {
            guard overlaps(lspRange(diagnostic.range, source: source), params.range), Self.explanation(diagnostic.rule) != nil else { continue }
            explained.insert(diagnostic.rule)
            actions.append(.command(LSP.Command(title: "Explain \(diagnostic.rule)", command: LSP.explainCommand, arguments: [diagnostic.rule])))
        }
        return actions
    }

    /// What `inquest explain ID` prints, for the explain code action.
    static func explanation(_ id: String) -> String? {
        if id == Explain.configurationErrorID { return Explain.configurationErrorText }
        return RuleRegistry.rule(id).map(Explain.text(for:))
    }

    private func hover(_ params: LSP.TextDocumentPositionParams) -> LSP.Hover? {
        let uri = params.textDocument.uri
        guard let url = fileURL(uri), let (session, path) = locate(url), let source = session.source(path) else { return nil }
        for diagnostic in published[uri] ?? [] {
            let range = lspRange(diagnostic.range, source: source)
            guard contains(range, params.position) else { continue }
            var text = "**\(diagnostic.rule)** (\(diagnostic.severity.rawValue)): \(diagnostic.message)"
            if let suggestion = diagnostic.suggestion { text += "\n\n\(suggestion)" }
            if let rule = RuleRegistry.rule(diagnostic.rule) {
                text += "\n\n---\n\n\(rule.documentation.summary)\n\n\(rule.documentation.rationale)\n\nMore: `inquest explain \(rule.id)`"
            }
            return LSP.Hover(contents: .init(value: text), range: range)
        }
        return nil
    }

    // MARK: Completion

    private func completions(_ params: LSP.TextDocumentPositionParams) -> [LSP.CompletionItem] {
        let uri = params.textDocument.uri
        guard let text = open[uri]?.text, let url = fileURL(uri), let (session, _) = locate(url) else { return [] }
        let lines = text.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        let line = params.position.line
        // Only inside the front-matter: after the opening `---`, before the closing one.
        guard line > 0, line < lines.count, lines[0].trimmingCharacters(in: .whitespaces).hasSuffix("---"),
              !lines[1...line].contains(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else { return [] }
        let prefix = String(lines[line].prefix(utf16Offset: params.position.character, utf32: utf32))
        let close = lines[1...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "---" } ?? lines.count
        let present = Set(lines[1..<close].enumerated().filter { $0.offset + 1 != line }.compactMap { Self.key($0.element) })
        let trimmed = prefix.trimmingCharacters(in: .whitespaces)
        if let key = Self.key(prefix) {
            return values(for: key, session: session)
        }
        if trimmed.hasPrefix("-"), let parent = lines[1..<line].reversed().first(where: { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }).flatMap(Self.key) {
            return values(for: parent, session: session)
        }
        guard !trimmed.contains(":") else { return [] }
        return Schema.knownFields.sorted().filter { !present.contains($0) }.map {
            LSP.CompletionItem(label: $0, kind: 10, detail: "front-matter field", documentation: nil, insertText: "\($0): ")
        }
    }

    /// The key of a `key: …` line at the mapping's top level.
    private static func key(_ line: String) -> String? {
        guard let first = line.first, first != " ", first != "-", first != "#", let colon = line.firstIndex(of: ":") else { return nil }
        return String(line[..<colon])
    }

    private func values(for key: String, session: ArchiveSession) -> [LSP.CompletionItem] {
        switch key {
        case "severity": return session.configuration.schema.severities.map { .init(label: $0, kind: 20, detail: "severity") }
        case "status": return Schema.statuses.map { .init(label: $0, kind: 20, detail: "status") }
        case "services": return session.services.map { .init(label: $0, kind: 12, detail: "service seen in the archive") }
        case "tags": return session.tags.map { .init(label: $0, kind: 12, detail: "tag seen in the archive") }
        case "related": return session.ids.map { .init(label: $0, kind: 12, detail: "postmortem") }
        case "root_causes", "contributing_factors":
            return session.causes.map { .init(label: $0.id, kind: 20, detail: $0.title, documentation: $0.description) }
        default: return []
        }
    }

    // MARK: Positions

    /// Inquest's 1-based line and scalar column as an LSP position (UTF-16 code units unless the
    /// client chose UTF-32).
    private func lspPosition(line: Int, scalarColumn: Int, source: SourceText?) -> LSP.Position {
        guard !utf32, let source, line >= 1, line <= source.lineCount else {
            return LSP.Position(line: max(0, line - 1), character: max(0, scalarColumn - 1))
        }
        let units = source.lineText(line).unicodeScalars.prefix(max(0, scalarColumn - 1)).reduce(0) { $0 + ($1.value > 0xFFFF ? 2 : 1) }
        return LSP.Position(line: line - 1, character: units)
    }

    private func lspRange(_ range: SourceRange, source: SourceText?) -> LSP.Range {
        LSP.Range(start: lspPosition(line: range.start.line, scalarColumn: range.start.column, source: source),
                  end: lspPosition(line: range.end.line, scalarColumn: range.end.column, source: source))
    }

    private func lspRange(bytes: Range<Int>, source: SourceText) -> LSP.Range {
        lspRange(source.range(of: bytes), source: source)
    }

    private func overlaps(_ a: LSP.Range, _ b: LSP.Range) -> Bool {
        !(Self.less(a.end, b.start) || Self.less(b.end, a.start))
    }

    private func contains(_ range: LSP.Range, _ position: LSP.Position) -> Bool {
        !Self.less(position, range.start) && (Self.less(position, range.end) || position == range.end)
    }

    private static func less(_ a: LSP.Position, _ b: LSP.Position) -> Bool { (a.line, a.character) < (b.line, b.character) }

    private func fileURL(_ uri: String) -> URL? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return url.standardizedFileURL
    }

    // MARK: Output

    private func respond<Result: Encodable>(_ id: LSP.ID?, _ result: Result) {
        send(LSP.Response(id: id, result: result))
    }

    private func respondNull(_ id: LSP.ID?) -> Int32? {
        respond(id, LSP.Null())
        return nil
    }

    private func notify<Params: Encodable>(_ method: String, _ params: Params) {
        send(LSP.Notification(method: method, params: params))
    }

    private func send(_ message: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(message) else { return }
        transport.send(data)
    }
}

extension String {
    /// The prefix up to `offset` LSP characters (UTF-16 code units, or scalars with `utf32`).
    func prefix(utf16Offset offset: Int, utf32: Bool) -> Substring {
        var units = 0
        var index = startIndex
        for scalar in unicodeScalars {
            let width = utf32 ? 1 : (scalar.value > 0xFFFF ? 2 : 1)
            if units + width > offset { break }
            units += width
            index = unicodeScalars.index(after: index)
        }
        return self[..<index]
    }
}

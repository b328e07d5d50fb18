import Foundation

/// The Language Server Protocol 3.17 messages `inquest lsp` reads and writes, as Codable values.
enum LSP {
    /// A request id: a number or a string.
    enum ID: Codable, Hashable, Sendable {
        case number(Int)
        case string(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .string(try container.decode(String.self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let number): try container.encode(number)
            case .string(let string): try container.encode(string)
            }
        }
    }

    /// What every incoming message has; `params` is decoded again per method.
    struct Envelope: Decodable {
        var id: ID?
        var method: String?
    }

    struct Incoming<Params: Decodable>: Decodable {
        var params: Params
    }

    struct Response<Result: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var id: ID?
        var result: Result
    }

    /// `result: null` (shutdown, requests with no answer).
    struct Null: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }

    struct ErrorResponse: Encodable {
        struct Body: Encodable {
            var code: Int
            var message: String
        }
        var jsonrpc = "2.0"
        var id: ID?
        var error: Body
    }

    struct Notification<Params: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var method: String
        var params: Params
    }

    struct Position: Codable, Equatable, Sendable {
        var line: Int
        var character: Int
    }

    struct Range: Codable, Equatable, Sendable {
        var start: Position
        var end: Position
    }

    struct TextDocumentIdentifier: Codable { var uri: String }

    struct TextDocumentItem: Codable {
        var uri: String
        var languageId: String?
        var version: Int?
        var text: String
    }

    struct DidOpenParams: Codable { var textDocument: TextDocumentItem }

    struct ContentChange: Codable {
        var range: Range?
        var text: String
    }

    struct VersionedTextDocumentIdentifier: Codable {
        var uri: String
        var version: Int?
    }

    struct DidChangeParams: Codable {
        var textDocument: VersionedTextDocumentIdentifier
        var contentChanges: [ContentChange]
    }

    struct DidSaveParams: Codable {
        var textDocument: TextDocumentIdentifier
        var text: String?
    }

    struct DidCloseParams: Codable { var textDocument: TextDocumentIdentifier }

    struct DidChangeWatchedFilesParams: Decodable {
        struct Change: Decodable {
            var uri: String
            /// 1 created, 2 changed, 3 deleted.
            var type: Int
        }
        var changes: [Change]
    }

    struct InitializeParams: Decodable {
        struct Capabilities: Decodable {
            struct General: Decodable { var positionEncodings: [String]? }
            var general: General?
        }
        var rootUri: String?
        var capabilities: Capabilities?
    }

    struct InitializeResult: Encodable {
        struct Capabilities: Encodable {
            struct Sync: Encodable {
                struct Save: Encodable { var includeText = true }
                var openClose = true
                /// 1: the client sends the full text on every change.
                var change = 1
                var save = Save()
            }
            struct CodeActionOptions: Encodable { var codeActionKinds = ["quickfix"] }
            struct ExecuteCommandOptions: Encodable { var commands = [LSP.explainCommand] }
            struct CompletionOptions: Encodable { var triggerCharacters = [":", " ", "[", ",", "-"] }
            var positionEncoding: String
            var textDocumentSync = Sync()
            var codeActionProvider = CodeActionOptions()
            var hoverProvider = true
            var completionProvider = CompletionOptions()
            var executeCommandProvider = ExecuteCommandOptions()
        }
        struct ServerInfo: Encodable {
            var name: String
            var version: String
        }
        var capabilities: Capabilities
        var serverInfo: ServerInfo
    }

    struct Diagnostic: Codable, Equatable, Sendable {
        struct CodeDescription: Codable, Equatable, Sendable { var href: String }
        var range: Range
        /// 1 error, 2 warning, 3 information.
        var severity: Int
        var code: String
        var codeDescription: CodeDescription?
        var source = "inquest"
        var message: String
    }

    struct PublishDiagnosticsParams: Encodable {
        var uri: String
        var version: Int?
        var diagnostics: [Diagnostic]
    }

    struct CodeActionParams: Decodable {
        struct Context: Decodable { var diagnostics: [Diagnostic] }
        var textDocument: TextDocumentIdentifier
        var range: Range
        var context: Context
    }

    struct TextEdit: Codable, Equatable {
        var range: Range
        var newText: String
    }

    struct WorkspaceEdit: Codable { var changes: [String: [TextEdit]] }

    struct CodeAction: Encodable {
        var title: String
        var kind = "quickfix"
        var diagnostics: [Diagnostic]
        var isPreferred: Bool
        var edit: WorkspaceEdit
    }

    /// What `textDocument/codeAction` answers: quick fixes, and the rules' explanations as bare
    /// commands. (A CodeAction carrying a command is valid too, but some client libraries, e.g.
    /// lsprotocol, take any object with a `command` key for a Command and misread it.)
    enum CodeActionOrCommand: Encodable {
        case action(CodeAction)
        case command(Command)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .action(let action): try container.encode(action)
            case .command(let command): try container.encode(command)
            }
        }
    }

    /// The command an "explain" code action carries: `arguments` is `[rule id]`.
    static let explainCommand = "inquest.explain"

    struct Command: Codable {
        var title: String
        var command: String
        var arguments: [String]
    }

    struct ExecuteCommandParams: Decodable {
        var command: String
        var arguments: [String]?
    }

    struct ShowMessageParams: Encodable {
        /// 3: information.
        var type = 3
        var message: String
    }

    struct TextDocumentPositionParams: Decodable {
        var textDocument: TextDocumentIdentifier
        var position: Position
    }

    struct MarkupContent: Encodable {
        var kind = "markdown"
        var value: String
    }

    struct Hover: Encodable {
        var contents: MarkupContent
        var range: Range
    }

    struct CompletionItem: Encodable, Equatable {
        var label: String
        /// 10 property (a key), 12 value, 20 enum member.
        var kind: Int
        var detail: String?
        var documentation: String?
        var insertText: String?
    }

    struct CompletionList: Encodable {
        var isIncomplete = false
        var items: [CompletionItem]
    }
}

import ArgumentParser
import Foundation
import InquestCore

/// `inquest lsp`: the language server, on standard input and output.
struct LSPCommand: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server (LSP 3.17 over stdio) for editors.",
        discussion: """
            Diagnostics as you type (the whole archive around the edited buffer; unsaved text wins), \
            quick fixes from the rules' fixes, hover explanations and front-matter completion. \
            Editors start it themselves; see README, 'In your editor'.
            """)

    func run(in context: CLIContext) throws(CLIError) {
        let server = LanguageServer(transport: .standard, log: { context.err($0) }, usesCache: !context.cachesTurnedOff)
        let status = server.run()
        if status != 0 { throw CLIError(message: nil, code: status) }
    }
}

import ArgumentParser
import InquestCore

/// The `inquest` command: the tree of subcommands.
public struct Inquest: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "inquest",
        abstract: "Lint, index and publish blameless incident postmortems kept in git.",
        version: InquestVersion.current,
        subcommands: [Lint.self, Rules.self, Explain.self, Causes.self, Report.self, New.self, Init.self, Hook.self, Build.self, Publish.self, SchemaCommand.self, Export.self, Adopt.self, LSPCommand.self, Serve.self]
    )

    public init() {}
}

/// A command whose logic runs against a ``CLIContext`` (the real process, or a test's captured one).
protocol InquestCommand: ParsableCommand {
    func run(in context: CLIContext) throws(CLIError)
}

extension InquestCommand {
    func run() throws { try run(in: .process) }
}

/// Entry point of the executable and of in-process tests.
public enum InquestCLI {
    /// Parses `arguments` (without the program name), runs the command and returns the exit status.
    /// Every error ends here: usage errors and ``CLIError``s print to standard error and map to
    /// their exit code; help and `--version` print to standard output with 0.
    public static func run(_ arguments: [String], context: CLIContext) -> Int32 {
        if let message = unknownCommand(arguments) {
            context.err(message)
            return 2
        }
        do {
            var command = try parse(arguments)
            if let command = command as? any InquestCommand {
                try command.run(in: context)
            } else {
                try command.run()
            }
            return 0
        } catch let error as CLIError {
            if let message = error.message { context.err(message) }
            return error.code
        } catch {
            return report(error, arguments: arguments, context: context)
        }
    }

    /// The command `arguments` name. Parsing from the root makes the arguments of every command
    /// of the tree (to answer a completion-script request) on every run, a few milliseconds of a
    /// lint answered from its cache: a plain command line of a command without subcommands (no
    /// help, version or completion request) is parsed by that command alone. Anything it
    /// rejects is parsed again from the root, so that errors and usage read as they always do.
    static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        let special = arguments.contains { $0 == "-h" || $0 == "--help" || $0 == "--version" || $0.hasPrefix("--generate-completion") || $0.hasPrefix("--experimental") }
        if !special, let first = arguments.first,
           let leaf = Inquest.configuration.subcommands.first(where: { $0._commandName == first }), leaf.configuration.subcommands.isEmpty,
           let command = try? leaf.parseAsRoot(Array(arguments.dropFirst())) {
            return command
        }
        return try Inquest.parseAsRoot(arguments)
    }

    /// `inquest lnt` → `unknown command 'lnt'; did you mean 'lint'?`, at any level of the command tree
    /// (ArgumentParser alone would call it an unexpected argument).
    static func unknownCommand(_ arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Inquest.self
        var path = ["inquest"]
        for word in arguments {
            guard !word.hasPrefix("-") else { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { $0._commandName == word }) {
                command = next
                path.append(word)
                continue
            }
            if word == "help" { return nil }
            let names = subcommands.map { $0._commandName }
            let guess = names.first { $0.hasPrefix(word) && word.count >= 2 && names.filter { $0.hasPrefix(word) }.count == 1 }
                ?? Spelling.closest(to: word, in: names, maxDistance: 2)
            return "inquest: error: unknown command '\(word)'" + (guess.map { "; did you mean '\($0)'?" } ?? "")
                + " (see '\(path.joined(separator: " ")) --help')"
        }
        return nil
    }

    /// The process's own run: `CommandLine.arguments`, the real standard streams.
    public static func main() -> Int32 {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if opensRepository(arguments) {
            WorkspaceRepository.prepareGit()
            // This thread would wait for that set-up when it opens the repository: it compiles
            // the blame-language lexicon meanwhile, which checking any document needs.
            if ["lint", "lsp", "build"].contains(arguments[0]) { LanguageScan.prepareLexicon() }
        }
        return run(arguments, context: .process)
    }

    /// Whether the command line runs a command that opens the repository (libgit2's set-up is
    /// then started on another core while the arguments are parsed): every command but help,
    /// `--version`, the ones that only print what the binary knows, and `serve`, which replaces
    /// this process with `inquest-serve` (whose own start sets libgit2 up).
    static func opensRepository(_ arguments: [String]) -> Bool {
        guard let first = arguments.first, !first.hasPrefix("-") else { return false }
        return !["help", "explain", "rules", "serve"].contains(first) && !arguments.contains { $0 == "--help" || $0 == "-h" }
    }

    /// The `inquest-serve` program's run: `inquest serve` with its arguments, the server linked in
    /// (`server`; see ``PreviewServerLocation``).
    public static func serveMain(server: @escaping @Sendable (_ port: UInt16, _ configFile: String?, _ context: CLIContext) throws -> Void) -> Int32 {
        run(["serve"] + CommandLine.arguments.dropFirst(), context: .process(preview: .linked(server)))
    }

    /// ArgumentParser's errors: help and version go to standard output with 0; usage errors to
    /// standard error with 2 (ArgumentParser's default is 64).
    private static func report(_ error: any Error, arguments: [String], context: CLIContext) -> Int32 {
        let code = Inquest.exitCode(for: error)
        let message = Inquest.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { context.out(message.hasSuffix("\n") ? message : message + "\n") }
            return 0
        }
        if !message.isEmpty { context.err(usageError(message)) }
        return code == .validationFailure ? 2 : code.rawValue
    }

    /// ArgumentParser's `Error: Unknown option '--fix'` in Inquest's own form,
    /// `inquest: error: unknown option '--fix'`, so every error line starts the same way (for
    /// scripts and problem matchers); the usage lines after it stay.
    static func usageError(_ message: String) -> String {
        guard message.hasPrefix("Error: ") else { return message }
        var rest = Substring(message.dropFirst("Error: ".count))
        // Lowercase a capitalised first word ("Unknown"), not an acronym or a quoted name.
        if let first = rest.first, first.isUppercase, rest.dropFirst().first?.isLowercase == true {
            rest = Substring(first.lowercased()) + rest.dropFirst()
        }
        return "inquest: error: " + rest
    }
}

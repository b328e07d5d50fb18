import ArgumentParser
import Foundation
import XCTest
@testable import InquestCLI
@testable import InquestCore
import InquestTestSupport

/// The runner: one error → exit-code path, shared source options, help and usage.
final class InquestCLITests: XCTestCase {
    func testRevAndStagedTogetherIsAUsageErrorForEveryCommandThatReadsTheArchive() {
        for command in [["lint"], ["causes"], ["report", "actions"], ["build"]] {
            let run = CLI.run(command + ["--rev", "HEAD", "--staged"])
            XCTAssertEqual(run.status, 2, "\(command)")
            XCTAssertTrue(run.stderr.contains("--rev and --staged cannot be combined"), "\(command): \(run.stderr)")
            XCTAssertEqual(run.stdout, "")
        }
    }

    func testPublishRefusesTheIndex() {
        let run = CLI.run(["publish", "--staged"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--staged cannot be used"), run.stderr)
    }

    func testHelpGoesToStandardOutputWithZero() {
        let run = CLI.run(["lint", "--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("--staged"), run.stdout)
        XCTAssertEqual(run.stderr, "")
        let group = CLI.run(["report"])
        XCTAssertEqual(group.status, 0)
        XCTAssertTrue(group.stdout.contains("actions"), group.stdout)
    }

    func testEveryCommandNamesItselfSoStartingReflectsOnNoTypeName() {
        // ArgumentParser otherwise derives a name from the type's name (String(describing:), a
        // demangling per command) on every start, before any command runs.
        func check(_ command: any ParsableCommand.Type, path: String) {
            let name = command.configuration.commandName
            XCTAssertNotNil(name, "\(path) \(command) has no commandName")
            for sub in command.configuration.subcommands { check(sub, path: path + " " + (name ?? "?")) }
        }
        check(Inquest.self, path: "")
    }

    func testErrorsMapToExitCodesInOnePlace() {
        XCTAssertEqual(CLIError(SourceError("no such thing")), CLIError(message: "inquest: error: no such thing", code: 2))
        XCTAssertEqual(CLIError(CLIError.lintFailed("why")), CLIError(message: "why", code: 1))
        XCTAssertEqual(CLIError(Scaffold.ScaffoldError.exists("a.md")).code, 2)
    }

    func testOutsideARepositoryRevIsAnErrorWithExitTwo() throws {
        let archive = try CLI.temporaryArchive(self)
        let run = CLI.run(["lint", "--rev", "HEAD"], in: archive)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.hasPrefix("inquest: error: "), run.stderr)
    }

    func testPublishDefaultMessageWithoutACommitSaysWhichVersionBuiltIt() {
        XCTAssertEqual(Publish.defaultMessage(target: nil), "Publish postmortems site\n\nBuilt by inquest \(InquestVersion.current).\n")
    }

    func testExplainWrapsAtEightyEightColumns() {
        let text = String(repeating: "word ", count: 60)
        let lines = Explain.wrap(text).split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 88 })
    }

    func testAMistypedCommandGetsADidYouMeanAndExitTwo() {
        let run = CLI.run(["lnt"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "inquest: error: unknown command 'lnt'; did you mean 'lint'? (see 'inquest --help')\n")
        let nested = CLI.run(["report", "actoins"])
        XCTAssertEqual(nested.status, 2)
        XCTAssertTrue(nested.stderr.contains("did you mean 'actions'? (see 'inquest report --help')"), nested.stderr)
        XCTAssertEqual(CLI.run(["lint", "postmortems/2024"]).status, 0, "arguments of a leaf command are not commands")
    }

    func testGitSetUpStartsEarlyOnlyForCommandsThatOpenTheRepository() {
        for arguments in [["lint"], ["lint", "postmortems/a.md"], ["build", "--output", "x"], ["schema"], ["report", "actions"], ["lsp"]] {
            XCTAssertTrue(InquestCLI.opensRepository(arguments), "\(arguments)")
        }
        for arguments in [[], ["--version"], ["--help"], ["help", "lint"], ["explain", "blameless/blame-words"], ["rules"], ["lint", "--help"], ["build", "-h"],
                          ["serve", "--port", "0"]] {
            XCTAssertFalse(InquestCLI.opensRepository(arguments), "\(arguments)")
        }
    }

    /// A command line of a command without subcommands is parsed by that command alone (not
    /// with the argument sets of the whole tree): the same command, holding the same values, as
    /// parsed from the root.
    func testACommandParsedAloneEqualsTheSameCommandParsedFromTheRoot() throws {
        for arguments in [["lint", "--strict", "--no-color", "postmortems/a.md"], ["lint", "--format", "json", "--staged", "--quiet"],
                          ["build", "--output", "out", "--clean"], ["build"]] {
            let alone = try InquestCLI.parse(arguments)
            let root = try Inquest.parseAsRoot(arguments)
            XCTAssertTrue(type(of: alone) == type(of: root), "\(arguments)")
            XCTAssertEqual(String(reflecting: alone), String(reflecting: root), "\(arguments)")
        }
    }

    func testUsageErrorsStartLikeEveryOtherError() {
        let unknown = CLI.run(["lint", "--fixx"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("inquest: error: unknown option '--fixx'. Did you mean '--fix'?\n"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("Usage: inquest lint"), "the usage lines stay: \(unknown.stderr)")
        let stdin = CLI.run(["lint", "-"])
        XCTAssertEqual(stdin.status, 2)
        XCTAssertTrue(stdin.stderr.hasPrefix("inquest: error: '-' needs --stdin-filename PATH"), stdin.stderr)
        XCTAssertEqual(InquestCLI.usageError("Error: SARIF needs a file"), "inquest: error: SARIF needs a file", "acronyms keep their case")
    }

    func testWarnIsASeverityWordInTheConfiguration() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "rules:\n  structure/empty-section: warn\n",
            "postmortems/a.md": CLI.postmortem() + "\n## Appendix\n\n<!-- empty -->\n",
        ])
        let run = CLI.run(["lint", "--format", "json"], in: root)
        XCTAssertTrue(run.stdout.contains("\"severity\":\"warning\",\"rule\":\"structure/empty-section\""), run.stdout + run.stderr)
    }

    func testCompletionScriptsNameTheCommands() {
        for shell in ["bash", "zsh", "fish"] {
            let run = CLI.run(["--generate-completion-script", shell])
            XCTAssertEqual(run.status, 0, shell)
            for command in ["lint", "explain", "report", "causes"] { XCTAssertTrue(run.stdout.contains(command), "\(shell): \(command)") }
        }
    }

    func testMakeInstallInstallsTheManPageAndCompletions() throws {
        let makefile = try CLI.read("Makefile", in: Repository.root)
        XCTAssertTrue(makefile.contains("generate-manual"))
        for line in ["share/man/man1/inquest.1", "--generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/inquest",
                     "--generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_inquest",
                     "--generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/inquest.fish"] {
            XCTAssertTrue(makefile.contains(line), line)
        }
    }
}

import Foundation
import XCTest
@testable import InquestCLI
import InquestCore
import InquestTestSupport

/// `inquest lint`, run in-process: exit codes, paths, formats.
final class LintCommandTests: XCTestCase {
    func testBrokenExamplesExitOneAndShowEveryRegisteredRule() throws {
        let run = CLI.run(["lint", "examples/broken", "--format", "json"])
        XCTAssertEqual(run.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rules = Set((object["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
        let listed = CLI.run(["rules"]).stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        // Rules that need git state are demonstrated by the git tests instead.
        let expected = Set(listed.filter { !$0.hasPrefix("git/") })
        XCTAssertEqual(expected.subtracting(rules), [], "rules not demonstrated by examples/broken")
    }

    func testTextOutputIsCompilerStyleWithPathsFromTheCurrentDirectory() throws {
        let run = CLI.run(["lint", "examples/broken"])
        XCTAssertTrue(run.stdout.contains("examples/broken/2025-06-01-checkout-outage.md:5:11: error: 'severity' must be one of SEV1, SEV2, SEV3, SEV4, found 'SEV9' [schema/invalid-value]"), run.stdout)
    }

    func testREADMEOutputExcerptIsRealOutput() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let output = CLI.run(["lint", "examples/broken"]).stdout
        let excerpt = readme.components(separatedBy: "\n").filter { $0.hasPrefix("examples/broken/") }
        XCTAssertGreaterThanOrEqual(excerpt.count, 3)
        for line in excerpt { XCTAssertTrue(output.contains(line + "\n"), "README shows output the tool no longer prints: \(line)") }
    }

    func testStrictFailsOnWarnings() throws {
        let repo = try CLI.temporaryArchive(self)
        let text = try String(contentsOf: Repository.root.appendingPathComponent("postmortems/2024/2024-01-23-sessions-cache-host-loss.md"), encoding: .utf8)
        try (text + "\n## Appendix\n\n<!-- empty -->\n").write(to: repo.appendingPathComponent("postmortems/a.md"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("postmortems/causes.yml"), to: repo.appendingPathComponent("postmortems/causes.yml"))
        XCTAssertEqual(CLI.run(["lint"], in: repo).status, 0)
        XCTAssertEqual(CLI.run(["lint", "--strict"], in: repo).status, 1)
    }

    func testRunsThatWouldCheckNothingAreErrors() throws {
        let repo = try CLI.temporaryArchive(self)
        try "postmortems: nothere\n".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let missing = CLI.run(["lint"], in: repo)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no postmortems folder 'nothere'"), missing.stderr)
        try "".write(to: repo.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(at: repo.appendingPathComponent("postmortems"), to: repo.appendingPathComponent("real"))
        try FileManager.default.createSymbolicLink(at: repo.appendingPathComponent("postmortems"), withDestinationURL: repo.appendingPathComponent("real"))
        let linked = CLI.run(["lint"], in: repo)
        XCTAssertEqual(linked.status, 2)
        XCTAssertTrue(linked.stderr.contains("symbolic link"), linked.stderr)
        XCTAssertEqual(CLI.run(["lint", "/etc/hostname"]).status, 2)
    }

    func testMissingPathExitsTwo() throws {
        let run = CLI.run(["lint", "no/such/folder"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("no such file or folder"), run.stderr)
    }

    func testOutputIsByteIdenticalAcrossRuns() throws {
        for format in ["text", "json", "sarif", "github"] {
            let a = CLI.run(["lint", "examples/broken", "--format", format]).stdout
            let b = CLI.run(["lint", "examples/broken", "--format", format]).stdout
            XCTAssertEqual(a, b, format)
        }
    }

    /// A long text output is rendered in pieces on every core; joined, the pieces are the bytes
    /// the formatter gives in one go (colour or not, quiet or not, with excerpts and without).
    func testLongTextOutputRenderedInPiecesIsTheSameBytes() {
        let text = (1...40).map { "line \($0): the cache host failed\tover, then \u{1B}[31mrecovered" }.joined(separator: "\n")
        let sources = ["postmortems/a.md": SourceText(bytes: Array(text.utf8))]
        let diagnostics = (0..<97).map { index in
            Diagnostic(file: index % 5 == 0 ? "postmortems/b.md" : "postmortems/a.md",
                       range: SourceRange(start: SourcePosition(line: index % 40 + 1, column: index % 7 + 1),
                                          end: SourcePosition(line: index % 40 + 1, column: index % 7 + 4)),
                       severity: [.error, .warning, .info][index % 3], rule: "causes/recurring", message: "finding \(index)",
                       suggestion: index % 2 == 0 ? "fix it" : nil)
        }
        let summary = DiagnosticSummary(files: 2, diagnostics: diagnostics)
        for (color, quiet) in [(false, false), (true, false), (false, true)] {
            let formatter = DiagnosticFormatter(format: .text, color: color, quiet: quiet)
            let whole = formatter.render(diagnostics, summary: summary, sources: sources)
            for size in [1, 7, 96] {
                XCTAssertEqual(Lint.render(diagnostics, with: formatter, summary: summary, sources: sources, pieceSize: size), whole,
                               "pieces of \(size), color \(color), quiet \(quiet)")
            }
        }
        let json = DiagnosticFormatter(format: .json)
        XCTAssertEqual(Lint.render(diagnostics, with: json, summary: summary, sources: sources, pieceSize: 7),
                       json.render(diagnostics, summary: summary, sources: sources), "other formats are rendered in one go")
    }
}

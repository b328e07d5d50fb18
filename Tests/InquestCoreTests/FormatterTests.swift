import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Golden files for the four formats, from linting `examples/broken` as the CLI does.
/// Set INQUEST_UPDATE_GOLDEN=1 to rewrite them after an intended change.
final class FormatterTests: XCTestCase {
    private func brokenArchive() throws -> (diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText]) {
        let root = Repository.root.appendingPathComponent("examples/broken")
        let workspace = try Workspace.open(at: root)
        let input = try workspace.lintInput(source: WorkingTreeSource(root: workspace.root), paths: [], from: root)
        let result = Linter(configuration: workspace.configuration).lint(input)
        var sources: [String: SourceText] = [:]
        for postmortem in result.archive.postmortems { sources[postmortem.path] = postmortem.source }
        if let catalogue = result.archive.catalogue { sources[catalogue.path] = catalogue.source }
        return (result.diagnostics, result.summary, sources)
    }

    private func assertGolden(_ format: OutputFormat, file: StaticString = #filePath, line: UInt = #line) throws {
        let (diagnostics, summary, sources) = try brokenArchive()
        let output = DiagnosticFormatter(format: format, version: "0.0.0-test").render(diagnostics, summary: summary, sources: sources)
        let golden = Repository.fixtures.appendingPathComponent("golden/broken.\(format.rawValue)")
        if ProcessInfo.processInfo.environment["INQUEST_UPDATE_GOLDEN"] == "1" {
            try output.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        if output != expected {
            // Report the first differing line, not two whole files.
            let a = output.components(separatedBy: "\n"), b = expected.components(separatedBy: "\n")
            let index = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            let got = index < a.count ? String(a[index].prefix(300)) : "<end>", want = index < b.count ? String(b[index].prefix(300)) : "<end>"
            XCTFail("\(format) output differs from \(golden.lastPathComponent) at line \(index + 1):\n got: \(got)\nwant: \(want)\n(INQUEST_UPDATE_GOLDEN=1 rewrites it)", file: file, line: line)
        }
    }

    func testTextMatchesGolden() throws { try assertGolden(.text) }
    func testJSONMatchesGolden() throws { try assertGolden(.json) }
    func testSARIFMatchesGolden() throws { try assertGolden(.sarif) }
    func testGitHubMatchesGolden() throws { try assertGolden(.github) }

    func testJSONIsValidAndHasTheDocumentedShape() throws {
        let (diagnostics, summary, sources) = try brokenArchive()
        let output = DiagnosticFormatter(format: .json).render(diagnostics, summary: summary, sources: sources)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? Int, 1)
        let items = try XCTUnwrap(object["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(items.count, diagnostics.count)
        XCTAssertEqual(Set(items[0].keys).isSuperset(of: ["file", "line", "column", "endLine", "endColumn", "severity", "rule", "message"]), true)
        let counts = try XCTUnwrap(object["summary"] as? [String: Int])
        XCTAssertEqual(counts["errors"], summary.errors)
        XCTAssertEqual(counts["files"], summary.files)
    }

    func testSARIFHasRulesResultsAndFingerprints() throws {
        let (diagnostics, summary, sources) = try brokenArchive()
        let output = DiagnosticFormatter(format: .sarif).render(diagnostics, summary: summary, sources: sources)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? String, "2.1.0")
        let run = try XCTUnwrap((object["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.count, RuleRegistry.all.count)
        XCTAssertNotNil(rules[0]["shortDescription"])
        XCTAssertNotNil(rules[0]["fullDescription"])
        XCTAssertNotNil(rules[0]["help"])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, diagnostics.count)
        let fingerprints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?.values.first }
        XCTAssertEqual(Set(fingerprints).count, results.count, "fingerprints are unique")
        let region = try XCTUnwrap(((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Int])
        XCTAssertEqual(region["startLine"], diagnostics[0].range.start.line)
    }

    func testSARIFNarrowedToTheRulesThatFiredDescribesOnlyThoseAndIndexesThem() throws {
        let (diagnostics, summary, sources) = try brokenArchive()
        let fired = Set(diagnostics.map(\.rule))
        var formatter = DiagnosticFormatter(format: .sarif)
        formatter.sarifRules = RuleRegistry.all.filter { fired.contains($0.id) }
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(formatter.render(diagnostics, summary: summary, sources: sources).utf8)) as? [String: Any])
        let run = try XCTUnwrap((object["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        XCTAssertEqual(Set(rules.compactMap { $0["id"] as? String }), fired)
        XCTAssertLessThan(rules.count, RuleRegistry.all.count)
        for result in try XCTUnwrap(run["results"] as? [[String: Any]]) {
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(rules[index]["id"] as? String, result["ruleId"] as? String)
        }
    }

    func testGitHubEscaping() {
        let diagnostic = Diagnostic(file: "a,b:c.md", range: .line(3), severity: .warning, rule: "x/y", message: "100% wrong\nsecond", suggestion: nil)
        let output = DiagnosticFormatter(format: .github).render([diagnostic], summary: DiagnosticSummary(files: 1, diagnostics: [diagnostic]), sources: [:])
        XCTAssertEqual(output, "::warning file=a%2Cb%3Ac.md,line=3,col=1,endLine=3,endColumn=1,title=x/y::100%25 wrong%0Asecond\n")
    }

    func testQuietShowsOnlyErrors() throws {
        let (diagnostics, summary, sources) = try brokenArchive()
        let output = DiagnosticFormatter(format: .github, quiet: true).render(diagnostics, summary: summary, sources: sources)
        XCTAssertFalse(output.contains("::warning"))
        XCTAssertTrue(output.contains("::error"))
    }

    func testTextUnderlinesTheRangeAndEndsWithASummary() {
        let source = SourceText(bytes: Array("---\nseverity: SEV9\n---\n".utf8))
        let diagnostic = Diagnostic(file: "a.md", range: SourceRange(start: .init(line: 2, column: 11), end: .init(line: 2, column: 15)),
                                    severity: .error, rule: "schema/invalid-value", message: "bad", suggestion: "fix it")
        let output = DiagnosticFormatter(format: .text).render([diagnostic], summary: DiagnosticSummary(files: 1, diagnostics: [diagnostic]), sources: ["a.md": source])
        XCTAssertEqual(output, """
        a.md:2:11: error: bad [schema/invalid-value]
           |
         2 | severity: SEV9
           |           ^~~~
          help: fix it
        1 file checked: 1 error, 0 warnings, 0 infos

        """)
    }

    func testOutputIsDeterministicAcrossRuns() throws {
        let first = try brokenArchive(), second = try brokenArchive()
        XCTAssertEqual(first.diagnostics, second.diagnostics)
    }
}

extension FormatterTests {
    func testTerminalEscapesInSourceAndMessagesAreNeutralised() {
        let source = SourceText(bytes: Array("title: \u{1B}[31mred\u{1B}]0;pwned\u{07}\n".utf8))
        let diagnostic = Diagnostic(file: "a\nb.md", range: SourceRange(start: .init(line: 1, column: 8), end: .init(line: 1, column: 12)),
                                    severity: .error, rule: "x/y", message: "bad \u{1B}[2J value", suggestion: nil)
        let output = DiagnosticFormatter(format: .text).render([diagnostic], summary: DiagnosticSummary(files: 1, diagnostics: [diagnostic]), sources: ["a\nb.md": source])
        XCTAssertFalse(output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        XCTAssertTrue(output.hasPrefix("a\u{FFFD}b.md:1:8: error: bad \u{FFFD}[2J value [x/y]\n"), output)
    }

    func testUnderlineIsMeasuredInTerminalCellsAfterCJKAndEmoji() {
        let text = "---\ntitle: 障害 🔥 x\n---\n"
        let source = SourceText(bytes: Array(text.utf8))
        let start = text.utf8.count - "x\n---\n".utf8.count
        let diagnostic = Diagnostic(file: "a.md", range: source.range(of: start..<(start + 1)), severity: .error, rule: "x/y", message: "bad")
        let output = DiagnosticFormatter(format: .text).render([diagnostic], summary: DiagnosticSummary(files: 1, diagnostics: [diagnostic]), sources: ["a.md": source])
        let lines = output.components(separatedBy: "\n")
        // "title: " is 7 cells, 障害 4, the space 1, 🔥 2, the space 1: the caret sits under x, in cell 16.
        XCTAssertEqual(lines[2], " 2 | title: 障害 🔥 x")
        XCTAssertEqual(lines[3], "   | " + String(repeating: " ", count: 15) + "^")
        XCTAssertEqual(TextFormatter.cells("\u{0301}"), 0)
        XCTAssertEqual(TextFormatter.cells("é"), 1)
    }

    func testInfoPrintsAsNoteForGccStyleProblemMatchers() {
        let source = SourceText(bytes: Array("a\n".utf8))
        let diagnostic = Diagnostic(file: "a.md", range: .line(1), severity: .info, rule: "x/y", message: "fyi")
        let output = DiagnosticFormatter(format: .text).render([diagnostic], summary: DiagnosticSummary(files: 1, diagnostics: [diagnostic]), sources: ["a.md": source])
        let first = output.components(separatedBy: "\n")[0]
        XCTAssertEqual(first, "a.md:1:1: note: fyi [x/y]")
        // The pattern GitHub's and VS Code's gcc matchers use, extended to note.
        let pattern = try! NSRegularExpression(pattern: "^(.+):(\\d+):(\\d+):\\s+(error|warning|note):\\s+(.*)$")
        XCTAssertEqual(pattern.numberOfMatches(in: first, range: NSRange(first.startIndex..., in: first)), 1)
    }

    func testOrderedJSONEncoderKeepsDeclaredKeyOrderAndNests() {
        struct Inner: Encodable { var b: Int; var a: [String?] }
        struct Outer: Encodable {
            var zeta: String
            var alpha: Bool
            var inner: Inner
            var missing: Int?
            enum CodingKeys: String, CodingKey { case zeta, alpha, inner, missing, manual }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(zeta, forKey: .zeta)
                try container.encode(alpha, forKey: .alpha)
                try container.encode(inner, forKey: .inner)
                try container.encodeIfPresent(missing, forKey: .missing)
                var nested = container.nestedUnkeyedContainer(forKey: .manual)
                try nested.encode(1.5)
                var object = nested.nestedContainer(keyedBy: CodingKeys.self)
                try object.encodeNil(forKey: .zeta)
            }
        }
        let text = OrderedJSONEncoder.encode(Outer(zeta: "q\"<\n", alpha: true, inner: Inner(b: 2, a: ["x", nil]), missing: nil))
        XCTAssertEqual(text, #"{"zeta":"q\"<\n","alpha":true,"inner":{"b":2,"a":["x",null]},"manual":[1.5,{"zeta":null}]}"#)
    }
}

/// SARIF links: `helpUri` and `informationUri` come from the archive's `docs_url`, or are left out.
extension FormatterTests {
    private func sarifDriver(docsURL: DocsURL?) throws -> (output: String, driver: [String: Any]) {
        let (diagnostics, summary, sources) = try brokenArchive()
        let output = DiagnosticFormatter(format: .sarif, docsURL: docsURL).render(diagnostics, summary: summary, sources: sources)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let run = try XCTUnwrap((object["runs"] as? [[String: Any]])?.first)
        return (output, try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any]))
    }

    func testSARIFWithoutDocsURLLeavesOutTheLinksButKeepsTheHelpText() throws {
        let (output, driver) = try sarifDriver(docsURL: nil)
        XCTAssertNil(driver["informationUri"])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.count, RuleRegistry.all.count)
        for rule in rules {
            XCTAssertNil(rule["helpUri"], "\(rule["id"] ?? "")")
            let help = try XCTUnwrap(rule["help"] as? [String: String])
            XCTAssertTrue(help["markdown"]?.hasPrefix("**\(rule["id"] as? String ?? "")**: ") == true, "\(help)")
            XCTAssertFalse(help["text"]?.isEmpty ?? true)
        }
        XCTAssertFalse(output.contains("helpUri") || output.contains("informationUri") || output.contains("your-org"))
    }

    func testSARIFWithAPerRuleDocsURLLinksEachRuleToItsPage() throws {
        let (_, driver) = try sarifDriver(docsURL: DocsURL("https://docs.example.com/inquest/rules/{rule}.html"))
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.compactMap { $0["helpUri"] as? String }, RuleRegistry.all.map { "https://docs.example.com/inquest/rules/\($0.id).html" })
        XCTAssertNil(driver["informationUri"], "no page documents the tool as a whole")
    }

    func testSARIFWithOneDocsPageLinksEveryRuleToItAndTheToolToThePage() throws {
        let (_, driver) = try sarifDriver(docsURL: DocsURL("https://git.example.com/tools/inquest/blob/main/README.md#rules"))
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(Set(rules.compactMap { $0["helpUri"] as? String }), ["https://git.example.com/tools/inquest/blob/main/README.md#rules"])
        XCTAssertEqual(rules.compactMap { $0["helpUri"] }.count, rules.count)
        XCTAssertEqual(driver["informationUri"] as? String, "https://git.example.com/tools/inquest/blob/main/README.md")
    }
}

import XCTest
@testable import InquestCore
import InquestTestSupport

/// Bad input gets a diagnostic, never a crash or a hang.
final class RobustnessTests: XCTestCase {
    private func lint(_ bytes: [UInt8]) -> [Diagnostic] {
        Linter().lint(LintInput(documents: [RawDocument(path: "postmortems/x.md", bytes: bytes)], catalogue: nil)).diagnostics
    }

    func testEmptyFileReportsMissingFrontMatter() {
        XCTAssertEqual(lint([]).map(\.rule), ["syntax/front-matter"])
    }

    func testBinaryFileReportsEncodingAtTheFirstNul() {
        let diagnostics = lint([0x2D, 0x2D, 0x2D, 0x0A, 0x00, 0x01, 0xFF])
        XCTAssertEqual(diagnostics.map(\.rule), ["syntax/encoding"])
        XCTAssertEqual(diagnostics.first?.range.start, SourcePosition(line: 2, column: 1))
    }

    func testInvalidUTF8ReportsEncodingAtTheBadByte() {
        let diagnostics = lint(Array("---\ntitle: caf".utf8) + [0xE9] + Array("\n---\n".utf8))
        XCTAssertEqual(diagnostics.map(\.rule), ["syntax/encoding"])
        XCTAssertEqual(diagnostics.first?.range.start, SourcePosition(line: 2, column: 11))
    }

    func testFrontMatterOnlyReportsSchemaAndStructureNotACrash() {
        let diagnostics = lint(Array("---\ntitle: x\n---\n".utf8))
        XCTAssertTrue(diagnostics.contains { $0.rule == "structure/missing-section" })
        XCTAssertFalse(diagnostics.contains { $0.rule.hasPrefix("syntax/") })
    }

    func testUnterminatedFrontMatterIsReportedAtTheOpeningFence() {
        let diagnostics = lint(Array("---\ntitle: x\n\n## Summary\n".utf8))
        XCTAssertEqual(diagnostics.map(\.rule), ["syntax/front-matter"])
        XCTAssertEqual(diagnostics.first?.range.start, SourcePosition(line: 1, column: 1))
    }

    func testFrontMatterThatIsNotAMappingIsReported() {
        XCTAssertEqual(lint(Array("---\n- a\n- b\n---\n".utf8)).map(\.rule), ["syntax/front-matter"])
    }

    func testYAMLErrorIsReportedAtYAMLsLine() {
        let diagnostics = lint(Array("---\ntitle: x\nservices: [a\nstatus: final\n---\n".utf8))
        XCTAssertEqual(diagnostics.map(\.rule), ["syntax/front-matter"])
        XCTAssertGreaterThanOrEqual(diagnostics.first?.range.start.line ?? 0, 3)
    }

    func testAliasBombIsRejectedQuickly() {
        var yaml = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for level in 0..<20 {
            let name = "l\(level)"
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        yaml += "---\n"
        let diagnostics = lint(Array(yaml.utf8))
        XCTAssertEqual(diagnostics.map(\.rule), ["syntax/front-matter"])
        XCTAssertEqual(diagnostics.first?.message, "YAML anchors and aliases are not allowed")
        XCTAssertEqual(diagnostics.first?.range.start.line, 2)
    }

    /// Nesting far past the tree's depth cap (200): `- - - … item` opens one list per marker on a
    /// single line, so 5,000 levels cost 10 KB (indenting each level instead would cost 25 MB).
    func testDeeplyNestedListsDoNotExhaustTheStack() {
        let body = String(repeating: "- ", count: 5_000) + "item\n"
        let text = ExampleDocument.make(sections: ["Impact": body])
        let diagnostics = lint(Array(text.utf8))
        XCTAssertFalse(diagnostics.contains { $0.rule.hasPrefix("syntax/") })
    }

    /// The indented form too, past the cap (300 levels, 90 KB of indentation).
    func testDeeplyIndentedListsDoNotExhaustTheStack() {
        var body = ""
        for depth in 0..<300 { body += String(repeating: "  ", count: depth) + "- item\n" }
        let text = ExampleDocument.make(sections: ["Impact": body])
        XCTAssertFalse(lint(Array(text.utf8)).contains { $0.rule.hasPrefix("syntax/") })
    }

    func testDeeplyNestedBlockquotesDoNotExhaustTheStack() {
        let text = ExampleDocument.make(sections: ["Impact": String(repeating: ">", count: 20_000) + " deep"])
        XCTAssertFalse(lint(Array(text.utf8)).contains { $0.rule.hasPrefix("syntax/") })
    }

    /// A large file is linted, and linting time grows linearly with its size: 256 KB and 1 MB of
    /// prose compared with a generous bound (linear is 4×, quadratic code shows 16×). The 20 MB
    /// run this replaces took 14 s and proved no more.
    func testLargeFilesAreLintedInLinearTime() {
        func document(kilobytes: Int) -> String {
            let paragraph = String(repeating: "The cache evicted entries under memory pressure. ", count: 20) + "\n\n"
            let target = kilobytes * 1024
            var body = ""
            body.reserveCapacity(target + paragraph.utf8.count)
            while body.utf8.count < target { body += paragraph }
            return ExampleDocument.make() + "\n## Appendix\n\n" + body
        }
        var diagnostics: [Diagnostic] = []
        // 96 KB × 8 against the limit 20 (2.5 × the factor, as 10 was for 4×) fails a smaller
        // quadratic term than 256 KB × 4 against 10 did, for two thirds of the work.
        assertScalesLinearly("96 KB → 768 KB of prose", size: 96, factor: 8, limit: 20, warmUp: false, smallRuns: 2,
                             input: { document(kilobytes: $0) }) { diagnostics = Lint.run($0) }
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics.prefix(3).map(\.message))")
    }

    func testSymlinkPointingOutsideTheRepositoryIsNotFollowed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-symlink-\(UUID().uuidString)")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-outside-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("postmortems"), withIntermediateDirectories: true)
        try ExampleDocument.make().write(to: outside, atomically: true, encoding: .utf8)
        try ExampleDocument.make().write(to: root.appendingPathComponent("postmortems/inside.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("postmortems/link.md"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("postmortems/dir"), withDestinationURL: FileManager.default.temporaryDirectory)
        let documents = try WorkingTreeSource(root: root).postmortemFiles(under: "postmortems")
        XCTAssertEqual(documents.map(\.path), ["postmortems/inside.md"])
        XCTAssertNil(try WorkingTreeSource(root: root).file("postmortems/link.md"))
    }
}

import Foundation

extension RobustnessTests {
    func testAmpersandsAndAsterisksInsideValuesAreNotAnchors() {
        for value in ["Checkout & payments down", "Errors on *.example.com", "\"The \\\"Pay now\\\" button & checkout failed\"",
                      "'It''s the DB & cache'", "[a & b, c]", "Retries & backoff * 3"] {
            XCTAssertNil(YAMLTreeParser.anchorOrAlias(in: "title: \(value)\n"), value)
        }
    }

    func testRealAnchorsAndAliasesAreFound() {
        XCTAssertEqual(YAMLTreeParser.anchorOrAlias(in: "a: &x 1\nb: *x\n")?.0, 1)
        XCTAssertEqual(YAMLTreeParser.anchorOrAlias(in: "a: 1\nb: [1, *x]\n")?.1, 8)
        XCTAssertEqual(YAMLTreeParser.anchorOrAlias(in: "list:\n  - &first one\n")?.1, 5)
        XCTAssertEqual(YAMLTreeParser.anchorOrAlias(in: "<<: *base\n")?.1, 5)
    }
}

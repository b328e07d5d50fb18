import Foundation
import InquestTestSupport
import XCTest
@testable import InquestCore

/// CONTRIBUTING.md's example rule is real: the quoted code is the file
/// `ContributingExample/MissingDetectionRule.swift` byte for byte, it compiles (it is part of this
/// target), and it passes what every registered rule must pass: its triggering examples fire, its
/// passing examples and the clean baseline document do not, its messages follow the style.
final class ContributingExampleTests: XCTestCase {
    let rule = MissingDetectionRule()

    /// The diagnostics `rule` reports on a whole example archive.
    func findings(_ document: String, otherFiles: [String: String] = ExampleDocument.catalogueFiles) -> [Finding] {
        let configuration = Configuration()
        let parser = PostmortemParser(schema: configuration.schema)
        let postmortem = parser.parse(RawDocument(path: Lint.path, bytes: Array(document.utf8)))
        let archive = Archive(postmortems: [postmortem], catalogue: nil)
        var found = Findings()
        rule.check(postmortem, context: RuleContext(configuration: configuration, archive: archive), into: &found)
        return found.items
    }

    func testTheQuotedRuleIsTheFileInTheTree() throws {
        let contributing = try String(contentsOf: Repository.root.appendingPathComponent("CONTRIBUTING.md"), encoding: .utf8)
        let marker = "<!-- example rule: Tests/InquestCoreTests/ContributingExample/MissingDetectionRule.swift -->\n```swift\n"
        let start = try XCTUnwrap(contributing.range(of: marker), "CONTRIBUTING.md lacks the example rule's marker")
        let end = try XCTUnwrap(contributing.range(of: "\n```", range: start.upperBound..<contributing.endIndex))
        let quoted = String(contributing[start.upperBound..<end.lowerBound]) + "\n"
        let file = try String(contentsOf: Repository.root.appendingPathComponent("Tests/InquestCoreTests/ContributingExample/MissingDetectionRule.swift"),
                              encoding: .utf8)
        let body = try XCTUnwrap(file.range(of: "/// `structure/missing-detection`"), "the rule's doc comment starts the quoted part")
        XCTAssertEqual(quoted, String(file[body.lowerBound...]), "CONTRIBUTING.md's example rule differs from the file in the tree")
    }

    func testTriggeringExamplesFireAndPassingExamplesDoNot() {
        for example in rule.documentation.triggering {
            XCTAssertEqual(findings(example.document, otherFiles: example.otherFiles).count, 1, example.focus)
        }
        for example in rule.documentation.passing {
            XCTAssertEqual(findings(example.document, otherFiles: example.otherFiles).map(\.message), [], example.focus)
        }
    }

    func testTheCleanBaselineDocumentStaysClean() {
        // Every registered rule must be silent on the baseline (RuleRegistryTests): so must the example.
        XCTAssertEqual(findings(ExampleDocument.make()).map(\.message), [])
    }

    func testItUnderlinesTheSeverityKeyWithAStyledMessage() throws {
        let document = ExampleDocument.make(fields: ["severity": "SEV1"])
        let finding = try XCTUnwrap(findings(document).first)
        let line = document.split(separator: "\n", omittingEmptySubsequences: false)[finding.range.start.line - 1]
        XCTAssertTrue(line.hasPrefix("severity:"), String(line))
        XCTAssertEqual(finding.range.start.column, 1)
        XCTAssertFalse(finding.message.hasSuffix("."))
        XCTAssertTrue(finding.message.first?.isLowercase == true, finding.message)
        XCTAssertNotNil(finding.suggestion)
    }

    func testTheExampleIsNotARuleUsersGet() {
        XCTAssertNil(RuleRegistry.rule(rule.id), "the example must stay out of the registry (no behaviour change for users)")
    }
}

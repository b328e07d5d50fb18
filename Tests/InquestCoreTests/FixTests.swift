import XCTest
@testable import InquestCore
import InquestTestSupport

/// Fixes that rules attach, and the ``Fixer`` that applies them.
final class FixTests: XCTestCase {
    private static let catalogueWithAliases = ExampleDocument.catalogue + """
    unbounded-retries:
      title: Unbounded retries
      description: Clients retried without a budget.
      aliases: [retry-storm]

    """

    /// Lints `document`, applies every fix once, and checks that a second run finds nothing more to fix.
    private func fixed(_ document: String, path: String = Lint.path, catalogue: String = catalogueWithAliases,
                       configuration: Configuration = Configuration(), file: StaticString = #filePath, line: UInt = #line) -> String {
        let files = ["postmortems/causes.yml": catalogue]
        let diagnostics = Lint.run(document, path: path, otherFiles: files, configuration: configuration)
        let result = Fixer.apply(diagnostics.compactMap(\.fix), to: Array(document.utf8))
        XCTAssertEqual(result.skipped, [], file: file, line: line)
        let again = Lint.run(String(decoding: result.bytes, as: UTF8.self), path: path, otherFiles: files, configuration: configuration)
        XCTAssertEqual(again.compactMap(\.fix), [], "a second --fix would change more: \(again.filter { $0.fix != nil }.map(\.message))", file: file, line: line)
        return String(decoding: result.bytes, as: UTF8.self)
    }

    func testMisspeltStatusAndSeverityAreFixedWhenOneCandidateIsClosest() {
        let text = fixed(ExampleDocument.make(fields: ["status": "finall", "severity": "sev2"]))
        XCTAssertTrue(text.contains("\nstatus: final\n"), text)
        XCTAssertTrue(text.contains("\nseverity: SEV2\n"), text)
    }

    func testASeverityWithTwoEquallyCloseCandidatesIsNotFixed() {
        let diagnostics = Lint.run(ExampleDocument.make(fields: ["severity": "SEV9"])).filter { $0.rule == "schema/invalid-value" }
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertNil(diagnostics[0].fix)
    }

    func testConfiguredSeveritiesAreTheCandidates() {
        var configuration = Configuration()
        configuration.schema.severities = ["P0", "P1", "P2", "P3"]
        XCTAssertTrue(fixed(ExampleDocument.make(fields: ["severity": "p1"]), configuration: configuration).contains("\nseverity: P1\n"))
    }

    func testACauseAliasIsReplacedByItsCanonicalId() {
        let text = fixed(ExampleDocument.make(fields: ["root_causes": "[retry-storm]"]))
        XCTAssertTrue(text.contains("root_causes: [unbounded-retries]"), text)
    }

    func testANonSlugCauseGetsOneFixThatBothRulesAgreeOn() {
        let document = ExampleDocument.make(fields: ["root_causes": "\n  - Missing_Runbook_Step"])
        let diagnostics = Lint.run(document, otherFiles: ["postmortems/causes.yml": Self.catalogueWithAliases])
        let invalid = diagnostics.first { $0.rule == "schema/invalid-value" }
        let unknown = diagnostics.first { $0.rule == "causes/unknown" }
        XCTAssertEqual(invalid?.suggestion, "use 'missing-runbook-step'")
        XCTAssertEqual(unknown?.suggestion, "did you mean 'missing-runbook-step'?")
        XCTAssertNotNil(invalid?.fix)
        XCTAssertEqual(invalid?.fix, unknown?.fix)
        XCTAssertTrue(fixed(document).contains("  - missing-runbook-step\n"))
    }

    func testANonSlugCauseOutsideTheCatalogueIsNotFixedAndTheRulesNameTheSameSlug() {
        let diagnostics = Lint.run(ExampleDocument.make(fields: ["root_causes": "\n  - bad:id"]), otherFiles: ["postmortems/causes.yml": Self.catalogueWithAliases])
        let relevant = diagnostics.filter { ["schema/invalid-value", "causes/unknown"].contains($0.rule) }
        XCTAssertEqual(relevant.count, 2, "\(relevant.map(\.message))")
        XCTAssertTrue(relevant.allSatisfy { $0.fix == nil })
        XCTAssertTrue(relevant.allSatisfy { $0.suggestion?.contains("'bad-id'") == true }, "\(relevant.map(\.suggestion))")
    }

    func testYearFirstDatesAreRewrittenAndAmbiguousOnesAreNot() {
        XCTAssertTrue(fixed(ExampleDocument.make(fields: ["date": "2025/03/04"])).contains("\ndate: 2025-03-04\n"))
        XCTAssertTrue(fixed(ExampleDocument.make(fields: ["date": "2025.3.4"])).contains("\ndate: 2025-03-04\n"))
        let ambiguous = Lint.run(ExampleDocument.make(fields: ["date": "04/03/2025"])).filter { $0.rule == "schema/invalid-date" }
        XCTAssertEqual(ambiguous.count, 1)
        XCTAssertNil(ambiguous[0].fix)
        XCTAssertNil(InvalidDateRule.unambiguousDate("2025/02/30"), "not a real day")
    }

    func testDuplicateListEntriesAreRemovedInFlowAndBlockLists() {
        XCTAssertTrue(fixed(ExampleDocument.make(fields: ["services": "[checkout, api, checkout]"])).contains("\nservices: [checkout, api]\n"))
        let block = fixed(ExampleDocument.make(fields: ["services": "\n  - checkout\n  - api\n  - checkout"]))
        XCTAssertTrue(block.contains("\n  - checkout\n  - api\nstarted:"), block)
    }

    func testAMissingIdIsTheOneTheFileNameImplies() {
        let text = fixed(ExampleDocument.make(), path: "postmortems/2025-03-04 Checkout Latency.md")
        XCTAssertTrue(text.hasPrefix("---\nid: 2025-03-04-checkout-latency\ntitle:"), text)
    }

    func testAnUnknownFieldIsRenamedOnlyWhenTheFieldItMeansIsAbsent() {
        let renamed = fixed(ExampleDocument.make(fields: ["root_causes": nil, "status": "draft", "root_cause": "[no-alert-on-saturation]"]))
        XCTAssertTrue(renamed.contains("\nroot_causes: [no-alert-on-saturation]\n"), renamed)
        let both = Lint.run(ExampleDocument.make(fields: ["root_cause": "[no-alert-on-saturation]"])).filter { $0.rule == "schema/unknown-field" }
        XCTAssertEqual(both.count, 1)
        XCTAssertNil(both[0].fix)
    }

    func testAMisspeltRequiredHeadingIsRenamedToItsCanonicalName() {
        let text = fixed(ExampleDocument.make(rename: ["Root Causes": "Root Casues", "Impact": "Impakt"]).replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertTrue(text.contains("\r\n## Root Causes\r\n"), text)
        XCTAssertTrue(text.contains("\r\n## Impact\r\n"), text)
        XCTAssertFalse(Lint.run(text).contains { $0.rule == "structure/missing-section" })
        let diagnostic = Lint.run(ExampleDocument.make(rename: ["Root Causes": "Root Casues"])).first { $0.rule == "structure/missing-section" }
        XCTAssertEqual(diagnostic?.suggestion, "rename 'Root Casues' to 'Root Causes'")
    }

    func testValuesWithNothingToMakeASlugOfAreNotReplacedByAPlaceholder() {
        // Slug.make's fallback ('incident') once became the fix: '支付服务' and '🔥' both → 'incident'.
        let diagnostics = Lint.run(ExampleDocument.make(fields: ["services": "[支付服务, 🔥, Checkout]", "id": "数据库"]))
            .filter { $0.rule == "schema/invalid-value" }
        XCTAssertEqual(diagnostics.count, 4, "\(diagnostics.map(\.message))")
        XCTAssertEqual(diagnostics.compactMap(\.fix).map(\.replacement), ["checkout"])
        XCTAssertFalse(diagnostics.contains { $0.suggestion?.contains("incident") == true }, "\(diagnostics.map(\.suggestion))")
        // A non-ASCII cause is not "an alias" of a catalogue entry whose alias is other non-ASCII text.
        let catalogue = FixTests.catalogueWithAliases + "db-failover:\n  title: Failover\n  description: The database failed over.\n  aliases: [数据库]\n"
        let causes = Lint.run(ExampleDocument.make(fields: ["root_causes": "[支付服务]"]), otherFiles: ["postmortems/causes.yml": catalogue])
            .filter { $0.rule == "causes/unknown" || $0.rule == "schema/invalid-value" }
        XCTAssertEqual(causes.count, 2, "\(causes.map(\.message))")
        XCTAssertEqual(causes.compactMap(\.fix), [])
        XCTAssertFalse(causes.contains { $0.suggestion?.contains("db-failover") == true }, "\(causes.map(\.suggestion))")
        // The alias itself, spelt as in the catalogue, still resolves.
        let alias = Lint.run(ExampleDocument.make(fields: ["root_causes": "[数据库]"]), otherFiles: ["postmortems/causes.yml": catalogue])
        XCTAssertTrue(alias.contains { $0.fix?.replacement == "db-failover" }, "\(alias.map(\.message))")
    }

    func testHeadingsThatAreNotOneClearMisspellingAreNotRenamed() {
        // Two misspellings of one section: which one is it? Neither is renamed.
        let two = ExampleDocument.make(rename: ["Root Causes": "Root Casues"], extraBody: "\n## Root Cuases\n\nMore.\n")
        XCTAssertEqual(Lint.run(two).filter { $0.rule == "structure/missing-section" }.compactMap(\.fix), [])
        // A heading too far from the name (or numbered, whose number a rename would drop) stays.
        for heading in ["Lessons", "3. Root Casues", "Root Cusaes Today"] {
            let diagnostics = Lint.run(ExampleDocument.make(rename: ["Root Causes": heading])).filter { $0.rule == "structure/missing-section" }
            XCTAssertEqual(diagnostics.count, 1, heading)
            XCTAssertNil(diagnostics.first?.fix, heading)
            XCTAssertEqual(diagnostics.first?.suggestion?.hasPrefix("add '## Root Causes'"), true, heading)
        }
    }

    func testCRLFAndTheByteOrderMarkArePreserved() {
        let document = "\u{FEFF}" + ExampleDocument.make(fields: ["status": "finall", "services": "[checkout, checkout]"], )
            .replacingOccurrences(of: "\n", with: "\r\n")
        let text = fixed(document)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}---\r\n"))
        XCTAssertTrue(text.contains("\r\nstatus: final\r\n"), text)
        XCTAssertTrue(text.contains("\r\nservices: [checkout]\r\n"), text)
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ending stays CRLF")
    }

    func testMissingIdIsInsertedWithTheFilesLineEnding() {
        let text = fixed(ExampleDocument.make().replacingOccurrences(of: "\n", with: "\r\n"), path: "postmortems/Checkout Latency.md")
        XCTAssertTrue(text.hasPrefix("---\r\nid: checkout-latency\r\ntitle:"), text)
    }

    func testProseIsNeverRewritten() throws {
        let root = Repository.root.appendingPathComponent("examples/broken")
        let workspace = try Workspace.open(at: root)
        let input = try workspace.lintInput(source: WorkingTreeSource(root: workspace.root), paths: [], from: root)
        let diagnostics = Linter(configuration: workspace.configuration).lint(input).diagnostics
        XCTAssertFalse(diagnostics.filter { $0.fix != nil }.isEmpty, "examples/broken has fixable findings")
        for diagnostic in diagnostics where diagnostic.rule.hasPrefix("blameless/") || diagnostic.rule.hasPrefix("action-items/") {
            XCTAssertNil(diagnostic.fix, "\(diagnostic.rule) rewrote prose")
        }
    }

    func testFixerAppliesInOnePassSkipsOverlapsAndMergesIdenticalFixes() {
        let bytes = Array("abcdef".utf8)
        let result = Fixer.apply([Fix(bytes: 1..<3, replacement: "X"), Fix(bytes: 1..<3, replacement: "X"),
                                  Fix(bytes: 2..<4, replacement: "Y"), Fix(bytes: 5..<6, replacement: "Z")], to: bytes)
        XCTAssertEqual(String(decoding: result.bytes, as: UTF8.self), "aXdeZ")
        XCTAssertEqual(result.applied.count, 2)
        XCTAssertEqual(result.skipped, [Fix(bytes: 2..<4, replacement: "Y")])
    }

    func testUnifiedDiffHasHeadersHunksAndContext() {
        let old = Array((1...20).map { "line \($0)\n" }.joined().utf8)
        var new = old
        new.replaceSubrange(0..<6, with: Array("LINE 1".utf8))
        let diff = Fixer.unifiedDiff(path: "postmortems/a.md", old: old, new: new)
        XCTAssertEqual(diff, "--- a/postmortems/a.md\n+++ b/postmortems/a.md\n@@ -1,4 +1,4 @@\n-line 1\n+LINE 1\n line 2\n line 3\n line 4\n")
        XCTAssertEqual(Fixer.unifiedDiff(path: "a", old: old, new: old), "")
    }
}

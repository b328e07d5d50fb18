import XCTest
@testable import InquestCore
import InquestTestSupport

/// Inputs the fuzzers found (also stored in Fuzz/corpus, which `make test` replays).
final class FuzzRegressionTests: XCTestCase {
    /// libyaml breaks lines at a lone CR and SourceText does not, so a mapping could start past
    /// the end of its line and crash range arithmetic (`config` target, input `\r?\r`).
    func testLoneCarriageReturnsInYAMLDoNotCrash() {
        _ = try? ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: Array("\r?\r".utf8), path: "inquest.yml")
        _ = try? ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: Array("a: 1\r? b\r: [x]\r".utf8), path: "inquest.yml")
        let document = RawDocument(path: "postmortems/a.md", bytes: Array("---\r?\r---\n\n## Summary\n\nx\n".utf8))
        let result = Linter().lint(LintInput(documents: [document], catalogue: nil))
        XCTAssertEqual(result.fileCount, 1)
    }
}

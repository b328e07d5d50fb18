import Foundation
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
    /// A timeline entry whose first line the line index ends before the entry starts (lone CRs
    /// around front matter and heading): `timeline/missing-time` built a reversed range and
    /// trapped (`document` target, Fuzz/corpus/document/lone-cr-timeline-entry-crash.md).
    func testTimelineEntryAfterLoneCarriageReturnsDoesNotCrash() throws {
        let bytes = Array(try XCTUnwrap(Data(base64Encoded: "77u/cnVsZXM6aXRsZTogIkNSTEYgXHUwMC1UR2JlbAciDQpkYXRlOiAyMDI1LTAyLTMwDQotLS0NCg1HYmVsByINCmRhdGU6IDIwMjUtMDItMzANCi0tLQ0KDQojIyBUaW1lbGluZVRHYmVsByINCmRhdGU6IDIwMjUtMDItMzANCi0tLQ0KDUdiZWwHIg0KZGF0ZTogMjAyNS0wMi0zMA0KLS0tDQoNCiMjIFRpbWVsaW5lDQogfCBBdmVudC0gfC0NLXYKfC0tLXwNCnwwMi0tCgp8DQoNCiB8IEF2ZW50LSB8LQ0tdgp8LS0tfA0KfDAyLS0KCnwNCg==")))
        let document = RawDocument(path: "postmortems/a.md", bytes: bytes)
        let result = Linter().lint(LintInput(documents: [document], catalogue: nil))
        XCTAssertEqual(result.fileCount, 1)
        for diagnostic in result.diagnostics {
            XCTAssertLessThanOrEqual(diagnostic.range.start, diagnostic.range.end, "\(diagnostic.rule)")
        }
    }
}

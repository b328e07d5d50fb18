import Foundation
import XCTest
@testable import InquestCLI

/// `inquest explain` and `inquest rules`, run in-process.
final class ExplainCommandTests: XCTestCase {
    func testExplainPrintsDocumentationAndExamples() throws {
        let run = CLI.run(["explain", "action-items/not-actionable"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("Triggers on:"))
        XCTAssertTrue(run.stdout.contains("Be more careful"))
        let unknown = CLI.run(["explain", "schema/missing-feild"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'schema/missing-field'?"), unknown.stderr)
    }

    func testAPartialRuleIdSuggestsTheFullOne() {
        let run = CLI.run(["explain", "named-individual"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("did you mean 'blameless/named-individual'?"), run.stderr)
        XCTAssertTrue(CLI.run(["explain", "named-individuals"]).stderr.contains("did you mean 'blameless/named-individual'?"))
    }

    func testConfigInvalidIsExplained() {
        let run = CLI.run(["explain", "config/invalid"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("config/invalid (always an error; exit status 2)\n"), run.stdout)
        XCTAssertTrue(CLI.run(["explain", "config/invalud"]).stderr.contains("did you mean 'config/invalid'?"))
    }
}

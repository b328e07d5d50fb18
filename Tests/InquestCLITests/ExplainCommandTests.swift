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
}

import XCTest
@testable import InquestCore
import InquestTestSupport

/// `site.base_url` in inquest.yml: protocol-relative and non-http(s) values are configuration errors.
final class SiteURLTests: XCTestCase {
    private func load(_ yaml: String) throws -> Configuration {
        try ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: Array(yaml.utf8), path: "inquest.yml")
    }

    func testProtocolRelativeBaseURLIsAConfigError() {
        XCTAssertThrowsError(try load("site:\n  base_url: //evil.example/\n")) { error in
            let error = error as? ConfigurationError
            XCTAssertEqual(error?.line, 2)
            XCTAssertTrue(error?.message.contains("protocol-relative") ?? false, error?.message ?? "")
            XCTAssertTrue(error?.description.hasSuffix("[config/invalid]") ?? false)
        }
    }

    func testOtherSchemesAndHostlessURLsAreConfigErrors() {
        for value in ["javascript:alert(1)", "ftp://x.example/", "https://", "\"https://ok.example//evil.example/\"", "\"/a\\u0007/\""] {
            XCTAssertThrowsError(try load("site:\n  base_url: \(value)\n"), value)
        }
    }

    func testHTTPAndAbsolutePathBaseURLsAreAccepted() throws {
        XCTAssertEqual(try load("site:\n  base_url: https://postmortems.example/\n").site.baseURL, "https://postmortems.example/")
        XCTAssertEqual(try load("site:\n  base_url: /incidents/\n").site.baseURL, "/incidents/")
    }
}

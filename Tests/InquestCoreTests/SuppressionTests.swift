import XCTest
@testable import InquestCore
import InquestTestSupport

final class SuppressionTests: XCTestCase {
    private let bad = "- [ ] Alert on queue depth"

    func testDisableNextLineSuppressesOnlyThatLineAndRule() {
        let text = ExampleDocument.make(sections: ["Action Items": "<!-- inquest-disable-next-line action-items/missing-owner -->\n\(bad)\n\n- [ ] Second — LRK-2"])
        let rules = Lint.run(text).map(\.rule)
        XCTAssertEqual(rules.filter { $0 == "action-items/missing-owner" }.count, 1, "the second item is still reported")
        XCTAssertTrue(rules.contains("action-items/missing-ticket"))
        XCTAssertFalse(rules.contains("inquest/unused-suppression"))
    }

    func testReasonAfterDoubleDashIsIgnored() {
        let text = ExampleDocument.make(sections: ["Action Items": "<!-- inquest-disable-next-line action-items/missing-owner -- owner assigned in the review -->\n- [ ] Alert on queue depth — LRK-9"])
        XCTAssertEqual(Lint.run(text).map(\.rule), [])
    }

    func testDisableEnableRangeSuppressesListedRules() {
        let text = ExampleDocument.make(sections: ["Action Items": "<!-- inquest-disable action-items/missing-owner, action-items/missing-ticket -->\n\n\(bad)\n\n<!-- inquest-enable -->\n\n- [ ] After — LRK-3"])
        let diagnostics = Lint.run(text)
        XCTAssertEqual(diagnostics.map(\.rule), ["action-items/missing-owner"])
    }

    func testDisableFileSuppressesEverywhereIncludingFrontMatter() {
        let text = ExampleDocument.make(fields: ["severity": "SEV9"], extraBody: "\n<!-- inquest-disable-file schema/invalid-value -->\n")
        XCTAssertEqual(Lint.run(text).map(\.rule), [])
    }

    func testDisableWithoutRulesCoversEveryRule() {
        let text = ExampleDocument.make(sections: ["Action Items": "<!-- inquest-disable-next-line -->\n\(bad)"])
        XCTAssertEqual(Lint.run(text).map(\.rule), [])
    }

    func testUnusedSuppressionIsReportedAtTheComment() {
        assertRule("inquest/unused-suppression", ExampleDocument.make(sections: ["Impact": "⟦<!-- inquest-disable-next-line timeline/missing-time -->⟧\nAbout 4% of checkouts."]))
    }

    func testSuppressionOfAnUnknownRuleIsReported() {
        let diagnostics = Lint.run(ExampleDocument.make(extraBody: "\n<!-- inquest-disable-file schema/nope -->\n"))
        XCTAssertEqual(diagnostics.map(\.typedMessage), [.unknownRuleSuppressed(["schema/nope"])])
    }

    func testCommentsInsideCodeBlocksAreNotSuppressions() {
        let text = ExampleDocument.make(fields: ["severity": "SEV9"], extraBody: "\n```\n<!-- inquest-disable-file schema/invalid-value -->\n```\n")
        XCTAssertEqual(Lint.run(text).map(\.rule), ["schema/invalid-value"])
    }
}

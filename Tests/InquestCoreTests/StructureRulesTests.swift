import XCTest
@testable import InquestCore

final class StructureRulesTests: XCTestCase {
    func testMissingSectionPointsWhereItBelongs() {
        // Impact is missing: it belongs before Timeline, so the Timeline heading is underlined.
        assertRule("structure/missing-section", ExampleDocument.make(sections: ["Impact": nil]).replacingFirst("## Timeline", with: "⟦## Timeline⟧"))
    }

    func testAliasesAndCaseSatisfyRequiredSections() {
        assertRule("structure/missing-section", ExampleDocument.make(rename: ["Summary": "ISSUE SUMMARY", "Action Items": "Follow-up actions:"]))
    }

    func testRootCauseAndResolutionSatisfiesBoth() {
        let text = ExampleDocument.make(sections: ["Resolution": nil], rename: ["Root Causes": "Root Cause and Resolution"])
        assertRule("structure/missing-section", text)
    }

    func testConfiguredRequiredSectionsAndAliases() {
        var configuration = Configuration()
        configuration.schema.requiredSections = ["Summary", "Customer Communication"]
        configuration.schema.sections.append(.init(name: "Customer Communication", aliases: ["Comms"]))
        assertRule("structure/missing-section", ExampleDocument.make(sections: ["Comms": "Status page updated twice."]), configuration: configuration)
        let missing = Lint.run(ExampleDocument.make(), configuration: configuration).filter { $0.rule == "structure/missing-section" }
        XCTAssertEqual(missing.map(\.message), ["missing required section 'Customer Communication'"])
    }

    func testCommentOnlySectionIsEmpty() {
        assertRule("structure/empty-section", ExampleDocument.make(sections: ["Impact": "<!-- to be written -->"]).replacingFirst("## Impact", with: "⟦## Impact⟧"))
    }

    func testSectionOutOfOrderIsReportedAtTheLateHeading() {
        let text = ExampleDocument.make(sections: ["Impact": "- [ ] Alert — @a, LRK-1", "Action Items": "Some impact."],
                                        rename: ["Impact": "Action Items", "Action Items": "Impact"])
        let marked = text.replacingFirst("## Impact", with: "⟦## Impact⟧").replacingFirst("## Action Items", with: "⟦## Action Items⟧")
        assertRule("structure/section-order", marked)
    }

    func testOptionalSectionsMayGoAnywhere() {
        assertRule("structure/section-order", ExampleDocument.make(sections: ["Lessons Learned": "Load tests need production-like data."]).replacingFirst("## Summary", with: "## Detection\n\nA synthetic check.\n\n## Summary"))
    }

    func testDuplicateSectionIsReportedAtTheSecondHeading() {
        let text = ExampleDocument.make(sections: ["Root Cause": "The alert threshold was above the saturation point."])
        assertRule("structure/duplicate-section", text.replacingFirst("## Root Cause\n", with: "⟦## Root Cause⟧\n"))
    }

    func testContributingFactorsMayAccompanyRootCauses() {
        assertRule("structure/duplicate-section", ExampleDocument.make(sections: ["Contributing Factors": "The change was not load-tested."]))
        assertRule("structure/section-order", ExampleDocument.make(sections: ["Contributing Factors": "The change was not load-tested."]))
    }
}

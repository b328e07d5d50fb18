import XCTest
@testable import InquestCore
import InquestTestSupport

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
        XCTAssertEqual(missing.map(\.typedMessage), [.missingSection("Customer Communication")])
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

    func testSectionOrderNamesTheNeighbourTheSectionIsOnTheWrongSideOf() throws {
        // PagerDuty's order: Resolution and Root Cause come before Impact and Timeline. They already
        // precede Action Items, so "should come before 'Action Items'" would be no help.
        let text = "---\ntitle: a\n---\n## Summary\n\nA.\n\n## Resolution\n\nB.\n\n## Root Cause\n\nC.\n\n## Impact\n\nD.\n\n## Timeline\n\n- 09:00 UTC x\n\n## Action Items\n\n- [ ] E\n"
        let messages = Lint.run(text).filter { $0.rule == "structure/section-order" }.map(\.typedMessage)
        XCTAssertEqual(messages, [.sectionShouldFollow("Resolution", "Timeline"), .sectionShouldFollow("Root Cause", "Timeline")])
    }

    func testWhatHappenedBesideAnOverviewIsNotADuplicate() {
        let text = ExampleDocument.make(sections: ["What Happened": "A worker change slowed acknowledgements."])
        XCTAssertFalse(Lint.run(text).contains { $0.rule == "structure/duplicate-section" || $0.rule == "structure/section-order" })
    }

    func testContributingFactorsMayAccompanyRootCauses() {
        assertRule("structure/duplicate-section", ExampleDocument.make(sections: ["Contributing Factors": "The change was not load-tested."]))
        assertRule("structure/section-order", ExampleDocument.make(sections: ["Contributing Factors": "The change was not load-tested."]))
    }
}

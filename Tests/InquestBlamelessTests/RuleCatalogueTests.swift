import XCTest
import InquestBlameless

final class RuleCatalogueTests: XCTestCase {
    /// The section each rule's explain examples are written for.
    private func context(for id: String) -> ProseContext {
        id == Rule.personAsCause ? .rootCauses : .narrative
    }

    func testCatalogueListsTheSixRulesWithStableIds() {
        XCTAssertEqual(BlamelessRules.all.map(\.id).sorted(), [
            Rule.blameWord, Rule.counterfactual, Rule.hindsight, Rule.humanError, Rule.namedIndividual, Rule.personAsCause,
        ])
        for info in BlamelessRules.all {
            XCTAssertEqual(info.defaultSeverity, info.id == Rule.hindsight ? "warning" : "error", info.id)
            XCTAssertFalse(info.summary.isEmpty)
            XCTAssertTrue(info.rationale.contains("why"), "\(info.id) rationale should tie the rule to the five whys")
            XCTAssertFalse(info.triggering.isEmpty)
            XCTAssertFalse(info.passing.isEmpty)
        }
    }

    func testEveryTriggeringExampleProducesItsRule() {
        for info in BlamelessRules.all {
            for example in info.triggering {
                let rules = analyze(example, context(for: info.id)).map(\.rule)
                XCTAssertTrue(rules.contains(info.id), "\(info.id) should fire on: \(example) (got \(rules))")
            }
        }
    }

    func testEveryPassingExampleDoesNotProduceItsRule() {
        for info in BlamelessRules.all {
            for example in info.passing {
                assertNoFinding(info.id, in: example, context(for: info.id))
            }
        }
    }
}

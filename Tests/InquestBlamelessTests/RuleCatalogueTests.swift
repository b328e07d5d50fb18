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
            // Severity follows the development-set measurement (BlamelessCorpusTests checks the numbers).
            XCTAssertEqual(info.defaultSeverity, info.measured.defaultSeverity, info.id)
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

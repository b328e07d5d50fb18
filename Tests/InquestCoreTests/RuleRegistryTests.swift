import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

final class RuleRegistryTests: XCTestCase {
    /// Completeness without reading Swift sources: Swift cannot list the types that conform to a
    /// protocol, so the registry is checked against the two other places a rule must appear. The
    /// README's rule table (what users are told exists) and the registry (what runs) list the same
    /// ids, each once; and `assertRule`, through which every rule's own tests lint, fails for an id
    /// the registry lacks (an unregistered rule never fires, so its "does not fire" cases would pass).
    func testTheRegistryListsExactlyTheDocumentedRules() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let documented = readme.split(separator: "\n").compactMap { line -> String? in
            // Rule table rows: | `family/name` | severity | what it checks |
            guard line.hasPrefix("| `") else { return nil }
            let id = line.dropFirst(3).prefix { $0 != "`" }
            return id.contains("/") && line.dropFirst(3 + id.count).hasPrefix("` | ") ? String(id) : nil
        }
        XCTAssertEqual(documented.count, Set(documented).count, "a rule is listed twice in README.md")
        XCTAssertEqual(Set(documented).subtracting(RuleRegistry.ids), [], "documented in README.md but not in RuleRegistry")
        XCTAssertEqual(RuleRegistry.ids.subtracting(documented), [], "in RuleRegistry but not in README.md's rule table")
    }

    func testRuleIDsAreUniqueAndWellFormed() {
        let ids = RuleRegistry.all.map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count)
        for id in ids {
            let parts = id.split(separator: "/")
            XCTAssertEqual(parts.count, 2, id)
            XCTAssertTrue(parts.allSatisfy { Slug.isValid(String($0)) }, id)
        }
    }

    /// The linter scans a document's prose once when a rule that reads the scan is on; which rules
    /// do is said by the rule, not found by a cast: it must name exactly the blame-language rules.
    func testExactlyTheBlameLanguageRulesReadTheLanguageScan() {
        let reading = RuleRegistry.documentRules.filter(\.readsLanguageScan).map(\.id)
        XCTAssertEqual(reading, RuleRegistry.documentRules.filter { $0 is any BlamelessLanguageRule }.map(\.id))
        XCTAssertEqual(Set(reading), Set(RuleRegistry.ids.filter { $0.hasPrefix("blameless/") }))
        XCTAssertEqual(reading.count, 6)
    }

    func testEveryRuleHasDocumentationAndExamples() {
        for rule in RuleRegistry.all {
            let doc = rule.documentation
            XCTAssertFalse(doc.summary.isEmpty, rule.id)
            XCTAssertFalse(doc.summary.hasSuffix("."), "\(rule.id): summaries have no trailing period")
            XCTAssertGreaterThan(doc.rationale.count, 80, rule.id)
            XCTAssertFalse(doc.triggering.isEmpty, "\(rule.id) has no triggering example")
            XCTAssertFalse(doc.passing.isEmpty, "\(rule.id) has no passing example")
        }
    }

    /// Every triggering example fires its rule, with a message in the house style (lowercase, no
    /// trailing period); one lint per example serves both checks.
    func testTriggeringExamplesFireTheirRuleWithWellFormedMessages() {
        // git/ rules need real repository state (a merge base, a shallow clone, no repository);
        // their examples are focus-only and GitChangedSinceTests/GitRepositoryStateTests run them for real.
        var messages = 0
        for rule in RuleRegistry.all {
            for (index, example) in rule.documentation.triggering.enumerated() {
                let found = Lint.run(example, rule: rule.id)
                if !rule.id.hasPrefix("git/") {
                    XCTAssertFalse(found.isEmpty, "\(rule.id) triggering example \(index) did not fire")
                }
                for diagnostic in found {
                    messages += 1
                    let first = diagnostic.message.first!
                    XCTAssertFalse(first.isUppercase && !diagnostic.message.hasPrefix("YAML"), diagnostic.message)
                    XCTAssertFalse(diagnostic.message.hasSuffix("."), diagnostic.message)
                }
            }
        }
        XCTAssertGreaterThan(messages, 0)
    }

    func testPassingExamplesDoNotFireTheirRule() {
        for rule in RuleRegistry.all {
            for (index, example) in rule.documentation.passing.enumerated() {
                let found = Lint.run(example, rule: rule.id)
                XCTAssertTrue(found.isEmpty, "\(rule.id) passing example \(index) fired: \(found.map(\.message))")
            }
        }
    }

    func testTheCleanBaselineExampleIsClean() {
        XCTAssertEqual(Lint.run(ExampleDocument.make()).map(\.message), [])
    }
}

final class DocumentationTests: XCTestCase {
    func testREADMERuleTableListsEveryRule() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        for rule in RuleRegistry.all {
            XCTAssertTrue(readme.contains("| `\(rule.id)` | \(rule.defaultSeverity.rawValue) |"), "README rule table lacks \(rule.id)")
        }
    }
}

import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

final class RuleRegistryTests: XCTestCase {
    func testEveryRuleTypeInTheSourcesIsRegistered() throws {
        // Every `public struct XxxRule: DocumentRule|ArchiveRule|Rule` under Sources must be in the registry.
        let rulesFolder = Repository.root.appendingPathComponent("Sources/InquestCore/Rules")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: rulesFolder, includingPropertiesForKeys: nil))
        var declared: Set<String> = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("public struct ") &&
                (line.contains(": DocumentRule") || line.contains(": ArchiveRule") || line.contains(": Rule") || line.contains(": BlamelessLanguageRule")) {
                declared.insert(String(line.dropFirst("public struct ".count).prefix { $0 != ":" }))
            }
        }
        let registered = Set(RuleRegistry.all.map { String(describing: type(of: $0)) })
        XCTAssertFalse(declared.isEmpty)
        XCTAssertEqual(declared.subtracting(registered), [], "declared but not registered")
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

    func testTriggeringExamplesFireTheirRule() {
        // git/ rules need real repository state (a merge base, a shallow clone, no repository);
        // their examples are focus-only and GitChangedSinceTests/GitRepositoryStateTests run them for real.
        for rule in RuleRegistry.all where !rule.id.hasPrefix("git/") {
            for (index, example) in rule.documentation.triggering.enumerated() {
                XCTAssertFalse(Lint.run(example, rule: rule.id).isEmpty, "\(rule.id) triggering example \(index) did not fire")
            }
        }
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

    func testMessagesAreLowercaseWithoutTrailingPeriod() {
        let diagnostics = RuleRegistry.all.flatMap { rule in rule.documentation.triggering.flatMap { Lint.run($0, rule: rule.id) } }
        XCTAssertFalse(diagnostics.isEmpty)
        for diagnostic in diagnostics {
            let first = diagnostic.message.first!
            XCTAssertFalse(first.isUppercase && !diagnostic.message.hasPrefix("YAML"), diagnostic.message)
            XCTAssertFalse(diagnostic.message.hasSuffix("."), diagnostic.message)
        }
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

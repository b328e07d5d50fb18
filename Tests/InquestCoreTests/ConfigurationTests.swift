import XCTest
@testable import InquestCore
import InquestTestSupport

final class ConfigurationTests: XCTestCase {
    private let loader = ConfigurationLoader(knownRuleIDs: RuleRegistry.ids)

    private func load(_ yaml: String) throws -> Configuration {
        try loader.load(bytes: Array(yaml.utf8), path: "inquest.yml")
    }

    private func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try load(yaml)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    func testEmptyFileGivesDefaults() throws {
        XCTAssertEqual(try load(""), Configuration())
        XCTAssertEqual(try load("").causes, "postmortems/causes.yml")
    }

    func testScaffoldedConfigurationShowsTheArchiveKeysAndLoadsWithThemEnabled() throws {
        let scaffold = Scaffold.defaultConfiguration
        for key in ["# exclude:", "# readmes:", "# timeline:", "#   zone:", "#   date_order:", "#   zones:"] {
            XCTAssertTrue(scaffold.contains(key), key)
        }
        // Uncommenting them gives a valid configuration.
        let enabled = scaffold.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            for key in ["# exclude:", "# readmes:", "# timeline:", "#   zone:", "#   date_order:", "#   zones:"] where line.hasPrefix(key) {
                return String(line.dropFirst(2))
            }
            return String(line)
        }.joined(separator: "\n")
        let configuration = try load(enabled)
        XCTAssertEqual(configuration.exclude, ["drafts", "*.notes.md"])
        XCTAssertEqual(configuration.schema.timeline.dateOrder, .dmy)
        XCTAssertEqual(configuration.schema.timeline.zones["IST"], 60)
    }

    func testEveryKeyIsRead() throws {
        let config = try load("""
        postmortems: docs/incidents/
        causes: docs/causes.yml
        schema:
          severities: [P1, P2, P3]
          required_fields: [title, date]
          sections:
            required: [Summary, Timeline]
            aliases:
              Summary: [TL;DR, Abstract]
        rules:
          structure/section-order: off
          action-items/missing-ticket: error
        blameless:
          people: [Sam Porter]
          teams: ["@dba-team"]
          allow: [blame-free]
          deny: [cowboy]
          git_authors: false
        site:
          title: Larkspur incidents
          base_url: https://incidents.example.com/
          repo_url: https://git.example.com/larkspur/incidents
        """)
        XCTAssertEqual(config.postmortems, "docs/incidents")
        XCTAssertEqual(config.causes, "docs/causes.yml")
        XCTAssertEqual(config.schema.severities, ["P1", "P2", "P3"])
        XCTAssertEqual(config.schema.requiredFields, ["title", "date"])
        XCTAssertEqual(config.schema.requiredSections, ["Summary", "Timeline"])
        XCTAssertEqual(config.schema.order, ["Summary", "Timeline"])
        XCTAssertEqual(config.schema.canonicalNames(forHeading: "abstract"), ["Summary"])
        XCTAssertEqual(config.rules, ["structure/section-order": .off, "action-items/missing-ticket": .error])
        XCTAssertEqual(config.blameless.people, ["Sam Porter"])
        XCTAssertEqual(config.blameless.teams, ["@dba-team"])
        XCTAssertFalse(config.blameless.gitAuthors)
        XCTAssertEqual(config.site.title, "Larkspur incidents")
        XCTAssertEqual(config.site.baseURL, "https://incidents.example.com/")
    }

    func testUnknownKeyIsAnErrorAtItsLine() {
        let failure = error("postmortems: p\nsevereties: [a]\n")
        XCTAssertEqual(failure?.line, 2)
        XCTAssertEqual(failure?.column, 1)
        XCTAssertTrue(failure?.message.hasPrefix("unknown key 'severeties'") ?? false)
        XCTAssertEqual(failure?.description.hasSuffix("[config/invalid]"), true)
    }

    func testNestedUnknownKeyAndWrongTypesAreErrors() {
        XCTAssertEqual(error("schema:\n  severity: [a]\n")?.line, 2)
        XCTAssertEqual(error("schema:\n  severities: SEV1\n")?.message, "'schema.severities' must be a list of strings, found a scalar")
        XCTAssertEqual(error("blameless:\n  git_authors: maybe\n")?.line, 2)
        XCTAssertEqual(error("site: []\n")?.message, "'site' must be a mapping, found a list")
        XCTAssertEqual(error("- a\n")?.message, "configuration must be a mapping, found a list")
    }

    func testUnknownRuleAndLevelAreErrors() {
        XCTAssertEqual(error("rules:\n  schema/nope: off\n")?.message, "unknown rule 'schema/nope' in 'rules' (see 'inquest rules')")
        XCTAssertEqual(error("rules:\n  schema/unknown-field: loud\n")?.line, 2)
    }

    func testPathsMustStayInsideTheRepository() {
        XCTAssertNotNil(error("postmortems: ../elsewhere\n"))
        XCTAssertNotNil(error("causes: /etc/passwd\n"))
    }

    func testInvalidYAMLIsAnError() {
        XCTAssertEqual(error("rules: [a\n")?.message.hasPrefix("invalid YAML"), true)
    }

    func testRuleLevelsOverrideSeverityAndOffSilences() {
        var configuration = Configuration()
        configuration.rules = ["schema/invalid-value": .warning, "action-items/missing-ticket": .off]
        let text = ExampleDocument.make(fields: ["severity": "SEV9"], sections: ["Action Items": "- [ ] Alert — @a"])
        let diagnostics = Lint.run(text, configuration: configuration)
        XCTAssertEqual(diagnostics.first { $0.rule == "schema/invalid-value" }?.severity, .warning)
        XCTAssertFalse(diagnostics.contains { $0.rule == "action-items/missing-ticket" })
    }
}

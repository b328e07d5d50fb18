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

/// `docs_url`: where the team publishes the rule documentation (Inquest has no public home).
extension ConfigurationTests {
    func testDocsURLIsUnsetByDefault() throws {
        XCTAssertNil(try load("").docsURL)
        XCTAssertNil(try load(Scaffold.defaultConfiguration).docsURL, "the scaffold only shows it, commented out")
    }

    func testDocsURLWithoutPlaceholderLinksEveryRuleToThatPage() throws {
        let docs = try XCTUnwrap(try load("docs_url: https://git.example.com/tools/inquest/blob/main/README.md#rules\n").docsURL)
        XCTAssertEqual(docs.help(for: "schema/invalid-value"), "https://git.example.com/tools/inquest/blob/main/README.md#rules")
        XCTAssertEqual(docs.information, "https://git.example.com/tools/inquest/blob/main/README.md", "the tool's page is the page without the fragment")
    }

    func testDocsURLPlaceholderBecomesTheRuleID() throws {
        let pages = try XCTUnwrap(try load("docs_url: https://docs.example.com/inquest/rules/{rule}.html\n").docsURL)
        XCTAssertEqual(pages.help(for: "blameless/blame-word"), "https://docs.example.com/inquest/rules/blameless/blame-word.html")
        XCTAssertNil(pages.information, "a per-rule page says nothing about the tool as a whole")
        let anchors = try XCTUnwrap(try load("docs_url: \"http://wiki.example.com/inquest#{rule}\"\n").docsURL)
        XCTAssertEqual(anchors.help(for: "causes/unknown"), "http://wiki.example.com/inquest#causes/unknown")
        XCTAssertEqual(anchors.information, "http://wiki.example.com/inquest")
    }

    func testBadDocsURLIsConfigInvalidAtItsLine() {
        let cases: [(String, String)] = [
            ("/docs/rules.html", "'docs_url' must be an absolute http(s) URL, found '/docs/rules.html'"),
            ("//evil.example/rules", "'docs_url' must be an absolute http(s) URL, found '//evil.example/rules'"),
            ("ftp://files.example/rules", "'docs_url' must be an absolute http(s) URL, found 'ftp://files.example/rules'"),
            ("https:///rules", "'docs_url' has no host, found 'https:///rules'"),
            ("https://docs.example/{id}.html", "'docs_url' may only contain the placeholder '{rule}', found 'https://docs.example/{id}.html'"),
            ("\"https://docs.example/a b\"", "'docs_url' must not contain spaces, quotes, angle brackets, backslashes or control characters, found 'https://docs.example/a b'"),
        ]
        for (value, message) in cases {
            let failure = error("postmortems: postmortems\n\ndocs_url: \(value)\n")
            XCTAssertEqual(failure?.message, message, value)
            XCTAssertEqual(failure?.line, 3, value)
            XCTAssertEqual(failure?.column, 11, value)
            XCTAssertEqual(failure?.description.hasSuffix("[config/invalid]"), true)
        }
        XCTAssertEqual(error("docs_url: [https://docs.example/]\n")?.message, "'docs_url' must be a string, found a list")
        XCTAssertEqual(error("docs_url:\n")?.message, "'docs_url' must be a string, found null")
    }

    func testUnknownTopLevelKeyListsDocsURL() {
        XCTAssertEqual(error("docs_uri: https://docs.example/\n")?.message,
                       "unknown key 'docs_uri'; expected one of postmortems, causes, exclude, readmes, schema, timeline, rules, blameless, site, docs_url")
    }

    func testScaffoldShowsDocsURLAndItLoadsWhenUncommented() throws {
        let line = try XCTUnwrap(Scaffold.defaultConfiguration.split(separator: "\n").first { $0.hasPrefix("# docs_url:") })
        let docs = try XCTUnwrap(try load(Scaffold.defaultConfiguration + String(line.dropFirst(2)) + "\n").docsURL)
        XCTAssertEqual(docs.help(for: "x/y"), "https://git.example.com/tools/inquest/blob/main/README.md#rules")
    }
}

import Foundation
import XCTest
@testable import InquestCLI
@testable import InquestCore
import InquestTestSupport

/// `inquest schema`: the JSON Schemas validate the sample configuration and every sample postmortem
/// (with Python's `jsonschema`, installed by the Makefile's test setup and .ci/run), and reject bad values.
final class SchemaCommandTests: XCTestCase {
    /// `validate.py KIND SCHEMA FILES…`, answered by the suite's one Python process.
    private func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try JSONSchemaValidator.shared().validate(arguments[0], schema: arguments[1], Array(arguments.dropFirst(2)))
        return (result.status, result.output)
    }

    private func requireJSONSchema() throws {
        _ = try JSONSchemaValidator.shared()
    }

    private func schema(_ kind: String, in directory: URL = Repository.root) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-schema-\(UUID().uuidString).json")
        let run = CLI.run(["schema", kind, "--output", url.path], in: directory)
        XCTAssertEqual(run.status, 0, run.stderr)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func samplePostmortems() throws -> [String] {
        let folder = Repository.root.appendingPathComponent("postmortems")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") && !$0.hasPrefix("_") && !$0.contains("/_") }
            .map { folder.appendingPathComponent($0).path }.sorted()
    }

    func testTheSampleConfigurationAndScaffoldValidate() throws {
        try requireJSONSchema()
        let scaffold = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-scaffold-\(UUID().uuidString).yml")
        try Scaffold.defaultConfiguration.write(to: scaffold, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: scaffold) }
        let result = try python(["config", try schema("config").path,
                                 Repository.root.appendingPathComponent("examples/broken/inquest.yml").path, scaffold.path])
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testEverySampleFrontMatterValidates() throws {
        try requireJSONSchema()
        let documents = try samplePostmortems()
        XCTAssertGreaterThanOrEqual(documents.count, 10)
        let result = try python(["front-matter", try schema("front-matter").path] + documents)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("validated \(documents.count) front-matter document(s): 0 problem(s)"), result.output)
    }

    func testTheSchemaRejectsWhatLintRejects() throws {
        try requireJSONSchema()
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "schema:\n  severities: [P0, P1, P2]\nrules:\n  structure/section-order: warn\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/a.md": CLI.postmortem(extra: "root_causes: [pool-limit]\n").replacingOccurrences(of: "severity: SEV2", with: "severity: P1"),
        ])
        let result = try python(["front-matter", try schema("front-matter", in: root).path, root.appendingPathComponent("postmortems/a.md").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("root_causes/0"), result.output)
        let config = try python(["config", try schema("config", in: root).path, root.appendingPathComponent("inquest.yml").path])
        XCTAssertEqual(config.status, 0, config.output)
        try CLI.write("rules:\n  structure/section-order: loud\n", to: "inquest.yml", in: root)
        XCTAssertEqual(try python(["config", try schema("config", in: root).path, root.appendingPathComponent("inquest.yml").path]).status, 1)
    }

    func testTheFrontMatterSchemaReflectsTheArchive() throws {
        let root = try CLI.temporaryArchive(self, files: [
            "inquest.yml": "schema:\n  severities: [P0, P1, P2]\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/a.md": CLI.postmortem(),
        ])
        let run = CLI.run(["schema", "front-matter"], in: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        let properties = try XCTUnwrap(object["properties"] as? [String: Any])
        XCTAssertEqual((properties["severity"] as? [String: Any])?["enum"] as? [String], ["P0", "P1", "P2"])
        XCTAssertEqual(((properties["services"] as? [String: Any])?["items"] as? [String: Any])?["examples"] as? [String], ["checkout"])
        let causes = try XCTUnwrap(((properties["root_causes"] as? [String: Any])?["items"] as? [String: Any])?["anyOf"] as? [[String: Any]])
        XCTAssertEqual(causes.first?["const"] as? String, "pool-limits")
        XCTAssertEqual(causes.first?["title"] as? String, "Pool limits")
        XCTAssertEqual(CLI.run(["schema", "front-matter"], in: root).stdout, run.stdout, "deterministic")
        XCTAssertEqual(CLI.run(["schema", "frontmatter"], in: root).status, 2)
    }

    func testTheREADMEShowsTheModelineAndTheCommand() throws {
        let readme = try CLI.read("README.md", in: Repository.root)
        XCTAssertTrue(readme.contains("# yaml-language-server: $schema="), "README shows the modeline")
        XCTAssertTrue(readme.contains("inquest schema front-matter"))
        XCTAssertTrue(readme.contains("inquest schema config"))
    }
}

/// The configuration schema covers every key the loader reads (so the README's reference validates),
/// including `docs_url`, and neither schema claims an `$id` on a site that does not exist.
extension SchemaCommandTests {
    func testTheSchemasHaveNoIdAndTheConfigSchemaDescribesDocsURL() throws {
        for kind in ["config", "front-matter"] {
            let run = CLI.run(["schema", kind], in: Repository.root)
            XCTAssertEqual(run.status, 0, run.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            XCTAssertNil(object["$id"], kind)
            XCTAssertFalse(run.stdout.contains("your-org"), kind)
        }
        let config = CLI.run(["schema", "config"], in: Repository.root)
        let properties = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(config.stdout.utf8)) as? [String: Any])?["properties"] as? [String: Any])
        let docs = try XCTUnwrap(properties["docs_url"] as? [String: Any])
        XCTAssertEqual(docs["type"] as? String, "string")
        XCTAssertEqual(docs["pattern"] as? String, "^https?://")
    }

    func testDocsURLValidatesAndAWrongSchemeDoesNot() throws {
        try requireJSONSchema()
        let root = try CLI.temporaryArchive(self, files: ["inquest.yml": "docs_url: https://docs.example.com/inquest/{rule}.html\n"])
        let config = root.appendingPathComponent("inquest.yml").path
        XCTAssertEqual(try python(["config", try schema("config", in: root).path, config]).status, 0)
        try CLI.write("docs_url: ftp://docs.example.com/rules\n", to: "inquest.yml", in: root)
        let wrong = try python(["config", try schema("config", in: root).path, config])
        XCTAssertEqual(wrong.status, 1, wrong.output)
        XCTAssertTrue(wrong.output.contains("docs_url"), wrong.output)
    }

    func testTheREADMEConfigurationReferenceValidates() throws {
        try requireJSONSchema()
        // The reference block under "## Configuration" sets every key; the schema must accept it
        // (additionalProperties is false, so a key the schema forgot would fail here).
        let readme = try CLI.read("README.md", in: Repository.root)
        let section = try XCTUnwrap(readme.range(of: "## Configuration\n"))
        let start = try XCTUnwrap(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try XCTUnwrap(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        // validate.py reads configurations with PyYAML, a YAML 1.1 reader for which a bare `off`
        // is the boolean false; Inquest and yaml-language-server (YAML 1.2) read the string.
        let block = String(readme[start.upperBound..<end.lowerBound]).replacingOccurrences(of: ": off\n", with: ": \"off\"\n")
        XCTAssertTrue(block.contains("docs_url:"), "the reference shows docs_url")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-readme-\(UUID().uuidString).yml")
        try block.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try python(["config", try schema("config").path, file.path])
        XCTAssertEqual(result.status, 0, result.output)
    }
}

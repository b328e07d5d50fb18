import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Which files are postmortems: `.md` and `.markdown`, `exclude:` patterns (fnmatch), the archive's readme.
final class ArchiveFilesTests: XCTestCase {
    private let loader = ConfigurationLoader(knownRuleIDs: RuleRegistry.ids)

    private func load(_ yaml: String) throws -> Configuration {
        try loader.load(bytes: Array(yaml.utf8), path: "inquest.yml")
    }

    private func configError(_ yaml: String) -> ConfigurationError? {
        do { _ = try load(yaml); return nil } catch { return error as? ConfigurationError }
    }

    private func workspace(_ files: [String: String], config: String = "") throws -> (URL, Workspace) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-files-\(UUID().uuidString)")
        for (path, text) in files.merging(["inquest.yml": config]) { $1 } {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return (root, Workspace(root: root, configuration: try load(config)))
    }

    func testMarkdownExtensionIsAPostmortemAndItsStemIsTheID() {
        XCTAssertTrue(PostmortemFiles.isPostmortem("postmortems/2025-01-02-outage.markdown"))
        XCTAssertFalse(PostmortemFiles.isPostmortem("postmortems/_template.markdown"))
        XCTAssertFalse(PostmortemFiles.isPostmortem("postmortems/notes.txt"))
        XCTAssertEqual(RawDocument(path: "postmortems/2025-01-02-outage.markdown", bytes: []).stem, "2025-01-02-outage")
    }

    func testReadmeDirectlyInThePostmortemsFolderIsNotAPostmortem() throws {
        let (root, workspace) = try workspace([
            "postmortems/README.md": "# Our postmortems\n", "postmortems/Index.md": "# Index\n",
            "postmortems/2024/README.md": ExampleDocument.make(), "postmortems/a.markdown": ExampleDocument.make(),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let input = try workspace.lintInput(source: WorkingTreeSource(root: root), paths: [], from: root)
        XCTAssertEqual(input.documents.map(\.path), ["postmortems/2024/README.md", "postmortems/a.markdown"])
    }

    func testReadmesCanBeLintedWhenConfiguredSo() throws {
        let (root, workspace) = try workspace(["postmortems/README.md": ExampleDocument.make()], config: "readmes: []\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let input = try workspace.lintInput(source: WorkingTreeSource(root: root), paths: [], from: root)
        XCTAssertEqual(input.documents.map(\.path), ["postmortems/README.md"])
    }

    func testExcludePatternsUseFnmatch() throws {
        let config = try load("exclude: [\"postmortems/drafts\", \"*.wip.md\", \"postmortems/20[01]?-*\"]\n")
        XCTAssertTrue(PostmortemFiles.isExcluded("postmortems/drafts/a.md", configuration: config))
        XCTAssertTrue(PostmortemFiles.isExcluded("postmortems/drafts/deep/b.md", configuration: config))
        XCTAssertTrue(PostmortemFiles.isExcluded("postmortems/2025/c.wip.md", configuration: config))
        XCTAssertTrue(PostmortemFiles.isExcluded("postmortems/2019-01-01-old.md", configuration: config))
        XCTAssertFalse(PostmortemFiles.isExcluded("postmortems/2025-01-01-new.md", configuration: config))
        XCTAssertFalse(PostmortemFiles.isExcluded("postmortems/draftsman.md", configuration: config))
    }

    func testExcludedFilesAreLeftOutOfTheArchiveAndOfFolderArguments() throws {
        let (root, workspace) = try workspace([
            "postmortems/a.md": ExampleDocument.make(), "postmortems/old/b.md": "no front-matter\n",
        ], config: "exclude: [postmortems/old]\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let all = try workspace.lintInput(source: WorkingTreeSource(root: root), paths: [], from: root)
        XCTAssertEqual(all.documents.map(\.path), ["postmortems/a.md"])
        let folder = try workspace.lintInput(source: WorkingTreeSource(root: root), paths: ["postmortems/old"], from: root)
        XCTAssertEqual(folder.reportPaths, [])
    }

    func testExcludeAndTimelineKeysAreValidated() throws {
        XCTAssertEqual(configError("exclude: /etc/*\n")?.message, "'exclude' must be a list of strings, found a scalar")
        XCTAssertEqual(configError("exclude: [\"/etc/*\"]\n")?.message, "'exclude' patterns are relative paths inside the repository, found '/etc/*'")
        XCTAssertEqual(configError("timeline:\n  date_order: ymd\n")?.line, 2)
        XCTAssertEqual(configError("timeline:\n  date_order: ymd\n")?.message, "'timeline.date_order' must be mdy or dmy, found 'ymd'")
        XCTAssertEqual(configError("timeline:\n  zone: Mars\n")?.message,
                       "'timeline.zone' must be a zone abbreviation such as UTC or CET, or an offset such as +05:30, found 'Mars'")
        XCTAssertEqual(configError("timeline:\n  zones:\n    ist: +02:00\n")?.line, 3)
        XCTAssertEqual(configError("timeline:\n  zonez: {}\n")?.message, "unknown key 'zonez' in 'timeline'; expected one of zone, date_order, zones")
    }

    func testTimelineKeysAreRead() throws {
        let config = try load("timeline:\n  zone: IST\n  date_order: DMY\n  zones:\n    IST: \"+02:00\"\n    HKT: UTC+8\n")
        XCTAssertEqual(config.schema.timeline.dateOrder, .dmy)
        XCTAssertEqual(config.schema.timeline.zones, ["IST": 120, "HKT": 480])
        XCTAssertEqual(config.schema.timeline.defaultOffset, 120, "the default zone is read with the configured abbreviations")
        XCTAssertEqual(try load("timeline:\n  zone: \"-05:00\"\n").schema.timeline.defaultOffset, -300)
        // `timeline:` survives a later `schema:` key.
        XCTAssertEqual(try load("timeline:\n  zone: CET\nschema:\n  severities: [P1]\n").schema.timeline.defaultOffset, 60)
    }
}

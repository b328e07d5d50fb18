import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// `inquest adopt` end to end through the core: conventions, the written configuration, the
/// bytes it writes (BOM, CRLF, untouched body), idempotence, the dry-run diff, and authors from
/// a scripted git repository.
final class AdopterTests: XCTestCase {
    private func raw(_ path: String, _ text: String) -> RawDocument { RawDocument(path: path, bytes: Array(text.utf8)) }

    private let checkout = """
    # Checkout errors after a config push

    **Severity:** Major

    ## Summary

    Checkout failed for twenty minutes.

    ## Play-by-play timeline

    All times in UTC.

    - 09:58 — A config change ships (problem started).
    - 10:04 — The error-rate alert fired.
    - 10:45 — Incident resolved.

    ## Causal analysis

    The config validator did not know the new key.

    ## Follow-ups

    - Teach the validator the key.

    """

    private let search = """
    # Search index went stale

    **Severity:** Critical

    ## Summary

    Results were a day old.

    ## Play-by-play timeline

    - 14:00 — Indexing stops.

    ## Attendees

    - The search team

    """

    private func adopt(_ documents: [RawDocument], writeConfiguration: Bool = true, authors: [String: (name: String, shortSHA: String)] = [:]) -> Adopter.Result {
        Adopter(configuration: Configuration(), writeConfiguration: writeConfiguration, configurationExists: false)
            .run(documents: documents, archive: documents, gitAuthors: authors)
    }

    // MARK: Conventions

    func testLearnsHeadingsSeveritiesZonesAndListStyle() {
        let parser = PostmortemParser()
        let conventions = ArchiveConventions.learn([raw("postmortems/2025-02-03-a.md", checkout), raw("postmortems/2025-03-04-b.md", search)].map(parser.parse), schema: Schema())
        XCTAssertEqual(conventions.aliases.map { "\($0.heading) → \($0.section)" }, [
            "Causal analysis → Root Causes", "Play-by-play timeline → Timeline",
        ])
        XCTAssertEqual(conventions.aliases.first { $0.heading == "Play-by-play timeline" }?.documents, 2)
        XCTAssertEqual(conventions.unknownHeadings.map(\.heading), ["Attendees"])
        XCTAssertEqual(conventions.severities?.levels, ["Critical", "Major", "Minor"])
        XCTAssertEqual(conventions.zones.map(\.zone), ["UTC"])
        XCTAssertEqual(conventions.timelinesWithoutZone, 1)
        XCTAssertEqual(conventions.plainListDocuments, 1)
        XCTAssertEqual(conventions.taskListDocuments, 0)
    }

    func testNoAliasThatWouldDuplicateASectionTheDocumentHas() {
        let text = "# Outage\n\n## Summary\n\nText.\n\n## Remediation\n\n- Fix it.\n\n## Going forward\n\nMore thoughts.\n"
        let conventions = ArchiveConventions.learn([PostmortemParser().parse(raw("postmortems/a.md", text))], schema: Schema())
        XCTAssertEqual(conventions.aliases, [])
        XCTAssertEqual(conventions.unknownHeadings.map(\.heading), ["Going forward"])
    }

    func testSeverityScales() {
        XCTAssertEqual(SeverityScale.fitting(["SEV2", "SEV1"])?.isDefault, true)
        XCTAssertEqual(SeverityScale.fitting(["SEV0", "SEV2"])?.levels, ["SEV0", "SEV1", "SEV2", "SEV3", "SEV4"])
        XCTAssertEqual(SeverityScale.fitting(["P1", "P3"])?.levels, ["P1", "P2", "P3", "P4"])
        XCTAssertEqual(SeverityScale.fitting(["high", "low"])?.levels, ["critical", "high", "medium", "low"])
        XCTAssertNil(SeverityScale.fitting(["P1", "critical"]), "mixed schemes are left to a person")
        XCTAssertEqual(SeverityScale.word(in: "Sev 2"), "SEV2")
        XCTAssertEqual(SeverityScale.word(in: "p1 - all customers"), "P1")
        XCTAssertEqual(SeverityScale.word(in: "Major (High Impact)"), "Major")
        XCTAssertNil(SeverityScale.word(in: "quite bad"))
    }

    func testAnArchiveWithItsOwnSectionOrderIsToldHowToAcceptIt() throws {
        // PagerDuty's template puts Resolution and Root Cause before Impact and Timeline.
        let text = "# A\n\n## Overview\n\nA.\n\n## Resolution\n\nB.\n\n## Root Cause\n\nC.\n\n## Impact\n\nD.\n\n## Timeline\n\n- 09:00 UTC x\n\n## Action Items\n\n- [ ] y\n"
        let result = adopt([raw("postmortems/2025-02-03-a.md", text), raw("postmortems/2025-03-04-b.md", text)])
        let configuration = try XCTUnwrap(result.configuration)
        XCTAssertTrue(configuration.contains("# Most documents (2 of 2) order their sections differently from\n"), configuration)
        XCTAssertTrue(configuration.contains("#   structure/section-order: off\n"), configuration)
        XCTAssertFalse(try XCTUnwrap(adopt([raw("postmortems/2025-02-03-a.md", checkout)]).configuration).contains("section-order"))
    }

    func testWrittenConfigurationAcceptsTheArchiveAsItIs() throws {
        let result = adopt([raw("postmortems/2025-02-03-a.md", checkout), raw("postmortems/2025-03-04-b.md", search)])
        let text = try XCTUnwrap(result.configuration)
        XCTAssertTrue(text.contains("  severities: [Critical, Major, Minor]\n"), text)
        XCTAssertTrue(text.contains("      Timeline: [" + Schema().sections.first { $0.name == "Timeline" }!.aliases.joined(separator: ", ") + ", Play-by-play timeline]\n"), text)
        XCTAssertTrue(text.contains(", Causal analysis]\n"), text)
        XCTAssertTrue(text.contains("# Time zones the timelines state: UTC (1); 1 state none"), text)
        // It must load, and with it the adopted documents lint without structure or schema-value errors about what was there.
        let configuration = try ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: Array(text.utf8), path: "inquest.yml")
        XCTAssertEqual(configuration.schema.severities, ["Critical", "Major", "Minor"])
        var files = Dictionary(uniqueKeysWithValues: result.changedFiles.map { ($0.path, String(decoding: $0.new!, as: UTF8.self)) })
        files["postmortems/causes.yml"] = ExampleDocument.catalogue
        let diagnostics = Lint.run(files: files, configuration: configuration)
        XCTAssertEqual(diagnostics.filter { $0.rule == "schema/invalid-value" || $0.rule == "syntax/front-matter" }.map(\.message), [])
        XCTAssertFalse(diagnostics.contains { $0.rule == "structure/missing-section" && $0.message.contains("Timeline") }, diagnostics.map(\.message).description)
        // What is left is what nobody wrote down: who wrote it and which services it hit.
        XCTAssertEqual(Set(diagnostics.filter { $0.rule == "schema/missing-field" }.map(\.message)),
                       ["missing required field 'authors'", "missing required field 'services'"])
    }

    func testWrittenConfigurationExcludesTemplatesAndNamesTheOneZone() throws {
        let cet = "# Disk full\n\n## Timeline\n\nAll times in CET.\n\n- 10:00 — Disk fills.\n"
        let documents = [raw("postmortems/2025-01-02-disk.md", cet), raw("postmortems/2025-01-03-disk.md", cet),
                         raw("postmortems/old/Postmortem [template].md", "# Title\n")]
        let text = try XCTUnwrap(adopt(documents).configuration)
        XCTAssertTrue(text.contains("exclude: [\"postmortems/old/Postmortem \\\\[template\\\\].md\"]\n"), text)
        XCTAssertTrue(text.contains("timeline:\n  zone: CET"), text)
        let configuration = try ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: Array(text.utf8), path: "inquest.yml")
        XCTAssertTrue(PostmortemFiles.isExcluded("postmortems/old/Postmortem [template].md", configuration: configuration))
        XCTAssertFalse(PostmortemFiles.isExcluded("postmortems/2025-01-02-disk.md", configuration: configuration))
        XCTAssertEqual(configuration.schema.timeline.defaultOffset, 60)
    }

    // MARK: Files

    func testFrontMatterGoesInFrontOfTheUnchangedBody() throws {
        let result = adopt([raw("postmortems/2025-02-03-checkout.md", checkout)])
        let file = try XCTUnwrap(result.changedFiles.first)
        let text = String(decoding: try XCTUnwrap(file.new), as: UTF8.self)
        XCTAssertEqual(text, """
        ---
        title: Checkout errors after a config push
        date: 2025-02-03
        status: draft
        severity: Major
        started: "2025-02-03T09:58:00Z"
        detected: "2025-02-03T10:04:00Z"
        resolved: "2025-02-03T10:45:00Z"
        ---

        """ + checkout)
    }

    func testBOMAndCRLFArePreserved() throws {
        let crlf = "# Cache stampede\r\n\r\n## Summary\r\n\r\nThe cache emptied.\r\n"
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(crlf.utf8)
        let result = adopt([RawDocument(path: "postmortems/2025-05-06-cache.md", bytes: bytes)])
        let new = try XCTUnwrap(result.changedFiles.first?.new)
        XCTAssertEqual(Array(new.prefix(3)), [0xEF, 0xBB, 0xBF], "the BOM stays first")
        let text = String(decoding: new.dropFirst(3), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("---\r\ntitle: Cache stampede\r\ndate: 2025-05-06\r\nstatus: draft\r\n---\r\n# Cache stampede\r\n"), text)
        XCTAssertTrue(new.suffix(bytes.count - 3).elementsEqual(bytes.dropFirst(3)), "the body is byte for byte the same")
        XCTAssertTrue(PostmortemParser().parse(RawDocument(path: "x.md", bytes: new)).syntaxProblems.isEmpty)
    }

    func testFilesWithFrontMatterTemplatesAndBadBytesAreLeftAlone() {
        let documents = [
            raw("postmortems/done.md", "---\ntitle: Done\n---\n# Done\n"),
            raw("postmortems/broken.md", "---\ntitle: never closed\n# Broken\n"),
            raw("postmortems/Postmortem template.md", "# Incident title\n"),
            RawDocument(path: "postmortems/latin1.md", bytes: [0x23, 0x20, 0xE9, 0x0A]),
        ]
        let result = adopt(documents, writeConfiguration: false)
        XCTAssertEqual(result.files.map(\.path), documents.map(\.path).sorted())
        XCTAssertEqual(result.files.map(\.outcome), [.skipped("looks like a template (its name): excluded by --write-config, or add it to exclude:"),
                                                     .hasFrontMatter, .hasFrontMatter, .skipped("not valid UTF-8")])
        XCTAssertTrue(result.changedFiles.isEmpty)
        XCTAssertNil(result.configuration)
    }

    func testASecondRunChangesNothing() throws {
        let first = adopt([raw("postmortems/2025-02-03-a.md", checkout), raw("postmortems/b.md", search)])
        let adopted = first.changedFiles.map { RawDocument(path: $0.path, bytes: $0.new!) }
        XCTAssertEqual(adopted.count, 2)
        let second = Adopter(configuration: Configuration(), writeConfiguration: true, configurationExists: true)
            .run(documents: adopted, archive: adopted, gitAuthors: [:])
        XCTAssertTrue(second.changedFiles.isEmpty)
        XCTAssertNil(second.configuration, "an existing inquest.yml is never overwritten")
        XCTAssertNotNil(second.configurationNote)
    }

    func testDryRunDiffIsAUnifiedDiffOfTheInsertion() throws {
        let result = adopt([raw("postmortems/2025-05-06-cache.md", "# Cache stampede\n\nThe cache emptied.")], writeConfiguration: false)
        XCTAssertEqual(try XCTUnwrap(result.changedFiles.first).diff, """
        --- a/postmortems/2025-05-06-cache.md
        +++ b/postmortems/2025-05-06-cache.md
        @@ -1,3 +1,8 @@
        +---
        +title: Cache stampede
        +date: 2025-05-06
        +status: draft
        +---
         # Cache stampede
         
         The cache emptied.
        \\ No newline at end of file

        """)
        XCTAssertEqual(UnifiedDiff.newFile(path: "inquest.yml", contents: Array("a: 1\n".utf8)), "--- /dev/null\n+++ b/inquest.yml\n@@ -0,0 +1,1 @@\n+a: 1\n")
    }

    func testDiffOfABOMFileShowsTheFirstLineMoving() {
        let old: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("# T\n".utf8)
        let new = FrontMatterText.insert("---\ntitle: T\n---\n", into: old)
        XCTAssertEqual(UnifiedDiff.prepend(path: "p.md", old: old, new: new),
                       "--- a/p.md\n+++ b/p.md\n@@ -1,1 +1,4 @@\n-\u{FEFF}# T\n+\u{FEFF}---\n+title: T\n+---\n+# T\n")
    }

    func testYAMLScalarsReadBackAsWritten() throws {
        for text in ["Post-Mortem: a title", "#1 outage", "yes", "2024", "\"quoted\" words", "a, b", "- dash", "back\\slash", "tab\there"] {
            let line = "title: \(FrontMatterText.scalar(text))\nlist: [\(FrontMatterText.scalar(text, inFlow: true))]\n"
            let source = SourceText(bytes: Array(line.utf8))
            let node = try XCTUnwrap(try YAMLTreeParser.parse(line, in: source, firstLine: 1))
            XCTAssertEqual(node["title"]?.scalar, text, line)
            XCTAssertEqual(node["list"]?.sequence?.first?.scalar, text, line)
        }
    }

    // MARK: Git

    /// Authors come from the commit that added each file, with the mailmap applied, through the
    /// history loader (no git process in the code under test; the fixture scripts the repository).
    func testAuthorsFromTheFirstCommitWithTheMailmap() throws {
        let repo = try GitTestRepository()
        try repo.write(".mailmap", "Priya Raman <priya@example.com> <praman@old.example>\n")
        try repo.write("postmortems/2025-02-03-checkout.md", checkout)
        try repo.commitAll("Import checkout postmortem", as: .priyaOld)
        try repo.write("postmortems/search.md", search)
        try repo.commitAll("Import search postmortem", as: .marcus)
        try repo.write("postmortems/search.md", search + "\nMore notes.\n")
        try repo.commitAll("Edit search postmortem", as: .lena)
        try repo.write("postmortems/new.md", "# Uncommitted\n")

        let workspace = try Workspace.open(at: repo.url)
        let input = try workspace.lintInput(source: WorkingTreeSource(root: workspace.root), paths: [], from: repo.url)
        let authors = try Adopter.gitAuthors(root: workspace.root, configuration: workspace.configuration, documents: input.documents)
        XCTAssertEqual(authors.mapValues(\.name), ["postmortems/2025-02-03-checkout.md": "Priya Raman", "postmortems/search.md": "Marcus Webb"])

        let result = Adopter(configuration: workspace.configuration, writeConfiguration: false, configurationExists: false)
            .run(documents: input.documents, archive: input.documents, gitAuthors: authors)
        let byPath = Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, $0) })
        let checkoutAuthors = byPath["postmortems/2025-02-03-checkout.md"]?.inference?.fields.first { $0.key == "authors" }
        XCTAssertEqual(checkoutAuthors?.value, .list(["Priya Raman"]))
        XCTAssertEqual(checkoutAuthors?.source, "git (first commit \(String(try repo.sha("HEAD~2").prefix(7))))")
        XCTAssertTrue(byPath["postmortems/new.md"]?.inference?.missing.contains("authors") ?? false, "never committed: left for a person")
    }

    func testOutsideARepositoryThereAreNoGitAuthors() throws {
        let repo = try GitTestRepository(plain: true)
        try repo.write("postmortems/a.md", "# A\n")
        XCTAssertTrue(try Adopter.gitAuthors(root: repo.url, configuration: Configuration(), documents: [raw("postmortems/a.md", "# A\n")]).isEmpty)
    }
}

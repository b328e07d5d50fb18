import Foundation
import InquestTestSupport
import XCTest
@testable import InquestCore

/// The persistent lint cache: cached and uncached runs print the same bytes in every format, an
/// entry is used only when everything it depends on is unchanged, a damaged or foreign cache is
/// ignored, and a warm run parses only what changed.
final class LintCacheTests: XCTestCase {
    // MARK: Fixtures

    /// A folder archive whose documents exercise every cross-document rule: recurring causes with
    /// open action items, similar root causes, an unknown related id, a broken link, a duplicate
    /// id, a suppression, blame language and an invalid value.
    private func archive() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let files: [String: String] = [
            "inquest.yml": "",
            "postmortems/causes.yml": ExampleDocument.catalogue,
            "postmortems/2024/2024-05-01-sessions.md": ExampleDocument.make(
                fields: ExampleDocument.earlierIncident.merging(["root_causes": "[missing-runbook-step]", "contributing_factors": nil]) { $1 },
                sections: ["Root Causes": "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped."]),
            "postmortems/2025/2025-03-04-cache.md": ExampleDocument.make(
                fields: ["contributing_factors": nil, "related": "[no-such-incident]"],
                sections: ["Root Causes": "The session cache ran on a single host with no replica, so losing the host dropped every session.",
                           "Resolution": "See [the old one](../2024/missing.md). Bob forgot to check the replica."]),
            "postmortems/2025/2025-04-01-twin.md": ExampleDocument.make(fields: ["id": "twin", "severity": "SEV9"]),
            "postmortems/2025/2025-04-02-twin-again.md": ExampleDocument.make(fields: ["id": "twin"],
                                                                             extraBody: "\n<!-- inquest-disable-file schema/unknown-field -->\n"),
            "postmortems/2025/2025-05-05-clean.md": ExampleDocument.make(fields: ["date": "2025-05-05", "root_causes": "[missing-runbook-step]"]),
        ]
        for (path, contents) in files { try write(contents, to: path, in: root) }
        return root
    }

    private func write(_ contents: String, to path: String, in root: URL) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    private func cache(in root: URL) -> LintCache {
        var cache = LintCache(url: root.appendingPathComponent(".inquest-cache/lint.cache"), ownsFolder: true)
        cache.racyWindow = 0
        return cache
    }

    /// The output of one run in every format, plus what the cache did.
    private struct Outcome {
        var outputs: [OutputFormat: String]
        var statistics: CachedLint.Statistics?
    }

    private func lint(_ root: URL, cache: LintCache?, paths: [String] = [], selection: DocumentSourceSelection = .workingTree,
                      changedSince: String? = nil) throws -> Outcome {
        let reader = try ArchiveReader.open(at: root, selection: selection)
        let plan = try LintPlan.make(reader: reader, paths: paths, from: root, changedSince: changedSince, loadHistory: false,
                                     judgeStagedChange: true, cache: cache)
        let result = plan.lint()
        var sources: [String: SourceText] = [:]
        for postmortem in result.archive.postmortems { sources[postmortem.path] = postmortem.source }
        if let catalogue = result.archive.catalogue { sources[catalogue.path] = catalogue.source }
        var outputs: [OutputFormat: String] = [:]
        for format in OutputFormat.allCases {
            outputs[format] = DiagnosticFormatter(format: format, sourceRoot: root).render(result.diagnostics, summary: result.summary, sources: sources)
        }
        return Outcome(outputs: outputs, statistics: plan.cached?.statistics)
    }

    /// Lints without the cache, then with it (twice: filling it, then reading it), and asserts
    /// the three print the same bytes in every format; returns the warm run's statistics.
    @discardableResult
    private func assertSameOutput(_ root: URL, paths: [String] = [], selection: DocumentSourceSelection = .workingTree,
                                  _ message: String, file: StaticString = #filePath, line: UInt = #line) throws -> CachedLint.Statistics? {
        try assertSameOutputs(root, paths: paths, selection: selection, message, file: file, line: line).statistics
    }

    /// ``assertSameOutput(_:paths:selection:_:file:line:)`` returning the whole warm run.
    private func assertSameOutputs(_ root: URL, paths: [String] = [], selection: DocumentSourceSelection = .workingTree,
                                   _ message: String, file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let uncached = try lint(root, cache: nil, paths: paths, selection: selection)
        let first = try lint(root, cache: cache(in: root), paths: paths, selection: selection)
        let second = try lint(root, cache: cache(in: root), paths: paths, selection: selection)
        for format in OutputFormat.allCases {
            XCTAssertEqual(first.outputs[format], uncached.outputs[format], "\(message): \(format), first cached run", file: file, line: line)
            XCTAssertEqual(second.outputs[format], uncached.outputs[format], "\(message): \(format), warm run", file: file, line: line)
        }
        return second
    }

    // MARK: Identical output

    func testCachedRunsPrintTheSameBytesInEveryFormatThroughEditsRenamesAndDeletions() throws {
        let root = try archive()
        let baseline = try lint(root, cache: nil)
        XCTAssertTrue(baseline.outputs[.text]!.contains("causes/similar"), "the fixture exercises the cross-document rules")
        XCTAssertTrue(baseline.outputs[.text]!.contains("schema/duplicate-id"))
        XCTAssertTrue(baseline.outputs[.text]!.contains("links/related-unknown"))
        XCTAssertTrue(baseline.outputs[.text]!.contains("causes/recurring"))
        let warm = try assertSameOutput(root, "unchanged archive")
        XCTAssertEqual(warm?.hit, true)
        XCTAssertEqual(warm?.checked, 0, "nothing changed: every document's diagnostics come from the cache")

        // A body edit that changes no fact.
        try write(ExampleDocument.make(fields: ["date": "2025-05-05", "root_causes": "[missing-runbook-step]"],
                                       sections: ["Impact": "Nearly every checkout was slow for an hour."]),
                  to: "postmortems/2025/2025-05-05-clean.md", in: root)
        try assertSameOutput(root, "body edit")
        // An edit that changes facts other documents read (the earlier incident's action item closes).
        try write(ExampleDocument.make(
            fields: ExampleDocument.earlierIncident.merging(["root_causes": "[missing-runbook-step]", "contributing_factors": nil]) { $1 },
            sections: ["Root Causes": "A certificate expired because nothing watched expiry dates.",
                       "Action Items": "- [x] Alert on cache eviction rate — @platform-team, LRK-101, due: 2025-04-01"]),
                  to: "postmortems/2024/2024-05-01-sessions.md", in: root)
        try assertSameOutput(root, "fact edit")
        // A rename (the id follows the file name) and a deletion.
        try FileManager.default.moveItem(at: root.appendingPathComponent("postmortems/2025/2025-05-05-clean.md"),
                                         to: root.appendingPathComponent("postmortems/2025/2025-05-06-renamed.md"))
        try assertSameOutput(root, "rename")
        try FileManager.default.removeItem(at: root.appendingPathComponent("postmortems/2025/2025-04-02-twin-again.md"))
        try assertSameOutput(root, "deletion")
        // One file named on the command line.
        try assertSameOutput(root, paths: ["postmortems/2025/2025-03-04-cache.md"], "one file")
    }

    /// A warm run prints its notes' source lines from the cache instead of reading the files:
    /// the same bytes as an uncached run (CRLF, a tab, non-ASCII, a last line without a line
    /// feed), files read only where a fix needs the whole text; after an edit that moves the
    /// lines, the edited file is parsed and quoted afresh.
    func testWarmRunsQuoteStoredLinesInsteadOfReadingFiles() throws {
        let root = try archive()
        let crlf = ExampleDocument.make(fields: ["id": "crlf"], sections: ["Resolution": "Bob forgot\tto check the replica — naïvely."])
            .replacingOccurrences(of: "\n", with: "\r\n")
        try write(crlf, to: "postmortems/2025/2025-06-01-crlf.md", in: root)
        var last = ExampleDocument.make(fields: ["id": "last-line"], extraBody: "\nBob forgot to check the replica.\n")
        while last.hasSuffix("\n") { last.removeLast() }
        try write(last, to: "postmortems/2025/2025-06-02-last-line.md", in: root)
        let fixable = ExampleDocument.make(fields: ["id": "fixable", "status": "finall"])
        try write(fixable, to: "postmortems/2025/2025-06-03-fixable.md", in: root)
        // Files changed in the clock tick the cache is written in are read and hashed (git's racy
        // rule): let the tick pass, so that every unchanged file is known by its stamp.
        usleep(50_000)
        let uncached = try LintPlan.make(reader: try ArchiveReader.open(at: root, selection: .workingTree), from: root,
                                         loadHistory: false, judgeStagedChange: true, cache: nil).lint()
        XCTAssertTrue(uncached.diagnostics.contains { $0.file.hasSuffix("-crlf.md") && $0.rule.hasPrefix("blameless/") })
        XCTAssertTrue(uncached.diagnostics.contains { $0.file.hasSuffix("-last-line.md") && $0.rule.hasPrefix("blameless/") })
        let withFixes = Set(uncached.diagnostics.filter { $0.fix != nil }.map(\.file))

        let warm = try XCTUnwrap(try assertSameOutputs(root, "stored lines").statistics)
        XCTAssertEqual(warm.checked, 0)
        XCTAssertGreaterThanOrEqual(warm.quoted, 4, "documents whose notes quote stored lines")
        XCTAssertLessThanOrEqual(warm.read, warm.parsed + withFixes.count,
                                 "only documents parsed for an archive rule, and those whose diagnostics carry a fix, are read")
        XCTAssertTrue(withFixes.contains("postmortems/2025/2025-06-03-fixable.md"))
        // `--fix` applies fixes to the text linted: a document with a fix has its whole text;
        // one that quotes stored lines has a stand-in with the file's line count.
        let reader = try ArchiveReader.open(at: root, selection: .workingTree)
        let plan = try LintPlan.make(reader: reader, from: root, loadHistory: false, judgeStagedChange: true, cache: cache(in: root))
        let result = plan.lint()
        XCTAssertEqual(plan.cached?.statistics.checked, 0)
        func source(_ path: String) throws -> SourceText {
            try XCTUnwrap(result.archive.indexes(ofPath: path).first.map { result.archive.postmortems[$0].source })
        }
        XCTAssertEqual(try source("postmortems/2025/2025-06-03-fixable.md").bytes, Array(fixable.utf8))
        let quotedText = try source("postmortems/2025/2025-06-02-last-line.md")
        XCTAssertNotEqual(quotedText.bytes, Array(last.utf8))
        XCTAssertEqual(quotedText.lineCount, SourceText(bytes: Array(last.utf8)).lineCount)

        // Two lines added above everything quoted: the stored lines no longer match the file,
        // whose new content is parsed; the others still quote from the cache.
        try write(crlf.replacingOccurrences(of: "---\r\n\r\n", with: "---\r\n\r\nAdded.\r\n\r\n"), to: "postmortems/2025/2025-06-01-crlf.md", in: root)
        usleep(50_000)
        let edited = try XCTUnwrap(try assertSameOutputs(root, "after an edit above the quoted lines").statistics)
        XCTAssertEqual(edited.parsed, warm.parsed + 1, "the edited file (too small a change to rewrite the cache) is parsed, and quoted from its text")
        XCTAssertGreaterThanOrEqual(edited.quoted, 3)
    }

    /// The stored lines rebuild a text with the file's line count whose stored lines read as the
    /// file's (terminators included), and only when every line asked for is stored.
    func testStoredLinesStandInForTheFileLineForLine() throws {
        let text = "first\r\nsecond\r\r\n\tthird é\n\nfifth\n" + String(repeating: "\n", count: 300) + "last without a feed"
        let source = SourceText(bytes: Array(text.utf8))
        XCTAssertEqual(source.lineCount, 306)
        let bytes = CachedLint.Excerpts.encode(lines: [2, 3, 3, 306, 0, 999], source: source)
        let buffer = CacheBytes(bytes)
        let rebuilt = try XCTUnwrap(CachedLint.Excerpts.source(buffer, 0..<bytes.count, lines: [2, 306, 0, 999]))
        XCTAssertEqual(rebuilt.lineCount, source.lineCount, "more lines than stored bytes")
        XCTAssertEqual(rebuilt.lineStarts, SourceText(bytes: rebuilt.bytes).lineStarts, "the line table built with the text is the one it implies")
        for line in [2, 3, 306] {
            XCTAssertEqual(rebuilt.lineText(line), source.lineText(line), "line \(line)")
            XCTAssertEqual(Array(rebuilt.bytes[rebuilt.lineContentRange(line - 1)]), Array(source.bytes[source.lineContentRange(line - 1)]))
        }
        XCTAssertEqual(rebuilt.lineText(1), "")
        XCTAssertNil(CachedLint.Excerpts.source(buffer, 0..<bytes.count, lines: [2, 4]), "line 4 is not stored: the file is read")
        XCTAssertNil(CachedLint.Excerpts.source(CacheBytes(CachedLint.Excerpts.none), 0..<1, lines: []), "nothing stored")
        for cut in 1..<bytes.count {
            XCTAssertNil(CachedLint.Excerpts.source(CacheBytes(Array(bytes.prefix(cut))), 0..<cut, lines: []), "truncated at \(cut)")
        }
    }

    func testConfigurationAndCatalogueEditsInvalidateTheWholeCache() throws {
        let root = try archive()
        try assertSameOutput(root, "start")
        try write("schema:\n  severities: [SEV1, SEV2, SEV3, SEV9]\n", to: "inquest.yml", in: root)
        let afterConfig = try lint(root, cache: cache(in: root))
        XCTAssertEqual(afterConfig.statistics?.hit, false, "a cache written under another configuration is not used")
        XCTAssertEqual(afterConfig.outputs, try lint(root, cache: nil).outputs)
        XCTAssertFalse(afterConfig.outputs[.text]!.contains("SEV9"), "the new severity is allowed")

        try write(ExampleDocument.catalogue.replacingOccurrences(of: "missing-runbook-step:", with: "missing-runbook-steps:"),
                  to: "postmortems/causes.yml", in: root)
        let afterCatalogue = try lint(root, cache: cache(in: root))
        XCTAssertEqual(afterCatalogue.statistics?.hit, false, "a cache written under another catalogue is not used")
        XCTAssertEqual(afterCatalogue.outputs, try lint(root, cache: nil).outputs)
        XCTAssertTrue(afterCatalogue.outputs[.text]!.contains("causes/unknown"))
        try assertSameOutput(root, "after both edits")
    }

    // MARK: Exact invalidation

    func testAContentEditReparsesOnlyThatDocumentAndAFactEditRechecksEveryReportedOne() throws {
        let root = try archive()
        _ = try lint(root, cache: cache(in: root))
        let warm = try XCTUnwrap(try lint(root, cache: cache(in: root)).statistics)
        XCTAssertEqual(warm.parsed, 3, "only what archive rules report on is parsed: the two documents sharing an id and the one the no-repository note goes on")
        XCTAssertEqual(warm.checked, 0)
        XCTAssertEqual(warm.reused, 5)

        // A body edit: one document parsed and checked, the others' diagnostics reused.
        try write(ExampleDocument.make(fields: ["date": "2025-05-05", "root_causes": "[missing-runbook-step]"],
                                       sections: ["Impact": "Every checkout was slow."]),
                  to: "postmortems/2025/2025-05-05-clean.md", in: root)
        let body = try XCTUnwrap(try lint(root, cache: cache(in: root)).statistics)
        XCTAssertEqual(body.checked, 1)
        XCTAssertEqual(body.reused, 4)

        // A changed id is a fact only some documents read: the edited one, the one whose unknown
        // `related` id gets the closest id as a suggestion (it reads every id), and the earlier
        // one of its cause (whose recurrence lists it). The others keep their diagnostics.
        try write(ExampleDocument.make(fields: ["id": "renamed-clean", "date": "2025-05-05", "root_causes": "[missing-runbook-step]"]),
                  to: "postmortems/2025/2025-05-05-clean.md", in: root)
        let uncached = try lint(root, cache: nil)
        let fact = try lint(root, cache: cache(in: root))
        XCTAssertEqual(fact.outputs, uncached.outputs)
        XCTAssertEqual(fact.statistics?.checked, 3)
        XCTAssertEqual(fact.statistics?.reused, 2)
    }

    /// A new postmortem changes which ids and paths exist: only the documents whose `related` ids
    /// or links name it are checked again (before, every document of the archive was), and a
    /// document whose broken link now leads to it loses its finding.
    func testANewPostmortemChecksAgainOnlyTheDocumentsThatNameIt() throws {
        let root = try archive()
        // One names it in `related`, another links to its file (each would be stale alone).
        try write(ExampleDocument.make(fields: ["date": "2025-06-06", "id": "ahead", "related": "[2025-07-07-later]"]),
                  to: "postmortems/2025/2025-06-06-ahead.md", in: root)
        try write(ExampleDocument.make(fields: ["date": "2025-06-07", "id": "linking"],
                                       sections: ["Impact": "See [the later one](2025-07-07-later.md)."]),
                  to: "postmortems/2025/2025-06-07-linking.md", in: root)
        _ = try lint(root, cache: cache(in: root))
        let before = try lint(root, cache: nil).outputs[.text]!
        XCTAssertTrue(before.contains("related postmortem '2025-07-07-later' does not exist"))
        XCTAssertTrue(before.contains("link to '2025-07-07-later.md' does not resolve"))
        try write(ExampleDocument.make(fields: ["date": "2025-07-07", "root_causes": "[missing-runbook-step]"]),
                  to: "postmortems/2025/2025-07-07-later.md", in: root)
        let uncached = try lint(root, cache: nil)
        XCTAssertFalse(uncached.outputs[.text]!.contains("2025-07-07-later' does not exist"))
        XCTAssertFalse(uncached.outputs[.text]!.contains("link to '2025-07-07-later.md'"))
        let added = try lint(root, cache: cache(in: root))
        XCTAssertEqual(added.outputs, uncached.outputs)
        let statistics = try XCTUnwrap(added.statistics)
        XCTAssertLessThan(statistics.checked, 7, "not every document of the archive")
        XCTAssertGreaterThan(statistics.reused, 0)
        // And gone again.
        try FileManager.default.removeItem(at: root.appendingPathComponent("postmortems/2025/2025-07-07-later.md"))
        try assertSameOutput(root, "the new postmortem deleted")
    }

    func testARootCausesEditChecksAgainOnlyTheEditedDocumentAndReworksItsCausesFindings() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let causes = ["cause-a", "cause-b", "cause-c"]
        try write(causes.map { "\($0):\n  title: \($0)\n  description: one cause\n" }.joined(), to: "postmortems/causes.yml", in: root)
        try write("", to: "inquest.yml", in: root)
        // Root Causes texts with no word in common: no two documents read alike.
        let documents: [(name: String, cause: String, text: String)] = [
            ("2025-01-01-a1", "cause-a", "Quokkas nibbled the fibre trunk."), ("2025-02-01-a2", "cause-a", "Pelicans swallowed every lanyard."),
            ("2025-03-01-b1", "cause-b", "Volcanic ash clogged intake filters."), ("2025-04-01-c1", "cause-c", "Leap seconds confused cron."),
            ("2025-05-01-c2", "cause-c", "Magnetic tape stretched overnight."),
        ]
        func document(_ index: Int, cause: String) -> String {
            let date = String(documents[index].name.prefix(10))
            return ExampleDocument.make(fields: ["date": date, "started": "\"\(date)T09:00:00Z\"", "detected": nil, "mitigated": nil,
                                                 "resolved": nil, "root_causes": "[\(cause)]", "contributing_factors": nil],
                                        sections: ["Root Causes": documents[index].text])
        }
        for (index, item) in documents.enumerated() { try write(document(index, cause: item.cause), to: "postmortems/\(item.name).md", in: root) }
        try assertSameOutput(root, "start")
        XCTAssertTrue(try lint(root, cache: nil).outputs[.text]!.contains("causes/recurring"), "the fixture has recurring causes")

        // c2 (the newest) moves from cause-c to cause-a: c2 is checked again; a1, a2 (its new
        // cause) and c1 (its old one) work their cause findings out again from the cached facts,
        // unparsed.
        try write(document(4, cause: "cause-a"), to: "postmortems/\(documents[4].name).md", in: root)
        let newest = try lint(root, cache: nil)
        let moved = try lint(root, cache: cache(in: root))
        XCTAssertEqual(moved.outputs, newest.outputs)
        XCTAssertEqual(moved.statistics?.checked, 1, "only the edited document is checked again")
        XCTAssertEqual(moved.statistics?.reused, 4, "the others keep their diagnostics")
        XCTAssertEqual(moved.statistics?.regrouped, 3, "the documents of the cause it left and joined rework their cause findings")
        try write(document(4, cause: "cause-c"), to: "postmortems/\(documents[4].name).md", in: root)
        try assertSameOutput(root, "newest moved back")

        // a1 (the oldest) moves from cause-a to cause-b: a1 is checked again, and so are the later
        // documents of both causes (a2, b1), whose `causes/similar` could change if an earlier
        // look-alike left or joined their cause; no other document is touched.
        try write(document(0, cause: "cause-b"), to: "postmortems/\(documents[0].name).md", in: root)
        let uncached = try lint(root, cache: nil)
        let edited = try lint(root, cache: cache(in: root))
        XCTAssertEqual(edited.outputs, uncached.outputs)
        XCTAssertEqual(edited.statistics?.checked, 3, "the edited document and the later ones of both causes are checked again")
        XCTAssertEqual(edited.statistics?.reused, 2, "the others keep their diagnostics")
        try assertSameOutput(root, "after the edit")
    }

    func testACauseEditReachesTheDocumentsThatQuoteItsCausesAsSimilar() throws {
        let root = try archive()
        let before = try lint(root, cache: nil).outputs[.text]!
        XCTAssertTrue(before.contains("causes/similar"))
        try assertSameOutput(root, "start")
        // The earlier incident's cause changes to one no other document has: the later document
        // whose Root Causes read like it shares neither cause, and its suggestion quotes the new one.
        let sessions = ExampleDocument.make(
            fields: ExampleDocument.earlierIncident.merging(["root_causes": "[no-alert-on-saturation]", "contributing_factors": nil]) { $1 },
            sections: ["Root Causes": "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped."])
        // First to a cause the similar document has (it no longer reads as similar), then to a new one.
        try write(sessions, to: "postmortems/2024/2024-05-01-sessions.md", in: root)
        try assertSameOutput(root, "the similar document now shares a cause")
        try write(sessions.replacingOccurrences(of: "root_causes: [no-alert-on-saturation]", with: "root_causes: [brand-new-cause]"),
                  to: "postmortems/2024/2024-05-01-sessions.md", in: root)
        try assertSameOutput(root, "a new cause")
        try write(sessions.replacingOccurrences(of: "root_causes: [no-alert-on-saturation]", with: "root_causes: [another-new-cause]"),
                  to: "postmortems/2024/2024-05-01-sessions.md", in: root)
        let uncached = try lint(root, cache: nil).outputs[.text]!
        XCTAssertTrue(uncached.contains("another-new-cause"), "the similar document's suggestion quotes the new cause")
        try assertSameOutput(root, "another new cause, quoted by the similar document only")
    }

    func testOneFileLintOfALargeWarmArchiveParsesOneDocument() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try write("", to: "inquest.yml", in: root)
        try write(ExampleDocument.catalogue, to: "postmortems/causes.yml", in: root)
        for day in 1...60 {
            let date = String(format: "2024-%02d-%02d", (day - 1) / 28 + 1, (day - 1) % 28 + 1)
            try write(ExampleDocument.make(fields: ["date": date, "started": "\"\(date)T09:00:00Z\"", "detected": "\"\(date)T09:10:00Z\"",
                                                    "mitigated": "\"\(date)T09:40:00Z\"", "resolved": "\"\(date)T10:05:00Z\""]),
                      to: "postmortems/\(date)-incident.md", in: root)
        }
        let cache = cache(in: root)
        let cold = try XCTUnwrap(try lint(root, cache: cache).statistics)
        XCTAssertEqual(cold.parsed, 60)
        let unchanged = try XCTUnwrap(try lint(root, cache: cache, paths: ["postmortems/2024-01-05-incident.md"]).statistics)
        XCTAssertEqual(unchanged.reused, 1, "an unchanged file reuses its diagnostics")
        XCTAssertTrue(unchanged.digested, "after checking them against the archive digests")
        let target = "postmortems/2024-02-03-incident.md"
        try write(ExampleDocument.make(fields: ["date": "2024-02-03"], sections: ["Impact": "Checkouts failed."]), to: target, in: root)
        let one = try XCTUnwrap(try lint(root, cache: cache, paths: [target]).statistics)
        XCTAssertEqual(one.parsed, 1, "a warm one-file lint parses the changed file, not the archive")
        XCTAssertEqual(one.checked, 1)
        XCTAssertLessThanOrEqual(one.read, 1, "unchanged files are known by their stamps, not read")
        XCTAssertFalse(one.digested, "the changed file is checked again: no cached diagnostics to check, no archive digests")
        try assertSameOutput(root, paths: [target], "one file in a large archive")
    }

    /// A warm run over many documents gives the same bytes as without the cache, before and
    /// after an edit that changes what the other documents' diagnostics depend on (the first
    /// run after it works out the cause groups again; the next reuses everything).
    func testManyDocumentsBeforeAndAfterACauseMovesGiveTheSameOutput() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try write("", to: "inquest.yml", in: root)
        try write(ExampleDocument.catalogue, to: "postmortems/causes.yml", in: root)
        func document(_ day: Int, causes: String) -> String {
            let date = String(format: "2024-%02d-%02d", (day - 1) / 28 + 1, (day - 1) % 28 + 1)
            return ExampleDocument.make(fields: ["date": date, "root_causes": causes, "started": "\"\(date)T09:00:00Z\"",
                                                 "detected": "\"\(date)T09:10:00Z\"", "mitigated": "\"\(date)T09:40:00Z\"",
                                                 "resolved": "\"\(date)T10:05:00Z\""])
        }
        for day in 1...90 {
            try write(document(day, causes: day % 3 == 0 ? "[missing-runbook-step]" : "[unbounded-retries]"),
                      to: String(format: "postmortems/2024-%03d-incident.md", day), in: root)
        }
        usleep(50_000)
        let warm = try XCTUnwrap(try assertSameOutput(root, "90 documents"))
        XCTAssertEqual(warm.reused, 90)
        XCTAssertTrue(warm.digested)
        // An earlier incident changes cause: the later documents of both causes depend on it.
        try write(document(2, causes: "[missing-runbook-step]"), to: "postmortems/2024-002-incident.md", in: root)
        usleep(50_000)
        let uncached = try lint(root, cache: nil)
        let first = try lint(root, cache: cache(in: root))
        XCTAssertEqual(first.outputs, uncached.outputs, "the first run after the edit")
        let firstStatistics = try XCTUnwrap(first.statistics)
        XCTAssertGreaterThan(firstStatistics.regrouped + firstStatistics.checked, 1, "documents of both causes are worked out again")
        let warmAgain = try XCTUnwrap(try assertSameOutput(root, "a cause moved"))
        XCTAssertEqual(warmAgain.reused, 90)
    }

    // MARK: Damaged and foreign caches

    func testCorruptTruncatedGarbageAndForeignCachesAreIgnoredAndRewritten() throws {
        let root = try archive()
        let expected = try lint(root, cache: nil).outputs
        let cache = cache(in: root)
        _ = try lint(root, cache: cache)
        let good = try Data(contentsOf: cache.url)
        var flipped = good
        flipped[flipped.count / 2] ^= 0x5A
        var otherVersion = good
        otherVersion[7] = 0x7F
        let damaged: [(String, Data)] = [
            ("truncated", good.prefix(good.count / 3)),
            ("one byte changed", flipped),
            ("garbage", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })),
            ("empty", Data()),
            ("another format version", otherVersion),
            ("magic only", Data("INQLINT\u{1}".utf8)),
        ]
        for (name, bytes) in damaged {
            try bytes.write(to: cache.url)
            let run = try lint(root, cache: cache)
            XCTAssertEqual(run.statistics?.hit, false, name)
            XCTAssertEqual(run.outputs, expected, name)
            XCTAssertEqual(try lint(root, cache: cache).statistics?.hit, true, "\(name): rewritten whole")
        }
        // A cache written under another key (another build, configuration or catalogue).
        XCTAssertNil(LintCache.decode(Array(good), key: "another key", written: 0))
        XCTAssertNotNil(LintCache.decode(Array(good), key: try XCTUnwrap(self.key(root)), written: 0))
    }

    /// The loader reads the file before the run knows its key: it hands the stubs over only under
    /// the key the file was written with, and each stub is what the entry's facts make.
    func testTheLoaderHandsOverACacheOnlyUnderItsOwnKeyAndItsStubsAreTheFacts() throws {
        let root = try archive()
        let cache = cache(in: root)
        _ = try lint(root, cache: cache)
        let key = try XCTUnwrap(try self.key(root))
        XCTAssertNil(SnapshotLoader(cache: cache).result(key: "another key"), "a foreign key is never trusted")
        let loader = SnapshotLoader(cache: cache)
        let decoded = try XCTUnwrap(loader.result(key: key))
        XCTAssertNil(loader.result(key: key), "handed over once")
        let snapshot = decoded.snapshot
        XCTAssertEqual(decoded.stubs.count, snapshot.entries.count)
        XCTAssertTrue(decoded.valid.allSatisfy { $0 })
        for (ordinal, entry) in snapshot.entries.enumerated() {
            var reader = CacheReader(snapshot.buffer, range: entry.facts)
            let facts = try DocumentFacts(from: &reader)
            let stub = decoded.stubs[ordinal]
            XCTAssertEqual(stub.path, snapshot.path(of: entry))
            XCTAssertEqual(stub.path, facts.path)
            XCTAssertEqual(stub.id, facts.id)
            XCTAssertEqual(stub.date, facts.date)
            XCTAssertEqual(stub.started, facts.started)
            XCTAssertEqual(stub.rootCauses.map(\.value), facts.rootCauses)
            XCTAssertEqual(stub.contributingFactors.map(\.value), facts.contributingFactors)
            XCTAssertEqual(stub.services, facts.services)
            XCTAssertEqual(stub.tags, facts.tags)
            XCTAssertEqual(stub.related.map(\.value), facts.related)
            XCTAssertEqual(stub.suppressions, facts.suppressions)
            XCTAssertEqual(decoded.openItems[ordinal].map(\.line), facts.indexed.openItems.map(\.line))
            XCTAssertEqual(decoded.openItems[ordinal].map(\.ticket), facts.indexed.openItems.map(\.ticket))
        }
        try Data("garbage".utf8).write(to: cache.url)
        XCTAssertNil(SnapshotLoader(cache: cache).result(key: key), "a damaged file is never trusted")
    }

    /// Neighbour paths are found by a binary search over a listing in path order, and by a table
    /// otherwise (the first of a path listed twice): the same answers either way.
    func testPathsAreFoundInSortedAndUnsortedListings() {
        let sorted = ["postmortems/2024/a.md", "postmortems/2024/b.md", "postmortems/2025/e\u{301}.md", "postmortems/2025/z.md"]
        let documents = sorted.map { RawDocument(path: $0, bytes: []) }
        let finder = PathFinder(documents)
        for (index, path) in sorted.enumerated() { XCTAssertEqual(finder.index(of: path), index, path) }
        XCTAssertEqual(finder.index(of: "postmortems/2025/\u{E9}.md"), 2, "canonically equal, as a dictionary finds it")
        XCTAssertNil(finder.index(of: "postmortems/2024/aa.md"))
        XCTAssertNil(finder.index(of: "postmortems/zzz.md"))
        XCTAssertNil(finder.index(of: ""))
        let shuffled = [documents[2], documents[0], documents[2], documents[3]]
        let table = PathFinder(shuffled)
        XCTAssertEqual(table.index(of: sorted[2]), 0, "the first of a path listed twice")
        XCTAssertEqual(table.index(of: sorted[0]), 1)
        XCTAssertNil(table.index(of: sorted[1]))
    }

    /// Interned values are the Strings their bytes spell, one per distinct value, through growth.
    func testTheInternerGivesEachValueItsOwnStringThroughGrowth() {
        var interner = StringInterner()
        let values = (0..<700).map { "cause-number-\($0)-of-the-catalogue" } + ["short", "", "é-non-ascii-value-é-long-enough"]
        for round in 0..<2 {
            for value in values {
                var copy = value
                let interned = copy.withUTF8 { interner.string($0) }
                XCTAssertEqual(interned, value, "round \(round)")
            }
        }
    }

    /// Blob ids parse from their bytes as from their characters: either case, exactly 40 hex digits.
    func testBlobIdsParseInEitherCaseAndNothingElseParses() throws {
        let id = "0123456789abcdef0123456789ABCDEF01234567"
        let digest = try XCTUnwrap(Digest20(hex: id))
        XCTAssertEqual(digest.hex, id.lowercased())
        XCTAssertEqual(Digest20(hex: id.lowercased()), digest)
        XCTAssertEqual(Digest20(hex: String(id.dropLast()) + "8").map { $0 == digest }, false)
        for bad in [String(id.dropLast()), id + "0", String(id.dropLast()) + "g", "", String(repeating: "é", count: 20)] {
            XCTAssertNil(Digest20(hex: bad), bad)
        }
    }

    /// The per-document digests of earlier documents sharing a cause, worked out with cause
    /// ordinals and one writer, equal the straightforward computation (dictionaries of tables,
    /// a writer per digest) on an archive with shared, repeated and missing causes, undated
    /// documents and documents of the same day.
    func testEarlierInGroupsDigestsEqualTheStraightforwardComputation() {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        let causes = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
        var postmortems: [Postmortem] = []
        for index in 0..<400 {
            var stub = CachedLint.placeholder(path: "postmortems/\(String(format: "%04d", next(10_000)))-\(index).md", source: SourceText(bytes: []))
            stub.date = next(8) == 0 ? nil : CalendarDate(daysSinceEpoch: 19_000 + next(40))
            stub.rootCauses = (0..<next(4)).map { Located(causes[next(causes.count)], bytes: $0..<$0 + 1) }
            stub.contributingFactors = (0..<next(3)).map { Located(causes[next(causes.count)], bytes: $0..<$0 + 1) }
            postmortems.append(stub)
        }
        XCTAssertEqual(RunDigests.earlierInGroups(postmortems), Self.referenceEarlierInGroups(postmortems))
    }

    /// ``RunDigests/earlierInGroups(_:)`` as first written, for comparison.
    private static func referenceEarlierInGroups(_ postmortems: [Postmortem]) -> [Digest20] {
        let days = postmortems.map { $0.date?.daysSinceEpoch }
        var members: [String: [Int]] = [:]
        for index in postmortems.indices { Archive.forEachDistinctCause(of: postmortems[index]) { members[$0, default: []].append(index) } }
        var tables: [String: (days: [Int], chain: [Digest20], undated: Digest20)] = [:]
        for (cause, indexes) in members {
            let dated = indexes.filter { days[$0] != nil }.sorted {
                days[$0]! != days[$1]! ? days[$0]! < days[$1]! : postmortems[$0].path < postmortems[$1].path
            }
            var chain: [Digest20] = [.zero]
            for index in dated {
                var writer = CacheWriter()
                writer.digest(chain[chain.count - 1])
                writer.string(postmortems[index].path)
                chain.append(Digest20.of(writer.bytes))
            }
            var undated = CacheWriter()
            for index in indexes where days[index] == nil { undated.string(postmortems[index].path) }
            tables[cause] = (dated.map { days[$0]! }, chain, Digest20.of(undated.bytes))
        }
        return postmortems.indices.map { index in
            var writer = CacheWriter()
            for cause in CachedLint.causes(of: postmortems[index]) {
                guard let table = tables[cause] else { continue }
                let low = days[index].map { day in table.days.filter { $0 <= day }.count } ?? table.days.count
                writer.string(cause)
                writer.digest(table.chain[low])
                writer.digest(table.undated)
            }
            return Digest20.of(writer.bytes)
        }
    }

    /// A digest is the blob id git gives the bytes, taken from its words (no hex in between).
    func testDigestsAreTheGitBlobIdsOfTheirBytes() {
        for text in ["", "a", "hello\n", String(repeating: "postmortem ", count: 500), "é\u{0}ü"] {
            let bytes = Array(text.utf8)
            XCTAssertEqual(Digest20.of(bytes).hex, ContentID.of(bytes), text)
        }
        XCTAssertEqual(Digest20.of(Array("hello\n".utf8)).hex, "ce013625030ba8dba906f756967f9e9ca394464a")
    }

    private func key(_ root: URL) throws -> String? {
        let reader = try ArchiveReader.open(at: root, selection: .workingTree)
        let input = try reader.workspace.lintInput(source: reader.source, paths: [], from: root)
        return CachedLint.fileKey(workspace: reader.workspace, catalogue: input.catalogue)
    }

    func testEveryPrefixOfTheCacheFileDecodesAsAWholeOrNotAtAll() throws {
        let root = try archive()
        let cache = cache(in: root)
        _ = try lint(root, cache: cache)
        let bytes = Array(try Data(contentsOf: cache.url))
        let key = try XCTUnwrap(try self.key(root))
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            XCTAssertNil(LintCache.decode(Array(bytes[0..<length]), key: key, written: 0), "prefix of \(length) bytes")
        }
    }

    func testAnUnwritableLocationCostsOnlyTheSpeedUp() throws {
        let root = try archive()
        // A cache "folder" that is a file: nothing can be created below it, even by root.
        try write("not a folder", to: "blocker", in: root)
        let cache = LintCache(url: root.appendingPathComponent("blocker/inquest/lint.cache"))
        let run = try lint(root, cache: cache)
        XCTAssertEqual(run.outputs, try lint(root, cache: nil).outputs)
        XCTAssertEqual(try lint(root, cache: cache).statistics?.hit, false)
    }

    func testTheCacheWritesOnlyItsOwnFolder() throws {
        let root = try archive()
        let before = try files(in: root)
        let cache = LintCache.location(root: root, repository: nil)
        _ = try lint(root, cache: cache)
        _ = try lint(root, cache: cache)
        let after = try files(in: root)
        XCTAssertEqual(after.subtracting(before), [".inquest-cache/.gitignore", ".inquest-cache/lint.cache", ".inquest-cache/stat.cache"])
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent(".inquest-cache/.gitignore"), encoding: .utf8)
            .split(separator: "\n").last, "*", "the folder ignores itself in a repository created later")
    }

    private func files(in root: URL) throws -> Set<String> {
        var found: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isFolder), !isFolder.boolValue {
                found.insert(path)
            }
        }
        return found
    }

    // MARK: Git sources

    /// New stamps alone — every file of a fresh clone, or of a CI checkout with a restored cache —
    /// leave the lint cache file as it is: the stat index names each file's content, and the
    /// cache is keyed by that. (It was rewritten whole, 20 MB at 10,000 postmortems, at every
    /// such run.) The output stays the uncached one.
    func testNewStampsOfUnchangedFilesLeaveTheCacheFileAlone() throws {
        let root = try archive()
        // More new stamps than the few changed entries a run leaves for the next (``CachedLint/smallChange(_:)``).
        for day in 1...12 {
            let date = String(format: "2025-07-%02d", day)
            try write(ExampleDocument.make(fields: ["id": "more-\(day)", "date": date]), to: "postmortems/2025/\(date)-more.md", in: root)
        }
        let uncached = try lint(root, cache: nil)
        _ = try lint(root, cache: cache(in: root))
        let file = cache(in: root).url.path
        var before = stat()
        XCTAssertEqual(lstat(file, &before), 0)
        let postmortems = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("postmortems").path)
            .filter { $0.hasSuffix(".md") }
        XCTAssertGreaterThan(postmortems.count, CachedLint.smallChange(postmortems.count))
        for path in postmortems {
            // Same bytes, a new file: a new inode and new times, as a checkout writes it.
            let url = root.appendingPathComponent("postmortems").appendingPathComponent(path)
            let bytes = try Data(contentsOf: url)
            try FileManager.default.removeItem(at: url)
            try bytes.write(to: url)
        }
        let run = try lint(root, cache: cache(in: root))
        XCTAssertEqual(run.outputs, uncached.outputs)
        XCTAssertEqual(run.statistics?.checked, 0, "every document's content was known: none is linted again")
        var after = stat()
        XCTAssertEqual(lstat(file, &after), 0)
        XCTAssertEqual(after.st_ino, before.st_ino, "the cache file was not replaced")
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
    }

    /// A commit by a new author changes what the blameless rules flag, but only in texts that
    /// name them: those documents are checked again, the others keep their diagnostics (before,
    /// the new name turned the whole cache away). A name a text may spell otherwise (an
    /// apostrophe) cannot be searched for: then every document is checked again.
    func testANewCommitAuthorChecksAgainOnlyTheDocumentsThatNameThem() throws {
        let repo = try GitTestRepository()
        let root = try archive()
        for path in try files(in: root) { try repo.write(path, String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) }
        try repo.write("postmortems/2025/2025-06-01-named.md", ExampleDocument.make(
            fields: ["date": "2025-06-01", "id": "named"],
            sections: ["Resolution": "Quorra Vantablack restarted the primary without the runbook."]))
        // Enough documents that the cache file is written again when their entries change.
        for day in 10..<22 {
            try repo.write("postmortems/2025/2025-07-\(day)-quiet.md", ExampleDocument.make(fields: ["date": "2025-07-\(day)", "id": "quiet-\(day)"]))
        }
        try repo.addAll()
        _ = try repo.commit("archive", as: .priya)
        let cache = LintCache.location(root: repo.url, repository: try WorkspaceRepository.discover(root: repo.url))
        _ = try lint(repo.url, cache: cache)
        XCTAssertEqual(try lint(repo.url, cache: cache).statistics?.checked, 0)
        let before = try lint(repo.url, cache: nil).outputs

        try repo.write("NOTES.md", "Outside the archive.\n")
        try repo.addAll()
        _ = try repo.commit("notes", as: GitPerson(name: "Quorra Vantablack", email: "quorra@example.com"))
        let uncached = try lint(repo.url, cache: nil)
        XCTAssertNotEqual(uncached.outputs[.text], before[.text], "the new author's name is read as a person's now")
        let warm = try lint(repo.url, cache: cache)
        XCTAssertEqual(warm.outputs, uncached.outputs)
        let statistics = try XCTUnwrap(warm.statistics)
        XCTAssertEqual(statistics.hit, true, "the cache file is used")
        XCTAssertEqual(statistics.checked, 1, "only the document that names the new author")
        XCTAssertGreaterThanOrEqual(statistics.authorChecked, 16, "the others' texts were searched for the name")
        let again = try XCTUnwrap(try lint(repo.url, cache: cache).statistics)
        XCTAssertEqual(again.checked, 0)
        XCTAssertEqual(again.authorChecked, 0, "the entries now hold the new names")

        try repo.write("NOTES.md", "Outside the archive, again.\n")
        try repo.addAll()
        _ = try repo.commit("notes", as: GitPerson(name: "D'Arcy Stone", email: "darcy@example.com"))
        let apostrophe = try lint(repo.url, cache: cache)
        XCTAssertEqual(apostrophe.outputs, try lint(repo.url, cache: nil).outputs)
        XCTAssertEqual(apostrophe.statistics?.reused, 0, "every document is checked again")
    }

    func testAnOwnSlugIsToldFromItsBytesAsSlugWouldTellIt() {
        for text in ["2025-04-10-search", "a", "a1-b2", "-a", "a-", "a--b", "A-b", "a_b", "zürich", "", String(repeating: "a", count: 121)] {
            XCTAssertEqual(CachedLint.isOwnSlug(text), Slug.derived(from: text, maxLength: 120) == text, text)
        }
    }

    func testTheNamesToSearchForAreTheFirstNamesOfAuthorsWhoCameOrWent() {
        XCTAssertEqual(CachedLint.firstNames(changedFrom: ["Priya Raman", "Marcus Webb"], to: ["Priya Raman", "Lena Fischer"])?.map { String(decoding: $0, as: UTF8.self) },
                       ["lena", "marcus"])
        XCTAssertEqual(CachedLint.firstNames(changedFrom: ["Priya Raman"], to: ["Priya Raman", "Cher"])?.count, 0, "a one-word name is no one's full name")
        XCTAssertNil(CachedLint.firstNames(changedFrom: [], to: ["D'Arcy Stone"]), "an apostrophe may be spelt otherwise in a text")
        XCTAssertEqual(CachedLint.firstNames(changedFrom: [], to: ["Zoë Quill"])?.map { String(decoding: $0, as: UTF8.self) }, ["zoë"])
        let words = [Array("lena".utf8)]
        XCTAssertTrue(CachedLint.containsAny(words, in: Array("Asked LENA.".utf8)))
        XCTAssertTrue(CachedLint.containsAny(words, in: Array("ends with lena".utf8)))
        XCTAssertTrue(CachedLint.containsAny(words, in: Array("llllena".utf8)), "a first byte seen again before the match")
        XCTAssertFalse(CachedLint.containsAny(words, in: Array("len a, lenx, le".utf8)))
        XCTAssertFalse(CachedLint.containsAny([], in: Array("lena".utf8)))
    }

    func testRevisionAndIndexRunsKeyDocumentsByBlobIdWithoutReadingThem() throws {
        let repo = try GitTestRepository()
        let root = try archive()
        for path in try files(in: root) { try repo.write(path, String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) }
        try repo.addAll()
        _ = try repo.commit("archive", as: .priya)
        let cache = LintCache.location(root: repo.url, repository: try WorkspaceRepository.discover(root: repo.url))
        XCTAssertTrue(cache.url.path.hasSuffix(".git/inquest/lint.cache"), cache.url.path)
        for selection in [DocumentSourceSelection.revision("HEAD"), .index] {
            let uncached = try lint(repo.url, cache: nil, selection: selection)
            _ = try lint(repo.url, cache: cache, selection: selection)
            let warm = try lint(repo.url, cache: cache, selection: selection)
            XCTAssertEqual(warm.outputs, uncached.outputs, "\(selection)")
            XCTAssertEqual(warm.statistics?.hashed, 0, "\(selection): git names every blob")
            XCTAssertEqual(warm.statistics?.checked, 0, "\(selection)")
        }
        XCTAssertEqual(try repo.status(), [], "nothing written into the working tree")
    }

    func testStagedAndChangedSinceRunsParseOnlyTheChangedDocument() throws {
        let repo = try GitTestRepository()
        let root = try archive()
        for path in try files(in: root) { try repo.write(path, String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) }
        try repo.addAll()
        _ = try repo.commit("archive", as: .priya)
        let cache = LintCache.location(root: repo.url, repository: try WorkspaceRepository.discover(root: repo.url))
        _ = try lint(repo.url, cache: cache)
        _ = try lint(repo.url, cache: cache, selection: .index)
        // A new postmortem, staged: a new id, so the facts every document sees change.
        try repo.write("postmortems/2025/2025-06-01-new.md", ExampleDocument.make(fields: ["date": "2025-06-01", "severity": "SEV7"]))
        try repo.addAll()
        let uncached = try lint(repo.url, cache: nil, selection: .index)
        let staged = try lint(repo.url, cache: cache, selection: .index)
        XCTAssertEqual(staged.outputs, uncached.outputs)
        XCTAssertTrue(staged.outputs[.text]!.contains("2025-06-01-new.md"), staged.outputs[.text]!)
        XCTAssertEqual(staged.statistics?.parsed, 1, "only the staged document is parsed")
        XCTAssertEqual(staged.statistics?.checked, 1)
        XCTAssertEqual(staged.statistics?.hashed, 0)
        // The same change judged against a base branch.
        try repo.checkout(newBranch: "topic")
        _ = try repo.commit("new", as: .priya)
        let changedSince = try lint(repo.url, cache: cache, changedSince: "main")
        XCTAssertEqual(changedSince.outputs, try lint(repo.url, cache: nil, changedSince: "main").outputs)
        // A change this small is not written back (the file is rewritten only when more than a few
        // entries change), so the new document is parsed again, and only it.
        XCTAssertEqual(changedSince.statistics?.checked, 1)
        XCTAssertEqual(changedSince.statistics?.parsed, 1)
    }

    /// Root Causes texts in groups of three that share most words, so that `causes/similar` has
    /// candidates; causes alternate, so similar texts are reported.
    private func similarArchive(count: Int) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try write("", to: "inquest.yml", in: root)
        try write(ExampleDocument.catalogue, to: "postmortems/causes.yml", in: root)
        for index in 0..<count { try writeSimilar(index, in: root) }
        return root
    }

    /// A made-up word per number ("kab", "kac" …): rare enough that each is a candidate term.
    private static func word(_ number: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return "k" + String(letters[(number / 26) % 26]) + String(letters[number % 26])
    }

    private func similarPath(_ index: Int) -> String {
        String(format: "postmortems/2024/2024-%02d-%02d-incident-%d.md", index / 28 + 1, index % 28 + 1, index)
    }

    private func writeSimilar(_ index: Int, extra: String = "", in root: URL) throws {
        // Groups of three documents share five words; each has one of its own.
        let group = index / 3
        let text = ((0..<5).map { Self.word(group * 5 + $0) } + [Self.word(400 + index)]).joined(separator: " ") + extra
        let date = String(similarPath(index).dropFirst("postmortems/2024/".count).prefix(10))
        try write(ExampleDocument.make(fields: ["date": date, "started": "\"\(date)T09:00:00Z\"", "detected": "\"\(date)T09:10:00Z\"",
                                                "mitigated": "\"\(date)T09:40:00Z\"", "resolved": "\"\(date)T10:05:00Z\"",
                                                "root_causes": index % 2 == 0 ? "[no-alert-on-saturation]" : "[missing-runbook-step]",
                                                "contributing_factors": nil],
                                       sections: ["Root Causes": text + "."]),
                  to: similarPath(index), in: root)
    }

    /// One-file lints score similarity from the frequencies and postings stored in the cache
    /// (decoding only the candidates' terms), through edits that change terms or add new ones, a
    /// deletion and an addition while the cache file is not rewritten, and after it is: always
    /// the bytes an uncached run prints.
    func testOneFileLintsScoreSimilarityFromStoredFrequenciesExactly() throws {
        let count = 60
        let root = try similarArchive(count: count)
        let whole = try lint(root, cache: nil)
        XCTAssertTrue(whole.outputs[.text]!.contains("causes/similar"), "the fixture has similar root causes")
        _ = try lint(root, cache: cache(in: root))
        var reportedSimilar = 0
        /// Returns the warm run's statistics (its output is the uncached run's, asserted).
        @discardableResult
        func check(_ index: Int, _ message: String) throws -> CachedLint.Statistics {
            let path = similarPath(index)
            let warm = try assertSameOutputs(root, paths: [path], message)
            let statistics = try XCTUnwrap(warm.statistics)
            if warm.outputs[.text]!.contains("causes/similar") { reportedSimilar += 1 }
            XCTAssertLessThan(statistics.termBags, count / 2, "\(message): only the candidates' terms are decoded")
            return statistics
        }
        // A body edit leaves every term and the document count as stored: the candidates are
        // weighed from their stored norms, and only the checked document's terms are read (with
        // the replaced entry's, to correct the frequencies).
        let target = root.appendingPathComponent(similarPath(40))
        let edited = try String(contentsOf: target, encoding: .utf8).replacingOccurrences(of: "About 4% of checkouts", with: "About 5% of checkouts")
        XCTAssertNotEqual(edited, try String(contentsOf: target, encoding: .utf8))
        try Data(edited.utf8).write(to: target)
        let bodyEdit = try check(40, "a body edit")
        XCTAssertLessThanOrEqual(bodyEdit.termBags, 3, "stored norms: no candidate's terms are read")
        try writeSimilar(59, extra: " quokka zebra \(Self.word(7))", in: root)
        try check(59, "new words in one document")
        try writeSimilar(30, extra: " \(Self.word(0)) \(Self.word(1)) \(Self.word(2))", in: root)
        try check(30, "more common words")
        try check(12, "an unchanged document after others changed")
        try FileManager.default.removeItem(at: root.appendingPathComponent(similarPath(5)))
        try check(7, "one document fewer: every stored norm is off, the candidates' terms are read")
        try writeSimilar(60, in: root)
        try check(60, "a document added after one was deleted")
        try check(44, "another unchanged document")
        // Enough edits for the cache file to be rewritten with new frequencies.
        for index in 0..<12 { try writeSimilar(index + 13, extra: " rewrite \(index)", in: root) }
        _ = try lint(root, cache: cache(in: root))
        try writeSimilar(20, extra: " \(Self.word(31))", in: root)
        try check(20, "after the file was rewritten")
        try check(59, "an earlier edit, after the rewrite")
        XCTAssertGreaterThan(reportedSimilar, 2, "the targets do report similar root causes")
    }

    /// An edit of one document's Root Causes changes the terms every similarity score is weighed
    /// with. The other documents keep their diagnostics when their similar documents and scores
    /// come out the same from the stored terms; those whose list changed are checked again.
    /// Before, such an edit checked every document again (a cold lint at 10,000 postmortems).
    func testARootCausesTextEditChecksAgainOnlyTheDocumentsWhoseSimilarDocumentsChanged() throws {
        let count = 60
        let root = try similarArchive(count: count)
        _ = try lint(root, cache: cache(in: root))
        XCTAssertEqual(try lint(root, cache: cache(in: root)).statistics?.checked, 0)

        // A word of its own in one document: only that document reads otherwise.
        try writeSimilar(40, extra: " quokka", in: root)
        let own = try lint(root, cache: cache(in: root))
        XCTAssertEqual(own.outputs, try lint(root, cache: nil).outputs)
        let ownStatistics = try XCTUnwrap(own.statistics)
        XCTAssertEqual(ownStatistics.resimilar, count - 1, "every other document's similar documents are worked out again")
        XCTAssertLessThan(ownStatistics.checked, 4, "the edited document, and those whose scores against it moved")
        XCTAssertGreaterThan(ownStatistics.reused, count - 4)
        let after = try XCTUnwrap(try lint(root, cache: cache(in: root)).statistics)
        XCTAssertEqual(after.resimilar, 0, "the cache now holds the lists under the new terms")
        XCTAssertEqual(after.checked, 0)

        // An early document takes the words of a later group whose cause it does not share: the
        // later documents of that group now read like it, and are checked again.
        let before = try lint(root, cache: nil).outputs[.text]!
        XCTAssertFalse(before.contains("root causes read like 2024-01-03-incident-2"))
        try writeSimilar(2, extra: " " + (0..<5).map { Self.word(17 * 5 + $0) }.joined(separator: " "), in: root)
        let uncached = try lint(root, cache: nil)
        XCTAssertTrue(uncached.outputs[.text]!.contains("root causes read like 2024-01-03-incident-2"), "a later document reads like it now")
        let joined = try lint(root, cache: cache(in: root))
        XCTAssertEqual(joined.outputs, uncached.outputs)
        let joinedStatistics = try XCTUnwrap(joined.statistics)
        XCTAssertGreaterThan(joinedStatistics.checked, 1, "the edited document and the later ones that read like it")
        XCTAssertLessThan(joinedStatistics.checked, count / 4)
        try assertSameOutput(root, "after the edit")
    }

    func testSimilarityForAFewDocumentsEqualsTheFullPassForThem() throws {
        let words = ["cache", "host", "replica", "session", "certificate", "expiry", "queue", "backlog", "retry", "storm", "pool",
                     "limit", "dns", "resolver", "timeout", "disk", "full", "alert", "missing", "deploy"]
        // Deterministic texts: word i of text t is picked by a fixed formula.
        let texts = (0..<300).map { t in (0..<12).map { i in words[(t * 7 + i * i * 3 + t / 5) % words.count] }.joined(separator: " ") }
        let bags = texts.map { SimilarityIndex.sortedTerms($0) }
        let full = SimilarityIndex(bags: bags)
        XCTAssertGreaterThan(full.neighbours.map(\.count).reduce(0, +), 0, "the texts do have similar pairs")
        for only in [Set([0]), Set([5, 17, 299]), Set(0..<300)] {
            let some = SimilarityIndex(bags: bags, only: only)
            for index in 0..<300 {
                XCTAssertEqual(some.neighbours[index], only.contains(index) ? full.neighbours[index] : [], "document \(index)")
            }
        }
        // The partial pass with just the candidates' bags (and some others, ignored) scores the same.
        var table2 = TermTable()
        let idBags = bags.map { table2.ids($0) }
        var frequency = Array(repeating: 0, count: table2.strings.count)
        for bag in idBags { for entry in bag { frequency[entry.term] += 1 } }
        // (Every document: the lists are worked out on all cores, in pieces.)
        for only in [Set([3]), Set([0, 150, 299]), Set(0..<300)] {
            let queried = SimilarityIndex.queriedTerms(only.map { idBags[$0] }, documentFrequency: frequency,
                                                       cutoff: SimilarityIndex.candidateCutoff(documentCount: 300))
            let relevant = idBags.indices.filter { only.contains($0) || $0 % 7 == 0 || idBags[$0].contains { queried[$0.term] } }
            let partial = SimilarityIndex.neighbours(documentCount: 300, documentFrequency: frequency,
                                                     relevant: relevant.map { ($0, idBags[$0]) }, only: only, threshold: SimilarityIndex.threshold)
            for index in 0..<300 { XCTAssertEqual(partial[index], only.contains(index) ? full.neighbours[index] : [], "partial, document \(index)") }
        }
        // Bags as ids into a table in another order score the same.
        var table = TermTable(Array(Set(bags.flatMap { $0.map(\.key) })).sorted(by: >))
        let reordered = SimilarityIndex(idBags: bags.map { table.ids($0) }, termCount: table.strings.count)
        XCTAssertEqual(reordered.neighbours, full.neighbours)
    }
}

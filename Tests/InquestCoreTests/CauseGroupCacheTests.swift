import Foundation
import InquestTestSupport
import XCTest
@testable import InquestCore

/// A `root_causes` edit with the lint cache: the documents of the old and the new cause are not
/// parsed or checked again; their `causes/recurring` and `causes/open-action-items` findings are
/// worked out from the cached facts, and the output is byte-identical to an uncached run.
final class CauseGroupCacheTests: XCTestCase {
    private static let catalogue = """
    alpha-cause:
      title: Alpha
      description: The first cause.
    beta-cause:
      title: Beta
      description: The second cause.
    gamma-cause:
      title: Gamma
      description: The third cause.

    """

    /// Distinct Root Causes texts, so that no two documents read alike (`causes/similar` would
    /// tie every document to the edited one).
    private static let topics = [
        "A certificate expired because nothing watched expiry dates.",
        "The disk filled with verbose debug logs after a flag flip.",
        "A schema migration locked the orders table for minutes.",
        "DNS records pointed at a decommissioned balancer.",
        "The queue consumer crashed on a malformed payload.",
        "A cron job ran twice after the daylight saving switch.",
        "Memory leaked in the image resizer under heavy uploads.",
        "The feature flag service timed out and defaulted to off.",
        "A firewall rule blocked replication between regions.",
        "The search index rebuilt from an empty snapshot.",
        "An expired token broke the payment provider callback.",
        "Thread pool exhaustion stalled the notification sender.",
    ]

    private func causeOf(_ day: Int) -> String { ["alpha-cause", "beta-cause", "gamma-cause"][day % 3] }

    private func document(day: Int, cause: String) -> String {
        let date = String(format: "2024-03-%02d", day)
        // One document of the beta cause hides its open-items finding: its diagnostics depend on
        // the groups as a whole (whether the suppression is used).
        let extra = day == 4 ? "\n<!-- inquest-disable-file causes/open-action-items -->\n" : ""
        return ExampleDocument.make(fields: ["date": date, "started": "\"\(date)T09:00:00Z\"", "detected": "\"\(date)T09:10:00Z\"",
                                             "mitigated": "\"\(date)T09:40:00Z\"", "resolved": "\"\(date)T10:05:00Z\"",
                                             "root_causes": "[\(cause)]", "contributing_factors": day == 7 ? "[gamma-cause, alpha-cause]" : nil],
                                    sections: ["Root Causes": Self.topics[day - 1]], extraBody: extra)
    }

    private func archive() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-groups-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try write("", to: "inquest.yml", in: root)
        try write(Self.catalogue, to: "postmortems/causes.yml", in: root)
        for day in 1...12 { try write(document(day: day, cause: causeOf(day)), to: path(day), in: root) }
        return root
    }

    private func path(_ day: Int) -> String { String(format: "postmortems/2024-03-%02d-incident.md", day) }

    private func write(_ contents: String, to path: String, in root: URL) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    private func lint(_ root: URL, cached: Bool) throws -> (output: String, statistics: CachedLint.Statistics?) {
        let reader = try ArchiveReader.open(at: root, selection: .workingTree)
        var cache = LintCache.location(root: root, repository: nil)
        cache.racyWindow = 0
        let plan = try LintPlan.make(reader: reader, from: root, loadHistory: false, cache: cached ? cache : nil)
        let result = plan.lint()
        var sources: [String: SourceText] = [:]
        for postmortem in result.archive.postmortems { sources[postmortem.path] = postmortem.source }
        if let catalogue = result.archive.catalogue { sources[catalogue.path] = catalogue.source }
        let output = OutputFormat.allCases.map {
            DiagnosticFormatter(format: $0, sourceRoot: root).render(result.diagnostics, summary: result.summary, sources: sources)
        }.joined(separator: "\n---\n")
        return (output, plan.cached?.statistics)
    }

    func testARootCausesEditReworksOtherDocumentsGroupFindingsWithoutParsingThem() throws {
        let root = try archive()
        let before = try lint(root, cached: false).output
        XCTAssertTrue(before.contains("causes/recurring"))
        XCTAssertTrue(before.contains("causes/open-action-items"))
        XCTAssertEqual(try lint(root, cached: true).output, before, "cold cached run")
        let warm = try lint(root, cached: true)
        XCTAssertEqual(warm.output, before, "warm run")
        XCTAssertEqual(warm.statistics?.checked, 0)

        // The newest incident (day 12) moves from alpha to gamma: no document is later than it,
        // so it alone is checked again and the others of both causes are reworked from facts.
        try write(document(day: 12, cause: "gamma-cause"), to: path(12), in: root)
        let newest = try lint(root, cached: false).output
        let newestEdit = try lint(root, cached: true)
        XCTAssertEqual(newestEdit.output, newest, "first cached run after the newest incident's edit")
        XCTAssertEqual(newestEdit.statistics?.checked, 1, "only the newest incident is checked again")
        XCTAssertGreaterThanOrEqual(newestEdit.statistics?.regrouped ?? 0, 6, "the other documents of both causes are reworked from their facts")
        try write(document(day: 12, cause: causeOf(12)), to: path(12), in: root)
        XCTAssertEqual(try lint(root, cached: true).output, before, "and back")

        // Day 6 moves from the alpha cause to the beta cause: alpha's later documents lose its
        // open item, beta's gain it, and both causes' incident lists change.
        try write(document(day: 6, cause: "beta-cause"), to: path(6), in: root)
        let after = try lint(root, cached: false).output
        XCTAssertNotEqual(after, before)
        let edited = try lint(root, cached: true)
        XCTAssertEqual(edited.output, after, "first cached run after the edit")
        let statistics = try XCTUnwrap(edited.statistics)
        XCTAssertTrue(statistics.hit)
        // Checked again: the edited document, the one with a suppression in a changed group, and
        // the later documents of both causes (7, 9, 10, 12: an earlier look-alike leaving or
        // joining their cause changes their `causes/similar`); the earlier ones are reworked
        // from their facts.
        XCTAssertEqual(statistics.checked, 6, "the edited document, the suppressing one and four later ones are checked")
        XCTAssertLessThanOrEqual(statistics.parsed, 7, "those six and the one the run-wide note (no repository) goes on")
        XCTAssertGreaterThanOrEqual(statistics.regrouped, 2, "the earlier documents of both causes are reworked from their facts")
        XCTAssertEqual(try lint(root, cached: true).output, after, "warm run after the edit")

        // And back, with the contributing factor of day 7 changed too (a document citing two causes).
        try write(document(day: 6, cause: "alpha-cause"), to: path(6), in: root)
        try write(document(day: 7, cause: "gamma-cause").replacingOccurrences(of: "[gamma-cause, alpha-cause]", with: "[beta-cause]"),
                  to: path(7), in: root)
        let back = try lint(root, cached: false).output
        XCTAssertEqual(try lint(root, cached: true).output, back, "first cached run after the second edit")
        XCTAssertEqual(try lint(root, cached: true).output, back, "warm run after the second edit")
    }

    /// `causes/similar` reports an earlier look-alike only when the two share no cause, and the
    /// cache's neighbour lists leave out look-alikes that share one: when the earlier document
    /// leaves the shared cause, the later one must be checked again and gain the finding.
    func testAnEarlierLookAlikeLeavingASharedCauseGivesTheLaterOneItsFinding() throws {
        let root = try archive()
        // Days 2 and 5 (both of the gamma cause) read alike.
        let twin = document(day: 5, cause: causeOf(5)).replacingOccurrences(of: Self.topics[4], with: Self.topics[1])
        try write(twin, to: path(5), in: root)
        let before = try lint(root, cached: false).output
        XCTAssertFalse(before.contains("[causes/similar]"), "they share a cause: nothing to report")
        XCTAssertEqual(try lint(root, cached: true).output, before, "cold cached run")
        XCTAssertEqual(try lint(root, cached: true).output, before, "warm run")

        try write(document(day: 2, cause: "alpha-cause"), to: path(2), in: root)
        let after = try lint(root, cached: false).output
        XCTAssertTrue(after.contains("[causes/similar]"), "day 5 now reads like day 2 without sharing its cause")
        XCTAssertEqual(try lint(root, cached: true).output, after, "first cached run after the edit")
        XCTAssertEqual(try lint(root, cached: true).output, after, "warm run after the edit")
    }

    /// `causes/open-action-items` counts earlier items from running totals: the same counts and
    /// lists as a walk over every earlier incident of the cause, with documents that have a start
    /// time, only a date, or neither, and several on one day.
    func testOpenItemsFromRunningTotalsEqualAWalkOverEveryEarlierIncident() throws {
        var generator = SystemRandomNumberGenerator()
        let parser = PostmortemParser(schema: Configuration().schema)
        for round in 0..<4 {
            var documents: [Postmortem] = []
            for number in 0..<40 {
                let day = Int.random(in: 1...6, using: &generator)
                let date = String(format: "2024-04-%02d", day)
                var fields: [String: String?] = ["date": Int.random(in: 0..<8, using: &generator) == 0 ? nil : date,
                                                 "root_causes": ["[alpha-cause]", "[beta-cause]", "[alpha-cause, beta-cause]"][number % 3],
                                                 "contributing_factors": nil]
                fields["started"] = Bool.random(using: &generator) ? "\"\(date)T\(String(format: "%02d", Int.random(in: 0...23, using: &generator))):00:00Z\"" : nil
                let items = (0..<Int.random(in: 0...3, using: &generator)).map { "- [ ] Item \($0) — @team, LRK-\(number)\($0)" }
                let text = ExampleDocument.make(fields: fields, sections: ["Action Items": items.isEmpty ? "- [x] Done — @team" : items.joined(separator: "\n")])
                documents.append(parser.parse(RawDocument(path: String(format: "postmortems/r\(round)-%03d.md", number), bytes: Array(text.utf8))))
            }
            let archive = Archive(postmortems: documents, catalogue: nil)
            for postmortem in archive.postmortems {
                var expected: [Finding.Message] = []
                for cause in RecurringCauseRule.unique(postmortem.rootCauses + postmortem.contributingFactors) {
                    var shown: [String] = []
                    var total = 0
                    for index in archive.openItemsByCause[cause.value] ?? [] where OpenActionItemsRule.isEarlier(archive.postmortems[index], than: postmortem) {
                        total += archive.openActionItems[index].count
                        for item in archive.openActionItems[index] where shown.count < OpenActionItemsRule.listLimit {
                            shown.append("\(archive.postmortems[index].path):\(item.line)" + (item.ticket.map { " (\($0))" } ?? ""))
                        }
                    }
                    guard total > 0 else { continue }
                    expected.append(.openActionItems(cause.value, count: total, shown: shown,
                                                     more: total > shown.count ? " and \(total - shown.count) more" : ""))
                }
                XCTAssertEqual(OpenActionItemsRule.found(in: postmortem, archive: archive).map(\.message), expected, postmortem.path)
            }
        }
    }

    /// The stored cause ranges are what the findings point at: a cause on a later line (a long
    /// front-matter) is reported at its own line and column by a reworked document.
    func testReworkedFindingsPointAtTheCausesOwnLines() throws {
        let root = try archive()
        let padded = document(day: 9, cause: causeOf(9)).replacingOccurrences(of: "root_causes:", with: "tags: [a, b, c]\nroot_causes:")
        try write(padded, to: path(9), in: root)
        _ = try lint(root, cached: true)
        try write(document(day: 3, cause: "gamma-cause"), to: path(3), in: root)
        let reworked = try lint(root, cached: true)
        XCTAssertGreaterThan(reworked.statistics?.regrouped ?? 0, 0)
        XCTAssertEqual(reworked.output, try lint(root, cached: false).output)
    }
}

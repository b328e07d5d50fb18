import XCTest
@testable import InquestCore
import InquestTestSupport

/// A fixture archive where `flaky-deploys` recurs 5 times (2022–2026), `no-alert` twice and
/// `lonely` once, with open and closed action items.
final class CausesTests: XCTestCase {
    static let catalogue = """
    flaky-deploys:
      title: Flaky deploys
      description: Deploys fail halfway.
      aliases: [Bad Deploys]
    no-alert:
      title: No alert
      description: Nothing paged.
    lonely:
      title: Lonely
      description: Happens once.
    never:
      title: Never cited
      description: Nobody cites this.

    """

    static func document(date: String, causes: String, items: String, rootText: String? = nil, related: String? = nil) -> String {
        var fields: [String: String?] = [
            "date": date, "started": "\"\(date)T09:00:00Z\"", "detected": "\"\(date)T09:10:00Z\"",
            "mitigated": "\"\(date)T09:40:00Z\"", "resolved": "\"\(date)T10:05:00Z\"", "root_causes": causes, "contributing_factors": nil,
        ]
        if let related { fields["related"] = related }
        var sections: [String: String?] = ["Action Items": items]
        if let rootText { sections["Root Causes"] = rootText }
        return ExampleDocument.make(fields: fields, sections: sections)
    }

    static let files: [String: String] = [
        "postmortems/causes.yml": catalogue,
        "postmortems/2022/a.md": document(date: "2022-02-01", causes: "[flaky-deploys]", items: "- [ ] Retry deploy steps — @a, LRK-1"),
        "postmortems/2023/b.md": document(date: "2023-03-01", causes: "[flaky-deploys, no-alert]", items: "- [x] Page on deploy failure — @a, LRK-2"),
        "postmortems/2024/c.md": document(date: "2024-04-01", causes: "[flaky-deploys]", items: "- [x] Canary deploys — @a, LRK-3"),
        "postmortems/2025/d.md": document(date: "2025-05-01", causes: "[flaky-deploys, lonely]", items: "- [ ] Deploy freeze tooling — @a, LRK-4, due: 2025-06-01"),
        "postmortems/2026/e.md": document(date: "2026-06-01", causes: "[flaky-deploys, no-alert]", items: "- [x] Done — @a, LRK-5", related: "[d]"),
    ]

    static func archive() -> Archive {
        let documents = files.filter { $0.key.hasSuffix(".md") }.map { RawDocument(path: $0.key, bytes: Array($0.value.utf8)) }
        return Linter().buildArchive(LintInput(documents: documents, catalogue: RawDocument(path: "postmortems/causes.yml", bytes: Array(catalogue.utf8))))
    }

    func testRecurrenceCountsFirstAndLastSortedByRecurrence() {
        let recurrence = Self.archive().recurrence
        XCTAssertEqual(recurrence.map(\.cause), ["flaky-deploys", "no-alert", "lonely", "never"])
        XCTAssertEqual(recurrence.map(\.count), [5, 2, 1, 0])
        XCTAssertEqual(recurrence[0].first?.description, "2022-02-01")
        XCTAssertEqual(recurrence[0].last?.description, "2026-06-01")
        XCTAssertNil(recurrence[3].first)
    }

    func testRecurringListsOtherIncidentsEarliestFirst() {
        let diagnostics = Lint.run(files: Self.files, report: ["postmortems/2024/c.md"]).filter { $0.rule == "causes/recurring" }
        XCTAssertEqual(diagnostics.map(\.typedMessage), [.recurringCause("flaky-deploys", incidents: ["a (2022-02-01)", "b (2023-03-01)", "d (2025-05-01)", "e (2026-06-01)"], more: "")])
    }

    func testOpenActionItemsFromEarlierIncidentsAreListedWithFileAndLine() {
        let diagnostics = Lint.run(files: Self.files, report: ["postmortems/2026/e.md"]).filter { $0.rule == "causes/open-action-items" }
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertTrue(diagnostics[0].message.hasPrefix("cause 'flaky-deploys' recurred with 2 action items still open from earlier incidents: postmortems/2022/a.md:"), diagnostics[0].message)
        XCTAssertTrue(diagnostics[0].message.contains("(LRK-1)"))
        XCTAssertTrue(diagnostics[0].message.contains("(LRK-4)"))
    }

    func testClosedEarlierItemsDoNotWarn() {
        let diagnostics = Lint.run(files: Self.files, report: ["postmortems/2023/b.md"]).filter { $0.rule == "causes/open-action-items" }
        // b's earlier incident a has LRK-1 open: one warning for flaky-deploys, none for no-alert (first time).
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertTrue(diagnostics[0].message.hasPrefix("cause 'flaky-deploys'"))
    }

    func testUnknownCauseSuggestsByAliasAndSpelling() {
        var files = Self.files
        files["postmortems/2026/f.md"] = Self.document(date: "2026-07-01", causes: "[flaky-deploy, bad-deploys, something-else]", items: "- [x] x — @a, LRK-9")
        let diagnostics = Lint.run(files: files, report: ["postmortems/2026/f.md"]).filter { $0.rule == "causes/unknown" }
        XCTAssertEqual(diagnostics.map(\.suggestion), [
            "did you mean 'flaky-deploys'?",
            "did you mean 'flaky-deploys'? ('bad-deploys' is an alias of it)",
            "add 'something-else' to postmortems/causes.yml with a title and description, or use an existing id",
        ])
        assertRule("causes/unknown", ExampleDocument.make(fields: ["root_causes": "[⟦no-alert-on-saturaton⟧]"]))
    }

    func testUnusedCatalogueEntryIsReportedAtItsKey() {
        let diagnostics = Lint.run(files: Self.files).filter { $0.rule == "causes/unused" }
        XCTAssertEqual(diagnostics.map(\.typedMessage), [.unusedCause("never")])
        XCTAssertEqual(diagnostics.first?.range.start, SourcePosition(line: 11, column: 1))
    }

    func testRelatedRankingWeighsCausesOverServicesOverTagsAndIsStable() {
        let archive = Self.archive()
        let e = archive.byID["e"]![0]
        let related = archive.related(to: e)
        // d: explicit link (6) + shared cause (3) + service (2); b: two shared causes (6) + service (2).
        XCTAssertEqual(related.map { archive.postmortems[$0.index].id }, ["d", "b", "c", "a"])
        XCTAssertEqual(related.map(\.score), [11, 8, 5, 5])
        XCTAssertEqual(archive.backlinks(to: archive.byID["d"]![0]).map { archive.postmortems[$0].id }, ["e"])
    }

    func testRelatedEqualsAFullRankingOfEveryCandidate() {
        // Generated archive with overlapping causes, services, tags, links and equal dates.
        var random = UInt64(0x2026_1130)
        func next(_ bound: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int((random >> 33) % UInt64(bound))
        }
        func pick(_ pool: [String]) -> String { "[" + (0..<next(3)).map { _ in pool[next(pool.count)] }.joined(separator: ", ") + "]" }
        let causes = ["c1", "c2", "c3", "c4"], services = ["s1", "s2", "s3"], tags = ["t1", "t2"], ids = (0..<60).map { "pm-\($0)" }
        var documents: [RawDocument] = []
        for (n, id) in ids.enumerated() {
            let text = "---\nid: \(id)\ntitle: T\(n)\ndate: 2025-0\(1 + next(3))-1\(next(3))\nseverity: SEV2\nstatus: final\n"
                + "services: \(pick(services))\nroot_causes: \(pick(causes))\ncontributing_factors: \(pick(causes))\ntags: \(pick(tags))\n"
                + "related: \(pick(ids))\n---\n\n## Summary\n\nx\n"
            documents.append(RawDocument(path: "postmortems/\(id).md", bytes: Array(text.utf8)))
        }
        let archive = Linter().buildArchive(LintInput(documents: documents, catalogue: nil))
        let weights = Archive.relatedWeights
        for index in archive.postmortems.indices {
            let me = archive.postmortems[index]
            let backlinks = Set(archive.backlinks(to: index))
            var expected: [RelatedPostmortem] = []
            for other in archive.postmortems.indices where other != index {
                let them = archive.postmortems[other]
                let shared = Set(me.allCauses).intersection(them.allCauses)
                var score = shared.count * weights.cause + Set(me.services).intersection(them.services).count * weights.service
                    + Set(me.tags).intersection(them.tags).count * weights.tag
                if Set(me.related.map(\.value)).contains(them.id) { score += weights.link }
                if backlinks.contains(other) { score += weights.link }
                if score > 0 { expected.append(RelatedPostmortem(index: other, score: score, sharedCauses: shared.sorted())) }
            }
            expected.sort { a, b in
                let x = archive.postmortems[a.index], y = archive.postmortems[b.index]
                if a.score != b.score { return a.score > b.score }
                if x.date != y.date { return (x.date?.daysSinceEpoch ?? .min) > (y.date?.daysSinceEpoch ?? .min) }
                return (x.id, x.path) < (y.id, y.path)
            }
            let found = archive.related(to: index)
            XCTAssertEqual(found.map(\.index), expected.prefix(5).map(\.index), me.id)
            XCTAssertEqual(found.map(\.score), expected.prefix(5).map(\.score), me.id)
            XCTAssertEqual(found.map(\.sharedCauses), expected.prefix(5).map(\.sharedCauses), me.id)
            let earlier = archive.related(to: index, include: { $0 < index })
            XCTAssertEqual(earlier.map(\.index), expected.filter { $0.index < index }.prefix(5).map(\.index), me.id)
        }
    }

    func testActionItemsAndOverdueUseTheReferenceDate() {
        let archive = Self.archive()
        XCTAssertEqual(archive.actionItems.map(\.item.ticket), ["LRK-1", "LRK-2", "LRK-3", "LRK-4", "LRK-5"])
        let now = CalendarDate(parsing: "2025-07-01")
        XCTAssertEqual(ActionsReport(archive: archive, filter: .overdue, now: now).items.map(\.item.ticket), ["LRK-4"])
        XCTAssertEqual(ActionsReport(archive: archive, filter: .open, now: now).items.map(\.item.ticket), ["LRK-1", "LRK-4"])
        XCTAssertEqual(Archive.referenceDate(history: nil, environment: ["SOURCE_DATE_EPOCH": "1751328000"])?.description, "2025-07-01")
        XCTAssertNil(Archive.referenceDate(history: nil, environment: [:]))
    }

    func testCausesReportJSONIsValidAndOrdered() throws {
        let json = CausesReport(archive: Self.archive()).json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let causes = try XCTUnwrap(object["causes"] as? [[String: Any]])
        XCTAssertEqual(causes.compactMap { $0["id"] as? String }, ["flaky-deploys", "no-alert", "lonely", "never"])
        XCTAssertEqual((causes[0]["openActionItems"] as? [Any])?.count, 2)
    }

    func testOrderingIsDeterministicAcrossRuns() {
        let first = Lint.run(files: Self.files), second = Lint.run(files: Self.files)
        XCTAssertEqual(first, second)
        XCTAssertEqual(CausesReport(archive: Self.archive()).text(), CausesReport(archive: Self.archive()).text())
    }

    func testSimilarRootCausesFireOnTheLaterIncidentOnly() {
        var files = Self.files
        files["postmortems/2024/s1.md"] = Self.document(date: "2024-01-10", causes: "[lonely]", items: "- [x] x — @a, LRK-7",
                                                         rootText: "The session cache ran on a single host with no replica, so losing the host dropped every session.")
        files["postmortems/2025/s2.md"] = Self.document(date: "2025-01-10", causes: "[no-alert]", items: "- [x] x — @a, LRK-8",
                                                         rootText: "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped.")
        let diagnostics = Lint.run(files: files).filter { $0.rule == "causes/similar" }
        XCTAssertEqual(diagnostics.map(\.file), ["postmortems/2025/s2.md"])
        XCTAssertTrue(diagnostics[0].message.hasPrefix("root causes read like s1 (2024-01-10), which shares no cause id"), diagnostics[0].message)
    }

    func testBrokenAndRelatedLinks() {
        assertRule("links/related-unknown", ExampleDocument.make(fields: ["related": "[⟦nope⟧]"]))
        assertRule("links/broken", ExampleDocument.make(sections: ["Impact": "See [x](⟦../2024/missing.md⟧) and [y](https://example.com/a.md)."]))
        assertRule("links/broken", ExampleDocument.make(sections: ["Impact": "See [x](⟦/postmortems/example.md⟧)."]))
    }

    func testLinksToMarkdownFilesResolveToo() {
        // `.markdown` postmortems are in the archive, so links to them are checked like `.md` ones.
        var files = ExampleDocument.catalogueFiles
        files["postmortems/2024/queue.markdown"] = ExampleDocument.make(fields: ExampleDocument.earlierIncident)
        files["postmortems/example.md"] = ExampleDocument.make(sections: ["Impact": "See [q](2024/queue.markdown) and [r](2024/missing.markdown)."])
        let broken = Lint.run(files: files, report: ["postmortems/example.md"]).filter { $0.rule == "links/broken" }
        XCTAssertEqual(broken.map(\.typedMessage), [.unresolvedLink("2024/missing.markdown")])
    }

    /// The paths the lint cache keys a document's `links/broken` findings by are the relative
    /// Markdown links the rule resolves, in any block, each once: not URLs, anchors or other files.
    func testLinkedPathsAreTheRelativeMarkdownLinksTheRuleResolves() {
        let text = ExampleDocument.make(sections: [
            "Impact": "See [q](2024/queue.md), [again](2024/queue.md#timeline) and [web](https://example.com/a.md).",
            "Timeline": "- 10:00 — [the other](../elsewhere/other.markdown) and [a picture](chart.png)",
        ])
        let postmortem = PostmortemParser().parse(RawDocument(path: "postmortems/example.md", bytes: Array(text.utf8)))
        XCTAssertEqual(BrokenLinkRule.linkedPaths(of: postmortem), ["elsewhere/other.markdown", "postmortems/2024/queue.md"])
    }
}

import Foundation

extension CausesTests {
    func testLongRecurrenceListsAreCapped() {
        var files: [String: String] = ["postmortems/causes.yml": Self.catalogue]
        for year in 2000..<2012 {
            files["postmortems/\(year).md"] = Self.document(date: "\(year)-01-01", causes: "[flaky-deploys, no-alert, lonely]", items: "- [x] x — @a, LRK-1")
        }
        let message = Lint.run(files: files, report: ["postmortems/2011.md"]).first { $0.rule == "causes/recurring" }?.message ?? ""
        XCTAssertTrue(message.hasPrefix("cause 'flaky-deploys' also caused: 2000 (2000-01-01), 2001 (2001-01-01)"), message)
        XCTAssertTrue(message.hasSuffix("2007 (2007-01-01) and 3 more"), message)
    }

    func testAnIncidentThatStartedAtTheSameInstantIsNotEarlier() {
        let items = ["Action Items": "- [ ] Alert on queue depth — @platform-team, LRK-7"]
        let files = ExampleDocument.catalogueFiles.merging([
            // Same start; "a" sorts before "b" by file name, which must not make it earlier.
            "postmortems/a.md": ExampleDocument.make(sections: items),
            "postmortems/b.md": ExampleDocument.make(fields: ["title": "Second report"], sections: items),
        ]) { $1 }
        XCTAssertEqual(Lint.run(files: files).filter { $0.rule == "causes/open-action-items" }.map(\.file), [])
        let later = files.merging(["postmortems/b.md": ExampleDocument.make(fields: ["started": "\"2025-03-04T09:00:01Z\""], sections: items)]) { $1 }
        XCTAssertEqual(Set(Lint.run(files: later).filter { $0.rule == "causes/open-action-items" }.map(\.file)), ["postmortems/b.md"])
    }

    func testReplacingADocumentReusesTheIndexesOnlyWhenTheirFactsAreUnchanged() {
        let parser = PostmortemParser()
        let documents = Self.files.filter { PostmortemFiles.isPostmortem($0.key) }.map { parser.parse(RawDocument(path: $0.key, bytes: Array($0.value.utf8))) }
        let archive = Archive(postmortems: documents, catalogue: nil)
        let original = archive.postmortems[0]
        let text = String(decoding: original.source.bytes, as: UTF8.self)
        // An edit to the Summary: same indexes, the new text in place.
        let summaryEdit = parser.parse(RawDocument(path: original.path, bytes: Array(text.replacingOccurrences(of: "## Summary\n", with: "## Summary\n\nA new first line.\n").utf8)))
        let replaced = archive.replacing(summaryEdit)
        XCTAssertNotNil(replaced)
        XCTAssertEqual(replaced?.postmortems[0].source.bytes, summaryEdit.source.bytes)
        XCTAssertEqual(replaced.map { Linter().lint(LintInput(documents: [], catalogue: nil, reportPaths: [original.path]), archive: $0).diagnostics },
                       Linter().lint(LintInput(documents: [], catalogue: nil, reportPaths: [original.path]),
                                     archive: Archive(postmortems: [summaryEdit] + documents.filter { $0.path != original.path }, catalogue: nil)).diagnostics)
        // A changed cause list changes the indexes: the archive must be rebuilt.
        let causeEdit = parser.parse(RawDocument(path: original.path, bytes: Array(text.replacingOccurrences(of: "root_causes: [", with: "root_causes: [another-cause, ").utf8)))
        XCTAssertNotEqual(causeEdit.allCauses, original.allCauses)
        XCTAssertNil(archive.replacing(causeEdit))
    }
}

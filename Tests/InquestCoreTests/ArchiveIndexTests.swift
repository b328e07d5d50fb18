import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// The precomputed indexes that keep `causes/recurring` and `causes/open-action-items` linear.
final class ArchiveIndexTests: XCTestCase {
    /// 30 incidents of one cause on consecutive days; every third has an open action item.
    private func archive() -> Archive {
        let documents = (1...30).map { day -> RawDocument in
            let date = String(format: "2024-06-%02d", day)
            let item = day % 3 == 0 ? "- [ ] Alert on queue depth — @platform-team, LRK-\(day)" : "- [x] Alert on queue depth — @platform-team, LRK-\(day)"
            let text = ExampleDocument.make(fields: ["date": date, "started": "\"\(date)T09:00:00Z\"", "detected": "\"\(date)T09:10:00Z\"",
                                                     "mitigated": "\"\(date)T09:40:00Z\"", "resolved": "\"\(date)T10:05:00Z\"", "id": "incident-\(day)"],
                                            sections: ["Action Items": item])
            return RawDocument(path: "postmortems/\(String(format: "%02d", 31 - day)).md", bytes: Array(text.utf8))
        }
        return Linter().buildArchive(LintInput(documents: documents, catalogue: nil))
    }

    func testOpenItemsByCauseIsTheByCauseListFilteredToOpenItems() {
        let archive = archive()
        for (cause, indexes) in archive.byCause {
            let expected = indexes.filter { !archive.openActionItems[$0].isEmpty }
            XCTAssertEqual(archive.openItemsByCause[cause] ?? [], expected, cause)
        }
        XCTAssertEqual(archive.openItemsByCause["no-alert-on-saturation"]?.count, 10)
    }

    /// The site's archive skips only the similarity terms: every index it reads is the full one's.
    func testArchiveWithoutSimilarityHasTheSameIndexes() {
        let full = archive()
        let light = Archive.withoutSimilarity(postmortems: full.postmortems, catalogue: full.catalogue)
        assertSameIndexes(light, full)
        // A path named twice keeps both documents (facts are aligned by position, not keyed by path).
        let twice = Archive.withoutSimilarity(postmortems: [full.postmortems[0], full.postmortems[0]], catalogue: nil)
        XCTAssertEqual(twice.postmortems.count, 2)
    }

    func testChronologicalMembershipMatchesALinearSearch() {
        let archive = archive()
        let list = archive.byCause["no-alert-on-saturation"]!
        let half = list.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        for index in archive.postmortems.indices {
            XCTAssertEqual(archive.chronologicalList(list, contains: index), list.contains(index))
            XCTAssertEqual(archive.chronologicalList(half, contains: index), half.contains(index))
        }
        XCTAssertEqual(archive.indexes(ofPath: "postmortems/01.md").map { archive.postmortems[$0].id }, ["incident-30"])
        XCTAssertEqual(archive.indexes(ofPath: "postmortems/none.md"), [])
    }

    func testRecurringAndOpenItemMessagesCountEveryOtherIncident() {
        let archive = archive()
        let linter = Linter()
        let result = linter.lint(LintInput(documents: [], catalogue: nil, reportPaths: ["postmortems/01.md"]), archive: archive)
        let recurring = result.diagnostics.filter { $0.rule == "causes/recurring" && $0.message.contains("no-alert-on-saturation") }
        XCTAssertEqual(recurring.map(\.message), ["cause 'no-alert-on-saturation' also caused: incident-1 (2024-06-01), incident-2 (2024-06-02), incident-3 (2024-06-03), incident-4 (2024-06-04), incident-5 (2024-06-05), incident-6 (2024-06-06), incident-7 (2024-06-07), incident-8 (2024-06-08) and 21 more"])
        // incident-30 is the newest: the open items of incidents 3, 6, …, 27 (9 of them) are earlier.
        let open = result.diagnostics.filter { $0.rule == "causes/open-action-items" && $0.message.contains("no-alert-on-saturation") }
        XCTAssertEqual(open.count, 1)
        XCTAssertTrue(open.first?.message.hasPrefix("cause 'no-alert-on-saturation' recurred with 9 action items still open") == true, open.first?.message ?? "")
    }

    /// Services, tags, backlinks, paths and labels are built on first use (lint never reads most of
    /// them): from every thread at once they are what the eager construction made, and one label
    /// made alone is the label in the list.
    func testIndexesBuiltOnFirstUseAreTheEagerOnes() {
        let documents = (1...12).map { day -> RawDocument in
            let date = String(format: "2024-06-%02d", 13 - day)
            let text = ExampleDocument.make(fields: ["date": date, "id": "incident-\(day)", "services": "[svc-\(day % 3), shared]",
                                                     "tags": "[tag-\(day % 2)]", "related": day > 1 ? "[incident-\(day - 1), incident-1]" : nil])
            return RawDocument(path: "postmortems/\(String(format: "%02d", day)).md", bytes: Array(text.utf8))
        }
        let archive = Linter().buildArchive(LintInput(documents: documents, catalogue: nil))
        func eager(_ values: (Postmortem) -> [String]) -> [String: [Int]] {
            var index: [String: [Int]] = [:]
            for (position, postmortem) in archive.postmortems.enumerated() {
                for value in Set(values(postmortem)) { index[value, default: []].append(position) }
            }
            return index.mapValues { $0.sorted { archive.chronologicalRank[$0] < archive.chronologicalRank[$1] } }
        }
        let services = eager(\.services), tags = eager(\.tags), related = eager { $0.related.map(\.value) }
        XCTAssertEqual(services["shared"]?.count, 12)
        XCTAssertEqual(related["incident-1"]?.count, 11)
        let labels = archive.postmortems.map { "\($0.id) (\($0.date.map(String.init(describing:)) ?? "undated"))" }
        DispatchQueue.concurrentPerform(iterations: 8) { turn in
            XCTAssertEqual(archive.byService, services, "turn \(turn)")
            XCTAssertEqual(archive.byTag, tags)
            XCTAssertEqual(archive.relatedBy, related)
            XCTAssertEqual(archive.pathSet, Set(archive.postmortems.map(\.path)))
            XCTAssertEqual(archive.incidentLabels, labels)
        }
        for index in archive.postmortems.indices { XCTAssertEqual(archive.incidentLabel(index), labels[index]) }
        XCTAssertEqual(archive.byService, services, "after every index was built")
    }

    /// A large archive makes its id and path indexes on another core: the same indexes, duplicates
    /// and all, in the same chronological order.
    func testIdAndPathIndexesOfALargeArchiveAreTheSameOnAnotherCore() {
        let empty = SourceText(bytes: [])
        let stubs = (0..<3_000).map { index -> Postmortem in
            var stub = CachedLint.placeholder(path: String(format: "postmortems/%05d.md", index), source: empty)
            stub.id = index % 1_000 == 7 ? "duplicate" : "incident-\(index)"
            // Many documents share a day, and a few have none (they come last).
            stub.date = index % 97 == 3 ? nil : CalendarDate(year: 2020 + index % 5, month: index % 12 + 1, day: index % 28 + 1)
            return stub
        }
        let archive = Archive(postmortems: stubs, catalogue: nil)
        XCTAssertEqual(archive.byID["duplicate"], [7, 1_007, 2_007])
        XCTAssertEqual(archive.byID.count, 2_998)
        for (index, stub) in stubs.enumerated() {
            XCTAssertEqual(archive.byPath[stub.path], [index])
            if stub.id != "duplicate" { XCTAssertEqual(archive.byID[stub.id], [index]) }
        }
        let order = stubs.indices.sorted { Archive.chronologicalOrder(stubs[$0], stubs[$1]) }
        XCTAssertEqual(order.map { archive.chronologicalRank[$0] }, Array(0..<3_000), "ranks follow day, id, path")
    }
}

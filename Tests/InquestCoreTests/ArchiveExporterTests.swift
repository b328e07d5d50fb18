import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// `inquest export`: the model of each document and the archive's derived facts, as versioned JSON.
final class ArchiveExporterTests: XCTestCase {
    private let first = """
    ---
    title: Cache stampede
    date: 2025-02-03
    status: final
    severity: SEV2
    authors: [Priya Raman]
    services: [checkout]
    started: "2025-02-03T09:58:00+01:00"
    resolved: "2025-02-03T10:45:00+01:00"
    root_causes: [no-alert-on-saturation]
    contributing_factors: [config-drift]
    owner: ~
    ---

    ## Summary

    The cache emptied.

    ## Timeline

    All times in CET.

    - 09:58 — The `cache-warm` job stops.
    - 10:04 — The alert fires.
    - Later — the page was acknowledged.

    ## Notes

    Nothing else.

    ## Action Items

    - [ ] Alert on cache hit rate — @sre, OPS-12, due: 2025-03-01
    - [x] Restart the warmer

    """

    private let second = """
    ---
    title: Cache stampede again
    date: 2025-06-01
    status: draft
    severity: SEV3
    authors: [Marcus Webb]
    services: [checkout]
    root_causes: [no-alert-on-saturation]
    related: [2025-02-03-cache]
    ---

    ## Summary

    It happened again.

    """

    private func archive() -> Archive {
        let parser = PostmortemParser()
        let documents = [("postmortems/2025-06-01-again.md", second), ("postmortems/2025-02-03-cache.md", first)]
        let catalogue = CauseCatalogue.parse(RawDocument(path: "postmortems/causes.yml", bytes: Array(ExampleDocument.catalogue.utf8)))
        return Archive(postmortems: documents.map { parser.parse(RawDocument(path: $0.0, bytes: Array($0.1.utf8))) }, catalogue: catalogue)
    }

    func testDocumentModel() throws {
        let export = ArchiveExporter.export(archive(), source: "working tree")
        XCTAssertEqual(export.version, 1)
        XCTAssertEqual(export.documents.map(\.path), ["postmortems/2025-02-03-cache.md", "postmortems/2025-06-01-again.md"], "sorted by path")
        let document = export.documents[0]
        XCTAssertEqual(document.id, "2025-02-03-cache")
        guard case let .object(front) = try XCTUnwrap(document.frontMatter) else { return XCTFail("front-matter is an object") }
        XCTAssertEqual(front["date"], .string("2025-02-03"), "as written, not converted")
        XCTAssertEqual(front["authors"], .array([.string("Priya Raman")]))
        XCTAssertEqual(front["owner"], .null)
        XCTAssertEqual(document.sections.map(\.heading), ["Summary", "Timeline", "Notes", "Action Items"])
        XCTAssertEqual(document.sections.map(\.role), ["Summary", "Timeline", nil, "Action Items"])
        XCTAssertEqual(document.sections.map(\.line), [15, 19, 27, 31])

        XCTAssertEqual(document.timeline.count, 3)
        XCTAssertEqual(document.timeline[0], ArchiveExport.TimelineEntry(
            line: 23, text: "09:58 — The cache-warm job stops.", timeText: "09:58", time: "2025-02-03T09:58:00+01:00",
            utc: "2025-02-03T08:58:00Z", timeOfDay: "09:58:00", offset: "+01:00", dateSource: "incident", zoneSource: "line"))
        XCTAssertEqual(document.timeline[2].time, nil)
        XCTAssertEqual(document.timeline[2].dateSource, nil)

        XCTAssertEqual(document.actionItems, [
            ArchiveExport.ActionItem(line: 33, text: "Alert on cache hit rate — @sre, OPS-12, due: 2025-03-01", state: "open",
                                     owner: "@sre", ticket: "OPS-12", due: "2025-03-01"),
            ArchiveExport.ActionItem(line: 34, text: "Restart the warmer", state: "done", owner: nil, ticket: nil, due: nil),
        ])
        XCTAssertEqual(document.causes.map { "\($0.id) \($0.role) \($0.line)" }, ["no-alert-on-saturation root 10", "config-drift contributing 11"])
        XCTAssertEqual(document.causes.map(\.title), ["No alert on saturation", nil], "titles from the catalogue; config-drift is not in it")
    }

    func testArchiveFacts() {
        let export = ArchiveExporter.export(archive(), source: "working tree")
        let cache = export.documents[0], again = export.documents[1]
        XCTAssertEqual(cache.recurrence.first { $0.cause == "no-alert-on-saturation" }, ArchiveExport.Recurrence(cause: "no-alert-on-saturation", occurrences: 2, others: ["2025-06-01-again"]))
        XCTAssertEqual(cache.backlinks, ["2025-06-01-again"])
        XCTAssertEqual(again.related.first?.id, "2025-02-03-cache")
        XCTAssertEqual(again.related.first?.sharedCauses, ["no-alert-on-saturation"])
        let missingAlert = export.causes.first { $0.id == "no-alert-on-saturation" }
        XCTAssertEqual(missingAlert?.postmortems, ["2025-02-03-cache", "2025-06-01-again"], "oldest first")
        XCTAssertEqual(missingAlert?.first, "2025-02-03")
        XCTAssertEqual(export.causes.first?.id, "no-alert-on-saturation", "most recurrent first")
    }

    func testSelectedDocumentsKeepArchiveWideFacts() {
        let export = ArchiveExporter.export(archive(), reportPaths: ["postmortems/2025-06-01-again.md"], source: "index")
        XCTAssertEqual(export.documents.map(\.id), ["2025-06-01-again"])
        XCTAssertEqual(export.documents[0].recurrence.first?.others, ["2025-02-03-cache"])
        XCTAssertEqual(export.source, "index")
    }

    func testJSONIsDeterministicWithExplicitNullsAndRoundTrips() throws {
        let json = ArchiveExporter.json(ArchiveExporter.export(archive(), source: "working tree"))
        XCTAssertEqual(json, ArchiveExporter.json(ArchiveExporter.export(archive(), source: "working tree")))
        XCTAssertTrue(json.hasSuffix("}\n"))
        XCTAssertTrue(json.contains("\"role\" : null") || json.contains("\"role\":null"), "unknown sections say null, not nothing")
        let decoded = try JSONDecoder().decode(ArchiveExport.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, ArchiveExporter.export(archive(), source: "working tree"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? Int, 1)
    }

    func testADocumentWithoutFrontMatterStillExportsItsBody() {
        let parser = PostmortemParser()
        let postmortem = parser.parse(RawDocument(path: "postmortems/x.md", bytes: Array("# X\n\n## Timeline\n\n- 10:00 UTC — Start.\n".utf8)))
        let export = ArchiveExporter.export(Archive(postmortems: [postmortem], catalogue: nil), source: "working tree")
        XCTAssertNil(export.documents[0].frontMatter)
        XCTAssertEqual(export.documents[0].problems.map(\.kind), ["front-matter"])
        XCTAssertEqual(export.documents[0].timeline.first?.zoneSource, "entry")
        // No date anywhere: the time of day and offset are known, the instant is not (never 1970-01-01).
        let entry = export.documents[0].timeline.first
        XCTAssertEqual(entry?.time, nil)
        XCTAssertEqual(entry?.utc, nil)
        XCTAssertEqual(entry?.dateSource, nil)
        XCTAssertEqual(entry?.timeOfDay, "10:00:00")
        XCTAssertEqual(entry?.offset, "+00:00")
    }

    func testLocalTimesCarryTheAuthorsOffset() {
        XCTAssertEqual(ArchiveExporter.localString(Timestamp(seconds: 0, offsetMinutes: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(ArchiveExporter.localString(Timestamp(seconds: 0, offsetMinutes: -330)), "1969-12-31T18:30:00-05:30")
        XCTAssertEqual(ArchiveExporter.localString(Timestamp(seconds: 3600, offsetMinutes: 120)), "1970-01-01T03:00:00+02:00")
    }
}

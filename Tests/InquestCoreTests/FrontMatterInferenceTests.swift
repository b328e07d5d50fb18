import XCTest
@testable import InquestCore
import InquestTestSupport

/// What `adopt` infers for a document without front-matter, field by field and source by source.
final class FrontMatterInferenceTests: XCTestCase {
    private func infer(_ text: String, path: String = "postmortems/outage.md", schema: Schema = Schema(),
                       author: FrontMatterInference.GitAuthor? = nil) -> Inference {
        let inference = FrontMatterInference(schema: schema)
        var taken = Set<String>()
        return inference.infer(inference.parser.parse(RawDocument(path: path, bytes: Array(text.utf8))), gitAuthor: author, takenIDs: &taken)
    }

    private func field(_ inference: Inference, _ key: String) -> InferredField? {
        inference.fields.first { $0.key == key }
    }

    // MARK: title and id

    func testTitleComesFromTheH1WithoutAPostmortemLabel() {
        let result = infer("# Post-mortem: Search index went stale\n\n## Summary\n\nText.\n")
        XCTAssertEqual(field(result, "title")?.display, "Search index went stale")
        XCTAssertEqual(field(result, "title")?.source, "the H1 (line 1)")
    }

    func testTitleDropsADateOrIncidentLabelTheH1Repeats() {
        XCTAssertEqual(field(infer("# 2021-05-06: CI jobs stuck in the queue\n\nText.\n"), "title")?.display, "CI jobs stuck in the queue")
        XCTAssertEqual(field(infer("# Notification delays – 2023-02-14\n\nText.\n"), "title")?.display, "Notification delays")
        XCTAssertEqual(field(infer("# Incident: payments API unavailable\n\nText.\n"), "title")?.display, "Payments API unavailable")
        XCTAssertEqual(field(infer("# Incident response drill\n\nText.\n"), "title")?.display, "Incident response drill")
        XCTAssertEqual(field(infer("# 2021-05-06\n\nText.\n"), "title")?.display, "2021-05-06")
    }

    func testTitleFromTheFirstLineOfADocumentWithoutHeadings() {
        XCTAssertEqual(field(infer("**Postmortem: nightly export missing**\n\n**Issue Summary**\nText.\n"), "title")?.display, "Nightly export missing")
        XCTAssertEqual(field(infer("Postmortem: Login page down\n\nIssue Summary:\nText.\n"), "title")?.source, "the first line (line 1)")
        XCTAssertEqual(field(infer("Some text.\n", path: "postmortems/2024-02-28-search is slow.md"), "title")?.source, "the file name",
                       "an ordinary first sentence is not a title")
    }

    func testTitleFallsBackToTheFileNameWithoutItsDateOrNumber() {
        XCTAssertEqual(field(infer("Some text.\n", path: "postmortems/2024-02-28-search is slow.md"), "title")?.display, "Search is slow")
        XCTAssertEqual(field(infer("Some text.\n", path: "postmortems/INC2023-014 - Cache stampede.md"), "title")?.display, "Cache stampede")
        XCTAssertEqual(field(infer("Some text.\n", path: "postmortems/2024-02-28-search is slow.md"), "title")?.source, "the file name")
    }

    func testAnH1ThatIsOnlyALabelGivesWayToTheFileName() {
        let result = infer("# Post-mortem\n\nText.\n", path: "postmortems/2024-05-06-queue-backlog.md")
        XCTAssertEqual(field(result, "title")?.display, "Queue backlog")
        XCTAssertEqual(field(result, "title")?.source, "the file name")
    }

    func testAFileNameThatIsNoSlugGetsAnID() {
        let result = infer("# Cache stampede\n", path: "postmortems/INC2023-014 - Cache stampede.md")
        XCTAssertEqual(field(result, "id")?.display, "inc2023-014-cache-stampede")
        XCTAssertNil(field(infer("# Cache stampede\n", path: "postmortems/cache-stampede.md"), "id"), "a slug file name is the id already")
    }

    func testIDsStayUniqueAcrossTheArchive() {
        let inference = FrontMatterInference(schema: Schema())
        var taken: Set<String> = ["cache-stampede"]
        let result = inference.infer(inference.parser.parse(RawDocument(path: "postmortems/Cache Stampede.md", bytes: Array("# Cache\n".utf8))),
                                     gitAuthor: nil, takenIDs: &taken)
        XCTAssertEqual(field(result, "id")?.display, "cache-stampede-2")
    }

    // MARK: date

    func testDateSourcesInOrder() {
        let body = "# Outage\n\n**Date:** March 9th, 2024\n\n## Timeline\n\n- 2024-03-08 10:00 UTC — Deploy starts.\n"
        XCTAssertEqual(field(infer(body, path: "postmortems/2024-03-10-outage.md"), "date")?.source, "the file name")
        XCTAssertEqual(field(infer(body, path: "postmortems/2024-03-11/outage.md"), "date")?.display, "2024-03-11")
        XCTAssertEqual(field(infer(body, path: "postmortems/2024-03-11/outage.md"), "date")?.source, "the folder")
        XCTAssertEqual(field(infer(body), "date")?.display, "2024-03-09")
        XCTAssertEqual(field(infer(body), "date")?.source, "'Date:' (line 3)")
        let timelineOnly = "# Outage\n\n## Timeline\n\n| Time | Event |\n| --- | --- |\n| 2024-03-08 10:00 | Deploy starts |\n"
        XCTAssertEqual(field(infer(timelineOnly), "date")?.display, "2024-03-08")
        XCTAssertEqual(field(infer(timelineOnly), "date")?.source, "the first dated timeline entry (line 7)")
        let summaryOnly = "# Outage\n\n## Summary\n\nOn Friday 8th March 2024 the search index went stale.\n"
        XCTAssertEqual(field(infer(summaryOnly), "date")?.display, "2024-03-08")
    }

    func testNoDateIsLeftForAPerson() {
        let result = infer("# Outage\n\n## Summary\n\nOn a Friday the index went stale.\n")
        XCTAssertNil(field(result, "date"))
        XCTAssertTrue(result.missing.contains("date"))
    }

    // MARK: status, severity, services, tags, authors

    func testStatusIsDraftUnlessThePostmortemStatusIsStated() {
        XCTAssertEqual(field(infer("# Outage\n"), "status")?.display, "draft")
        XCTAssertEqual(field(infer("# Outage\n\nPostmortem status: In review\n"), "status")?.display, "in-review")
        let incident = infer("# Outage\n\nStatus: Resolved\n")
        XCTAssertEqual(field(incident, "status")?.display, "draft", "'Resolved' is the incident's status, not the document's")
        XCTAssertEqual(incident.notes.count, 1)
    }

    func testSeverityMapsToTheSchemaScaleOrIsLeftOut() {
        XCTAssertEqual(field(infer("# Outage\n\n**Severity:** Sev 2\n"), "severity")?.display, "SEV2")
        XCTAssertEqual(field(infer("# Outage\n\n- Severity: SEV-1 (customer facing)\n"), "severity")?.display, "SEV1")
        let word = infer("# Outage\n\n**Severity:** Critical\n")
        XCTAssertNil(field(word, "severity"), "'Critical' is not on the default scale")
        XCTAssertTrue(word.notes.first?.contains("--write-config") ?? false, word.notes.description)
        var schema = Schema()
        schema.severities = ["Critical", "Major", "Minor"]
        XCTAssertEqual(field(infer("# Outage\n\n**Severity:** critical\n", schema: schema), "severity")?.display, "Critical")
        XCTAssertEqual(field(infer("# Outage\n\n| Priority | P2 |\n| --- | --- |\n", schema: { var s = Schema(); s.severities = ["P1", "P2"]; return s }()), "severity")?.display, "P2")
    }

    func testServicesAndTagsBecomeSlugs() {
        let result = infer("# Outage\n\nAffected services: Checkout API, payments and Search\n\n## Stats\n\n- Category: Kubernetes\n")
        XCTAssertEqual(field(result, "services")?.value, .list(["checkout-api", "payments", "search"]))
        XCTAssertEqual(field(result, "tags")?.value, .list(["kubernetes"]))
        XCTAssertEqual(field(result, "tags")?.source, "'Category:' (line 7)")
    }

    func testAuthorsFromTheDocumentElseFromGit() {
        let git = FrontMatterInference.GitAuthor(name: "Priya Raman", shortSHA: "1a2b3c4")
        XCTAssertEqual(field(infer("# Outage\n\nAuthors: Lena Fischer, Marcus Webb\n", author: git), "authors")?.value, .list(["Lena Fischer", "Marcus Webb"]))
        let fromGit = infer("# Outage\n", author: git)
        XCTAssertEqual(field(fromGit, "authors")?.value, .list(["Priya Raman"]))
        XCTAssertEqual(field(fromGit, "authors")?.source, "git (first commit 1a2b3c4)")
        XCTAssertTrue(infer("# Outage\n").missing.contains("authors"))
    }

    // MARK: started, detected, mitigated, resolved

    private let timeline = """
    # Checkout errors

    ## Timeline

    All times in CET.

    - 09:58 — A config change ships (incident started).
    - 10:04 — The error-rate alert fired and paged the on-call engineer.
    - 10:20 — The change is rolled back; errors drop.
    - 10:45 — Error rate back to normal; incident resolved.

    """

    func testMomentsFromMarkedTimelineEntriesWithTheStatedZone() {
        let result = infer(timeline, path: "postmortems/2025-02-03-checkout-errors.md")
        XCTAssertEqual(field(result, "started")?.display, "2025-02-03T09:58:00+01:00")
        XCTAssertEqual(field(result, "started")?.source, "the timeline (line 7: 'incident started')")
        XCTAssertEqual(field(result, "detected")?.display, "2025-02-03T10:04:00+01:00")
        XCTAssertEqual(field(result, "mitigated")?.display, "2025-02-03T10:20:00+01:00")
        XCTAssertEqual(field(result, "resolved")?.display, "2025-02-03T10:45:00+01:00")
        XCTAssertFalse(result.missing.contains { $0.hasPrefix("started") })
    }

    func testATimelineWithoutAZoneGivesNoMoments() {
        let result = infer(timeline.replacingOccurrences(of: "All times in CET.\n", with: ""), path: "postmortems/2025-02-03-checkout-errors.md")
        XCTAssertNil(field(result, "started"))
        XCTAssertNil(field(result, "resolved"))
        XCTAssertTrue(result.notes.contains { $0.contains("no time zone") }, result.notes.description)
    }

    func testMetadataInstantsAndDurationsFromTheStart() {
        let text = """
        # Checkout errors

        **Start time:** 2025-02-03 09:58 UTC
        **Resolved:** 11:10 UTC

        ## Stats

        - Time to detection: 6 minutes
        - Time to recovery: N/A

        """
        let result = infer(text, path: "postmortems/2025-02-03-checkout-errors.md")
        XCTAssertEqual(field(result, "started")?.display, "2025-02-03T09:58:00Z")
        XCTAssertEqual(field(result, "started")?.source, "'Start time:' (line 3)")
        XCTAssertEqual(field(result, "detected")?.display, "2025-02-03T10:04:00Z")
        XCTAssertEqual(field(result, "detected")?.source, "started + 'Time to detection: 6 minutes' (line 8)")
        XCTAssertEqual(field(result, "resolved")?.display, "2025-02-03T11:10:00Z", "the date of the incident completes a time")
    }

    func testMomentsOutOfOrderOrFarFromTheDateAreLeftOut() {
        let text = """
        # Checkout errors

        **Detected:** 2025-02-03 09:00 UTC
        **Started:** 2025-02-03 09:30 UTC
        **Resolved:** 2025-02-20 10:00 UTC

        """
        let result = infer(text, path: "postmortems/2025-02-03-checkout-errors.md")
        XCTAssertEqual(field(result, "started")?.display, "2025-02-03T09:30:00Z")
        XCTAssertNil(field(result, "detected"), "before started")
        XCTAssertNil(field(result, "resolved"), "17 days after the date")
        XCTAssertEqual(result.notes.count, 2, result.notes.description)
    }

    func testNothingInventedForABareDocument() {
        let result = infer("Some notes about an outage.\n", path: "postmortems/notes.md")
        XCTAssertEqual(result.fields.map(\.key), ["title", "status"])
        XCTAssertEqual(result.missing, ["date", "severity", "authors", "services", "started (before status: final)",
                                        "resolved (before status: final)", "root_causes (before status: final)"])
    }
}

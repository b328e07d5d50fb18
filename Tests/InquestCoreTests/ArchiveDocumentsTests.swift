import InquestTestSupport
import XCTest
@testable import InquestCore

/// ``Archive/withDocuments(_:)``: lint's archive with its documents swapped for the same
/// documents parsed in full is the archive the site would build from them, and any document
/// whose indexed facts differ is refused.
final class ArchiveDocumentsTests: XCTestCase {
    private func parse(_ documents: [(String, String)]) -> [Postmortem] {
        let parser = PostmortemParser(schema: Configuration().schema)
        return documents.map { parser.parse(RawDocument(path: $0.0, bytes: Array($0.1.utf8))) }
    }

    private let texts: [(String, String)] = [
        ("postmortems/a.md", ExampleDocument.make(fields: ["date": "2025-01-02"])),
        ("postmortems/b.md", ExampleDocument.make(fields: ["date": "2025-02-03", "root_causes": "[missing-runbook-step]", "tags": "[dns]"])),
        ("postmortems/c.md", ExampleDocument.make(fields: ["date": "2025-03-04", "related": "[a]"],
                                                  sections: ["Action Items": "- [ ] Page the owner on saturation — @ops, OPS-1"])),
    ]

    func testSwappedDocumentsGiveTheArchiveBuiltFromThem() throws {
        let documents = parse(texts)
        // Lint's archive holds stubs: the same facts, no body.
        let stubs = documents.map { DocumentFacts($0).stub(source: $0.source, contentID: nil) }
        let facts = documents.map { Archive.IndexedFacts(openItems: Archive.openItems(of: $0), terms: [], termIDs: []) }
        let lint = Archive(postmortems: stubs, catalogue: nil, knownFacts: facts, similarityFor: [])
        let swapped = try XCTUnwrap(lint.withDocuments(documents))
        let built = Archive.withoutSimilarity(postmortems: documents, catalogue: nil)
        XCTAssertEqual(swapped.postmortems.map(\.title), built.postmortems.map(\.title), "the documents are the full ones")
        assertSameIndexes(swapped, built)
        XCTAssertEqual(swapped.similarity.neighbours.map(\.count), built.similarity.neighbours.map(\.count))
        XCTAssertEqual(swapped.related(to: 2).map(\.index), built.related(to: 2).map(\.index))
    }

    func testADocumentWithOtherFactsIsRefused() {
        let documents = parse(texts)
        let lint = Archive.withoutSimilarity(postmortems: documents, catalogue: nil)
        var other = texts
        other[1].1 = other[1].1.replacingOccurrences(of: "tags: [dns]", with: "tags: [queue]")
        XCTAssertNil(lint.withDocuments(parse(other)), "a tag differs")
        other = texts
        other[2].1 = other[2].1.replacingOccurrences(of: "- [ ] Page", with: "- [x] Page")
        XCTAssertNil(lint.withDocuments(parse(other)), "an open action item was closed")
        XCTAssertNil(lint.withDocuments(Array(documents.dropLast())), "a document fewer")
    }
}

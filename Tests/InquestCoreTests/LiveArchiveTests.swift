import InquestTestSupport
import XCTest
@testable import InquestCore

/// ``LiveArchive``: after any sequence of edits, the archive it gives for checking a document
/// indexes the documents as a full archive built from them, and lists the same documents as
/// reading alike for the checked one, so the language server reports what `inquest lint` does.
final class LiveArchiveTests: XCTestCase {
    private let parser = PostmortemParser(schema: Configuration().schema)

    /// Twelve incidents a month apart. Each has its own cause, and its Root Causes text is one
    /// side of a pair of paraphrases: pairs read alike without sharing a cause.
    private func documents() -> [Postmortem] {
        let texts = SimilarityTests.similar.flatMap { [$0.0, $0.1] }
        return texts.enumerated().map { index, text in
            document(index, rootCauses: text, cause: "cause-\(index)")
        }
    }

    private func document(_ index: Int, rootCauses: String, cause: String, service: String = "checkout") -> Postmortem {
        parser.parse(RawDocument(path: path(index), bytes: Array(text(index, rootCauses: rootCauses, cause: cause, service: service).utf8)))
    }

    private func path(_ index: Int) -> String { "postmortems/incident-\(String(format: "%02d", index)).md" }

    private func text(_ index: Int, rootCauses: String, cause: String, service: String = "checkout") -> String {
        let month = String(format: "%02d", index % 12 + 1)
        return ExampleDocument.make(fields: ["id": "incident-\(index)", "date": "2024-\(month)-10", "root_causes": "[\(cause)]",
                                             "contributing_factors": nil, "services": "[\(service)]"],
                                    sections: ["Root Causes": rootCauses])
    }

    /// The checked document's similar documents (by path) and every index, against a full archive.
    private func assertMatchesAFullArchive(_ live: inout LiveArchive, checking path: String, file: StaticString = #filePath, line: UInt = #line) {
        let checked = live.archive(checking: path)
        let full = Archive(postmortems: live.documents.shuffled(), catalogue: live.catalogue)
        assertSameIndexes(checked, full, file: file, line: line)
        guard let index = full.byPath[path]?.first, let own = checked.byPath[path]?.first else {
            return XCTFail("\(path) is not in the archive", file: file, line: line)
        }
        let expected = full.similarity.neighbours[index].map { full.postmortems[$0.index].path }
        XCTAssertEqual(checked.similarity.neighbours[own].map { checked.postmortems[$0.index].path }, expected, path, file: file, line: line)
        XCTAssertEqual(checked.similarity.neighbours[own].map(\.score), full.similarity.neighbours[index].map(\.score), file: file, line: line)
    }

    func testTheFixtureHasDocumentsThatReadAlike() {
        let full = Archive(postmortems: documents(), catalogue: nil)
        XCTAssertGreaterThanOrEqual(full.similarity.neighbours.filter { !$0.isEmpty }.count, 5,
                                    "the later side of each pair lists the earlier one: the test below compares something")
    }

    func testARootCausesEditIsCheckedAsAFullArchiveChecksIt() {
        let all = documents()
        var live = LiveArchive(Archive(postmortems: all, catalogue: nil))
        XCTAssertEqual(Archive(postmortems: all, catalogue: nil).similarity.neighbours[9].map(\.index), [8])
        // Incident 9 (a paraphrase of incident 8) now says what incident 3 says, in incident 2's other words.
        live.update(document(9, rootCauses: SimilarityTests.similar[1].1, cause: "cause-9"))
        assertMatchesAFullArchive(&live, checking: all[9].path)
        XCTAssertEqual(Set(live.archive(checking: all[9].path).similarity.neighbours[9].map(\.index)), [2, 3],
                       "the edit moved the matches from incident 8 to incidents 2 and 3")
        // Keystrokes that change no index swap the document in; one that does is indexed again.
        live.update(document(9, rootCauses: SimilarityTests.similar[1].1 + " More detail.", cause: "cause-9"))
        assertMatchesAFullArchive(&live, checking: all[9].path)
        live.update(document(9, rootCauses: SimilarityTests.similar[1].1 + " More detail.", cause: "cause-2"))
        assertMatchesAFullArchive(&live, checking: all[9].path)
        XCTAssertEqual(live.archive(checking: all[9].path).similarity.neighbours[9].map(\.index), [3],
                       "sharing incident 2's cause, incident 2 is no longer listed as merely reading alike")
    }

    func testAnotherDocumentIsCheckedWithItsOwnSimilarDocuments() {
        let all = documents()
        var live = LiveArchive(Archive(postmortems: all, catalogue: nil))
        live.update(document(5, rootCauses: SimilarityTests.similar[0].1, cause: "cause-5"))
        assertMatchesAFullArchive(&live, checking: all[5].path)
        // The archive made for incident 5 worked similarity out for it alone: incident 7 gets its own.
        assertMatchesAFullArchive(&live, checking: all[7].path)
        XCTAssertFalse(live.archive(checking: all[7].path).similarity.neighbours[7].isEmpty)
        assertMatchesAFullArchive(&live, checking: all[5].path)
    }

    func testAddedRemovedAndRecataloguedDocumentsAreIndexed() {
        let all = documents()
        var live = LiveArchive(Archive(postmortems: all, catalogue: nil))
        _ = live.archive(checking: all[0].path)
        live.update(document(12, rootCauses: SimilarityTests.similar[3].0, cause: "cause-12", service: "auth"))
        assertMatchesAFullArchive(&live, checking: "postmortems/incident-12.md")
        live.remove(path: all[6].path)
        XCTAssertNil(live.postmortem(at: all[6].path))
        XCTAssertEqual(live.documents.map(\.path), live.documents.map(\.path).sorted(), "kept in path order")
        assertMatchesAFullArchive(&live, checking: "postmortems/incident-12.md")
        live.setCatalogue(CauseCatalogue.parse(RawDocument(path: "postmortems/causes.yml", bytes: Array(ExampleDocument.catalogue.utf8))))
        assertMatchesAFullArchive(&live, checking: all[7].path)
        XCTAssertNotNil(live.archive(checking: all[7].path).catalogue)
    }

    /// An editor session on an archive the lint cache knows starts from stubs (nothing parsed)
    /// and checks an opened, edited document as a full archive of the parsed files does.
    func testASessionFromTheLintCacheChecksAsAFullArchiveOfTheFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-live-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        func write(_ contents: String, _ path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        try write("", "inquest.yml")
        try write(ExampleDocument.catalogue, "postmortems/causes.yml")
        let texts = SimilarityTests.similar.flatMap { [$0.0, $0.1] }
        for (index, rootCauses) in texts.enumerated() { try write(text(index, rootCauses: rootCauses, cause: "cause-\(index)"), path(index)) }
        var cache = LintCache(url: root.appendingPathComponent(".inquest-cache/lint.cache"), ownsFolder: true)
        cache.racyWindow = 0
        _ = try LintPlan.make(reader: ArchiveReader.open(at: root, selection: .workingTree), from: root, loadHistory: false, cache: cache).lint()

        let plan = try LintPlan.make(reader: ArchiveReader.open(at: root, selection: .workingTree), from: root, loadHistory: false,
                                     cache: cache, forEditing: true)
        XCTAssertEqual(plan.cached?.statistics.parsed, 0, "every document comes from the cache")
        XCTAssertEqual(plan.cached?.statistics.read, 0, "and no file is read")
        var live = LiveArchive(plan: plan)
        // Incident 9 is opened and its Root Causes now say what incident 3 says.
        let edited = document(9, rootCauses: SimilarityTests.similar[1].1, cause: "cause-9")
        live.update(edited)
        let checked = live.archive(checking: edited.path)
        var files = texts.indices.map { document($0, rootCauses: texts[$0], cause: "cause-\($0)") }
        files[9] = edited
        let full = Archive(postmortems: files, catalogue: checked.catalogue)
        assertSameIndexes(checked, full)
        XCTAssertEqual(checked.similarity.neighbours[9].map(\.index), full.similarity.neighbours[9].map(\.index))
        XCTAssertEqual(checked.similarity.neighbours[9].map(\.score), full.similarity.neighbours[9].map(\.score))
        XCTAssertEqual(Set(checked.similarity.neighbours[9].map(\.index)), [2, 3])
        // Another document, still a stub, is checked with its own similar documents too.
        let other = live.archive(checking: path(7))
        XCTAssertEqual(other.similarity.neighbours[7].map(\.index), full.similarity.neighbours[7].map(\.index))
        XCTAssertEqual(other.similarity.neighbours[7].map(\.index), [6])
    }
}

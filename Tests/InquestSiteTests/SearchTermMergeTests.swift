import XCTest
@testable import InquestSite
import InquestTestSupport

/// ``TermMerge`` numbers terms, gathers postings and lists each document's term numbers on all
/// cores: it must give exactly what one pass over the documents in order gives (the search files
/// and the saved state depend on the numbering).
final class SearchTermMergeTests: XCTestCase {
    /// The one-pass numbering the index used before (the reference).
    static func onePass(_ entries: [SearchCache.Entry]) -> (terms: [String], postings: [[(doc: Int, tf: Int)]], documents: [[UInt32]]) {
        var ids: [String: Int] = [:]
        var terms: [String] = []
        var postings: [[(doc: Int, tf: Int)]] = []
        var documents: [[UInt32]] = []
        for (id, entry) in entries.enumerated() {
            var numbers: [UInt32] = []
            for (text, tf) in zip(entry.terms, entry.counts) {
                let term: Int
                if let known = ids[text] {
                    term = known
                } else {
                    term = terms.count
                    ids[text] = term
                    terms.append(text)
                    postings.append([])
                }
                postings[term].append((id, tf))
                numbers.append(UInt32(term))
            }
            documents.append(numbers)
        }
        return (terms, postings, documents)
    }

    /// Random entries over a vocabulary where early words are common and late ones rare, so that
    /// runs share most terms and each also brings new ones; some entries name their terms
    /// through cache tables (two different tables), as entries loaded from a state file do.
    static func entries(count: Int, seed: UInt64) -> [SearchCache.Entry] {
        var random = SplitMix64(seed: seed)
        let vocabulary = (0..<3000).map { "w\($0)x" }
        let tables = [SearchCache.TermTable(vocabulary), SearchCache.TermTable(vocabulary.reversed())]
        return (0..<count).map { _ in
            let size = Int.random(in: 0...40, using: &random)
            var words = Set<Int>()
            for _ in 0..<size {
                let bound = Int.random(in: 1...vocabulary.count, using: &random)
                words.insert(Int.random(in: 0..<bound, using: &random))
            }
            let sorted = words.map { vocabulary[$0] }.sorted()
            let counts = sorted.map { _ in Int.random(in: 1...9, using: &random) }
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                let table = tables[0]
                return SearchCache.Entry(table: table, ids: sorted.map { UInt32(table.terms.firstIndex(of: $0)!) }, counts: counts,
                                         length: size, tail: "")
            case 1:
                let table = tables[1]
                return SearchCache.Entry(table: table, ids: sorted.map { UInt32(table.terms.firstIndex(of: $0)!) }, counts: counts,
                                         length: size, tail: "")
            default:
                return SearchCache.Entry(terms: sorted, counts: counts, length: size, tail: "")
            }
        }
    }

    func testTheMergeEqualsOnePassOverTheDocumentsInOrder() {
        // 0 and 1 documents, one run, and several runs of unequal length.
        for (count, seed) in [(0, 1), (1, 2), (300, 3), (600, 4), (2_049, 5), (5_000, 6)] as [(Int, UInt64)] {
            let entries = Self.entries(count: count, seed: seed)
            let expected = Self.onePass(entries)
            let merged = TermMerge(entries)
            XCTAssertEqual(merged.terms, expected.terms, "\(count) documents: terms numbered in order of first use")
            XCTAssertEqual(merged.documentTerms, expected.documents, "\(count) documents: each document's numbers")
            XCTAssertEqual(merged.postings.count, expected.postings.count, "\(count) documents")
            for (term, (got, want)) in zip(merged.postings, expected.postings).enumerated() {
                XCTAssertTrue(got.elementsEqual(want, by: { $0.doc == $1.doc && $0.tf == $1.tf }), "\(count) documents: postings of \(term)")
            }
            if count >= 2 * TermMerge.runLength {
                XCTAssertGreaterThan(Set(expected.terms).count, 1000, "the vocabulary is spread over the runs")
            }
        }
    }
}

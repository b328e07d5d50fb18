import InquestCore

/// The search index's terms numbered in order of first use (documents in id order, each
/// document's terms in its entry's order), each term's postings (documents ascending) and each
/// document's term numbers: exactly what one pass over the documents gives, gathered on all cores.
///
/// One pass hashed a term per posting on one core (3 million at 10,000 documents): the index's
/// longest serial stretch of a cold build. Here runs of consecutive documents are numbered on
/// their own, in parallel; then each run's terms, in the order the run first used them, get
/// their numbers across the archive (a term new to the archive the next one), so a term is
/// numbered where the archive first uses it, as before, and only each run's distinct terms are
/// hashed again. Postings are appended run by run, so documents stay ascending.
struct TermMerge {
    /// Terms by number.
    private(set) var terms: [String] = []
    /// Postings by term number, documents ascending.
    private(set) var postings: [[(doc: Int, tf: Int)]] = []
    /// Each document's term numbers, in its entry's order.
    private(set) var documentTerms: [[UInt32]] = []

    /// Documents per run: enough for a run's own numbering to pay for hashing its distinct
    /// terms again.
    static let runLength = 256

    init(_ entries: consuming [SearchCache.Entry]) {
        let count = entries.count
        let runs = max(1, min(8, count / Self.runLength))
        let size = max(1, (count + runs - 1) / runs)
        let ranges = stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
        let all = consume entries
        let frequencies = all.map(\.counts)
        let locals = parallelMap(ranges) { LocalTerms(all, $0) }
        // The entries' terms are numbered: let go of (millions of strings) before the rest.
        _ = consume all
        // Each run's terms, in the order the run first used them, numbered across the archive.
        var termIDs: [String: Int] = [:]
        var maps: [[UInt32]] = []
        maps.reserveCapacity(locals.count)
        for local in locals {
            var map: [UInt32] = []
            map.reserveCapacity(local.terms.count)
            for term in local.terms {
                if let known = termIDs[term] {
                    map.append(UInt32(known))
                } else {
                    termIDs[term] = terms.count
                    map.append(UInt32(terms.count))
                    terms.append(term)
                }
            }
            maps.append(map)
        }
        let numbered = Array(zip(locals.map(\.numbers), maps))
        documentTerms = parallelMap(numbered) { numbers, map in numbers.map { $0.map { map[Int($0)] } } }.flatMap { $0 }
        // Postings in document order, each list made at its final size (no list grown step by
        // step: less memory than one pass's growing lists, at the build's peak).
        var frequency = [Int](repeating: 0, count: terms.count)
        for numbers in documentTerms { for term in numbers { frequency[Int(term)] += 1 } }
        postings = frequency.map { df in
            var list: [(doc: Int, tf: Int)] = []
            list.reserveCapacity(df)
            return list
        }
        for (document, numbers) in documentTerms.enumerated() {
            for (term, tf) in zip(numbers, frequencies[document]) { postings[Int(term)].append((document, tf)) }
        }
    }
}

/// The terms of a run of consecutive documents, numbered in the order the run first uses them.
private struct LocalTerms: Sendable {
    var terms: [String] = []
    /// Each document's local term numbers.
    var numbers: [[UInt32]] = []

    init(_ entries: [SearchCache.Entry], _ range: Range<Int>) {
        var ids: [String: Int] = [:]
        numbers.reserveCapacity(range.count)
        // A cached entry names its terms by position in its cache's table: each position is
        // mapped to a number once, not hashed per term (entries loaded from one file share one
        // table; another table, rare, starts a new mapping).
        var mappedTable: SearchCache.TermTable?
        var mapped: [Int] = []
        for id in range {
            let entry = entries[id]
            var own: [UInt32] = []
            own.reserveCapacity(entry.counts.count)
            if let table = entry.table {
                if mappedTable !== table {
                    mappedTable = table
                    mapped = Array(repeating: -1, count: table.terms.count)
                }
                for position in entry.ids {
                    var term = mapped[Int(position)]
                    if term < 0 {
                        term = number(table.terms[Int(position)], &ids)
                        mapped[Int(position)] = term
                    }
                    own.append(UInt32(term))
                }
            } else {
                for text in entry.terms { own.append(UInt32(number(text, &ids))) }
            }
            numbers.append(own)
        }
    }

    private mutating func number(_ term: String, _ ids: inout [String: Int]) -> Int {
        if let known = ids[term] { return known }
        ids[term] = terms.count
        terms.append(term)
        return terms.count - 1
    }
}

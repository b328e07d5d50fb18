import InquestCore

/// Counts the index terms (``SearchText/terms(_:)``) of the documents one thread enters one after
/// the other, without a `String` or a seeded hash per word.
///
/// Tokenizing, stemming and counting made a `String` of every word, hashed it into a stop-word
/// set and into the document's counts, and stemmed it, for every occurrence: most of the search
/// index's time in a cold build. Here each distinct word is found by an FNV-1a hash of its bytes
/// in an open-addressing table of the words seen so far (by this counter: a run of documents),
/// which remembers its term — stop word, or the number of its stem — so a word is stemmed once
/// per run, not once per occurrence; a document's counts are kept by term number.
///
/// The terms are numbered in the order the run first uses them; ``table`` names them for the
/// entries (``SearchCache/Entry/init(table:ids:counts:length:tail:)``), so merging the runs
/// (``TermMerge``) hashes each run's distinct terms once rather than every posting.
struct SearchTermCounter {
    /// The run's terms by number.
    private(set) var terms: [String] = []
    private var termNumbers: [String: Int32] = [:]
    /// Each term's first eight bytes, big-endian, zero-padded: for ASCII terms (all of them:
    /// words are `[a-z0-9]`, filters ASCII too) their order is the terms' `String` order up to a
    /// tie, so sorting compares integers (`UInt64.max`: not ASCII, compared as `String`s).
    private var prefixes: [UInt64] = []

    /// Distinct words: their bytes (one after the other), where each starts, its hash and its
    /// term (-1: a stop word).
    private var wordBytes: [UInt8] = []
    private var wordStarts: [Int] = [0]
    private var wordHashes: [UInt64] = []
    private var wordTerms: [Int32] = []
    /// Open addressing: word number + 1 by hash, 0 for empty; a power of two long.
    private var slots: [Int32] = Array(repeating: 0, count: 1024)

    /// The current document's weighted count of each term, and the terms it has touched.
    private var counts: [Int] = []
    private var touched: [Int32] = []

    /// Adds the terms of `text`, `weight` for each occurrence, to the current document.
    /// - Returns: how many terms (occurrences, stop words left out) `text` has.
    mutating func add(_ text: String, weight: Int) -> Int {
        let words = SearchText.Words(text)
        var total = 0
        words.bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for end in words.ends {
                let term = self.term(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                start = end
                guard term >= 0 else { continue }
                let number = Int(term)
                if counts[number] == 0 { touched.append(term) }
                counts[number] += weight
                total += 1
            }
        }
        return total
    }

    /// Sets term `term`'s count in the current document to `count` (a filter: `service:api`).
    mutating func set(_ term: String, count: Int) {
        let number = self.number(term)
        if counts[Int(number)] == 0 { touched.append(number) }
        counts[Int(number)] = count
    }

    /// The current document's terms and weighted counts, by term in `String` order (term
    /// numbers into ``terms``), and a new document begun.
    mutating func finishDocument() -> (ids: [UInt32], counts: [Int]) {
        let terms = self.terms, prefixes = self.prefixes
        let order = touched.sorted { a, b in
            let x = prefixes[Int(a)], y = prefixes[Int(b)]
            if x != y, x != .max, y != .max { return x < y }
            return terms[Int(a)] < terms[Int(b)]
        }
        let out = (order.map { UInt32($0) }, order.map { counts[Int($0)] })
        for term in touched { counts[Int(term)] = 0 }
        touched.removeAll(keepingCapacity: true)
        return out
    }

    /// The term of one word (-1 for a stop word), from the table or worked out and remembered.
    private mutating func term(_ word: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = StableHash.value(word)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let entry = Int(slots[slot]) - 1
            if entry < 0 { break }
            if wordHashes[entry] == hash, sameBytes(entry, word) { return wordTerms[entry] }
            slot = (slot + 1) & mask
        }
        // A new word: its term, then its slot (the table is kept at most half full).
        var term: Int32 = -1
        if let stem = Self.stemmedTerm(word) { term = number(stem) }
        wordBytes.append(contentsOf: word)
        wordStarts.append(wordBytes.count)
        wordHashes.append(hash)
        wordTerms.append(term)
        slots[slot] = Int32(wordTerms.count)
        if wordTerms.count * 2 > slots.count { grow() }
        return term
    }

    private func sameBytes(_ entry: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = wordStarts[entry], end = wordStarts[entry + 1]
        guard end - start == word.count else { return false }
        return wordBytes.withUnsafeBufferPointer { stored in
            var index = 0
            while index < word.count {
                if stored[start + index] != word[index] { return false }
                index += 1
            }
            return true
        }
    }

    private mutating func grow() {
        var grown = [Int32](repeating: 0, count: slots.count * 2)
        let mask = grown.count - 1
        for (entry, hash) in wordHashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = Int32(entry + 1)
        }
        slots = grown
    }

    /// The number of `term`, numbered now if the run has not used it yet.
    private mutating func number(_ term: String) -> Int32 {
        if let known = termNumbers[term] { return known }
        let number = Int32(terms.count)
        termNumbers[term] = number
        terms.append(term)
        prefixes.append(Self.prefix(term))
        counts.append(0)
        return number
    }

    /// ``prefixes``' entry for `term` (ASCII bytes are below 0x80, so no ASCII term makes `.max`).
    private static func prefix(_ term: String) -> UInt64 {
        var value: UInt64 = 0
        var index = 0
        for byte in term.utf8 {
            // A later non-ASCII byte (a combining mark) may change an earlier character's order.
            guard byte < 0x80 else { return .max }
            if index < 8 { value |= UInt64(byte) << UInt64(56 - 8 * index) }
            index += 1
        }
        return value
    }

    /// The stem of a word, nil for a stop word (as ``SearchText/terms(_:)`` decides).
    private static func stemmedTerm(_ word: UnsafeBufferPointer<UInt8>) -> String? { SearchText.term(ofWord: Array(word)) }
}

import Foundation

/// Finds root-cause texts that read alike: TF-IDF cosine over content words and word pairs,
/// with an inverted index so each document is compared only with documents sharing a
/// distinctive term (no all-pairs pass).
///
/// Threshold: pairs scoring at least ``threshold`` are "similar". It was tuned on the labelled
/// pairs in `SimilarityTests`, measured inside one 24-text archive: six paraphrases of one
/// mechanism scored 0.27–0.43 (0.26–0.44 as two-document archives), five unrelated root causes
/// 0.00–0.03, so 0.20 leaves a margin on both sides. Two texts that share only a boilerplate
/// opening score 0.42 while that opening is unique to them, and drop below the threshold once it
/// is common in the archive (the IDF weighting; tested with 40 such documents). Terms found in
/// more than a tenth of a large archive (and at least 50 documents) do not generate candidates:
/// such boilerplate cannot make two texts similar, and skipping it keeps the pass near-linear.
public struct SimilarityIndex: Sendable {
    public static let threshold = 0.20
    /// The K of the IDF prior (see `init`).
    static let backgroundDocuments = 20.0

    public struct Match: Sendable, Equatable {
        public var index: Int
        public var score: Double
    }

    /// For each document, the documents at or above the threshold, best first (ties by index);
    /// built with a `keep` filter (as ``Archive`` builds it), only the pairs the filter keeps.
    public let neighbours: [[Match]]

    public init(texts: [String]) {
        self.init(texts: texts, threshold: Self.threshold)
    }

    init(texts: [String], threshold: Double) {
        self.init(bags: parallelMap(texts) { Self.sortedTerms($0) }, threshold: threshold)
    }

    /// A text's terms sorted by term: what the index is built from, and what the lint cache keeps
    /// per document so a warm run does not read the text again.
    ///
    /// Sorted because a dictionary's order changes from process to process (seeded hashing),
    /// and term order decides the order of the floating-point sums below, so unsorted bags
    /// could move a score by an ulp across the threshold from one run to the next.
    static func sortedTerms(_ text: String) -> [(key: String, value: Int)] {
        var text = text
        if let terms = text.withUTF8({ asciiSortedTerms($0) }) { return terms }
        return terms(text).sorted { $0.key < $1.key }
    }

    /// ``sortedTerms(_:)`` of an all-ASCII text (nil for any other), without a `String` or a hash
    /// per word: the stemmed words and the pairs are written as bytes into one buffer, sorted as
    /// bytes (the order of ASCII strings) and counted in runs; a `String` is made once per
    /// distinct term. The same words, stems, pairs and counts as ``asciiWords(_:)`` and `bag`.
    static func asciiSortedTerms(_ bytes: UnsafeBufferPointer<UInt8>) -> [(key: String, value: Int)]? {
        var store: [UInt8] = []
        store.reserveCapacity(bytes.count * 2 + 16)
        var words: [Range<Int>] = []
        var wordStart = -1
        for byte in bytes {
            if byte >= 0x80 { return nil }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                if wordStart < 0 { wordStart = store.count }
                store.append(lower)
            } else if wordStart >= 0 {
                endWord(&store, &words, wordStart)
                wordStart = -1
            }
        }
        if wordStart >= 0 { endWord(&store, &words, wordStart) }
        // Terms: every word, then every adjacent pair "a b" written after the words.
        var terms = words
        terms.reserveCapacity(words.count * 2)
        for index in words.indices.dropFirst() {
            let start = store.count
            // Byte by byte: appending a slice of `store` to itself would copy the whole buffer.
            for k in words[index - 1] { store.append(store[k]) }
            store.append(UInt8(ascii: " "))
            for k in words[index] { store.append(store[k]) }
            terms.append(start..<store.count)
        }
        return store.withUnsafeBufferPointer { store -> [(key: String, value: Int)] in
            func less(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                let common = min(a.count, b.count)
                let order = memcmp(store.baseAddress! + a.lowerBound, store.baseAddress! + b.lowerBound, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
            func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                a.count == b.count && memcmp(store.baseAddress! + a.lowerBound, store.baseAddress! + b.lowerBound, a.count) == 0
            }
            // Sorted by the first eight bytes packed big-endian (zero-padded: no term holds a zero
            // byte, so a prefix sorts first), the bytes compared only on a tie.
            var keyed: [(key: UInt64, range: Range<Int>)] = terms.map { range in
                var key: UInt64 = 0
                for k in 0..<8 { key = key << 8 | UInt64(k < range.count ? store[range.lowerBound + k] : 0) }
                return (key, range)
            }
            keyed.sort { $0.key != $1.key ? $0.key < $1.key : less($0.range, $1.range) }
            var result: [(key: String, value: Int)] = []
            result.reserveCapacity(keyed.count)
            var index = 0
            while index < keyed.count {
                var end = index + 1
                while end < keyed.count, keyed[end].key == keyed[index].key, same(keyed[index].range, keyed[end].range) { end += 1 }
                result.append((String(decoding: UnsafeBufferPointer(rebasing: store[keyed[index].range]), as: UTF8.self), end - index))
                index = end
            }
            return result
        }
    }

    /// Ends the word written at `store[wordStart...]`: drops it when shorter than three letters or
    /// a stop word, else stems it in place (``asciiStem(_:)``) and records it.
    private static func endWord(_ store: inout [UInt8], _ words: inout [Range<Int>], _ wordStart: Int) {
        let length = store.count - wordStart
        guard length >= 3, !isASCIIStopWord(store, wordStart, length) else { store.removeLast(length); return }
        func hasSuffix(_ suffix: StaticString, _ store: [UInt8]) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard length >= count else { return false }
            return suffix.withUTF8Buffer { suffix in
                var k = 0
                while k < count, store[store.count - count + k] == suffix[k] { k += 1 }
                return k == count
            }
        }
        if !hasSuffix("ss", store) {
            for (suffix, y) in stemSuffixes {
                let count = suffix.utf8CodeUnitCount
                if length > count + 3, hasSuffix(suffix, store) {
                    store.removeLast(count)
                    if y { store.append(UInt8(ascii: "y")) }
                    break
                }
            }
        }
        words.append(wordStart..<store.count)
    }

    /// The suffixes ``asciiStem(_:)`` removes, in its order, and whether `y` replaces the suffix.
    private static let stemSuffixes: [(StaticString, Bool)] = [("ies", true), ("ing", false), ("ed", false), ("es", false), ("s", false)]

    /// ``stopWords`` as bytes, by length: what ``asciiSortedTerms(_:)`` compares a word with.
    private static let asciiStopWords: [[[UInt8]]] = {
        var table = Array(repeating: [[UInt8]](), count: 16)
        for word in stopWords where word.utf8.count < 16 { table[word.utf8.count].append(Array(word.utf8)) }
        return table
    }()

    /// Whether `store[start..<start + length]` is a stop word.
    private static func isASCIIStopWord(_ store: [UInt8], _ start: Int, _ length: Int) -> Bool {
        guard length < 16 else { return stopWords.contains(String(decoding: store[start..<(start + length)], as: UTF8.self)) }
        for word in asciiStopWords[length] where word[0] == store[start] {
            var k = 1
            while k < length, word[k] == store[start + k] { k += 1 }
            if k == length { return true }
        }
        return false
    }

    /// The index over precomputed ``sortedTerms(_:)`` bags.
    /// - Parameter only: compute ``neighbours`` for these documents only (the others get none):
    ///   a lint that checks a few documents needs no pass over every pair.
    init(bags: [[(key: String, value: Int)]], threshold: Double = Self.threshold, only: Set<Int>? = nil) {
        // Terms become integer ids once, so the pair pass below touches no strings.
        var table = TermTable()
        let idBags = bags.map { table.ids($0) }
        self.init(idBags: idBags, termCount: table.strings.count, threshold: threshold, only: only)
    }

    /// The index over bags of term ids: each id an index into one table of `termCount` terms
    /// shared by every bag (which id a term gets does not matter), each bag in its terms' string
    /// order (the order of the floating-point sums).
    /// - Parameter keep: `keep(a, b)` says whether `b` is worth listing among `a`'s neighbours
    ///   (nil: every pair at or above the threshold). Asked only for pairs that reach the
    ///   threshold; the kept lists are the full lists with the other pairs left out, same order.
    init(idBags: [[(term: Int, count: Int)]], termCount: Int, threshold: Double = Self.threshold, only: Set<Int>? = nil,
         keep: ((Int, Int) -> Bool)? = nil) {
        self.init(idBags: idBags, termCount: termCount, threshold: threshold, only: only, filter: keep.map(PairFilter.closure))
    }

    /// Which pairs the lists keep: those a closure accepts, or (what ``Archive`` asks for) an
    /// earlier incident sharing no group with the document (``Archive/similarityKeeps``).
    enum PairFilter {
        case closure((Int, Int) -> Bool)
        /// `b` is kept among `a`'s neighbours when `rank[b] < rank[a]` (ranks are distinct) and
        /// the two share no id of `groups` (each document's distinct cause ids).
        case earlierSharingNoGroup(rank: [Int], groups: [[Int32]])

        func keeps(_ a: Int, _ b: Int) -> Bool {
            switch self {
            case let .closure(keep): return keep(a, b)
            case let .earlierSharingNoGroup(rank, groups):
                guard rank[b] < rank[a] else { return false }
                for group in groups[a] where groups[b].contains(group) { return false }
                return true
            }
        }
    }

    init(idBags: [[(term: Int, count: Int)]], termCount: Int, threshold: Double = Self.threshold, only: Set<Int>? = nil,
         filter: PairFilter?) {
        var documentFrequency = Array(repeating: 0, count: termCount)
        for bag in idBags { for entry in bag { documentFrequency[entry.term] += 1 } }
        let candidateCutoff = Self.candidateCutoff(documentCount: idBags.count)
        if let only {
            // Just the documents holding a term the documents in `only` can match on need a vector.
            let queried = Self.queriedTerms(only.filter { $0 < idBags.count }.map { idBags[$0] }, documentFrequency: documentFrequency,
                                            cutoff: candidateCutoff)
            var relevant: [(index: Int, bag: [(term: Int, count: Int)])] = []
            for (index, bag) in idBags.enumerated() where only.contains(index) || bag.contains(where: { queried[$0.term] }) {
                relevant.append((index, bag))
            }
            neighbours = Self.neighbours(documentCount: idBags.count, documentFrequency: documentFrequency, relevant: relevant,
                                         only: only, threshold: threshold, keep: filter.map { filter in { filter.keeps($0, $1) } })
            return
        }
        // Weighted, normalised vectors.
        var weights = Weights(documentCount: idBags.count, termCount: termCount)
        let vectors = idBags.map { weights.vector($0, documentFrequency: documentFrequency) }
        neighbours = Self.allPairs(vectors: vectors, documentFrequency: documentFrequency, cutoff: candidateCutoff,
                                   threshold: threshold, filter: filter).neighbours
    }

    /// The pass over every pair sharing a candidate term (see the type's documentation).
    ///
    /// Each pair is scored once, from the side of the document that comes first, and recorded on
    /// both sides: the score is the same sum either way (both bags list their terms in string
    /// order, so the shared terms are added in the same order, and each product is commutative),
    /// and the candidates of the most common terms number in the hundreds at 10,000 documents, so
    /// this halves the pass that grows with N². Postings are flat arrays read through pointers:
    /// this loop is the one part of a cold lint that grows with N², run on one core between the
    /// parallel parse and the rules.
    ///
    /// With ``PairFilter/earlierSharingNoGroup(rank:groups:)`` (the archive's filter), documents
    /// are taken grouped by their first group (a document's first cause), so each term's postings
    /// are runs of one first group: a run whose group the document being scored also has is
    /// skipped whole, since no pair in it can be kept. At 10,000 documents two thirds of the
    /// candidate pairs share a cause, most of them their first; the rest are summed and the filter
    /// settles them at the threshold. The order documents are taken in changes neither a score nor
    /// a list (the lists are sorted at the end).
    /// - Returns: the lists, and how many postings were skipped in runs (for tests).
    static func allPairs(vectors: [[(term: Int, weight: Double)]], documentFrequency: [Int], cutoff: Int, threshold: Double,
                         filter: PairFilter?) -> (neighbours: [[Match]], skipped: Int) {
        let documentCount = vectors.count
        let termCount = documentFrequency.count
        var rank: [Int] = []
        var groups: [[Int32]] = []
        var order = Array(0..<documentCount)
        var first = [Int32](repeating: -1, count: documentCount)
        if case let .earlierSharingNoGroup(ranks, groupIDs) = filter {
            rank = ranks
            groups = groupIDs
            for index in 0..<documentCount { first[index] = groupIDs[index].first ?? -1 }
            order.sort { first[$0] != first[$1] ? first[$0] < first[$1] : $0 < $1 }
        }
        // Postings: the entries of term t are postingDocument/postingWeight[start[t]..<start[t + 1]],
        // in `order`.
        var start = [Int](repeating: 0, count: termCount + 1)
        for vector in vectors { for entry in vector where documentFrequency[entry.term] <= cutoff { start[entry.term + 1] += 1 } }
        for term in 0..<termCount { start[term + 1] += start[term] }
        let total = start[termCount]
        var postingDocument = [Int32](repeating: 0, count: total)
        var postingWeight = [Double](repeating: 0, count: total)
        var cursor = Array(start.dropLast())
        for index in order {
            for entry in vectors[index] where documentFrequency[entry.term] <= cutoff {
                postingDocument[cursor[entry.term]] = Int32(truncatingIfNeeded: index)
                postingWeight[cursor[entry.term]] = entry.weight
                cursor[entry.term] += 1
            }
        }
        // Runs: term t's runs of one first group are runStart/runGroup[runOffset[t]..<runOffset[t + 1]].
        var runOffset = [Int](repeating: 0, count: termCount + 1)
        var runStart: [Int] = []
        var runGroup: [Int32] = []
        for term in 0..<termCount {
            for position in start[term]..<start[term + 1]
            where position == start[term] || first[Int(postingDocument[position])] != first[Int(postingDocument[position - 1])] {
                runStart.append(position)
                runGroup.append(first[Int(postingDocument[position])])
            }
            runOffset[term + 1] = runStart.count
        }
        // Where the document being scored sits in each term's postings (the documents after it
        // follow), and the run it sits in.
        cursor = Array(start.dropLast())
        var run = Array(runOffset.dropLast())
        var skipped = 0

        var neighbours: [[Match]] = Array(repeating: [], count: documentCount)
        // Dense score accumulator plus the list of touched entries: no hashing in the inner loop.
        var scores = [Double](repeating: 0, count: documentCount)
        // The documents touched for the one being scored, written without a branch (the slot after
        // the last is written every time, and kept when the score was 0): every weight is positive
        // (a term's count and its idf are), so a document's score leaves 0 at its first product
        // and each document is listed at most once.
        let touched = UnsafeMutablePointer<Int32>.allocate(capacity: documentCount + 1)
        defer { touched.deallocate() }
        var touchedCount = 0
        let noGroups: [Int32] = []
        postingDocument.withUnsafeBufferPointer { postingDocument in
        postingWeight.withUnsafeBufferPointer { postingWeight in
        scores.withUnsafeMutableBufferPointer { scores in
            for index in order {
                let own = groups.isEmpty ? noGroups : groups[index]
                for entry in vectors[index] where documentFrequency[entry.term] <= cutoff {
                    let term = entry.term
                    let mine = cursor[term]
                    cursor[term] = mine + 1
                    let end = start[term + 1]
                    let lastRun = runOffset[term + 1]
                    var current = run[term]
                    while current + 1 < lastRun, runStart[current + 1] <= mine { current += 1 }
                    run[term] = current
                    let weight = entry.weight
                    var position = mine + 1
                    while position < end {
                        let runEnd = current + 1 < lastRun ? runStart[current + 1] : end
                        if own.contains(runGroup[current]) {
                            skipped += runEnd - position
                            position = runEnd
                        } else {
                            while position < runEnd {
                                let other = postingDocument[position]
                                let score = scores[Int(other)]
                                touched[touchedCount] = other
                                touchedCount &+= score == 0 ? 1 : 0
                                scores[Int(other)] = score + weight * postingWeight[position]
                                position += 1
                            }
                        }
                        current += 1
                    }
                }
                for slot in 0..<touchedCount {
                    let other = Int(touched[slot])
                    let score = scores[other]
                    if score >= threshold {
                        switch filter {
                        case nil:
                            neighbours[index].append(Match(index: other, score: score))
                            neighbours[other].append(Match(index: index, score: score))
                        case let .closure(keep):
                            // At 10,000 documents a document of a common cause has hundreds of
                            // neighbours, nearly all of its own cause: `keep` leaves those lists
                            // (and their sorts) out.
                            if keep(index, other) { neighbours[index].append(Match(index: other, score: score)) }
                            if keep(other, index) { neighbours[other].append(Match(index: index, score: score)) }
                        case .earlierSharingNoGroup:
                            // Exactly one of the two is the earlier incident (ranks are distinct).
                            if !Self.shareGroup(own, groups[other]) {
                                if rank[other] < rank[index] {
                                    neighbours[index].append(Match(index: other, score: score))
                                } else {
                                    neighbours[other].append(Match(index: index, score: score))
                                }
                            }
                        }
                    }
                    scores[other] = 0
                }
                touchedCount = 0
            }
        }
        }
        }
        for index in neighbours.indices where neighbours[index].count > 1 {
            neighbours[index].sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        }
        return (neighbours, skipped)
    }

    private static func shareGroup(_ a: [Int32], _ b: [Int32]) -> Bool {
        for group in a where b.contains(group) { return true }
        return false
    }

    /// TF-IDF cosine of `texts[a]` and `texts[b]` within the corpus `texts`, for tests and tuning.
    public static func score(_ a: String, _ b: String, corpus: [String] = []) -> Double {
        let index = SimilarityIndex(texts: [a, b] + corpus, threshold: -1)
        return index.neighbours[0].first { $0.index == 1 }?.score ?? 0
    }

    /// Words that carry no meaning of their own in a root-cause analysis.
    static let stopWords: Set<String> = [
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from", "as", "is", "was",
        "were", "are", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their", "they",
        "we", "our", "which", "who", "what", "when", "where", "why", "how", "not", "no", "had", "has", "have", "did", "does",
        "do", "so", "than", "then", "into", "onto", "over", "under", "after", "before", "because", "while", "during",
        "also", "only", "any", "all", "each", "every", "some", "more", "most", "other", "such", "can", "could", "would",
        "should", "may", "might", "will", "one", "two", "root", "cause", "causes", "caused", "contributing", "factor",
        "factors", "incident", "system", "made", "possible", "why", "whys", "five",
    ]

    /// Content words (lightly stemmed) and adjacent pairs of them, with counts.
    ///
    /// Reads Unicode scalars lowercased one at a time (what `String.lowercased()` does) and
    /// collects ASCII words as bytes, so a String is made once per word rather than grown scalar by
    /// scalar; Unicode properties are asked only for non-ASCII scalars.
    static func terms(_ text: String) -> [String: Int] {
        var text = text
        if let words = text.withUTF8({ asciiWords($0) }) { return bag(of: words) }
        return termsByScalars(text)
    }

    /// ``terms(_:)`` read scalar by scalar: the definition, and the path of non-ASCII texts.
    static func termsByScalars(_ text: String) -> [String: Int] {
        var words: [String] = []
        var ascii: [UInt8] = []
        var unicode = ""            // the current word once it holds a non-ASCII scalar
        var isUnicode = false
        func flush() {
            let word: String
            if isUnicode {
                word = unicode
            } else {
                guard ascii.count >= 3 else { ascii.removeAll(keepingCapacity: true); return }
                word = String(decoding: ascii, as: UTF8.self)
            }
            if word.count >= 3, !stopWords.contains(word) { words.append(stem(word)) }
            ascii.removeAll(keepingCapacity: true)
            unicode = ""
            isUnicode = false
        }
        func add(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            if value < 0x80 {
                // ASCII: letters and digits are the alphabetic and numeric scalars.
                let byte = UInt8(value)
                let isWord = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                guard isWord else { flush(); return }
                if isUnicode { unicode.unicodeScalars.append(scalar) } else { ascii.append(byte) }
                return
            }
            // Unicode properties, not CharacterSet: this runs on several threads, and Foundation's
            // shared character sets are not safe to query concurrently on Linux.
            guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { flush(); return }
            if !isUnicode {
                unicode = String(decoding: ascii, as: UTF8.self)
                ascii.removeAll(keepingCapacity: true)
                isUnicode = true
            }
            unicode.unicodeScalars.append(scalar)
        }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                add(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar)
            } else if !scalar.properties.changesWhenLowercased {
                add(scalar)
            } else {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { add(lower) }
            }
        }
        flush()
        return bag(of: words)
    }

    /// Words and adjacent pairs with counts.
    private static func bag(of words: [String]) -> [String: Int] {
        var bag: [String: Int] = [:]
        bag.reserveCapacity(2 * words.count)
        for (index, word) in words.enumerated() {
            bag[word, default: 0] += 1
            if index > 0 { bag[words[index - 1] + " " + word, default: 0] += 1 }
        }
        return bag
    }

    /// The stemmed content words of an all-ASCII text, read on its bytes (nil when a byte is not
    /// ASCII): what the scalar walk in ``terms(_:)`` finds for such a text, where a letter or digit
    /// is `[a-z0-9]` after lower-casing and every word is as many Characters as bytes.
    static func asciiWords(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        var words: [String] = []
        words.reserveCapacity(bytes.count / 6)
        var word: [UInt8] = []
        word.reserveCapacity(32)
        func flush() {
            defer { word.removeAll(keepingCapacity: true) }
            guard word.count >= 3 else { return }
            let string = String(decoding: word, as: UTF8.self)
            if !stopWords.contains(string) { words.append(asciiStem(word) ?? string) }
        }
        for byte in bytes {
            if byte >= 0x80 { return nil }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                word.append(lower)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// ``stem(_:)`` on the bytes of an ASCII word; nil when the word stays as it is.
    private static func asciiStem(_ word: [UInt8]) -> String? {
        let count = word.count
        func hasSuffix(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard count >= length else { return false }
            return suffix.withUTF8Buffer { suffix in
                var k = 0
                while k < length, word[count - length + k] == suffix[k] { k += 1 }
                return k == length
            }
        }
        guard !hasSuffix("ss") else { return nil }
        for (suffix, replacement) in [("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")] as [(StaticString, String)] {
            let length = suffix.utf8CodeUnitCount
            if count > length + 3, hasSuffix(suffix) {
                return String(decoding: word[..<(count - length)], as: UTF8.self) + replacement
            }
        }
        return nil
    }

    static func stem(_ word: String) -> String {
        for (suffix, replacement) in [("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")]
        where word.hasSuffix(suffix) && word.count > suffix.count + 3 && !word.hasSuffix("ss") {
            return String(word.dropLast(suffix.count)) + replacement
        }
        return word
    }
}

/// Term strings to the integer ids ``SimilarityIndex`` works with; the lint cache stores bags as
/// ids into one such table. Ids are given in first-seen order.
///
/// Every term of every document is looked up here one after another (at 10,000 documents a
/// million look-ups, on one core), so ASCII terms — nearly all of them — are found by an FNV-1a
/// hash of their bytes in an open-addressing table rather than by `String` hashing: two ASCII
/// strings are equal exactly when their bytes are. Other terms keep a dictionary; no term with
/// a non-ASCII scalar equals an ASCII one (terms are lower-cased letters and digits, and the only
/// letter canonically equivalent to an ASCII one, U+212A KELVIN SIGN, lower-cases to `k`).
struct TermTable {
    private(set) var strings: [String] = []
    /// Ids of the ASCII terms by hash: -1 empty. A power of two, at most half full.
    private var slots = [Int32](repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var filled = 0
    /// Ids of the other terms.
    private var others: [String: Int] = [:]

    init() {}

    init(_ strings: [String]) {
        self.strings.reserveCapacity(strings.count)
        for string in strings {
            // A repeated string keeps its first id, and still takes a place (ids are positions).
            let hash = Self.hash(string)
            append(string, hash: hash, indexed: find(string, hash: hash) == nil)
        }
    }

    mutating func id(_ term: String) -> Int {
        let hash = Self.hash(term)
        if let known = find(term, hash: hash) { return known }
        append(term, hash: hash, indexed: true)
        return strings.count - 1
    }

    mutating func ids(_ bag: [(key: String, value: Int)]) -> [(term: Int, count: Int)] {
        bag.map { (id($0.key), $0.value) }
    }

    /// FNV-1a of an ASCII string's bytes; nil when it holds a non-ASCII byte.
    private static func hash(_ string: String) -> UInt64? {
        var string = string
        return string.withUTF8 { bytes -> UInt64? in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                if byte >= 0x80 { return nil }
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return hash
        }
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, mask: Int) -> Int { Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask }

    private func find(_ term: String, hash: UInt64?) -> Int? {
        guard let hash else { return others[term] }
        let mask = slots.count - 1
        var index = Self.slot(hash, mask: mask)
        while slots[index] >= 0 {
            let id = Int(slots[index])
            if hashes[id] == hash, strings[id] == term { return id }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Adds `term` as the next id; `indexed` false for a repeat (found under its first id).
    private mutating func append(_ term: String, hash: UInt64?, indexed: Bool) {
        let id = strings.count
        strings.append(term)
        hashes.append(hash ?? 0)
        guard indexed else { return }
        guard let hash else {
            others[term] = id
            return
        }
        if (filled + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = Self.slot(hash, mask: mask)
        while slots[index] >= 0 { index = (index + 1) & mask }
        slots[index] = Int32(truncatingIfNeeded: id)
        filled += 1
    }

    private mutating func grow() {
        let old = slots
        slots = [Int32](repeating: -1, count: old.count * 2)
        let mask = slots.count - 1
        for id in old where id >= 0 {
            var index = Self.slot(hashes[Int(id)], mask: mask)
            while slots[index] >= 0 { index = (index + 1) & mask }
            slots[index] = id
        }
    }
}

/// The text a Root Causes section contributes to similarity.
enum RootCauseText {
    static func of(_ section: Section) -> String {
        section.contentBlocks.map(\.plainText).joined(separator: " ")
    }
}

import Foundation

/// The similarity pass for a few documents (`lint FILE`, `--staged`): only the documents that
/// share a candidate term with them get a vector. Shared by ``SimilarityIndex/init(idBags:termCount:threshold:only:)``
/// and the lint cache, which hands in the document frequencies it keeps and the bags of just the
/// documents that matter, so a one-file lint neither decodes nor weighs every document's terms.
extension SimilarityIndex {
    init(neighbours: [[Match]]) {
        self.neighbours = neighbours
    }

    /// TF-IDF weights, each logarithm computed once per term and per count: the same values as
    /// computing them for every entry, without a log call per entry.
    struct Weights {
        let count: Double
        private var inverse: [Double]
        private let frequency: [Double] = (0..<64).map { 1 + log(Double($0)) }

        init(documentCount: Int, termCount: Int) {
            count = Double(max(1, documentCount))
            inverse = Array(repeating: .nan, count: termCount)
        }

        /// log((N+K)/df) with K imagined unrelated documents: a term in every document of a
        /// large archive weighs little (boilerplate), while in a small archive a word shared by
        /// two texts is not mistaken for boilerplate.
        mutating func inverseFrequency(_ term: Int, documentFrequency: [Int]) -> Double {
            var idf = inverse[term]
            if idf.isNaN {
                idf = log((count + SimilarityIndex.backgroundDocuments) / Double(documentFrequency[term]))
                inverse[term] = idf
            }
            return idf
        }

        /// 1 + log(count): a term's weight grows slowly with its count.
        func termFrequency(_ count: Int) -> Double {
            count >= 0 && count < frequency.count ? frequency[count] : 1 + log(Double(count))
        }

        /// A term's weight before normalisation.
        mutating func weight(term: Int, count: Int, documentFrequency: [Int]) -> Double {
            termFrequency(count) * inverseFrequency(term, documentFrequency: documentFrequency)
        }

        /// The length a bag's vector is divided by (the lint cache stores it per document).
        mutating func norm(_ bag: [(term: Int, count: Int)], documentFrequency: [Int]) -> Double {
            var sum = 0.0
            for entry in bag {
                let weight = weight(term: entry.term, count: entry.count, documentFrequency: documentFrequency)
                sum = sum + weight * weight
            }
            return sqrt(sum)
        }

        /// A weight normalised by `norm` (left as it is when the norm is zero).
        static func normalised(_ weight: Double, norm: Double) -> Double { norm > 0 ? weight / norm : weight }

        /// The normalised vector of a bag, in the bag's order.
        mutating func vector(_ bag: [(term: Int, count: Int)], documentFrequency: [Int]) -> [(term: Int, weight: Double)] {
            let norm = norm(bag, documentFrequency: documentFrequency)
            return bag.map { entry in
                (entry.term, Self.normalised(weight(term: entry.term, count: entry.count, documentFrequency: documentFrequency), norm: norm))
            }
        }
    }

    /// The terms the documents of `bags` can match on: those at or below the candidate cutoff.
    static func queriedTerms(_ bags: [[(term: Int, count: Int)]], documentFrequency: [Int], cutoff: Int) -> [Bool] {
        var queried = Array(repeating: false, count: documentFrequency.count)
        for bag in bags { for entry in bag where documentFrequency[entry.term] <= cutoff { queried[entry.term] = true } }
        return queried
    }

    /// The cutoff above which a term generates no candidates (see the type's documentation).
    static func candidateCutoff(documentCount: Int) -> Int { max(50, documentCount / 10) }

    /// Neighbours of the documents in `only`, every other list empty.
    ///
    /// - Parameters:
    ///   - documentCount: documents in the archive (N of the weights).
    ///   - documentFrequency: per term id, how many documents of the archive hold it.
    ///   - relevant: (index, bag) of every document in `only` and every document holding one of
    ///     their ``queriedTerms(_:documentFrequency:cutoff:)``, in index order; others may be
    ///     included and are skipped.
    ///   - weighed: candidates whose normalised weights for the queried terms are already known
    ///     (the lint cache's stored norms), by term: (document, weight); none of them in `relevant`.
    ///   - keep: as in ``SimilarityIndex/init(idBags:termCount:threshold:only:keep:)``.
    static func neighbours(documentCount: Int, documentFrequency: [Int], relevant: [(index: Int, bag: [(term: Int, count: Int)])],
                           weighed: [Int: [(document: Int, weight: Double)]] = [:], only: Set<Int>, threshold: Double,
                           keep: ((Int, Int) -> Bool)? = nil) -> [[Match]] {
        let cutoff = candidateCutoff(documentCount: documentCount)
        let queried = queriedTerms(relevant.filter { only.contains($0.index) }.map(\.bag), documentFrequency: documentFrequency, cutoff: cutoff)
        var weights = Weights(documentCount: documentCount, termCount: documentFrequency.count)
        var vectors: [(index: Int, vector: [(term: Int, weight: Double)])] = []
        var postings = weighed
        for (index, bag) in relevant where only.contains(index) || bag.contains(where: { queried[$0.term] }) {
            let vector = weights.vector(bag, documentFrequency: documentFrequency)
            vectors.append((index, vector))
            for (term, weight) in vector where documentFrequency[term] <= cutoff && queried[term] {
                postings[term, default: []].append((index, weight))
            }
        }
        var neighbours: [[Match]] = Array(repeating: [], count: documentCount)
        let scored = vectors.filter { only.contains($0.index) }
        let candidates = postings
        if keep == nil, scored.count >= 256 {
            // Most documents at once (the lint cache after a Root Causes edit works out every
            // document's list again): each piece on its own core, with its own score table.
            let size = max(64, scored.count / (8 * ProcessInfo.processInfo.activeProcessorCount))
            let pieces = stride(from: 0, to: scored.count, by: size).map { scored[$0..<min(scored.count, $0 + size)] }
            for piece in parallelMap(pieces, { piece in
                Self.score(piece, postings: candidates, documentFrequency: documentFrequency, documentCount: documentCount,
                           cutoff: cutoff, threshold: threshold, keep: nil)
            }) {
                for (index, matches) in piece { neighbours[index] = matches }
            }
        } else {
            for (index, matches) in Self.score(scored[...], postings: candidates, documentFrequency: documentFrequency,
                                               documentCount: documentCount, cutoff: cutoff, threshold: threshold, keep: keep) {
                neighbours[index] = matches
            }
        }
        return neighbours
    }

    /// Each document of `documents` scored against every candidate from its own side: its
    /// matches at or above `threshold`, best first (ties by index).
    private static func score(_ documents: ArraySlice<(index: Int, vector: [(term: Int, weight: Double)])>,
                              postings: [Int: [(document: Int, weight: Double)]], documentFrequency: [Int], documentCount: Int,
                              cutoff: Int, threshold: Double, keep: ((Int, Int) -> Bool)?) -> [(index: Int, matches: [Match])] {
        var out: [(index: Int, matches: [Match])] = []
        out.reserveCapacity(documents.count)
        var scores = Array(repeating: 0.0, count: documentCount)
        var touched: [Int] = []
        for (index, vector) in documents {
            for (term, weight) in vector where documentFrequency[term] <= cutoff {
                for (other, otherWeight) in postings[term] ?? [] where other != index {
                    if scores[other] == 0 { touched.append(other) }
                    scores[other] += weight * otherWeight
                }
            }
            var matches: [Match] = []
            for other in touched {
                if scores[other] >= threshold, keep?(index, other) ?? true { matches.append(Match(index: other, score: scores[other])) }
                scores[other] = 0
            }
            touched.removeAll(keepingCapacity: true)
            out.append((index, matches.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }))
        }
        return out
    }
}

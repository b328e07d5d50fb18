/// The closest candidate by edit distance, for did-you-mean suggestions.
public enum Spelling {
    public static func closest(to word: String, in candidates: some Sequence<String>, maxDistance: Int = 3) -> String? {
        var best: (String, Int)?
        var tied = false
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            guard distance <= maxDistance else { continue }
            if distance < (best?.1 ?? .max) {
                best = (candidate, distance)
                tied = false
            } else if distance == best?.1 {
                tied = true
            }
        }
        // Two equally close candidates ("SEV9": SEV1? SEV4?) make a guess worse than none.
        return tied ? nil : best?.0
    }

    /// Levenshtein distance over Unicode scalars.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

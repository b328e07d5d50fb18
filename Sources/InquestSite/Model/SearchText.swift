import Foundation

/// Words for the search index: folded, lowercased, split on anything but ASCII letters and
/// digits, stop words dropped, stemmed. `site/assets/search.js` does the same at query time;
/// the vectors in Tests/Fixtures/site/stemmer-vectors.txt keep the two in step.
enum SearchText {
    static let stopWords: Set<String> = Set(("a an and are as at be been but by for from had has have in into is it its no not of on or our than that the then "
        + "this to was we were when which with after before").split(separator: " ").map(String.init))

    /// Lowercase ASCII words of `text`, accents folded first ("Zürich" → "zurich").
    ///
    /// Foundation's folding is run only on the stretches of text that are not plain ASCII (it
    /// was most of a cold build's search index): the text is cut between an ASCII character
    /// that is not a letter or digit and a following ASCII character — nothing folds across
    /// such a cut and no word spans it — and pure-ASCII pieces are only lowercased, which is
    /// what folding does to them. Same words as ``wordsFoldingWholeText(_:)`` (tested).
    static func words(_ text: String) -> [String] {
        let words = Words(text)
        return words.ends.indices.map { String(decoding: words.word($0), as: UTF8.self) }
    }

    /// The words of ``words(_:)`` as bytes, one after the other, with where each ends: made in
    /// one pass without a `String` (or a closure) per word.
    struct Words {
        private(set) var bytes: [UInt8] = []
        private(set) var ends: [Int] = []

        init(_ text: String) {
            bytes.reserveCapacity(text.utf8.count)
            var text = text
            text.withUTF8 { source in
                var start = 0
                var plain = true
                var index = 0
                while index <= source.count {
                    defer { index += 1 }
                    if index < source.count {
                        let byte = source[index]
                        if byte >= 0x80 {
                            // Dashes, curly quotes and the ellipsis fold to themselves and are no
                            // word's part: a piece holding only them besides ASCII is scanned as is.
                            if Self.isPlainPunctuation(source, at: index) {
                                index += 2
                            } else {
                                plain = false
                            }
                            continue
                        }
                        guard index > start, !isWordByte(source[index - 1]), source[index - 1] < 0x80 else { continue }
                    }
                    let piece = UnsafeBufferPointer(rebasing: source[start..<index])
                    if plain {
                        scan(piece)
                    } else {
                        scan(fold(String(decoding: piece, as: UTF8.self)).utf8)
                    }
                    start = index
                    plain = true
                }
            }
            if bytes.count > (ends.last ?? 0) { ends.append(bytes.count) }
        }

        /// U+2013, U+2014 (dashes), U+2018, U+2019, U+201C, U+201D (curly quotes), U+2026 (ellipsis) at `index`.
        @inline(__always)
        private static func isPlainPunctuation(_ source: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
            guard source[index] == 0xE2, index + 2 < source.count, source[index + 1] == 0x80 else { return false }
            switch source[index + 2] {
            case 0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6: return true
            default: return false
            }
        }

        private mutating func scan<Bytes: Sequence<UInt8>>(_ piece: Bytes) {
            for var byte in piece {
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    bytes.append(byte)
                } else if bytes.count > (ends.last ?? 0) {
                    ends.append(bytes.count)
                }
            }
        }

        /// Word `index`'s bytes.
        func word(_ index: Int) -> ArraySlice<UInt8> { bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]] }
    }

    /// What ``words(_:)`` returns, folding the whole text at once (the reference for its tests).
    static func wordsFoldingWholeText(_ text: String) -> [String] {
        let folded = fold(text)
        var out: [String] = []
        var current: [UInt8] = []
        for byte in folded.utf8 {
            if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                current.append(byte)
            } else if !current.isEmpty {
                out.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { out.append(String(decoding: current, as: UTF8.self)) }
        return out
    }

    private static func fold(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
    }

    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// Index terms of `text`: words without stop words, stemmed.
    static func terms(_ text: String) -> [String] {
        let words = Words(text)
        var out: [String] = []
        out.reserveCapacity(words.ends.count)
        var word: [UInt8] = []
        word.reserveCapacity(32)
        for index in words.ends.indices {
            let bytes = words.word(index)
            if isStopWord(bytes) { continue }
            word.removeAll(keepingCapacity: true)
            word.append(contentsOf: bytes)
            stem(&word)
            out.append(String(decoding: word, as: UTF8.self))
        }
        return out
    }

    /// The index term of one word of ``Words``: nil for a stop word, else its stem.
    static func term(ofWord word: [UInt8]) -> String? {
        if isStopWord(word[...]) { return nil }
        var stemmed = word
        stem(&stemmed)
        return String(decoding: stemmed, as: UTF8.self)
    }

    /// ``stopWords`` packed into integers (each at most eight bytes), so a word is checked
    /// without making a `String` of it.
    private static let packedStopWords: Set<UInt64> = Set(stopWords.map { packed(Array($0.utf8)[...])! })

    private static func packed(_ word: ArraySlice<UInt8>) -> UInt64? {
        guard word.count <= 8 else { return nil }
        var value: UInt64 = 0
        for byte in word { value = value << 8 | UInt64(byte) }
        return value
    }

    private static func isStopWord(_ word: ArraySlice<UInt8>) -> Bool {
        guard let key = packed(word) else { return false }
        return packedStopWords.contains(key)
    }

    private static let derivational: [([UInt8], [UInt8])] = [
        ("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("ation", "ate"), ("ement", ""), ("ment", ""), ("ness", ""), ("ity", ""), ("ably", "able"), ("ly", ""),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
    private static let undoubled: [UInt8] = Array("bdfgmnprt".utf8)
    private static let inflections: [[UInt8]] = [Array("ing".utf8), Array("ed".utf8)]

    private static func isVowel(_ c: UInt8) -> Bool { c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 }

    /// A small suffix-stripping English stemmer (plurals, -ing/-ed with undoubling, a few
    /// derivational endings, final e and consonant-y): "promoted" and "promotion" → "promot",
    /// "retries" → "retri", "running" → "run". Only lowercase ASCII words longer than three
    /// letters are changed. (Works on one byte array: it runs for every word of every document.)
    static func stem(_ word: String) -> String {
        var w = Array(word.utf8)
        stem(&w)
        return String(decoding: w, as: UTF8.self)
    }

    /// ``stem(_:)`` of the word in `w`, in place.
    private static func stem(_ w: inout [UInt8]) {
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return }
        func ends(_ suffix: [UInt8]) -> Bool {
            guard w.count >= suffix.count else { return false }
            var offset = w.count - suffix.count
            for byte in suffix {
                if w[offset] != byte { return false }
                offset += 1
            }
            return true
        }
        func ends(_ a: UInt8) -> Bool { w.last == a }
        func ends(_ a: UInt8, _ b: UInt8) -> Bool { w.count >= 2 && w[w.count - 2] == a && w[w.count - 1] == b }
        func ends(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool { w.count >= 3 && w[w.count - 3] == a && ends(b, c) }
        func ends(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool { w.count >= 4 && w[w.count - 4] == a && ends(b, c, d) }
        let (e, i, n, o, s, t, u, y) = (UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "o"),
                                        UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "u"), UInt8(ascii: "y"))
        if ends(s, s, e, s) { w.removeLast(2) }
        else if ends(i, e, s), w.count > 4 { w.removeLast(3); w.append(y) }
        else if ends(s), !ends(s, s), !ends(u, s), !ends(i, s) { w.removeLast() }
        for suffix in inflections where ends(suffix) && w.count - suffix.count >= 3 && w[..<(w.count - suffix.count)].contains(where: isVowel) {
            w.removeLast(suffix.count)
            if w.count >= 4, let last = w.last, last == w[w.count - 2], undoubled.contains(last) { w.removeLast() }
            break
        }
        if (ends(s, i, o, n) || ends(t, i, o, n)) && w.count - 3 >= 3 {
            w.removeLast(3)
        } else {
            for (suffix, replacement) in derivational where ends(suffix) && w.count - suffix.count >= 3 {
                w.removeLast(suffix.count)
                w += replacement
                break
            }
        }
        if ends(e), w.count >= 5 { w.removeLast() }
        if ends(y), w.count >= 4, !isVowel(w[w.count - 2]) { w[w.count - 1] = i }
    }

    /// Incident vocabulary that means the same thing, one group a line: a query word in a group
    /// also finds the other words of the group (ranked as that word). Single words only, as
    /// query words are matched one by one: "out of memory" is covered by "memory" in the "oom"
    /// group. Keep groups narrow: a broad word ("https", "volume", "500") would pull in
    /// unrelated incidents for every query of its group. This is the only copy: the build stems it into the search manifest ("syn") and
    /// search.js expands query words from there, so the two sides cannot drift apart.
    static let synonymGroups: [[String]] = [
        ["postgres", "postgresql", "pg", "psql"],
        ["failover", "switchover", "promotion", "promoted", "failback"],
        ["k8s", "kubernetes", "kube"],
        ["db", "database"],
        ["dns", "resolver", "nameserver"],
        ["tls", "ssl", "certificate", "cert"],
        ["oom", "oomkilled", "memory"],
        ["latency", "slow", "slowness", "slowdown"],
        ["outage", "downtime", "unavailable"],
        ["deploy", "deployment", "release", "rollout"],
        ["rollback", "revert"],
        ["config", "configuration"],
        ["auth", "authentication", "login"],
        ["lb", "loadbalancer", "balancer"],
        ["cpu", "processor"],
        ["disk", "storage"],
        ["error", "5xx"],
    ]

    /// The synonym groups as index terms (each word stemmed, duplicates dropped), in table order.
    static var synonymTerms: [[String]] {
        synonymGroups.map { group in
            var seen: Set<String> = []
            return group.map(stem).filter { seen.insert($0).inserted }
        }
    }

    /// FNV-1a over the UTF-8 bytes: the shard of a term (search.js computes the same).
    static func shard(of term: String, count: Int) -> Int {
        var hash: UInt32 = 0x811C_9DC5
        for byte in term.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return Int(hash % UInt32(max(1, count)))
    }
}

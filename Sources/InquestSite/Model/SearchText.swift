import Foundation

/// Words for the search index: folded, lowercased, split on anything but ASCII letters and
/// digits, stop words dropped, stemmed. `site/assets/search.js` does the same at query time;
/// the vectors in Tests/Fixtures/site/stemmer-vectors.txt keep the two in step.
enum SearchText {
    static let stopWords: Set<String> = Set(("a an and are as at be been but by for from had has have in into is it its no not of on or our than that the then "
        + "this to was we were when which with after before").split(separator: " ").map(String.init))

    /// Lowercase ASCII words of `text`, accents folded first ("Zürich" → "zurich").
    static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
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

    /// Index terms of `text`: words without stop words, stemmed.
    static func terms(_ text: String) -> [String] {
        words(text).compactMap { stopWords.contains($0) ? nil : stem($0) }
    }

    private static let derivational: [(String, String)] = [
        ("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("ation", "ate"), ("ement", ""), ("ment", ""), ("ness", ""), ("ity", ""), ("ably", "able"), ("ly", ""),
    ]

    private static func isVowel(_ c: UInt8) -> Bool { c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 }

    /// A small suffix-stripping English stemmer (plurals, -ing/-ed with undoubling, a few
    /// derivational endings, final e and consonant-y): "promoted" and "promotion" → "promot",
    /// "retries" → "retri", "running" → "run". Only lowercase ASCII words longer than three
    /// letters are changed.
    static func stem(_ word: String) -> String {
        var w = Array(word.utf8)
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return w.count >= s.count && Array(w[(w.count - s.count)...]) == s
        }
        func replace(_ count: Int, with text: String) { w.removeLast(count); w += Array(text.utf8) }
        if ends("sses") { w.removeLast(2) }
        else if ends("ies"), w.count > 4 { replace(3, with: "y") }
        else if ends("s"), !ends("ss"), !ends("us"), !ends("is") { w.removeLast() }
        for suffix in ["ing", "ed"] where ends(suffix) && w.count - suffix.utf8.count >= 3 && w[..<(w.count - suffix.utf8.count)].contains(where: isVowel) {
            w.removeLast(suffix.utf8.count)
            if w.count >= 4, let last = w.last, last == w[w.count - 2], Array("bdfgmnprt".utf8).contains(last) { w.removeLast() }
            break
        }
        if (ends("sion") || ends("tion")) && w.count - 3 >= 3 {
            w.removeLast(3)
        } else {
            for (suffix, replacement) in derivational where ends(suffix) && w.count - suffix.utf8.count >= 3 {
                replace(suffix.utf8.count, with: replacement)
                break
            }
        }
        if ends("e"), w.count >= 5 { w.removeLast() }
        if ends("y"), w.count >= 4, !isVowel(w[w.count - 2]) { replace(1, with: "i") }
        return String(decoding: w, as: UTF8.self)
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

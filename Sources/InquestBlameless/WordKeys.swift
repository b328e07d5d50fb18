/// Word lookups by ``Token/key``, the FNV-1a hash the tokenizer computes as it writes a word's
/// norm: the per-token questions the matchers ask most (is this a first name, a verb only people
/// do) are answered for most words without hashing a String.

/// A Bloom-style filter (one bit per hash class) over a set of words: a clear bit proves an ASCII
/// word is not in the set. A non-ASCII token (key 0) is always looked up, and a set with a
/// non-ASCII word turns the filter off (canonical equivalence is not byte equality there).
struct WordFilter: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1024)
    private var off = false

    init(_ words: Set<String>) {
        for word in words {
            let key = Token.asciiKey(word)
            if key == 0 { off = true; continue }
            let bit = Self.bit(key)
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    @inline(__always)
    private static func bit(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key ^ (key >> 29)) & 0xFFFF) }

    /// False only when the word of a token with this key is certainly not in the set.
    @inline(__always)
    func mayContain(key: UInt64) -> Bool {
        if off || key == 0 { return true }
        let bit = Self.bit(key)
        return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }
}

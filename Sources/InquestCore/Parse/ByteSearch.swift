import Foundation

/// Byte-level answers to `String` questions the parsers ask for every line, with the exact
/// `String` definition kept as the fallback for the rare texts the bytes cannot settle.
enum ByteSearch {
    /// Whether `text.lowercased().contains(needle)`, for a `needle` of lower-case ASCII letters and
    /// spaces without `k` that does not end in `i`.
    ///
    /// ASCII lower-casing of the bytes finds the same occurrences: only U+0130 (→ `i` + U+0307) and
    /// U+212A (→ `k`) lower-case to ASCII, and neither can complete a match of such a needle. An
    /// occurrence with ASCII (or nothing) on both sides lies on grapheme boundaries, so it is a
    /// match whatever the search compares; one that touches a non-ASCII byte (a combining mark on
    /// the last letter) is left to the `String` search, as is any text that has no bytes to read.
    static func lowercasedContains(_ text: String, _ needle: StaticString) -> Bool {
        let answer: Bool?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            needle.withUTF8Buffer { scan(bytes, for: $0) }
        }
        if let answer, let settled = answer { return settled }
        return text.lowercased().contains(needle.description)
    }

    /// true: an occurrence with ASCII neighbours; false: no occurrence; nil: only occurrences next to non-ASCII bytes.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, for needle: UnsafeBufferPointer<UInt8>) -> Bool? {
        let n = bytes.count, m = needle.count
        guard m > 0, n >= m else { return m == 0 ? nil : false }
        let first = needle[0]
        var ambiguous = false
        var index = 0
        while index + m <= n {
            if lower(bytes[index]) == first {
                var k = 1
                while k < m, lower(bytes[index + k]) == needle[k] { k += 1 }
                if k == m {
                    let before = index > 0 ? bytes[index - 1] : 0
                    let after = index + m < n ? bytes[index + m] : 0
                    if before < 0x80, after < 0x80 { return true }
                    ambiguous = true
                }
            }
            index += 1
        }
        return ambiguous ? nil : false
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Whether every byte is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }
}

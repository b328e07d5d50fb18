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

    /// Whether every byte is ASCII and none is NUL (then the bytes are valid UTF-8).
    static func isASCIIWithoutNUL(_ bytes: [UInt8]) -> Bool {
        asciiWithoutNULPrefix(bytes) == bytes.count
    }

    /// The length of the leading run of ASCII bytes other than NUL, read eight bytes at a time.
    static func asciiWithoutNULPrefix(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            let count = raw.count
            var index = 0
            let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // A high bit set, or a zero byte (the classic `(w - 1s) & ~w & 80s` test, exact
                // once no byte has its high bit set).
                if word & high != 0 || (word &- ones) & ~word & high != 0 { break }
                index += 8
            }
            while index < count {
                let byte = raw[index]
                if byte >= 0x80 || byte == 0 { return index }
                index += 1
            }
            return count
        }
    }

    /// Whether some byte is a C0 control character other than tab, LF, CR and NUL, or DEL:
    /// what `syntax/control-characters` looks for, with most of the text passed eight bytes at a
    /// time (a word with no byte below 0x20 and no DEL).
    static func firstControlCandidate(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        let high: UInt64 = 0x8080_8080_8080_8080
        let below20: UInt64 = 0x2020_2020_2020_2020, ones: UInt64 = 0x0101_0101_0101_0101
        let del: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Bytes below 0x20 (exact for ASCII bytes; a high byte only makes the test conservative)
            // or equal to 0x7F: the word is looked at byte by byte.
            let low = (word &- below20) & ~word & high
            let x = word ^ del
            let isDel = (x &- ones) & ~x & high
            if low | isDel != 0 { return index }
            index += 8
        }
        return index
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)` (tab and the space separators), with ASCII ends
    /// trimmed on the bytes: Foundation's version costs about 10,000 instructions a call, and the
    /// parser trims every heading. Any non-ASCII byte reached from either end takes Foundation's path.
    func trimmingWhitespaces() -> String {
        let decided: String?? = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            if start < end, bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 { return nil }
            if start == 0, end == bytes.count { return self }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        if let decided, let trimmed = decided { return trimmed }
        return trimmingCharacters(in: .whitespaces)
    }
}

/// A word or punctuation mark of a block, with its UTF-8 byte range.
struct Token: Sendable {
    enum Kind: Sendable {
        /// Letters/digits, possibly with inner apostrophes, dots or colons ("o'brien", "10:02", "node.js").
        case word
        /// `@name` — a person unless listed as a team.
        case handle
        /// U+FFFC: a code span, URL or inline HTML the caller replaced. Opaque and noun-like.
        case object
        /// Punctuation that matters for clause structure: `, ; : . ! ? ( ) [ ] — " /`.
        case punct
    }

    var kind: Kind
    /// Lowercased (ASCII), apostrophes normalised to `'`, contractions expanded
    /// ("didn't" → "did", "not"; "should've" → "should", "have").
    var norm: String
    /// Byte range in the block text.
    var range: Range<Int>
    /// The source word starts with an upper-case letter.
    var isCapitalized: Bool
    /// Joined to the previous word by a hyphen with no space ("fat-fingered", "on-call").
    var hyphenated: Bool
    /// Index of the sentence the token belongs to.
    var sentence: Int
    /// Inside a double-quoted span: the words are mentioned, not used.
    var quoted: Bool
    /// For a word whose norm is all ASCII, ``asciiKey(_:)`` of its norm (the phrase trie's hash,
    /// computed while the norm is written); 0 for any other token (and the rare ASCII norm whose
    /// hash is 0), which is then looked up by its String.
    var key: UInt64 = 0

    var isWord: Bool { kind == .word }

    /// FNV-1a (64 bits) of an ASCII word's bytes; 0 when a byte is not ASCII.
    static func asciiKey(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { bytes -> UInt64 in
            var hash = fnvBasis
            for byte in bytes {
                if byte >= 0x80 { return 0 }
                hash = (hash ^ UInt64(byte)) &* fnvPrime
            }
            return hash
        }
    }

    static let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3
}

/// Splits prose into tokens in one pass over the UTF-8 bytes.
///
/// Working on bytes keeps byte offsets exact for the caller and avoids per-character
/// grapheme work; only non-ASCII scalars are decoded, to classify curly quotes, dashes
/// and U+FFFC.
enum Tokenizer {
    private enum ByteClass { case letter, space, apostrophe, objectMarker, dash, quote, punct, other }

    /// Words after which a period does not end a sentence.
    private static let abbreviations: Set<String> = [
        "e.g", "i.e", "etc", "vs", "cf", "approx", "mr", "mrs", "ms", "dr", "st", "no", "fig", "incl", "est", "ca",
    ]

    static func tokenize(_ text: String) -> [Token] {
        var text = text
        return text.withUTF8 { tokenize(bytes: $0) }
    }

    static func tokenize(bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4)
        var sentence = 0
        var quoted = false
        var i = 0
        let n = bytes.count
        // Whether the previous word ended right before a hyphen that joins it to the next word.
        var pendingHyphen = false

        @inline(__always) func scalar(at index: Int) -> (value: UInt32, length: Int) {
            let b0 = bytes[index]
            if b0 < 0x80 { return (UInt32(b0), 1) }
            let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
            guard index + length <= n, length > 1 else { return (0xFFFD, 1) }
            var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { value = (value << 6) | (UInt32(bytes[index + k]) & 0x3F) }
            return (value, length)
        }

        @inline(__always) func classify(_ value: UInt32) -> ByteClass {
            switch value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: return .letter
            case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x2009, 0x200A, 0x202F, 0x2002, 0x2003: return .space
            case 0x27, 0x2019, 0x2018, 0x02BC: return .apostrophe
            case 0xFFFC: return .objectMarker
            case 0x2014, 0x2013, 0x2012, 0x2015: return .dash
            case 0x22, 0x201C, 0x201D, 0xAB, 0xBB: return .quote
            case 0x2C, 0x3B, 0x3A, 0x2E, 0x21, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x2F, 0x2026: return .punct
            default:
                if value >= 0x80, let s = Unicode.Scalar(value), s.properties.isAlphabetic { return .letter }
                return .other
            }
        }

        /// The scalar that ends right before byte `index` (steps back over UTF-8 continuation bytes).
        func scalarBefore(_ index: Int) -> UInt32 {
            var start = index - 1
            while start > 0, bytes[start] & 0xC0 == 0x80, index - start < 4 { start -= 1 }
            return scalar(at: start).value
        }

        func isLetter(at index: Int) -> Bool {
            index < n && classify(scalar(at: index).value) == .letter
        }

        func appendPunct(_ norm: String, _ range: Range<Int>) {
            tokens.append(Token(kind: .punct, norm: norm, range: range, isCapitalized: false,
                                hyphenated: false, sentence: sentence, quoted: quoted))
        }

        while i < n {
            // A space or line break (what `classify` calls `.space`) only ends a hyphenated join:
            // taken here without decoding or classifying, it is a sixth of the bytes of prose.
            if bytes[i] == 0x20 || bytes[i] == 0x0A {
                i += 1
                pendingHyphen = false
                continue
            }
            let (value, length) = scalar(at: i)
            let cls = classify(value)
            switch cls {
            case .space, .other:
                if value == 0x2D /* '-' */ {
                    // A hyphen glued between two words joins them; a spaced hyphen is a dash.
                    let prevIsWord = i > 0 && classify(scalar(at: i - 1).value) == .letter
                    if prevIsWord && isLetter(at: i + 1) {
                        pendingHyphen = true
                    } else if !prevIsWord && (i + 1 >= n || bytes[i + 1] == 0x20) {
                        appendPunct("—", i..<(i + 1))
                    }
                } else if value == 0x40 /* '@' */ && isLetter(at: i + 1) && !isDigitByte(bytes[i + 1])
                            && (i == 0 || ![.letter, .objectMarker].contains(classify(scalarBefore(i)))) {
                    // A handle starts with a letter and stands alone: "`pkg`@1.2.3", "@7.1.2" and
                    // "name@host" are package versions and addresses, not people.
                    var j = i + 1
                    while j < n {
                        let c = bytes[j]
                        let isHandleByte = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A)
                            || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D || c == 0x2F || c == 0x2E
                        if !isHandleByte { break }
                        j += 1
                    }
                    while j > i + 1, [0x2D, 0x2F, 0x2E].contains(bytes[j - 1]) { j -= 1 }
                    tokens.append(Token(kind: .handle, norm: lowercased(bytes, i..<j), range: i..<j,
                                        isCapitalized: false, hyphenated: false, sentence: sentence, quoted: quoted))
                    i = j
                    pendingHyphen = false
                    continue
                }
                i += length
                if value != 0x2D { pendingHyphen = false }
            case .objectMarker:
                tokens.append(Token(kind: .object, norm: "\u{FFFC}", range: i..<(i + length), isCapitalized: false,
                                    hyphenated: false, sentence: sentence, quoted: quoted))
                i += length
                pendingHyphen = false
            case .dash:
                appendPunct("—", i..<(i + length))
                i += length
                pendingHyphen = false
            case .quote:
                // Straight quotes toggle; curly and guillemets say which side they are.
                switch value {
                case 0x201C, 0xAB: quoted = true
                case 0x201D, 0xBB: quoted = false
                default: quoted.toggle()
                }
                appendPunct("\"", i..<(i + length))
                i += length
                pendingHyphen = false
            case .apostrophe:
                // A stray apostrophe (quote mark or plural possessive "engineers'") is not a word.
                i += length
                pendingHyphen = false
            case .punct:
                appendPunct(punctNorm(value), i..<(i + length))
                i += length
                pendingHyphen = false
                if value == 0x2E || value == 0x21 || value == 0x3F || value == 0x2026 {
                    let atBoundary = i >= n || classify(scalar(at: i).value) != .letter
                    if atBoundary && !endsAbbreviation(tokens) { sentence += 1 }
                }
            case .letter:
                let start = i
                var j = i
                var apostrophes: [Int] = []
                while j < n {
                    // ASCII letters, digits and `_` are letters (what `classify` says), without decoding.
                    let b = bytes[j]
                    if (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F { j += 1; continue }
                    let (v, len) = scalar(at: j)
                    let c = classify(v)
                    if c == .letter { j += len; continue }
                    // Inner apostrophe, dot or colon followed by a letter/digit continues the word:
                    // "didn't", "node.js", "10:02", "e.g".
                    if c == .apostrophe || v == 0x2E || v == 0x3A {
                        if isLetter(at: j + len) && !(v == 0x3A && !isDigitByte(bytes[j + len])) {
                            if c == .apostrophe { apostrophes.append(j) }
                            j += len
                            continue
                        }
                    }
                    break
                }
                appendWord(bytes: bytes, start..<j, apostrophes: apostrophes, hyphenated: pendingHyphen,
                           sentence: sentence, quoted: quoted, into: &tokens)
                pendingHyphen = false
                i = j
            }
        }
        return tokens
    }

    private static func isDigitByte(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The norm of a punctuation scalar (`…` reads as `.`): literals, so no `String` is built per mark.
    @inline(__always)
    private static func punctNorm(_ value: UInt32) -> String {
        switch value {
        case 0x2C: ","
        case 0x3B: ";"
        case 0x3A: ":"
        case 0x2E, 0x2026: "."
        case 0x21: "!"
        case 0x3F: "?"
        case 0x28: "("
        case 0x29: ")"
        case 0x5B: "["
        case 0x5D: "]"
        case 0x2F: "/"
        default: String(UnicodeScalar(UInt8(truncatingIfNeeded: value)))
        }
    }

    /// Whether the word starts with an upper-case letter ("Sam", "Émile").
    private static func startsUppercase(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let first = bytes[range.lowerBound]
        if first < 0x80 { return first >= 0x41 && first <= 0x5A }
        let prefix = UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + 4)])
        return String(decoding: prefix, as: UTF8.self).unicodeScalars.first?.properties.isUppercase ?? false
    }

    private static func endsAbbreviation(_ tokens: [Token]) -> Bool {
        guard tokens.count >= 2 else { return false }
        return tokens.withUnsafeBufferPointer { tokens in
            // Through the pointer: the fields are read in place, no copy of the token.
            let prev = tokens.baseAddress! + (tokens.count - 2)
            guard prev.pointee.kind == .word, prev.pointee.range.upperBound == tokens[tokens.count - 1].range.lowerBound else { return false }
            // Abbreviations are at most six bytes long: a longer word needs no lookup.
            if prev.pointee.norm.utf8.count <= 6, abbreviations.contains(prev.pointee.norm) { return true }
            // Single-letter initials ("J. Smith").
            return prev.pointee.norm.utf8.count == 1 && prev.pointee.isCapitalized
        }
    }

    static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        lowercasedWithKey(bytes, range).norm
    }

    /// ``lowercased(_:_:)`` and ``Token/asciiKey(_:)`` of the result, in one pass over the bytes.
    /// (Handing out stored Strings for common words instead was tried: the extra pass to find
    /// them cost more than the Strings it saved.)
    static func lowercasedWithKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (norm: String, key: UInt64) {
        var hash = Token.fnvBasis
        var ascii = true
        // Written straight into the string's storage: this runs once per token of every block.
        let norm = String(unsafeUninitializedCapacity: max(1, range.count)) { out in
            var written = 0
            var k = range.lowerBound
            while k < range.upperBound {
                let b = bytes[k]
                // Normalise U+2019/U+2018 (E2 80 99/98) and U+02BC (CA BC) to an ASCII apostrophe.
                if b == 0xE2, k + 2 < range.upperBound, bytes[k + 1] == 0x80, bytes[k + 2] == 0x99 || bytes[k + 2] == 0x98 {
                    out[written] = 0x27; written += 1; k += 3
                    hash = (hash ^ 0x27) &* Token.fnvPrime
                    continue
                }
                if b == 0xCA, k + 1 < range.upperBound, bytes[k + 1] == 0xBC {
                    out[written] = 0x27; written += 1; k += 2
                    hash = (hash ^ 0x27) &* Token.fnvPrime
                    continue
                }
                let lower = b >= 0x41 && b <= 0x5A ? b + 32 : b
                if lower >= 0x80 { ascii = false }
                hash = (hash ^ UInt64(lower)) &* Token.fnvPrime
                out[written] = lower
                written += 1
                k += 1
            }
            return written
        }
        return (norm, ascii ? hash : 0)
    }

    /// Appends a word, expanding English contractions into separate tokens so that
    /// "didn't follow" and "did not follow" match the same lexicon entry.
    private static func appendWord(bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, apostrophes: [Int],
                                   hyphenated: Bool, sentence: Int, quoted: Bool, into tokens: inout [Token]) {
        let capitalized = startsUppercase(bytes, range)
        func make(_ norm: String, _ r: Range<Int>, _ hyph: Bool, key: UInt64? = nil) -> Token {
            Token(kind: .word, norm: norm, range: r, isCapitalized: capitalized && r.lowerBound == range.lowerBound,
                  hyphenated: hyph, sentence: sentence, quoted: quoted, key: key ?? Token.asciiKey(norm))
        }
        guard let apostrophe = apostrophes.last else {
            let (norm, key) = lowercasedWithKey(bytes, range)
            tokens.append(make(norm, range, hyphenated, key: key))
            return
        }
        let suffixStart = apostrophe // byte offset of the apostrophe
        let suffix = lowercased(bytes, suffixStart..<range.upperBound)
        let base = lowercased(bytes, range.lowerBound..<suffixStart)
        switch suffix {
        case "'t" where base.hasSuffix("n"):
            // "didn't": the apostrophe sits after the n.
            var stem = String(base.dropLast())
            let stemEnd = suffixStart - 1
            switch stem {
            case "ca": stem = "can"
            case "wo": stem = "will"
            case "sha": stem = "shall"
            case "ai": stem = "is"
            default: break
            }
            tokens.append(make(stem, range.lowerBound..<stemEnd, hyphenated))
            tokens.append(make("not", stemEnd..<range.upperBound, false))
        case "'ve", "'ll", "'re", "'m", "'s", "'d":
            let expanded: String
            switch suffix {
            case "'ve": expanded = "have"
            case "'ll": expanded = "will"
            case "'re": expanded = "are"
            case "'m": expanded = "am"
            default: expanded = suffix
            }
            tokens.append(make(base, range.lowerBound..<suffixStart, hyphenated))
            tokens.append(make(expanded, suffixStart..<range.upperBound, false))
        default:
            let (norm, key) = lowercasedWithKey(bytes, range)
            tokens.append(make(norm, range, hyphenated, key: key))
        }
    }
}

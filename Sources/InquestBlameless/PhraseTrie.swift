/// A trie over token sequences: every lexicon phrase of every rule lives in one structure,
/// so a block is matched in a single left-to-right pass (work is linear in the block's
/// length times the longest phrase, a small constant), never one scan per phrase.
struct PhraseTrie: Sendable {
    private var children: [[String: Int32]] = [[:]]
    private var values: [[Int32]] = [[]]
    /// A bit per hash class (FNV-1a of the bytes, 16 bits) of the ASCII words phrases start with:
    /// most words of a text start no phrase, and a clear bit says so without the dictionary's
    /// hashing. (A class of length, first and last byte used to be the key; with the lexicon's
    /// first words it let most words through.)
    /// Words compare by canonical equivalence, which bytes cannot judge once a phrase starts with
    /// a non-ASCII word (a name), so then the filter is off; a non-ASCII word is always looked up.
    private var firstWords = [UInt64](repeating: 0, count: 1024)
    private var filterOff = false
    /// Every edge whose word is ASCII, in an open-addressing table keyed by (node, ``Token/key``):
    /// a token's key is computed as its norm is written, so an ASCII word is looked up with no
    /// String hashing; the word is still compared, so a hash collision cannot match. `children`
    /// keeps every edge for the rest (non-ASCII tokens, and ASCII tokens when some phrase word
    /// is not ASCII: canonical equivalence is not byte equality there).
    private var edges = [Edge](repeating: Edge(), count: 16)
    private var edgeCount = 0
    private var nonASCIIWords = false

    private struct Edge {
        var node: Int32 = -1
        var child: Int32 = 0
        var key: UInt64 = 0
        var word = ""
    }

    /// Number of distinct phrases inserted.
    private(set) var phraseCount = 0

    mutating func insert(_ phrase: [String], value: Int) {
        guard !phrase.isEmpty else { return }
        if let bit = Self.filterBit(phrase[0]) { firstWords[bit >> 6] |= 1 << UInt64(bit & 63) } else { filterOff = true }
        var node = 0
        for word in phrase {
            if let next = children[node][word] {
                node = Int(next)
            } else {
                children.append([:])
                values.append([])
                let next = children.count - 1
                children[node][word] = Int32(next)
                let key = Token.asciiKey(word)
                if key == 0 { nonASCIIWords = true } else { addEdge(Edge(node: Int32(node), child: Int32(next), key: key, word: word)) }
                node = next
            }
        }
        if values[node].isEmpty { phraseCount += 1 }
        if !values[node].contains(Int32(value)) { values[node].append(Int32(value)) }
    }

    private static func slot(node: Int32, key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)) >> 7) & mask
    }

    private mutating func addEdge(_ edge: Edge) {
        if (edgeCount + 1) * 2 > edges.count {
            let old = edges
            edges = [Edge](repeating: Edge(), count: edges.count * 2)
            edgeCount = 0
            for entry in old where entry.node >= 0 { addEdge(entry) }
        }
        let mask = edges.count - 1
        var index = Self.slot(node: edge.node, key: edge.key, mask: mask)
        while edges[index].node >= 0 { index = (index + 1) & mask }
        edges[index] = edge
        edgeCount += 1
    }

    /// The child of `node` along `token`'s word, or nil.
    @inline(__always)
    private func child(of node: Int, _ token: UnsafePointer<Token>, edges: UnsafePointer<Edge>,
                       children: UnsafePointer<[String: Int32]>) -> Int32? {
        let key = token.pointee.key
        if key != 0 {
            let mask = edgeCountMask
            var index = Self.slot(node: Int32(node), key: key, mask: mask)
            while edges[index].node >= 0 {
                if edges[index].node == Int32(node), edges[index].key == key, edges[index].word == token.pointee.norm {
                    return edges[index].child
                }
                index = (index + 1) & mask
            }
            if !nonASCIIWords { return nil }
        }
        return children[node][token.pointee.norm]
    }

    private var edgeCountMask: Int { edges.count - 1 }

    /// Calls `body(start, end, value)` for every occurrence of every phrase, where
    /// `start..<end` are token indices. Only word tokens take part; punctuation,
    /// handles and U+FFFC break a phrase.
    func forEachMatch(in tokens: [Token], _ body: (Int, Int, Int) -> Void) {
        // Tokens, nodes and values are read borrowed: subscripting the arrays copies a token (a
        // retain of its word) or a node's dictionary for each look.
        let words = tokens
        words.withUnsafeBufferPointer { tokens in
            children.withUnsafeBufferPointer { children in
                values.withUnsafeBufferPointer { values in
                    edges.withUnsafeBufferPointer { edges in
                        guard let tokens = tokens.baseAddress, let children = children.baseAddress,
                              let values = values.baseAddress, let edges = edges.baseAddress else { return }
                        let count = words.count
                        for start in 0..<count where tokens[start].kind == .word {
                            if !filterOff {
                                // The key is the filter's hash (``filterBit(_:)``) when the word is ASCII.
                                let key = tokens[start].key
                                let bit = key != 0 ? Self.filterBit(key: key) : Self.filterBit(tokens[start].norm)
                                if let bit, firstWords[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { continue }
                            }
                            var node = 0
                            var index = start
                            while index < count, tokens[index].kind == .word, let next = child(of: node, tokens + index, edges: edges, children: children) {
                                node = Int(next)
                                index += 1
                                for value in values[node] { body(start, index, Int(value)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension PhraseTrie {
    /// The filter bit of an ASCII word (0..<65536); nil for a word with non-ASCII bytes. An ASCII
    /// word equals only itself and strings with non-ASCII scalars (`\u{212A}` is `K`).
    @inline(__always)
    static func filterBit(key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key ^ (key >> 32)) & 0xFFFF)
    }

    @inline(__always)
    static func filterBit(_ word: String) -> Int? {
        var word = word
        return word.withUTF8 { bytes -> Int? in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                if byte >= 0x80 { return nil }
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return Int(truncatingIfNeeded: (hash ^ (hash >> 32)) & 0xFFFF)
        }
    }
}

/// Expands the lexicon's compact pattern syntax into concrete token sequences.
///
/// Slots are separated by spaces; `a|b|c` offers alternatives; a leading `?` makes the slot
/// optional (`?just|simply` = nothing, "just" or "simply"). Patterns are written in
/// tokenizer form: lowercase, contractions expanded, hyphens as spaces.
enum PatternExpander {
    static func expand(_ pattern: String) -> [[String]] {
        asciiExpand(pattern) ?? generalExpand(pattern)
    }

    /// ``expand(_:)`` of an all-ASCII pattern (nil for any other), split on its bytes: every
    /// lint that scans a document expands the built-in lexicon's 500-odd patterns, and splitting
    /// them character by character was 7% of a one-file lint. In ASCII a character is a byte, so
    /// the slots and options are the same; the tests compare both over the whole lexicon.
    static func asciiExpand(_ pattern: String) -> [[String]]? {
        guard pattern.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var results: [[String]] = [[]]
        for slot in pattern.utf8.split(separator: UInt8(ascii: " ")) {
            let optional = slot.first == UInt8(ascii: "?")
            let options = slot.dropFirst(optional ? 1 : 0).split(separator: UInt8(ascii: "|"))
                .map { String(decoding: $0, as: UTF8.self) }
            var next: [[String]] = []
            next.reserveCapacity(results.count * (options.count + (optional ? 1 : 0)))
            for prefix in results {
                if optional { next.append(prefix) }
                for option in options {
                    var extended = prefix
                    extended.append(option)
                    next.append(extended)
                }
            }
            results = next
        }
        return results.filter { !$0.isEmpty }
    }

    /// ``expand(_:)`` of any pattern, character by character: the definition.
    static func generalExpand(_ pattern: String) -> [[String]] {
        var results: [[String]] = [[]]
        for slot in pattern.split(separator: " ") {
            var text = Substring(slot)
            let optional = text.hasPrefix("?")
            if optional { text = text.dropFirst() }
            let options = text.split(separator: "|").map(String.init)
            var next: [[String]] = []
            for prefix in results {
                if optional { next.append(prefix) }
                for option in options { next.append(prefix + [option]) }
            }
            results = next
        }
        return results.filter { !$0.isEmpty }
    }
}

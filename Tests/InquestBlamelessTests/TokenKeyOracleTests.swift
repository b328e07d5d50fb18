import XCTest
@testable import InquestBlameless

/// Token keys and the word filters (issue 15) against the definitions they stand
/// in for: the norm written byte by byte, the key hashed from the norm, and plain set membership.
final class TokenKeyOracleTests: XCTestCase {
    /// The norm as the tokenizer wrote it before interning.
    private static func referenceLowercased(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var out: [UInt8] = []
        var k = range.lowerBound
        while k < range.upperBound {
            let b = bytes[k]
            if b == 0xE2, k + 2 < range.upperBound, bytes[k + 1] == 0x80, bytes[k + 2] == 0x99 || bytes[k + 2] == 0x98 { out.append(0x27); k += 3; continue }
            if b == 0xCA, k + 1 < range.upperBound, bytes[k + 1] == 0xBC { out.append(0x27); k += 2; continue }
            out.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let pieces: [String] = [
        "the", "The", "THE", "had", "Had", "'d", "we’d", "didn't", "didn’t", "should've", "o'brien", "O’Brien", "Sam", "Priya", "looked",
        "decided", "investigated", "restarted", "engineer", "on-call", "internationalization", "supercalifragilistic", "abcdefghijklmnop",
        "abcdefghijklmnopq", "K", "\u{212A}", "José", "Jose\u{301}", "café", "ÉMILE", "東京", "ß", "x", "a", "I", ",", ".", " ", "—", "\"",
        "10:02", "node.js", "e.g.", "ʼtis", "naïve", "DEPLOY", "Deploy", "timeout", "timeouts", "@sam", "\u{FFFC}",
    ]

    private func texts(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in
            (0..<(1 + next() % 14)).map { _ in Self.pieces[next() % Self.pieces.count] }.joined(separator: next() % 5 == 0 ? "" : " ")
        }
    }

    func testNormsAndKeysAgreeWithTheByteByByteDefinitions() {
        var checked = 0
        for text in texts(count: 3_000, seed: 5) {
            let bytes = Array(text.utf8)
            for token in Tokenizer.tokenize(text) where token.kind == .word {
                XCTAssertEqual(token.key, Token.asciiKey(token.norm), text.debugDescription)
                // Contractions split a word into a stem and an expansion; other words are their bytes lowered.
                let lowered = Self.referenceLowercased(bytes, token.range)
                if !lowered.contains("'") && token.norm != "not" {
                    XCTAssertEqual(token.norm, lowered, text.debugDescription)
                    XCTAssertEqual(Array(token.norm.utf8), Array(lowered.utf8), text.debugDescription)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }

    func testWordFiltersNeverRuleOutAMember() {
        let sets: [Set<String>] = [WordClass.peopleOnlyVerbs, WordClass.censusFirstNames.union(WordClass.firstNames),
                                   ["josé", "k", "\u{212A}", "had"], ["had", "'d"]]
        for set in sets {
            let filter = WordFilter(set)
            for word in set {
                for token in Tokenizer.tokenize(word) where token.kind == .word && token.norm == word {
                    XCTAssertTrue(filter.mayContain(key: token.key), word)
                }
            }
            var ruledOut = 0
            for text in texts(count: 1_000, seed: 11) {
                for token in Tokenizer.tokenize(text) where token.kind == .word {
                    if !filter.mayContain(key: token.key) {
                        XCTAssertFalse(set.contains(token.norm), token.norm)
                        ruledOut += 1
                    }
                }
            }
            if set.count > 100 { XCTAssertGreaterThan(ruledOut, 1_000) }
        }
    }
}

import XCTest
@testable import InquestBlameless

final class PhraseTrieTests: XCTestCase {
    func testPatternExpansionWithAlternativesAndOptionalSlots() {
        XCTAssertEqual(PatternExpander.expand("human error|errors").map { $0.joined(separator: " ") },
                       ["human error", "human errors"])
        XCTAssertEqual(PatternExpander.expand("should ?never have").map { $0.joined(separator: " ") },
                       ["should have", "should never have"])
    }

    func testASCIIPatternsExpandExactlyAsTheGeneralPath() {
        let patterns = Lexicon.entries.map(\.pattern) + [
            "a", "?a b", "a|b|c ?d|e f", "?x", "?x|y", "  spaced   out  ", "a||b", "?|a", "trailing|", "|leading", "",
        ]
        XCTAssertGreaterThan(Lexicon.entries.count, 100)
        for pattern in patterns {
            XCTAssertEqual(PatternExpander.asciiExpand(pattern), PatternExpander.generalExpand(pattern), pattern)
        }
        XCTAssertNil(PatternExpander.asciiExpand("na\u{EF}ve|naive"))
        XCTAssertEqual(PatternExpander.expand("na\u{EF}ve|naive"), [["na\u{EF}ve"], ["naive"]])
    }

    func testFindsEveryPhraseInOnePass() {
        var trie = PhraseTrie()
        trie.insert(["should", "have"], value: 1)
        trie.insert(["should", "have", "known", "better"], value: 2)
        trie.insert(["lazy"], value: 3)
        var found: [(Int, Int, Int)] = []
        trie.forEachMatch(in: Tokenizer.tokenize("Lazy? We should have known better.")) { found.append(($0, $1, $2)) }
        XCTAssertEqual(found.map(\.2), [3, 1, 2])
        XCTAssertEqual(trie.phraseCount, 3)
    }

    func testPunctuationBreaksAPhrase() {
        var trie = PhraseTrie()
        trie.insert(["should", "have"], value: 1)
        var count = 0
        trie.forEachMatch(in: Tokenizer.tokenize("should, have")) { _, _, _ in count += 1 }
        XCTAssertEqual(count, 0)
    }

    func testBuiltInLexiconIsCompiledOnce() {
        XCTAssertGreaterThan(defaultAnalyzer.phraseCount, 1000)
    }

    /// The first-word filter skips only lookups that cannot succeed: matches agree with a
    /// phrase-by-phrase comparison of norms (String equality, so canonically equivalent
    /// spellings match) on generated texts, with ASCII phrases only and with non-ASCII ones.
    func testFirstWordFilterAgreesWithComparingEveryPhrase() {
        let ascii: [[String]] = [["should", "have"], ["should", "have", "known"], ["lazy"], ["human", "error"], ["obviously"],
                                 ["sam"], ["k"], ["did", "not"], ["a"], ["careless"]]
        let unicode: [[String]] = [["jos\u{E9}"], ["zo\u{EB}", "said"], ["\u{212A}"], ["caf\u{E9}"]]
        let pieces = ["should", "Should", "have", "known", "lazy", "LAZY", "human", "error", "obviously", "Sam", "K", "k", "\u{212A}",
                      "didn't", "did", "not", "a", "careless", "José", "Jose\u{301}", "Zoë", "Zoe\u{308}", "said", "café", "cafe\u{301}",
                      ",", ".", " ", " ", "—", "the", "deploy", "東京", "😀", "é"]
        var state: UInt64 = 37
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for phrases in [ascii, ascii + unicode] {
            var trie = PhraseTrie()
            for (value, phrase) in phrases.enumerated() { trie.insert(phrase, value: value) }
            var matched = 0
            for _ in 0..<3_000 {
                let text = (0..<(1 + next() % 12)).map { _ in pieces[next() % pieces.count] }.joined(separator: next() % 4 == 0 ? "" : " ")
                let tokens = Tokenizer.tokenize(text)
                var found: [[Int]] = []
                trie.forEachMatch(in: tokens) { found.append([$0, $1, $2]) }
                var expected: [[Int]] = []
                for start in tokens.indices where tokens[start].kind == .word {
                    // Shorter phrases first at each start, as the trie walks deeper.
                    for length in 1...4 where start + length <= tokens.count {
                        let words = tokens[start..<(start + length)]
                        guard words.allSatisfy({ $0.kind == .word }) else { break }
                        for (value, phrase) in phrases.enumerated() where phrase.count == length && zip(words, phrase).allSatisfy({ $0.norm == $1 }) {
                            expected.append([start, start + length, value])
                        }
                    }
                }
                XCTAssertEqual(found, expected, text.debugDescription)
                matched += found.count
            }
            XCTAssertGreaterThan(matched, 500)
        }
    }
}

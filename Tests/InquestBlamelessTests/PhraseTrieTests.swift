import XCTest
@testable import InquestBlameless

final class PhraseTrieTests: XCTestCase {
    func testPatternExpansionWithAlternativesAndOptionalSlots() {
        XCTAssertEqual(PatternExpander.expand("human error|errors").map { $0.joined(separator: " ") },
                       ["human error", "human errors"])
        XCTAssertEqual(PatternExpander.expand("should ?never have").map { $0.joined(separator: " ") },
                       ["should have", "should never have"])
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
}

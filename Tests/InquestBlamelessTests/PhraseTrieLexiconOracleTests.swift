import XCTest
@testable import InquestBlameless

/// The phrase trie's hashed edge table (issue 15) on the whole built-in lexicon — thousands of
/// phrases, so the table grows many times — against matching every phrase word by word.
final class PhraseTrieLexiconOracleTests: XCTestCase {
    func testTheLexiconTrieFindsWhatWordByWordMatchingFinds() {
        let phrases = Lexicon.entries.flatMap { PatternExpander.expand($0.pattern) }
        var trie = PhraseTrie()
        for (value, phrase) in phrases.enumerated() { trie.insert(phrase, value: value) }
        // Words the lexicon uses, so that many phrases match, plus words it does not.
        let lexiconWords = Array(Set(phrases.joined())).sorted()
        let pieces = lexiconWords + ["Sam", "the", "deploy", ",", ".", " ", "didn't", "K", "\u{212A}", "José", "東京", "—"]
        var byFirstWord: [String: [Int]] = [:]
        for (value, phrase) in phrases.enumerated() { byFirstWord[phrase[0], default: []].append(value) }
        var state: UInt64 = 101
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var matched = 0
        for _ in 0..<800 {
            let text = (0..<(1 + next() % 16)).map { _ in pieces[next() % pieces.count] }.joined(separator: " ")
            let tokens = Tokenizer.tokenize(text)
            var found: [[Int]] = []
            trie.forEachMatch(in: tokens) { found.append([$0, $1, $2]) }
            var expected: [[Int]] = []
            for start in tokens.indices where tokens[start].kind == .word {
                var candidates: [(end: Int, value: Int)] = []
                for value in byFirstWord[tokens[start].norm] ?? [] {
                    let phrase = phrases[value]
                    guard start + phrase.count <= tokens.count else { continue }
                    let words = tokens[start..<(start + phrase.count)]
                    if words.allSatisfy({ $0.kind == .word }), zip(words, phrase).allSatisfy({ $0.norm == $1 }) {
                        candidates.append((start + phrase.count, value))
                    }
                }
                // The trie reports a phrase once per distinct value, shorter phrases first.
                var seen: Set<[Int]> = []
                for candidate in candidates.sorted(by: { ($0.end, $0.value) < ($1.end, $1.value) }) where seen.insert([candidate.end, candidate.value]).inserted {
                    expected.append([start, candidate.end, candidate.value])
                }
            }
            XCTAssertEqual(found.map { [$0[0], $0[1]] }, expected.map { [$0[0], $0[1]] }, text.debugDescription)
            XCTAssertEqual(Set(found), Set(expected), text.debugDescription)
            matched += found.count
        }
        XCTAssertGreaterThan(matched, 1_000)
    }
}

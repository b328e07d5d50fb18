import XCTest
@testable import InquestBlameless

final class TokenizerTests: XCTestCase {
    private func words(_ text: String) -> [String] {
        Tokenizer.tokenize(text).filter { $0.kind == .word }.map(\.norm)
    }

    func testLowercasesAndExpandsContractions() {
        XCTAssertEqual(words("We Shouldn't have"), ["we", "should", "not", "have"])
        XCTAssertEqual(words("should've could’ve"), ["should", "have", "could", "have"])
        XCTAssertEqual(words("didn’t can't won't"), ["did", "not", "can", "not", "will", "not"])
        XCTAssertEqual(words("Sam’s fault"), ["sam", "'s", "fault"])
        XCTAssertEqual(words("O'Brien o’clock"), ["o'brien", "o'clock"])
    }

    func testContractionPartsKeepByteRangesInsideTheWord() {
        let text = "We didn’t"
        let tokens = Tokenizer.tokenize(text)
        let bytes = Array(text.utf8)
        XCTAssertEqual(tokens.map { String(decoding: bytes[$0.range], as: UTF8.self) }, ["We", "did", "n’t"])
    }

    func testObjectReplacementCharacterIsOneOpaqueToken() {
        let text = "The \u{FFFC} output"
        let tokens = Tokenizer.tokenize(text)
        XCTAssertEqual(tokens.map(\.kind), [.word, .object, .word])
        XCTAssertEqual(tokens[1].range, 4..<7)
        XCTAssertEqual(tokens[2].range, 8..<14)
    }

    func testHyphensJoinWordsAndHandlesStayWhole() {
        let tokens = Tokenizer.tokenize("The on-call paged @dba-team.")
        XCTAssertEqual(tokens.filter { $0.kind == .word }.map(\.norm), ["the", "on", "call", "paged"])
        XCTAssertTrue(tokens[2].hyphenated)
        XCTAssertEqual(tokens.first { $0.kind == .handle }?.norm, "@dba-team")
    }

    func testSentenceBoundariesSkipAbbreviationsAndNumbers() {
        let tokens = Tokenizer.tokenize("Latency hit 5.5 s, e.g. on checkout. Then it recovered.")
        let sentences = Set(tokens.map(\.sentence))
        XCTAssertEqual(sentences.count, 2)
        XCTAssertTrue(tokens.contains { $0.norm == "5.5" })
    }

    func testQuotedSpansAreMarked() {
        let tokens = Tokenizer.tokenize("It said “operator error” and \"careless\" twice.")
        XCTAssertEqual(tokens.filter { $0.kind == .word && $0.quoted }.map(\.norm), ["operator", "error", "careless"])
    }

    func testEmptyAndPunctuationOnlyText() {
        XCTAssertTrue(words("").isEmpty)
        XCTAssertTrue(words(" — … ").isEmpty)
    }
}

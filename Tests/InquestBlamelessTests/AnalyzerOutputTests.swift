import XCTest
import InquestBlameless

final class AnalyzerOutputTests: XCTestCase {
    func testFindingsAreSortedByOffsetThenRule() {
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(people: ["Sam Porter"]))
        let text = "Obviously Sam should have checked the queue; it was a careless miss."
        let findings = analyze(text, analyzer: analyzer)
        XCTAssertEqual(findings.map(\.rule), [Rule.hindsight, Rule.namedIndividual, Rule.counterfactual, Rule.blameWord])
        XCTAssertEqual(findings.map { underlined($0, in: text) }, ["Obviously", "Sam", "should have", "careless"])
        XCTAssertEqual(findings, findings.sorted { ($0.range.lowerBound, $0.rule) < ($1.range.lowerBound, $1.rule) })
    }

    func testRangesAreUTF8ByteOffsetsAfterMultiByteText() {
        let text = "Café “notes”: \u{FFFC} — the engineer ran \u{FFFC} carelessly."
        let finding = analyze(text).first { $0.rule == Rule.blameWord }
        XCTAssertEqual(finding.map { underlined($0, in: text) }, "carelessly")
    }

    func testObjectReplacementCharacterIsNeverUnderlinedOrMatchedInside() {
        let text = "The \u{FFFC} output blamed nobody; \u{FFFC} should have retried."
        XCTAssertTrue(analyze(text).isEmpty)
    }

    func testMessagesAreOneLowercaseLineWithoutTrailingPeriodAndEveryFindingHasASuggestion() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/blameless/eval.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(people: ["Sam Porter", "Priya Raman"]))
        var checked = 0
        for line in lines where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", maxSplits: 2)
            guard columns.count == 3 else { continue }
            let text = String(columns[2])
            for context in [ProseContext.narrative, .rootCauses] {
                for finding in analyzer.analyze(ProseBlock(text: text, context: context)) {
                    checked += 1
                    let first = try XCTUnwrap(finding.message.unicodeScalars.first)
                    XCTAssertTrue(CharacterSet.lowercaseLetters.contains(first), finding.message)
                    XCTAssertFalse(finding.message.hasSuffix("."), finding.message)
                    XCTAssertFalse(finding.message.contains("\n"), finding.message)
                    XCTAssertFalse(finding.suggestion?.isEmpty ?? true, finding.message)
                    XCTAssertFalse(finding.range.isEmpty)
                    XCTAssertLessThanOrEqual(finding.range.upperBound, text.utf8.count)
                    let words = underlined(finding, in: text)
                    XCTAssertEqual(words, words.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters.subtracting(CharacterSet(charactersIn: "@'’")))),
                                   "underline should start and end on a word: \(words)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 150)
    }

    func testEmptyAndWhitespaceBlocks() {
        XCTAssertTrue(analyze("").isEmpty)
        XCTAssertTrue(analyze("   ").isEmpty)
        XCTAssertTrue(analyze("\u{FFFC}").isEmpty)
    }

    func testAnalyzerIsSafeToShareAcrossTasks() async {
        let text = "We shouldn't have deployed on Friday."
        let results = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { defaultAnalyzer.analyze(ProseBlock(text: text, context: .narrative)).count } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        XCTAssertEqual(results, Array(repeating: 1, count: 8))
    }

    func testLongBlocksAreHandled() {
        // Linear-time sanity (not timed): a 20,000-word block with one finding per sentence.
        let sentence = "The reviewer should have waited for the canary to finish its run. "
        let text = String(repeating: sentence, count: 1_500)
        XCTAssertEqual(analyze(text).count, 1_500)
    }

    func testRandomisedInputNeverTrapsAndRangesStayInBounds() {
        // Deterministic generator: shuffles trigger words, punctuation and odd characters.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pieces = [
            "should", "have", "had", "if", "only", "failed", "to", "the", "engineer", "on-call", "we", "they", "who",
            "that", "which", "Sam", "@sam", "@dba-team", "careless", "culprit", "was", "at", "fault", "'s", "’s",
            "n't", "shouldn’t", "just", "simply", "had to", "obviously", "clearly", "obvious", "of", "course",
            "human", "error", "PICNIC", "root", "cause", ":", ",", ";", ".", "—", "-", "\"", "“", "”", "(", ")",
            "\u{FFFC}", "é", "🙂", "10:02", "by", "due", "because", "all", "do", "not", "no", "one", "been",
        ]
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions(
            people: ["Sam Porter"], teams: ["@dba-team"], allow: ["fault"], deny: ["had to"]))
        for _ in 0..<3_000 {
            let count = 1 + next(30)
            var text = ""
            for _ in 0..<count {
                text += pieces[next(pieces.count)]
                if next(4) != 0 { text += " " }
            }
            let context = ProseContext.allCases[next(ProseContext.allCases.count)]
            for finding in analyzer.analyze(ProseBlock(text: text, context: context)) {
                XCTAssertTrue(finding.range.lowerBound < finding.range.upperBound && finding.range.upperBound <= text.utf8.count, text)
                XCTAssertNotNil(String(validating: Array(text.utf8)[finding.range], as: UTF8.self), "split a character: \(text)")
            }
        }
    }
}


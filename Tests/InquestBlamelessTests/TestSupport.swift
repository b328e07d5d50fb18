import XCTest
import InquestBlameless

/// Rule ids, spelled once.
enum Rule {
    static let humanError = "blameless/human-error"
    static let counterfactual = "blameless/counterfactual"
    static let blameWord = "blameless/blame-word"
    static let personAsCause = "blameless/person-as-cause"
    static let namedIndividual = "blameless/named-individual"
    static let hindsight = "blameless/hindsight"
}

/// One analyzer with default options, compiled once for the whole suite.
let defaultAnalyzer = BlamelessAnalyzer()

/// The exact text a finding underlines.
func underlined(_ finding: BlamelessFinding, in text: String) -> String {
    String(decoding: Array(text.utf8)[finding.range], as: UTF8.self)
}

func analyze(_ text: String, _ context: ProseContext = .narrative, analyzer: BlamelessAnalyzer = defaultAnalyzer) -> [BlamelessFinding] {
    analyzer.analyze(ProseBlock(text: text, context: context))
}

/// Asserts that `rule` fires in `text` and underlines exactly `words`.
func assertFinds(_ rule: String, _ words: String, in text: String, _ context: ProseContext = .narrative,
                 analyzer: BlamelessAnalyzer = defaultAnalyzer, file: StaticString = #filePath, line: UInt = #line) {
    let found = analyze(text, context, analyzer: analyzer).filter { $0.rule == rule }
    let shown = found.map { underlined($0, in: text) }
    XCTAssertTrue(shown.contains(words), "expected \(rule) on \"\(words)\" in: \(text) — got \(shown)", file: file, line: line)
}

/// Asserts that `rule` (or, when nil, any rule) does not fire in `text`.
func assertNoFinding(_ rule: String?, in text: String, _ context: ProseContext = .narrative,
                     analyzer: BlamelessAnalyzer = defaultAnalyzer, file: StaticString = #filePath, line: UInt = #line) {
    let found = analyze(text, context, analyzer: analyzer).filter { rule == nil || $0.rule == rule }
    XCTAssertTrue(found.isEmpty, "unexpected \(found.map { "\($0.rule) \"\(underlined($0, in: text))\"" }) in: \(text)",
                  file: file, line: line)
}

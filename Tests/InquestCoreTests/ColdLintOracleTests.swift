import Foundation
import InquestBlameless
import XCTest
@testable import InquestCore

/// The byte-level paths of the second cold-lint pass (issue 15) against copies of the code they
/// replaced, kept here as oracles, on generated texts: due values, the owner label, file stems,
/// line tables, companion headings, and the blame-language scan fed bytes instead of Strings.
final class ColdLintOracleTests: XCTestCase {
    private static let actionPieces: [String] = [
        "due", "Due", "DUE", "due:", "Due:", "due to", "overdue", "2025-03-04", "YYYY-MM-DD", "yyyy", "3/4", "(", ")", "|", ",", ";", " ", "  ",
        "owner:", "Owner:", "OWNER:", "owner", "own", "er:", "owne\u{301}r:", "owner:\u{301}", "ｏｗｎｅｒ：", "own\u{AD}er:", "@sam", "sam@x.example",
        "é", "e\u{301}", "\u{301}", "İ", "K", "ß", "東京", "😀", "—", "dué", "d\u{fc}e", "ABC-12", "https://t.example/1", "x", "\n",
        "\u{212A}", "ẞ", "Σ", "ÉTÉ", "Ǆ", "DUÉ", "“", "”", "…",
    ]

    // MARK: - action-items/invalid-due

    /// The definition before the byte comparison.
    private static func referenceDueValue(in text: String) -> (String, Range<Int>)? {
        let bytes = Array(text.utf8)
        let lower = bytes.allSatisfy { $0 < 0x80 } ? bytes.map(ByteSearch.lower) : Array(text.lowercased().utf8)
        guard lower.count == bytes.count else { return nil }
        var index = 0
        while index + 3 <= lower.count {
            defer { index += 1 }
            guard lower[index..<index + 3].elementsEqual("due".utf8),
                  index == 0 || !TimelineParser.isWordByte(lower[index - 1]) else { continue }
            var cursor = index + 3
            let colon = cursor < bytes.count && bytes[cursor] == UInt8(ascii: ":")
            if colon { cursor += 1 }
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            let start = cursor
            while cursor < bytes.count, !" ,;()|".utf8.contains(bytes[cursor]) { cursor += 1 }
            guard cursor > start else { continue }
            let value = String(decoding: bytes[start..<cursor], as: UTF8.self)
            guard colon || value.first?.isNumber == true || value.uppercased().hasPrefix("YYYY") else { continue }
            return (value, start..<cursor)
        }
        return nil
    }

    func testDueValuesOnBytesAgreeWithTheSliceComparison() {
        var found = 0
        for text in ColdPathOracleTests.texts(count: 4_000, seed: 71, pieces: Self.actionPieces, maxPieces: 12) {
            let fast = InvalidDueRule.dueValue(in: text)
            let reference = Self.referenceDueValue(in: text)
            XCTAssertEqual(fast?.0, reference?.0, text.debugDescription)
            XCTAssertEqual(fast?.1, reference?.1, text.debugDescription)
            if fast != nil { found += 1 }
        }
        XCTAssertGreaterThan(found, 300)
    }

    // MARK: - Action item owners

    /// The definition before the byte pre-check: Foundation's search on every item.
    private static func referenceOwner(in text: String) -> String? {
        let bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] == UInt8(ascii: "@") {
            guard index == 0 || !TimelineParser.isWordByte(bytes[index - 1]) else { continue }
            var end = index + 1
            while end < bytes.count, TimelineParser.isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: "/") || bytes[end] == UInt8(ascii: ".") { end += 1 }
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if end > index + 1 { return String(decoding: bytes[index..<end], as: UTF8.self) }
        }
        if let range = text.range(of: "owner:", options: .caseInsensitive) {
            let rest = text[range.upperBound...].drop { $0 == " " }
            let name = rest.prefix { !",;()|—–".contains($0) }.trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        return nil
    }

    func testOwnersWithTheBytePreCheckAgreeWithFoundationsSearch() {
        var labelled = 0
        let pieces = Self.actionPieces.filter { !$0.hasPrefix("@") }
        for text in ColdPathOracleTests.texts(count: 4_000, seed: 73, pieces: pieces, maxPieces: 12) {
            let owner = ActionItemParser.owner(in: text)
            XCTAssertEqual(owner, Self.referenceOwner(in: text), text.debugDescription)
            if owner != nil { labelled += 1 }
        }
        XCTAssertGreaterThan(labelled, 300)
    }

    // MARK: - action-items/not-actionable

    /// The byte path for text without cased non-ASCII scalars against Foundation's definition.
    func testNotActionableLowercasingOnBytesAgreesWithTheReference() {
        let pieces = Self.actionPieces + ["’", "don’t", "Be More Careful", "TRY TO", "\u{2019}\u{301}", "é’", "’é", "Ａ"]
        var bytePath = 0
        for text in ColdPathOracleTests.texts(count: 3_000, seed: 101, pieces: pieces, maxPieces: 12) {
            XCTAssertEqual(NotActionableRule.lowercasedBytes(text), NotActionableRule.referenceLowercasedBytes(text), text.debugDescription)
            if Array(text.utf8).withUnsafeBufferPointer({ NotActionableRule.lowercasedBytesOfCaselessText($0) }) != nil { bytePath += 1 }
        }
        XCTAssertGreaterThan(bytePath, 300)
    }

    // MARK: - Stems, line tables

    func testStemsAgreeWithTheSplitDefinition() {
        let pieces = ["a", "b", "/", "//", ".md", ".markdown", ".MD", "2024-03-04", "-", "é", "\u{301}", "/\u{301}", "x.md", " ", ".", "東京"]
        for path in ColdPathOracleTests.texts(count: 3_000, seed: 79, pieces: pieces, maxPieces: 6) + ["", "/", "///", "a/", "a//b.md/"] {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            var reference = name
            for suffix in PostmortemFiles.extensions where name.hasSuffix(suffix) {
                reference = String(name.dropLast(suffix.count))
                break
            }
            XCTAssertEqual(RawDocument(path: path, bytes: []).stem, reference, path.debugDescription)
        }
    }

    func testLineTablesAgreeWithTheByteLoop() {
        let pieces = ["\n", "\r\n", "\n\n", "a", "line", "é", "東京", "\r", " ", "---\n", "😀"]
        for text in ColdPathOracleTests.texts(count: 2_000, seed: 83, pieces: pieces, maxPieces: 40) + [""] {
            let bytes = Array(text.utf8)
            var reference = [0]
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { reference.append(index + 1) }
            XCTAssertEqual(SourceText(bytes: bytes).lineStarts, reference, text.debugDescription)
        }
    }

    func testCommentOpeningsFoundByMemchrAgreeWithTheByteLoop() {
        let pieces = ["<", "!", "-", "<!--", "<!-", "<!", "-->", "a", " ", "\n", "é", "<<!--", "<!<!--"]
        var found = 0
        for text in ColdPathOracleTests.texts(count: 3_000, seed: 103, pieces: pieces, maxPieces: 8) + ["", "<", "<!-", "<!--"] {
            let bytes = Array(text.utf8)
            var reference = false
            var index = 0
            while index + 4 <= bytes.count {
                if bytes[index] == 0x3C, bytes[index + 1] == 0x21, bytes[index + 2] == 0x2D, bytes[index + 3] == 0x2D { reference = true; break }
                index += 1
            }
            XCTAssertEqual(SuppressionParser.containsCommentOpening(bytes), reference, text.debugDescription)
            if reference { found += 1 }
        }
        XCTAssertGreaterThan(found, 300)
    }

    // MARK: - Companion headings

    func testCompanionSetsAgreeWithIsCompanion() {
        let schema = Schema()
        let companions = Set(schema.companions.map(Schema.normalize))
        let pieces = ["Contributing", "factors", "Factor", "What", "happened", "## ", "1.", "(", ")", "-", ":", "CONTRIBUTING FACTORS", "x", " ", "é"]
        for heading in ColdPathOracleTests.texts(count: 2_000, seed: 89, pieces: pieces, maxPieces: 5) {
            XCTAssertEqual(companions.contains(Schema.normalize(heading)), schema.isCompanion(heading), heading.debugDescription)
        }
    }

    // MARK: - Blame language on bytes

    /// The scan before it read bytes: each block's `ProseText` decoded into a String and handed
    /// to the public `analyze(_:)`; the ranges mapped through `ProseText.fileRange(of:)`.
    func testTheByteScanFindsWhatTheStringScanFound() {
        let pieces = ColdPathOracleTests.markdownPieces + [
            "Sam should have", "checked the", "failed to", "human error", "obviously", "the engineer", "forgot to", "caused by",
            "if we had", "rolled back", "Priya looked at", "@sam", "careless", "just", "simply", "## Root Causes\n", "## Timeline\n",
            "## Action Items\n", "Jordan restarted", "didn’t", "should’ve", "the on-call engineer", ". ", "\"", "“", "”",
        ]
        let linter = Linter()
        let scan = LanguageScan(configuration: linter.configuration, gitAuthors: [])
        let analyzer = BlamelessAnalyzer(options: BlamelessOptions())
        let parser = PostmortemParser()
        var findings = 0
        for text in ColdPathOracleTests.texts(count: 600, seed: 97, pieces: pieces, maxPieces: 40) {
            let postmortem = parser.parse(RawDocument(path: "postmortems/x.md", bytes: Array(("---\nid: x\n---\n" + text).utf8)))
            var reference: [LanguageScan.Located] = []
            LanguageScan.forEachProseBlock(of: postmortem) { block, context in
                let prose = ProseText(block: block.pointee, source: postmortem.source)
                for finding in analyzer.analyze(ProseBlock(text: prose.text, context: context)) {
                    reference.append(LanguageScan.Located(rule: finding.rule, bytes: prose.fileRange(of: finding.range),
                                                          message: finding.message, suggestion: finding.suggestion))
                }
            }
            let fast = scan.scan(postmortem)
            XCTAssertEqual(fast.map(\.rule), reference.map(\.rule), text.debugDescription)
            XCTAssertEqual(fast.map(\.bytes), reference.map(\.bytes), text.debugDescription)
            XCTAssertEqual(fast.map(\.message), reference.map(\.message), text.debugDescription)
            XCTAssertEqual(fast.map(\.suggestion), reference.map(\.suggestion), text.debugDescription)
            findings += fast.count
        }
        XCTAssertGreaterThan(findings, 100)
    }
}

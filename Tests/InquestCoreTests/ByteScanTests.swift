import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// The byte-level scans of action items (ticket, due date, not-actionable phrases) against the
/// String/Character definitions they replaced, on many generated texts: the same answer every time.
final class ByteScanTests: XCTestCase {
    /// Pieces that exercise separators, tickets, URLs, case, and the non-ASCII cases where a byte
    /// view and a Character view could disagree (combining marks next to separators or letters,
    /// case mappings that change length, Kelvin sign, ’ with and without marks).
    private static let pieces: [String] = [
        " ", " ", " ", ",", ";", "(", ")", "[", "]", "|", "-", "—", "–", "’", "'", ".", ":", "\u{301}", "\u{200D}", "\u{FE0F}",
        "LRK-101", "AB-1", "A-1", "ABCDEFGHIJK-1", "ABC1-22", "abc-1", "AB-", "AB-1-2", "AB--1", "Ä B-1", "ÄB-12", "AB-١٢", "Ⅻ-1", "AB²-1",
        "http://x.example/a", "https://tracker.example/issues/7", "HTTP://x", "http:/\u{301}/x",
        "due", "Due:", "DUE", "due: 2025-04-01", "due 2025-12-31", "dué", "due\u{301}", "d\u{301}ue", "overdue", "ｄｕｅ",
        "be more careful", "Be careful", "try to", "We try to", "make sure that", "Engineers should", "pay attention", "double-check",
        "don't", "do not", "never", "again", "in the future", "remind the team", "don’t", "keep in mind", "try-to",
        "İ", "Σ", "ẞ", "ß", "É", "é", "K", "ǅ", "🙂", "👩‍💻", "\u{0600}", "x", "the", "@platform-team", "owner: Priya",
    ]

    private static func texts(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in
            (0..<(1 + next() % 12)).map { _ in pieces[next() % pieces.count] }.joined(separator: next() % 3 == 0 ? "" : " ")
        }
    }

    // MARK: reference definitions (the code before the byte scans)

    private func referenceDue(_ text: String) -> CalendarDate? {
        guard let range = text.range(of: "due", options: .caseInsensitive) else { return nil }
        var rest = text[range.upperBound...]
        if rest.first == ":" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " }
        return CalendarDate(parsing: String(rest.prefix(10)))
    }

    private func referenceFirstMatch(_ text: String) -> (phrase: String, range: Range<Int>)? {
        let lower = Array(text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'").utf8)
        guard lower.count == text.utf8.count else { return nil }
        func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
            guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
            var index = 0
            while index + needle.count <= haystack.count {
                if haystack[index..<index + needle.count].elementsEqual(needle) {
                    let beforeOK = index == 0 || !TimelineParser.isWordByte(haystack[index - 1])
                    let after = index + needle.count
                    let afterOK = after == haystack.count || !TimelineParser.isWordByte(haystack[after]) || !TimelineParser.isWordByte(needle[needle.count - 1])
                    if beforeOK && afterOK { return index..<after }
                }
                index += 1
            }
            return nil
        }
        var best: (String, Range<Int>)?
        for phrase in NotActionableRule.phrases {
            guard let range = find(Array(phrase.utf8), in: lower), range.lowerBound < (best?.1.lowerBound ?? .max) else { continue }
            if NotActionableRule.ambiguous.contains(phrase), !NotActionableRule.addressesPeople(lower, before: range.lowerBound) { continue }
            best = (phrase, range)
        }
        for opener in ["don't ", "do not ", "never "] {
            guard let start = find(Array(opener.utf8), in: lower) else { continue }
            let sentenceEnd = lower[start.upperBound...].firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ";") } ?? lower.count
            let tail = Array(lower[start.upperBound..<sentenceEnd])
            for closer in ["again", "in the future", "in future"] {
                if let found = find(Array(closer.utf8), in: tail) {
                    let range = start.lowerBound..<(start.upperBound + found.upperBound)
                    if range.lowerBound < (best?.1.lowerBound ?? .max) { best = (String(decoding: lower[range], as: UTF8.self), range) }
                }
            }
        }
        return best
    }

    // MARK: tests

    func testTicketScanAgreesWithTheCharacterDefinition() {
        var byteAnswers = 0
        for text in Self.texts(count: 5_000, seed: 1) {
            XCTAssertEqual(ActionItemParser.ticket(in: text), ActionItemParser.ticketByCharacters(in: text), "\(text.debugDescription)")
            var copy = text
            if copy.withUTF8({ ActionItemParser.scanTicket($0) }) != .ambiguous { byteAnswers += 1 }
        }
        // The byte scan settles most texts itself (the Character path is for rare graphemes).
        XCTAssertGreaterThan(byteAnswers, 1_250)
    }

    func testTicketScanSettlesTheUsualItemWithoutTheCharacterPath() {
        var text = "Alert on eviction rate — @platform-team, LRK-101, due: 2025-04-01"
        XCTAssertEqual(text.withUTF8 { ActionItemParser.scanTicket($0) }, .found("LRK-101"))
        var combining = "Alert )\u{301} LRK-101"
        XCTAssertEqual(combining.withUTF8 { ActionItemParser.scanTicket($0) }, .ambiguous)
        XCTAssertEqual(ActionItemParser.ticket(in: combining), "LRK-101")
    }

    func testDueScanAgreesWithFoundationSearch() {
        for text in Self.texts(count: 5_000, seed: 2) {
            XCTAssertEqual(ActionItemParser.due(in: text), referenceDue(text), "\(text.debugDescription)")
        }
        XCTAssertEqual(ActionItemParser.due(in: "Fix it — DUE: 2025-04-01"), CalendarDate(year: 2025, month: 4, day: 1))
    }

    func testNotActionableScanAgreesWithThePhraseByPhraseSearch() {
        var matches = 0
        // 5,000 random texts over the phrase pieces reach every phrase many times over (20,000 took
        // 9 s of a loaded machine and found nothing more).
        for text in Self.texts(count: 5_000, seed: 3) {
            let fast = NotActionableRule.firstMatch(in: text), reference = referenceFirstMatch(text)
            XCTAssertEqual(fast?.phrase, reference?.phrase, "\(text.debugDescription)")
            XCTAssertEqual(fast?.range, reference?.range, "\(text.debugDescription)")
            if fast != nil { matches += 1 }
        }
        XCTAssertGreaterThan(matches, 250)
    }

    func testLowercasedBytesAgreeWithStringLowercased() {
        for text in Self.texts(count: 5_000, seed: 4) {
            XCTAssertEqual(NotActionableRule.lowercasedBytes(text), NotActionableRule.referenceLowercasedBytes(text), "\(text.debugDescription)")
        }
    }
}

/// The similarity terms, collected scalar by scalar, against the `lowercased()` definition.
final class SimilarityTermsScanTests: XCTestCase {
    private func referenceTerms(_ text: String) -> [String: Int] {
        var words: [String] = []
        var current = ""
        func flush() {
            if current.count >= 3, !SimilarityIndex.stopWords.contains(current) { words.append(SimilarityIndex.stem(current)) }
            current = ""
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { current.unicodeScalars.append(scalar) } else { flush() }
        }
        flush()
        var bag: [String: Int] = [:]
        for (index, word) in words.enumerated() {
            bag[word, default: 0] += 1
            if index > 0 { bag[words[index - 1] + " " + word, default: 0] += 1 }
        }
        return bag
    }

    func testTermsAgreeWithTheLowercasedDefinition() {
        let pieces = ["The", "cache", "CACHES", "evicted", "its", "hot", "set", "—", "’", "-", ".", " ", " ", " ", "42", "x2",
                      "Überlast", "naïve", "e\u{301}té", "İstanbul", "ΣΊΣΥΦΟΣ", "ẞtraße", "٣٤٥", "Ⅻ", "東京", "😀", "K", "ǅemal",
                      "retries", "replicas", "root", "cause", "why", "a\u{300}b", "\u{301}abc", "queue-depth", "TTL_expired"]
        var state: UInt64 = 11
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<5_000 {
            let text = (0..<(1 + next() % 20)).map { _ in pieces[next() % pieces.count] }.joined(separator: next() % 4 == 0 ? "" : " ")
            XCTAssertEqual(SimilarityIndex.terms(text), referenceTerms(text), text.debugDescription)
        }
    }
}

import CCmarkGFM
import Foundation
import XCTest
@testable import InquestCore

/// The faster per-document paths of a cold lint (zone and day-marker reading in the timeline,
/// node kinds, prose alignment, the similarity pair pass) against copies of the code they
/// replaced, kept here as oracles, on many generated texts and documents: the same answer every
/// time, down to the byte and the last bit of a score.
final class ColdPathOracleTests: XCTestCase {
    /// Pieces where a byte view and a String view could disagree: combining marks next to the
    /// words searched for, case mappings that change length or land on ASCII (İ, K), final
    /// sigma, ẞ, CJK, emoji with joiners, right-to-left text, a prepended Arabic mark, CRLF,
    /// no-break and thin spaces, tabs, and the words and zones a timeline uses.
    static let pieces: [String] = [
        " ", " ", " ", "  ", "\t", "\u{A0}", "\u{202F}", "\u{2009}", "\r\n", "\n", ",", ":", "(", ")", "/", "-", "—", "–", ".",
        "\u{301}", "\u{308}", "\u{200D}", "\u{FE0F}", "\u{0600}", "İ", "ı", "Σ", "ς", "ẞ", "ß", "K", "Å", "é", "e\u{301}", "東京", "時間",
        "😀", "👩‍💻", "🇩🇪", "שלום", "مرحبا", "\u{202E}", "\u{FEFF}",
        "time", "Time", "TIME", "times", "tİme", "tıme", "time\u{301}", "\u{301}time", "zone", "Zone", "timezone", "ZONE\u{308}", "zonē",
        "all times in", "All times are", "times in UTC", "Timezone:", "(all times PST)", "UTC", "utc", "GMT+2", "UTC-05:30", "CET", "PST", "PT",
        "Pacific Time", "pacific standard time", "Central European Time", "CENTRAL TIME", "coordinated universal time", "india standard time",
        "eastern time\u{301}", "Eastern\u{A0}Time", "Europe/Berlin", "America/Los_Angeles", "Nowhere/Else", "europe/berlin", "a/b",
        "09:12", "9:12 PM", "14:05", "Day", "day", "Day 2", "two", "Wednesday", "the", "next", "following", "morning", "Next", "3",
        "One", "ＤＡＹ", "Monday\u{301}", "café", "x",
    ]

    static func texts(count: Int, seed: UInt64, pieces: [String] = pieces, maxPieces: Int = 10) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in
            (0..<(1 + next() % maxPieces)).map { _ in pieces[next() % pieces.count] }.joined(separator: next() % 3 == 0 ? "" : " ")
        }
    }

    // MARK: - Zones, day markers

    /// The definitions before the byte search (commit 8004a6d).
    private func referenceZoneLine(_ text: String, options: TimelineOptions) -> Zone? {
        let lower = text.lowercased()
        guard lower.contains("time") || lower.contains("zone") else { return nil }
        return referenceFirstZone(TimeScanner(text, options: options), options: options)
    }

    private static let referenceZoneNames: [(String, String)] = [
        ("coordinated universal time", "UTC"), ("greenwich mean time", "GMT"), ("central european summer time", "CEST"),
        ("central european time", "CET"), ("british summer time", "BST"), ("eastern european time", "EET"),
        ("india standard time", "IST"), ("pacific time", "PT"), ("mountain time", "MT"), ("central time", "CT"),
        ("eastern time", "ET"), ("pacific standard time", "PST"), ("eastern standard time", "EST"),
    ].sorted { $0.0.count > $1.0.count }

    private func referenceFirstZone(_ scanner: TimeScanner, options: TimelineOptions) -> Zone? {
        let bytes = scanner.bytes
        let text = String(decoding: bytes, as: UTF8.self)
        let lowered = text.lowercased()
        for (name, abbreviation) in Self.referenceZoneNames where lowered.contains(name) {
            if let zone = options.zone(named: abbreviation) { return zone }
        }
        for word in text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "," || $0 == ":" }) where word.contains("/") {
            var candidate = String(word)
            while let last = candidate.last, ".;".contains(last) { candidate.removeLast() }
            if candidate.first?.isUppercase == true, let zone = Zone(identifier: candidate) { return zone }
        }
        var index = 0
        while index < bytes.count {
            if index == 0 || !TimelineParser.isWordByte(bytes[index - 1]), bytes[index] >= 0x41, bytes[index] <= 0x5A,
               let (zone, _) = scanner.zone(at: index, allowNumericOffset: false, allowNegativeOffset: false, requireUpper: true) {
                return zone
            }
            index += 1
        }
        return nil
    }

    private func referenceDayMarker(_ text: String) -> DayMarker? {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        let numbers = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7]
        var marker = DayMarker?.none
        switch words.count {
        case 1:
            guard let index = weekdays.firstIndex(of: words[0]) else { return nil }
            marker = DayMarker("sunday")
            marker?.weekday = index
        case 2 where words[0] == "day":
            guard let value = Int(words[1]) ?? numbers[words[1]], (1...31).contains(value) else { return nil }
            marker = DayMarker("day 1")
            marker?.number = value
        case 2, 3:
            let phrase = words.drop { $0 == "the" }.joined(separator: " ")
            guard ["next day", "following day", "next morning", "following morning"].contains(phrase) else { return nil }
            marker = DayMarker("next day")
        default:
            return nil
        }
        return marker
    }

    func testLowercasedContainsAgreesWithTheStringSearch() {
        let needles: [StaticString] = ["time", "zone", "pacific time", "central european time", "coordinated universal time", "eastern time"]
        for text in Self.texts(count: 6_000, seed: 3) {
            for needle in needles {
                XCTAssertEqual(ByteSearch.lowercasedContains(text, needle), text.lowercased().contains(needle.description),
                               "\(needle) in \(text.debugDescription)")
            }
        }
    }

    func testOnlyTwoScalarsLowercaseToASCII() {
        // The byte search relies on it: no other non-ASCII scalar can turn into a needle's letters.
        var found: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF {
            // Unassigned code points (most of the range) map to themselves by definition; a
            // later Unicode version that assigns one makes it checked here.
            guard let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .unassigned else { continue }
            if scalar.properties.lowercaseMapping.unicodeScalars.contains(where: \.isASCII) { found.append(value) }
        }
        XCTAssertEqual(found, [0x130, 0x212A])
    }

    func testZoneLinesAndFirstZonesAgreeWithTheStringDefinitions() {
        var options = TimelineOptions()
        options.zones = ["BRT": -180]
        var read = 0
        for text in Self.texts(count: 6_000, seed: 5) {
            for opts in [TimelineOptions(), options] {
                let zone = TimelineParser.zoneLine(text, options: opts)
                XCTAssertEqual(zone, referenceZoneLine(text, options: opts), text.debugDescription)
                let scanner = TimeScanner(text, options: opts)
                XCTAssertEqual(scanner.firstZone(), referenceFirstZone(scanner, options: opts), text.debugDescription)
                if zone != nil { read += 1 }
            }
        }
        XCTAssertGreaterThan(read, 1_000, "the generated lines state zones often enough to compare answers, not only misses")
    }

    func testDayMarkersAgreeWithTheCharacterDefinition() {
        let short = Self.texts(count: 6_000, seed: 7, maxPieces: 4)
        var markers = 0
        for text in short + Self.texts(count: 2_000, seed: 8) {
            let marker = DayMarker(text)
            XCTAssertEqual(marker, referenceDayMarker(text), text.debugDescription)
            if marker != nil { markers += 1 }
        }
        XCTAssertGreaterThan(markers, 50)
    }

    // MARK: - Markdown: node kinds and prose alignment

    /// Markdown pieces: emphasis, code spans, links and autolinks, entities, escapes, inline HTML,
    /// hard and soft breaks, tables, task items, strikethrough, footnotes, headings, quotes, code blocks.
    static let markdownPieces: [String] = [
        "word", "Sam", "the deploy", "**bold**", "*em*", "_em_", "`code`", "``a ` b``", "[link](http://x.example)", "<http://auto.example>",
        "www.example.com", "https://bare.example/path", "&amp;", "&copy;", "&#x1F600;", "\\*", "\\_", "<span>x</span>", "<br>", "~~gone~~",
        "![img](a.png)", "[^1]", "  \n", "\\\n", "\n", "\r\n", "\n\n", "\n- ", "\n- [ ] ", "\n- [x] ", "\n1. ", "\n> ", "\n## ", "\n### ",
        "\n```\ncode\n```\n", "\n| a | b |\n| --- | --- |\n| 1 | 2 |\n", "\n[^1]: note\n", "é", "e\u{301}", "東京", "😀", "שלום", "\u{A0}",
        "09:12", "—", "’", "İ", "ẞ", "Σ", "\t", "***", "__", "[", "]", "(", ")", "<", ">", "&", "\u{FFFC}",
    ]

    private func documents(count: Int, seed: UInt64) -> [String] {
        Self.texts(count: count, seed: seed, pieces: Self.markdownPieces, maxPieces: 30)
    }

    func testNodeKindsFromTheTypeEnumAgreeWithTheTypeStrings() {
        var nodes = 0
        for text in documents(count: 1_500, seed: 13) {
            let document = CmarkDocument(bytes: Array(text.utf8))
            let iterator = cmark_iter_new(document.root)
            defer { cmark_iter_free(iterator) }
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                XCTAssertEqual(CmarkDocument.kind(of: node), CmarkDocument.kindByTypeString(of: node), text.debugDescription)
                nodes += 1
            }
        }
        XCTAssertGreaterThan(nodes, 20_000)
    }

    func testProseTextAgreesWithTheByteByByteAlignment() {
        var blocks = 0
        for text in documents(count: 1_500, seed: 17) {
            let source = SourceText(bytes: Array(text.utf8))
            let tree = CmarkDocument(bytes: source.bytes).tree(in: source, bodyStart: 0)
            tree.walk { node in
                switch node.kind {
                case .paragraph, .heading, .tableCell:
                    for keepingCode in [false, true] {
                        let fast = ProseText(block: node, source: source, keepingCode: keepingCode)
                        let reference = ReferenceProseText(block: node, source: source, keepingCode: keepingCode)
                        XCTAssertEqual(fast.text, reference.text, text.debugDescription)
                        XCTAssertEqual(fast.fileOffsets, reference.fileOffsets, text.debugDescription)
                    }
                    blocks += 1
                default:
                    break
                }
            }
        }
        XCTAssertGreaterThan(blocks, 2_000)
    }

    /// The blame-language scan builds a block's prose without its offset map first (and again
    /// with it only when the block has findings): the text must not depend on the map.
    func testProseBuiltWithoutOffsetsHasTheSameText() {
        var blocks = 0
        for text in documents(count: 1_000, seed: 61) {
            let source = SourceText(bytes: Array(text.utf8))
            let tree = CmarkDocument(bytes: source.bytes).tree(in: source, bodyStart: 0)
            tree.walk { node in
                guard node.kind == .paragraph || node.kind == .tableCell || { if case .heading = node.kind { true } else { false } }() else { return }
                withUnsafePointer(to: node) { block in
                    let plain = ProseText.bytes(block: block, source: source, offsets: false)
                    let mapped = ProseText.bytes(block: block, source: source)
                    XCTAssertEqual(plain.utf8, mapped.utf8, text.debugDescription)
                    XCTAssertEqual(plain.fileOffsets, [])
                    XCTAssertEqual(mapped.fileOffsets.count, mapped.utf8.count + 1)
                }
                blocks += 1
            }
        }
        XCTAssertGreaterThan(blocks, 1_000)
    }

    func testSuppressionsWithoutACommentOpeningNeedNoWalk() {
        let pieces = Self.markdownPieces + ["<!-- inquest-disable blameless/hindsight -->", "<!-- inquest-enable -->", "<!--", "-->", "<!-",
                                            "<!-- inquest-disable-next-line -->", "\n<!-- inquest-disable-file links/broken -- why -->\n", "<!---->"]
        var found = 0
        for text in Self.texts(count: 2_000, seed: 43, pieces: pieces, maxPieces: 30) {
            let source = SourceText(bytes: Array(text.utf8))
            let tree = CmarkDocument(bytes: source.bytes).tree(in: source, bodyStart: 0)
            let walked = SuppressionParser.suppressionsByWalking(tree, source: source)
            XCTAssertEqual(SuppressionParser.suppressions(in: tree, source: source), walked, text.debugDescription)
            if !SuppressionParser.containsCommentOpening(source.bytes) { XCTAssertEqual(walked, [], text.debugDescription) }
            found += walked.count
        }
        XCTAssertGreaterThan(found, 200)
    }

    // MARK: - Links, trims, encodings, control characters

    /// `links/broken`'s byte paths for ASCII URLs and paths against the Character definitions
    /// they stand in front of (which still take every non-ASCII input).
    func testLinkTargetsOnBytesAgreeWithTheCharacterDefinitions() {
        let pieces = ["../", "./", "2019/", "a", "b.md", ".md", ".MD", ".markdown", "md", "#frag", "?q=1", "%20", "%2Emd", "http://",
                      "mailto:", "/", "//", "..", ".", "x", ":", "://", "é", "e\u{301}", "\u{301}", "#", "?", " ", "postmortems/"]
        var decided = 0
        for url in Self.texts(count: 6_000, seed: 43, pieces: pieces, maxPieces: 6).map({ $0.replacingOccurrences(of: " ", with: "") }) {
            let target = BrokenLinkRule.relativeMarkdownTarget(url)
            XCTAssertEqual(target, BrokenLinkRule.characterRelativeMarkdownTarget(url), url.debugDescription)
            if target != nil { decided += 1 }
            for from in ["postmortems/2020/a.md", "a.md", "postmortems/é/x.md", "p/q/r/s.md"] {
                XCTAssertEqual(BrokenLinkRule.resolve(url, from: from), BrokenLinkRule.characterResolve(url, from: from), "\(url.debugDescription) from \(from)")
            }
        }
        XCTAssertGreaterThan(decided, 300, "many URLs are Markdown targets")
    }

    func testTrimmingWhitespacesAgreesWithFoundation() {
        let pieces = [" ", "\t", "\u{A0}", "\u{2009}", "\u{3000}", "\n", "a", "Root Causes", "é", "\u{301}", "x\u{301}", ":", "**"]
        for text in Self.texts(count: 6_000, seed: 47, pieces: pieces, maxPieces: 6) {
            XCTAssertEqual(text.trimmingWhitespaces(), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
        }
    }

    func testASCIIWithoutNULAgreesWithTheBytes() {
        var state: UInt64 = 53
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<20_000 {
            let bytes = (0..<(next() % 40)).map { _ -> UInt8 in
                switch next() % 20 {
                case 0: 0
                case 1: UInt8(0x80 + next() % 128)
                default: UInt8(1 + next() % 127)
                }
            }
            XCTAssertEqual(ByteSearch.isASCIIWithoutNUL(bytes), bytes.allSatisfy { $0 != 0 && $0 < 0x80 }, "\(bytes)")
            XCTAssertEqual(ByteSearch.asciiWithoutNULPrefix(bytes), bytes.firstIndex { $0 == 0 || $0 >= 0x80 } ?? bytes.count, "\(bytes)")
        }
    }

    /// `syntax/encoding`'s check, validating only what follows the ASCII prefix, against the
    /// whole-file definition, on text with multi-byte scalars, NULs and broken sequences.
    func testEncodingProblemsAgreeWithTheWholeFileCheck() {
        func reference(_ bytes: [UInt8]) -> String? {
            if let nul = bytes.firstIndex(of: 0) { return "nul \(nul)" }
            guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
            return "invalid"
        }
        var state: UInt64 = 61
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let pieces: [[UInt8]] = [Array("text ".utf8), Array("—".utf8), Array("é".utf8), Array("😀".utf8), [0], [0xE2, 0x80], [0x80], [0xFF],
                                 Array("0123456789abcdef".utf8), [0xC3], [0xF0, 0x9F, 0x98]]
        var problems = 0
        for _ in 0..<20_000 {
            let bytes = (0..<(next() % 12)).flatMap { _ in pieces[next() % 5 == 0 ? next() % pieces.count : next() % 5] }
            let problem = PostmortemParser.encodingProblem(bytes)
            switch reference(bytes) {
            case nil: XCTAssertNil(problem, "\(bytes)")
            case "invalid"?: XCTAssertEqual(problem?.message, "file is not valid UTF-8", "\(bytes)")
            case let nul?: XCTAssertEqual(problem.map { "nul \($0.bytes.lowerBound)" }, nul, "\(bytes)")
            }
            if problem != nil { problems += 1 }
        }
        XCTAssertGreaterThan(problems, 1_000)
    }

    /// `syntax/control-characters` skipping eight bytes at a time against the byte-by-byte walk.
    func testControlCharacterRunsAgreeWithTheByteWalk() {
        let pieces = ["\u{1B}", "\u{07}", "\u{7F}", "\t", "\n", "\r\n", "\u{01}\u{02}", "text", "a", "é", "東京", " ", "[31m", "\u{1F}", "0123456789"]
        var found = 0
        let texts = Self.texts(count: 4_000, seed: 59, pieces: pieces, maxPieces: 16)
        let parser = PostmortemParser()
        let postmortems = texts.indices.map { parser.parse(RawDocument(path: "postmortems/\($0).md", bytes: Array(texts[$0].utf8))) }
        // One context for every document: building one (the language analyzer) is what costs.
        let context = RuleContext(configuration: Configuration(), archive: Archive(postmortems: postmortems, catalogue: nil))
        for (text, postmortem) in zip(texts, postmortems) {
            let bytes = Array(text.utf8)
            var expected: [Range<Int>] = []
            var index = 0
            while index < bytes.count {
                guard ControlCharactersRule.isControl(bytes[index]) else { index += 1; continue }
                var end = index + 1
                while end < bytes.count, ControlCharactersRule.isControl(bytes[end]) { end += 1 }
                expected.append(index..<end)
                index = end
            }
            var findings = Findings()
            ControlCharactersRule().check(postmortem, context: context, into: &findings)
            XCTAssertEqual(findings.items.map(\.range), expected.map { postmortem.source.range(of: $0) }, text.debugDescription)
            found += expected.count
        }
        XCTAssertGreaterThan(found, 1_000)
    }

    // MARK: - Similarity

    func testASCIITermsAgreeWithTheScalarWalk() {
        let pieces = ["The", "cache", "CACHES", "evicted", "its", "hot", "set", "-", ".", " ", "  ", "\t", "\r\n", "42", "x2", "retries",
                      "replicas", "root", "cause", "why", "queue-depth", "TTL_expired", "ss", "less", "classes", "stories", "ies", "bring",
                      "running", "Fed", "tested", "boxes", "boss", "dogs", "s", "abcs", "ABCIES", "PINGING", "a1b2c3", "@", "(", "'"]
        for text in Self.texts(count: 8_000, seed: 31, pieces: pieces, maxPieces: 20) {
            XCTAssertEqual(SimilarityIndex.terms(text), SimilarityIndex.termsByScalars(text), text.debugDescription)
        }
    }

    /// The byte path of ``SimilarityIndex/sortedTerms(_:)`` (words, stems and pairs sorted and
    /// counted as bytes) against the dictionary it replaced, sorted by `String` order; texts with a
    /// non-ASCII byte take the dictionary path and must agree trivially.
    func testSortedASCIITermsAgreeWithTheSortedDictionary() {
        let pieces = ["The", "cache", "CACHES", "evicted", "its", "hot", "set", "-", ".", " ", "  ", "\t", "\r\n", "42", "x2", "retries",
                      "replicas", "root", "cause", "why", "queue-depth", "TTL_expired", "ss", "less", "classes", "stories", "ies", "bring",
                      "running", "Fed", "tested", "boxes", "boss", "dogs", "s", "abcs", "ABCIES", "PINGING", "a1b2c3", "@", "(", "'",
                      "the cache", "cache the", "because", "contributing factors", "Z9", "zz", "0000", "caches caches", "é", "K"]
        var ascii = 0
        for text in Self.texts(count: 8_000, seed: 37, pieces: pieces, maxPieces: 30) {
            let fast = SimilarityIndex.sortedTerms(text)
            let reference = SimilarityIndex.terms(text).sorted { $0.key < $1.key }
            XCTAssertEqual(fast.map(\.key), reference.map(\.key), text.debugDescription)
            XCTAssertEqual(fast.map(\.value), reference.map(\.value), text.debugDescription)
            if text.utf8.allSatisfy({ $0 < 0x80 }) { ascii += 1 }
        }
        XCTAssertGreaterThan(ascii, 4_000, "most texts take the byte path")
    }

    func testSimilarityPairsScoredOnceAgreeWithBothSidesScored() {
        let words = ["cache", "host", "replica", "session", "dropped", "retry", "storm", "overloaded", "auth", "service", "runbook",
                     "schema", "migration", "restart", "certificate", "expiry", "alert", "disk", "logging", "queue", "backlog",
                     "Überlast", "naïve", "東京", "e\u{301}té", "the", "and", "no", "because", "ΣΊΣΥΦΟΣ", "-", ",", "."]
        for (seed, count) in [(UInt64(19), 60), (23, 400), (29, 900)] {
            // Few words, so that many texts share terms and pairs cross the threshold often.
            let texts = Self.texts(count: count, seed: seed, pieces: words, maxPieces: 14)
            for threshold in [SimilarityIndex.threshold, -1] {
                let fast = SimilarityIndex(texts: texts, threshold: threshold).neighbours
                let reference = referenceNeighbours(texts, threshold: threshold)
                XCTAssertEqual(fast.count, reference.count)
                for index in fast.indices {
                    // Equatable compares the Double scores exactly.
                    XCTAssertEqual(fast[index], reference[index], "document \(index) of \(count)")
                }
                if threshold > 0 { XCTAssertGreaterThan(fast.map(\.count).reduce(0, +), count, "pairs above the threshold exist") }
            }
        }
    }

    /// `causes/similar` against its body before the neighbours were settled on integers (commit
    /// 8004a6d), on generated archives where many root-cause texts read alike and causes,
    /// contributing factors, dates and `related` links overlap in every combination.
    func testSimilarRootCausesAgreesWithTheCopyingDefinition() {
        let causes = ["cache-loss", "retry-storm", "expired-cert", "Cache-Loss", "runbook-gap", "disk-full"]
        let sentences = ["The session cache ran on one host with no replica.", "Losing the cache host dropped every session.",
                         "Clients retried without limit and overloaded the auth service.", "The renewal job stopped and certificates expired.",
                         "No alert watched the disk, which filled with debug logs.", "The runbook had no restart step after the migration."]
        var state: UInt64 = 41
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for count in [40, 160] {
            let documents = (0..<count).map { number -> RawDocument in
                let id = "inc-\(number)"
                let roots = (0..<(1 + next() % 2)).map { _ in causes[next() % causes.count] }
                let factors = next() % 3 == 0 ? [causes[next() % causes.count]] : []
                let related = next() % 4 == 0 ? ["inc-\(next() % count)"] : []
                let date = next() % 10 == 0 ? "" : "date: 2024-0\(1 + next() % 9)-1\(next() % 10)\n"
                let text = (0..<(1 + next() % 3)).map { _ in sentences[next() % sentences.count] }.joined(separator: " ")
                let body = "---\nid: \(id)\ntitle: Incident \(number)\n\(date)root_causes: [\(roots.joined(separator: ", "))]\n"
                    + "contributing_factors: [\(factors.joined(separator: ", "))]\nrelated: [\(related.joined(separator: ", "))]\n---\n\n"
                    + "## Summary\n\nA summary.\n\n## Root Causes\n\n\(text)\n"
                return RawDocument(path: "postmortems/\(id).md", bytes: Array(body.utf8))
            }
            let parser = PostmortemParser()
            let archive = Archive(postmortems: documents.map(parser.parse), catalogue: nil)
            let context = RuleContext(configuration: Configuration(), archive: archive)
            // Every pair at or above the threshold, as the index listed them before it kept only
            // the pairs `causes/similar` can report.
            let unfiltered = SimilarityIndex(bags: archive.postmortems.map(Archive.similarityTerms)).neighbours
            var reported = 0
            for postmortem in archive.postmortems {
                var fast = Findings()
                SimilarRootCausesRule().check(postmortem, context: context, into: &fast)
                let reference = referenceSimilarRootCauses(postmortem, archive: archive, neighbours: unfiltered)
                XCTAssertEqual(fast.items.map { "\($0.range) \($0.message) \($0.suggestion ?? "")" },
                               reference.items.map { "\($0.range) \($0.message) \($0.suggestion ?? "")" }, postmortem.id)
                reported += fast.items.count
            }
            XCTAssertGreaterThan(reported, count / 8, "the archive has findings to compare")
            // The archive's lists are the full lists less the pairs the rule never reports.
            var dropped = 0
            for index in archive.postmortems.indices {
                let kept = unfiltered[index].filter { match in
                    archive.chronologicalRank[match.index] < archive.chronologicalRank[index]
                        && Set(archive.postmortems[index].allCauses).isDisjoint(with: archive.postmortems[match.index].allCauses)
                }
                XCTAssertEqual(archive.similarity.neighbours[index], kept, archive.postmortems[index].id)
                dropped += unfiltered[index].count - kept.count
            }
            XCTAssertGreaterThan(dropped, 0, "some pairs are left out")
        }
    }

    private func referenceSimilarRootCauses(_ postmortem: Postmortem, archive: Archive, neighbours: [[SimilarityIndex.Match]]) -> Findings {
        var findings = Findings()
        guard let index = archive.byID[postmortem.id]?.first(where: { archive.postmortems[$0].path == postmortem.path }),
              let section = postmortem.section("Root Causes") else { return findings }
        let causes = Set(postmortem.allCauses)
        let linked = Set(postmortem.related.map(\.value))
        let myRank = archive.chronologicalRank[index]
        var reported = 0
        for match in neighbours[index] where reported < SimilarRootCausesRule.reportLimit {
            guard archive.chronologicalRank[match.index] < myRank,
                  causes.isDisjoint(with: archive.postmortems[match.index].allCauses),
                  !linked.contains(archive.postmortems[match.index].id),
                  !archive.postmortems[match.index].related.contains(where: { $0.value == postmortem.id }) else { continue }
            reported += 1
            let id = archive.postmortems[match.index].id
            let date = archive.postmortems[match.index].date.map(String.init(describing:)) ?? "undated"
            let score = Int((match.score * 100).rounded())
            findings.add(postmortem, section.headingBytes,
                         .similarRootCauses(id, date: date, similarity: score),
                         suggestion: "cite a shared cause (\(archive.postmortems[match.index].allCauses.joined(separator: ", "))) or add '\(id)' to 'related'")
        }
        return findings
    }

    /// The pair pass before each pair was scored once (commit 8004a6d).
    private func referenceNeighbours(_ texts: [String], threshold: Double) -> [[SimilarityIndex.Match]] {
        let bags = texts.map { SimilarityIndex.terms($0).sorted { $0.key < $1.key } }
        var termIDs: [String: Int] = [:]
        var documentFrequency: [Int] = []
        var idBags: [[(term: Int, count: Int)]] = []
        for bag in bags {
            var ids: [(term: Int, count: Int)] = []
            for (term, count) in bag {
                let id: Int
                if let known = termIDs[term] { id = known } else {
                    id = documentFrequency.count
                    termIDs[term] = id
                    documentFrequency.append(0)
                }
                documentFrequency[id] += 1
                ids.append((id, count))
            }
            idBags.append(ids)
        }
        let count = Double(max(1, texts.count))
        let candidateCutoff = max(50, texts.count / 10)
        var vectors: [[(term: Int, weight: Double)]] = []
        for bag in idBags {
            var vector = bag.map { entry in
                (entry.term, (1 + log(Double(entry.count))) * log((count + SimilarityIndex.backgroundDocuments) / Double(documentFrequency[entry.term])))
            }
            let norm = sqrt(vector.reduce(0) { $0 + $1.1 * $1.1 })
            if norm > 0 { vector = vector.map { ($0.0, $0.1 / norm) } }
            vectors.append(vector)
        }
        var postings: [[(document: Int, weight: Double)]] = Array(repeating: [], count: documentFrequency.count)
        for (index, vector) in vectors.enumerated() {
            for (term, weight) in vector where documentFrequency[term] <= candidateCutoff { postings[term].append((index, weight)) }
        }
        var neighbours: [[SimilarityIndex.Match]] = Array(repeating: [], count: vectors.count)
        var scores = Array(repeating: 0.0, count: vectors.count)
        var touched: [Int] = []
        for (index, vector) in vectors.enumerated() {
            for (term, weight) in vector where documentFrequency[term] <= candidateCutoff {
                for (other, otherWeight) in postings[term] where other != index {
                    if scores[other] == 0 { touched.append(other) }
                    scores[other] += weight * otherWeight
                }
            }
            var matches: [SimilarityIndex.Match] = []
            for other in touched {
                if scores[other] >= threshold { matches.append(.init(index: other, score: scores[other])) }
                scores[other] = 0
            }
            touched.removeAll(keepingCapacity: true)
            neighbours[index] = matches.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        }
        return neighbours
    }
}

/// `ProseText` as it was built before the run-at-once alignment (commit 8004a6d).
private struct ReferenceProseText {
    var text: String
    var fileOffsets: [Int]

    init(block: MarkdownNode, source: SourceText, keepingCode: Bool) {
        var builder = Builder(source: source.bytes, cursor: block.bytes.lowerBound, limit: block.bytes.upperBound, keepingCode: keepingCode)
        for child in block.children { builder.append(child) }
        text = String(decoding: builder.text, as: UTF8.self)
        builder.offsets.append(builder.cursor)
        fileOffsets = builder.offsets
    }

    private struct Builder {
        let source: [UInt8]
        var cursor: Int
        let limit: Int
        var keepingCode = false
        var text: [UInt8] = []
        var offsets: [Int] = []

        mutating func append(_ node: MarkdownNode) {
            switch node.kind {
            case .text:
                align(Array((node.literal ?? "").utf8))
            case .code where keepingCode:
                align(Array((node.literal ?? "").utf8))
            case .code:
                placeholder(skipping: Array((node.literal ?? "").utf8))
            case .htmlInline:
                placeholder(skipping: Array((node.literal ?? "").utf8))
            case .softBreak, .lineBreak:
                let newline = source[cursor..<min(limit, source.count)].firstIndex(of: UInt8(ascii: "\n")) ?? cursor
                text.append(UInt8(ascii: " "))
                offsets.append(newline)
                cursor = min(limit, newline + 1)
            case let .link(url) where isAutolink(node, url: url):
                placeholder(skipping: Array(node.plainText.utf8))
            case .image:
                placeholder(skipping: Array(node.plainText.utf8))
            case .footnoteReference:
                placeholder(skipping: Array((node.literal ?? "").utf8))
            default:
                for child in node.children { append(child) }
            }
        }

        private func isAutolink(_ node: MarkdownNode, url: String) -> Bool {
            let label = node.plainText
            return label == url || "mailto:" + label == url || "http://" + label == url
        }

        private mutating func placeholder(skipping literal: [UInt8]) {
            let start = find(literal) ?? cursor
            for byte in String(ProseText.placeholder).utf8 {
                text.append(byte)
                offsets.append(start)
            }
            cursor = min(limit, max(cursor, start + literal.count))
        }

        private func find(_ needle: [UInt8]) -> Int? {
            guard let first = needle.first else { return nil }
            var index = cursor
            let end = min(limit, source.count)
            while index + needle.count <= end {
                if source[index] == first, source[index..<index + needle.count].elementsEqual(needle) { return index }
                index += 1
            }
            return nil
        }

        private mutating func align(_ literal: [UInt8]) {
            let end = min(limit, source.count)
            for byte in literal {
                var probe = cursor
                while probe < end, source[probe] != byte, source[probe] != UInt8(ascii: "\n") { probe += 1 }
                if probe < end, source[probe] == byte {
                    offsets.append(probe)
                    cursor = probe + 1
                } else {
                    offsets.append(min(cursor, end))
                }
                text.append(byte)
            }
        }
    }
}

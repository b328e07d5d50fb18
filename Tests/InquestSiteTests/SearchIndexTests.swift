import XCTest
@testable import InquestCore
@testable import InquestSite
import InquestTestSupport

/// The search index: the stemmer (shared vectors with search.js), the shard hash, postings with
/// weighted term frequencies and field filters, passages for snippets.
final class SearchIndexTests: XCTestCase {
    func testStemmerMatchesTheSharedVectors() throws {
        let text = try String(contentsOf: Repository.goldenFolder.appendingPathComponent("stemmer-vectors.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t").map(String.init)
            XCTAssertEqual(SearchText.stem(parts[0]), parts[1], parts[0])
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testWordsAreFoldedAndStopWordsDropped() {
        XCTAssertEqual(SearchText.words("Zürich's DNS-failover, 502s!"), ["zurich", "s", "dns", "failover", "502s"])
        XCTAssertEqual(SearchText.terms("The primary was promoted after the failover"), ["primari", "promot", "failover"])
    }

    func testWordsFoldOnlyNonASCIIPiecesWithTheSameResult() throws {
        // Cuts between ASCII characters; folding of accents, combining marks (also after a
        // space or punctuation), ligatures, ß, final sigma, dashes and quotes stays as before.
        let samples = [
            "Zürich's DNS-failover, 502s!", "café naïve RÉSUMÉ", "e\u{301}tat . \u{301}x -\u{308}y", "Straße ﬁle ǅemal",
            "ΟΔΟΣ ΣΟΦΟΣ. σ", "a—b – c “quoted” ‘x’ … ok", "İstanbul IĞDIR", "ｆｕｌｌ width ５０２", "mixed\u{200B}zero width",
            "tab\tnew\nline\r\nend", "", "   ", "ÀÉÎÕÜ àéîõü", "日本語 text 中文", "emoji 🚀 launch👍ok", "x\u{301}\u{302}y z",
        ]
        for sample in samples {
            XCTAssertEqual(SearchText.words(sample), SearchText.wordsFoldingWholeText(sample), sample)
        }
        // Every postmortem of the sample archive, whole.
        let folder = Repository.root.appendingPathComponent("postmortems")
        var compared = 0
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! where url.pathExtension == "md" {
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertEqual(SearchText.words(text), SearchText.wordsFoldingWholeText(text), url.lastPathComponent)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 10)
    }

    func testStemmerGivesTheSameStemsAsTheStringImplementation() throws {
        var words = Set(["sses", "ies", "ties", "dies", "running", "hopped", "agreed", "sing", "bed", "nation", "vision",
                         "rationalization", "hopefulness", "easy", "sky", "rye", "mississippi"])
        let folder = Repository.root.appendingPathComponent("postmortems")
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! where url.pathExtension == "md" {
            words.formUnion(SearchText.words(try String(contentsOf: url, encoding: .utf8)))
        }
        XCTAssertGreaterThan(words.count, 500)
        for word in words { XCTAssertEqual(SearchText.stem(word), Self.referenceStem(word), word) }
    }

    /// The stemmer as first written, on Strings: the byte version must agree with it.
    private static func referenceStem(_ word: String) -> String {
        let derivational: [(String, String)] = [
            ("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
            ("ation", "ate"), ("ement", ""), ("ment", ""), ("ness", ""), ("ity", ""), ("ably", "able"), ("ly", ""),
        ]
        func isVowel(_ c: UInt8) -> Bool { c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 }
        var w = Array(word.utf8)
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return w.count >= s.count && Array(w[(w.count - s.count)...]) == s
        }
        func replace(_ count: Int, with text: String) { w.removeLast(count); w += Array(text.utf8) }
        if ends("sses") { w.removeLast(2) }
        else if ends("ies"), w.count > 4 { replace(3, with: "y") }
        else if ends("s"), !ends("ss"), !ends("us"), !ends("is") { w.removeLast() }
        for suffix in ["ing", "ed"] where ends(suffix) && w.count - suffix.utf8.count >= 3 && w[..<(w.count - suffix.utf8.count)].contains(where: isVowel) {
            w.removeLast(suffix.utf8.count)
            if w.count >= 4, let last = w.last, last == w[w.count - 2], Array("bdfgmnprt".utf8).contains(last) { w.removeLast() }
            break
        }
        if (ends("sion") || ends("tion")) && w.count - 3 >= 3 {
            w.removeLast(3)
        } else {
            for (suffix, replacement) in derivational where ends(suffix) && w.count - suffix.utf8.count >= 3 {
                replace(suffix.utf8.count, with: replacement)
                break
            }
        }
        if ends("e"), w.count >= 5 { w.removeLast() }
        if ends("y"), w.count >= 4, !isVowel(w[w.count - 2]) { replace(1, with: "i") }
        return String(decoding: w, as: UTF8.self)
    }

    func testShardHashIsFNV1a() {
        // FNV-1a("a") = 0xe40c292c; search.js computes the same.
        XCTAssertEqual(SearchText.shard(of: "a", count: 1 << 30), Int(UInt32(0xE40C_292C) % UInt32(1 << 30)))
    }

    func testIndexHasWeightedPostingsFiltersAndPassages() throws {
        let site = try Fixture.render()
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings)
        let shards = model.search.shards.joined()
        XCTAssertTrue(shards.contains("\"service:search\":["), "service filter term")
        XCTAssertTrue(shards.contains("\"year:2025\":["), "year filter term")
        XCTAssertTrue(shards.contains("\"severity:sev2\":["), "severity filter term")
        XCTAssertTrue(model.search.manifest.hasPrefix("INQUEST_SEARCH.manifest({\"version\":1,\"n\":\(model.archive.postmortems.count),"))
        // Passages leave out headings, so snippets never start with "Summary".
        let passages = SearchIndex.passages(of: model.archive.postmortems[0])
        XCTAssertFalse(passages.isEmpty)
        XCTAssertFalse(passages.contains { $0.hasPrefix("Summary") })
        XCTAssertTrue(passages.allSatisfy { $0.count <= SearchIndex.passageLength })
        XCTAssertNotNil(site.files["search/manifest.js"])
        XCTAssertNil(site.files["search-index.js"], "no whole-archive index")
    }

    func testANewerIncidentAddsADocumentFileWithoutRenumberingTheOthers() throws {
        let before = try Fixture.render()
        var files = Fixture.files
        files["postmortems/2026/2026-01-02-later.md"] = Fixture.third
            .replacingOccurrences(of: "date: 2024-11-20", with: "date: 2026-01-02")
            .replacingOccurrences(of: "Web hosts served an old banner", with: "A later banner")
        let after = try Fixture.render(files: files)
        let old = before.files.keys.filter { $0.hasPrefix("search/d/") }
        // Undated drafts sort after every dated incident, so only they move.
        let dated = old.filter { !before.text($0).contains("\"d\":\"\"") }
        XCTAssertGreaterThan(dated.count, 2)
        for path in dated { XCTAssertEqual(before.files[path], after.files[path], "\(path) changed") }
        XCTAssertEqual(after.files.keys.filter { $0.hasPrefix("search/d/") }.count, old.count + 1)
    }

    func testSynonymGroupsAreStemmedIntoTheManifest() {
        let groups = SearchText.synonymTerms
        // Stemmed as the index stems: "promotion" and "promoted" collapse to one term.
        let failover = groups.first { $0.contains("failover") }
        XCTAssertEqual(failover, ["failover", "switchover", "promot", "failback"])
        XCTAssertTrue(groups.contains { $0.contains("postgresql") && $0.contains("pg") && $0.contains(SearchText.stem("postgres")) })
        XCTAssertTrue(groups.contains { $0.contains("k8s") && $0.contains("kubernet") })
        // A word in two groups would make expansion depend on group order.
        let all = groups.flatMap { $0 }
        XCTAssertEqual(all.count, Set(all).count, "a term in two synonym groups")
        // The manifest carries the table, so search.js never has its own copy.
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings)
        XCTAssertTrue(model.search.manifest.contains(",\"syn\":[[\"postgr\",\"postgresql\",\"pg\",\"psql\"],"), model.search.manifest)
        XCTAssertTrue(model.search.manifest.contains(",\"complete\":\(SearchIndex.maxCompletions),\"pre\":\""))
    }

    func testPrefixFilesListEveryWordByItsFirstTwoLettersWithDocumentCounts() throws {
        let site = try Fixture.render()
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings)
        XCTAssertFalse(model.search.prefixes.isEmpty)
        XCTAssertEqual(model.search.prefixes.map(\.key), model.search.prefixes.map(\.key).sorted())
        // "Cache" appears in more than one fixture incident: its file lists it with that count.
        let cache = try XCTUnwrap(site.files["search/p-ca.js"].map { String(decoding: $0, as: UTF8.self) })
        XCTAssertTrue(cache.hasPrefix("INQUEST_SEARCH.prefix(\"ca\",{"), cache)
        let shards = model.search.shards.joined()
        let cachePostings = try XCTUnwrap(shards.range(of: "\"cach\":[")).upperBound
        let list = shards[cachePostings...].prefix { $0 != "]" }.split(separator: ",")
        XCTAssertTrue(cache.contains("\"cach\":\(list.count / 2)"), cache)
        XCTAssertGreaterThan(list.count / 2, 1)
        // Every term of every prefix file starts with its key; filters and 1-2 letter words stay out.
        for (key, script) in model.search.prefixes {
            XCTAssertEqual(key.count, 2)
            let body = script.dropFirst("INQUEST_SEARCH.prefix(\"\(key)\",{".count).dropLast("});\n".count)
            for entry in body.split(separator: ",") {
                let term = entry.split(separator: ":").dropLast().joined(separator: ":")
                XCTAssertTrue(term.hasPrefix("\"\(key)") && term.count >= 5 && !term.contains(":"), "\(term) in p-\(key)")
            }
        }
        XCTAssertNil(SearchIndex.prefixKey("service:api"))
        XCTAssertNil(SearchIndex.prefixKey("db"))
        XCTAssertEqual(SearchIndex.prefixKey("dns"), "dn")
        // The manifest lists exactly the prefix files that exist, so search.js never requests a missing one.
        let listed = try XCTUnwrap(model.search.manifest.range(of: ",\"pre\":\"")).upperBound
        let keys = String(model.search.manifest[listed...].prefix { $0 != "\"" })
        let files = site.files.keys.filter { $0.hasPrefix("search/p-") }.sorted()
        XCTAssertEqual(files, stride(from: 0, to: keys.count, by: 2).map { offset -> String in
            let start = keys.index(keys.startIndex, offsetBy: offset)
            return "search/p-" + keys[start..<keys.index(start, offsetBy: 2)] + ".js"
        })
        XCTAssertGreaterThan(files.count, 10)
    }

    func testPassagesOnBytesMatchPassagesOnCharacters() {
        // Plain blocks take the byte path; the others (a non-breaking space, a combining mark
        // after a space, other scripts) the Character one. Both cut the same passages.
        let words = ["The", "primary", "failed.", "Replication", "lag", "—", "“quoted”", "…", "x", "a.b", ".", "end.", "\t", "\n", "\r\n", "  ",
                     String(repeating: "long", count: 70), "Zürich", "\u{A0}", " \u{301}", "日本", "\u{2028}", "y"]
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var plain = 0
        for round in 0..<600 {
            let count = round % 3 == 0 ? 1 + next(12) : 40 + next(300)
            let text = (0..<count).map { _ in words[next(words.count)] + (next(4) == 0 ? "" : " ") }.joined()
            var reference: [String] = []
            SearchIndex.addPassagesOnCharacters(text, to: &reference)
            var fast: [String] = []
            if PlainPassages.add(text, to: &fast) {
                plain += 1
                XCTAssertEqual(fast, reference, text.debugDescription)
            } else {
                XCTAssertTrue(fast.isEmpty)
            }
        }
        XCTAssertGreaterThan(plain, 50)
        var dashes: [String] = []
        XCTAssertTrue(PlainPassages.add("The cache — “warm” – was cold… again", to: &dashes), "dashes, quotes and the ellipsis are plain")
        XCTAssertEqual(dashes, ["The cache — “warm” – was cold… again"])
        // A block starts where the previous one stopped, and none is added past the limit.
        var out = Array(repeating: "earlier", count: SearchIndex.passages - 1)
        XCTAssertTrue(PlainPassages.add(String(repeating: "Two sentences here. ", count: 40), to: &out))
        XCTAssertEqual(out.count, SearchIndex.passages)
    }

    func testFilterTermsOfASCIIValuesKeepWhatTheUnicodeRuleKeeps() {
        // ASCII values skip Foundation's character sets; the kept characters are the same.
        let values = ["API-Gateway", "db_primary.eu", "Payments (EU) #2", "a/b\\c:d;e!f?g~h^i`j", "UPPER lower 123", "", "Zürich", "K\u{212A}"]
        for value in values {
            let reference = "service:" + String(value.lowercased().unicodeScalars.filter {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }.map(Character.init))
            XCTAssertEqual(SearchIndex.filter("service", value), reference, value)
        }
        let printable = String((0x20..<0x7F).map { Character(Unicode.Scalar(UInt8($0))) })
        XCTAssertEqual(SearchIndex.filter("tag", printable), "tag:-.0123456789abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz")
    }
}

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

    /// One counter over many documents (its word table grown several times) gives each
    /// document the terms, weighted counts, order and length that counting
    /// ``SearchText/terms(_:)`` one occurrence at a time gives.
    func testTermCounterMatchesCountingEachTerm() throws {
        let folder = Repository.root.appendingPathComponent("postmortems")
        var texts = ["The primary was promoted after the failover", "promoted promotion PROMOTED the the", "", "Zürich's café 502s",
                     "ab abc abd a0 a00 zz z9"]
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! where url.pathExtension == "md" {
            texts.append(try String(contentsOf: url, encoding: .utf8))
        }
        var counter = SearchTermCounter()
        for (number, text) in texts.enumerated() {
            let weight = 1 + number % 3
            let total = counter.add(text, weight: weight)
            counter.set("year:20\(number % 30)", count: 1)
            let (ids, counts) = counter.finishDocument()
            var expected: [String: Int] = ["year:20\(number % 30)": 1]
            let terms = SearchText.terms(text)
            for term in terms { expected[term, default: 0] += weight }
            let sorted = expected.sorted { $0.key < $1.key }
            XCTAssertEqual(ids.map { counter.terms[Int($0)] }, sorted.map(\.key), String(text.prefix(40)))
            XCTAssertEqual(counts, sorted.map(\.value), String(text.prefix(40)))
            XCTAssertEqual(total, terms.count)
        }
        XCTAssertGreaterThan(counter.terms.count, 1_000, "the word table grew past its first size")
    }

    func testWordsFoldOnlyNonASCIIPiecesWithTheSameResult() throws {
        // Cuts between ASCII characters; folding of accents, combining marks (also after a
        // space or punctuation), ligatures, ß, final sigma, dashes and quotes stays as before.
        let samples = [
            "Zürich's DNS-failover, 502s!", "café naïve RÉSUMÉ", "e\u{301}tat . \u{301}x -\u{308}y", "Straße ﬁle ǅemal",
            "ΟΔΟΣ ΣΟΦΟΣ. σ", "a—b – c “quoted” ‘x’ … ok", "İstanbul IĞDIR", "ｆｕｌｌ width ５０２", "mixed\u{200B}zero width",
            "tab\tnew\nline\r\nend", "", "   ", "ÀÉÎÕÜ àéîõü", "日本語 text 中文", "emoji 🚀 launch👍ok", "x\u{301}\u{302}y z",
            // Dashes, curly quotes and the ellipsis are scanned without folding; marks after them are not.
            "x—\u{301}y", "Ab–Cd ‘Q’ … “R”", "word…word", "—", "e—\u{301}x DNS—TLS", "‘’“”–—…", "done—Zürich", "\u{2015}x\u{2012}y",
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
        XCTAssertTrue(model.search.manifest.hasPrefix("INQUEST_SEARCH.manifest({\"version\":2,\"n\":\(model.archive.postmortems.count),"))
        XCTAssertTrue(model.search.manifest.hasSuffix(",\"dpf\":\(SearchIndex.documentsPerFile)});\n"), "documents per file, for search.js")
        // Passages leave out headings, so snippets never start with "Summary".
        let passages = SearchIndex.passages(of: model.archive.postmortems[0])
        XCTAssertFalse(passages.isEmpty)
        XCTAssertFalse(passages.contains { $0.hasPrefix("Summary") })
        XCTAssertTrue(passages.allSatisfy { $0.count <= SearchIndex.passageLength })
        XCTAssertNotNil(site.files["search/manifest.js"])
        XCTAssertNil(site.files["search-index.js"], "no whole-archive index")
    }

    /// The fixture's files plus `count` dated copies of the third incident (2023-01-01 and on).
    static func files(withCopies count: Int) -> [String: String] {
        var files = Fixture.files
        for day in 1...count {
            let date = String(format: "2023-01-%02d", day)
            files["postmortems/2023/\(date)-copy.md"] = Fixture.third.replacingOccurrences(of: "date: 2024-11-20", with: "date: \(date)")
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Copy \(day) of the banner")
        }
        return files
    }

    func testDocumentFilesHoldDocumentsPerFileDocumentsInIdOrder() throws {
        let per = SearchIndex.documentsPerFile
        XCTAssertGreaterThan(per, 1)
        // Two full files and one with a single document.
        let model = SiteModel(archive: Fixture.archive(files: Self.files(withCopies: 2 * per + 1 - Fixture.files.count)), settings: Fixture.settings)
        let count = model.archive.postmortems.count
        XCTAssertEqual(count, 2 * per + 1)
        XCTAssertEqual(model.search.documents.count, 3)
        // Each file calls doc() for its ids in order; together they hold every id once, in the
        // order of the chronological list (id 0 = the oldest incident).
        var id = 0
        for (number, file) in model.search.documents.enumerated() {
            let calls = file.split(separator: "\n")
            XCTAssertEqual(calls.count, number < 2 ? per : 1)
            for call in calls {
                XCTAssertTrue(call.hasPrefix("INQUEST_SEARCH.doc(\(id),{\"u\":"), "file \(number): \(call.prefix(40))")
                XCTAssertEqual(id / per, number)
                let index = model.archive.chronological[id]
                XCTAssertTrue(call.contains(HTMLText.jsonString(model.postmortemURL(index))), "document \(id)'s URL")
                id += 1
            }
        }
        XCTAssertEqual(id, count)
        // The pages: search/d/0.js … search/d/2.js, nothing more.
        let site = SiteBuilder(archive: model.archive, settings: Fixture.settings, theme: try Fixture.theme.get()).render()
        XCTAssertEqual(site.files.keys.filter { $0.hasPrefix("search/d/") }.sorted(), ["search/d/0.js", "search/d/1.js", "search/d/2.js"])
        XCTAssertEqual(site.text("search/d/1.js"), model.search.documents[1])
    }

    func testANewerIncidentChangesOnlyTheLastDocumentFile() throws {
        let per = SearchIndex.documentsPerFile
        func render(_ files: [String: String]) -> RenderedSite {
            SiteBuilder(archive: Fixture.archive(files: files), settings: Fixture.settings, theme: try! Fixture.theme.get()).render()
        }
        func documentFiles(_ site: RenderedSite) -> [String: [UInt8]] { site.files.filter { $0.key.hasPrefix("search/d/") } }
        func later(_ files: [String: String]) -> [String: String] {
            var files = files
            files["postmortems/2026/2026-01-02-later.md"] = Fixture.third
                .replacingOccurrences(of: "date: 2024-11-20", with: "date: 2026-01-02")
                .replacingOccurrences(of: "Web hosts served an old banner", with: "A later banner")
            return files
        }
        // The undated draft sorts after every dated incident, so it has the last id. With 2 × per
        // documents it closes the second file; the new incident takes its id and pushes it into
        // a third file.
        let full = Self.files(withCopies: 2 * per - Fixture.files.count)
        let before = documentFiles(render(full)), after = documentFiles(render(later(full)))
        XCTAssertEqual(before.count, 2)
        XCTAssertEqual(after.count, 3, "one more document opens a file")
        XCTAssertEqual(before["search/d/0.js"], after["search/d/0.js"], "earlier documents keep their file and its bytes")
        XCTAssertNotEqual(before["search/d/1.js"], after["search/d/1.js"])
        // With room in the last file, the file count stays and only the last file changes.
        let roomy = Self.files(withCopies: per + 2 - Fixture.files.count)
        let before2 = documentFiles(render(roomy)), after2 = documentFiles(render(later(roomy)))
        XCTAssertEqual(before2.count, 2)
        XCTAssertEqual(after2.count, 2)
        XCTAssertEqual(before2["search/d/0.js"], after2["search/d/0.js"])
        XCTAssertNotEqual(before2["search/d/1.js"], after2["search/d/1.js"])
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
        // "Cache" appears in more than one fixture incident: the file of "c" lists it under "ca"
        // with that count.
        let cache = try XCTUnwrap(site.files["search/p-c.js"].map { String(decoding: $0, as: UTF8.self) })
        let callStart = try XCTUnwrap(cache.range(of: "INQUEST_SEARCH.prefix(\"ca\",{")).upperBound
        let caCall = cache[callStart...].prefix { $0 != "}" }
        let shards = model.search.shards.joined()
        let cachePostings = try XCTUnwrap(shards.range(of: "\"cach\":[")).upperBound
        let list = shards[cachePostings...].prefix { $0 != "]" }.split(separator: ",")
        XCTAssertTrue(caCall.contains("\"cach\":\(list.count / 2)"), String(caCall))
        XCTAssertGreaterThan(list.count / 2, 1)
        // Each file is one prefix() call per two-character key starting with its character, in
        // key order; every term of a call starts with its key; filters and 1-2 letter words stay out.
        var keys: [String] = []
        for (file, script) in model.search.prefixes {
            XCTAssertEqual(file.count, 1)
            let calls = script.split(separator: "\n")
            XCTAssertFalse(calls.isEmpty)
            for call in calls {
                XCTAssertTrue(call.hasPrefix("INQUEST_SEARCH.prefix(\""), String(call.prefix(40)))
                XCTAssertTrue(call.hasSuffix("});"), String(call.suffix(10)))
                let key = String(call.dropFirst("INQUEST_SEARCH.prefix(\"".count).prefix(2))
                XCTAssertTrue(key.hasPrefix(file), "\(key) in p-\(file)")
                keys.append(key)
                let body = call.dropFirst("INQUEST_SEARCH.prefix(\"\(key)\",{".count).dropLast("});".count)
                for entry in body.split(separator: ",") {
                    let term = entry.split(separator: ":").dropLast().joined(separator: ":")
                    XCTAssertTrue(term.hasPrefix("\"\(key)") && term.count >= 5 && !term.contains(":"), "\(term) in p-\(file)")
                }
            }
        }
        XCTAssertEqual(keys, keys.sorted())
        XCTAssertEqual(Set(keys).count, keys.count, "a key in two calls")
        XCTAssertNil(SearchIndex.prefixKey("service:api"))
        XCTAssertNil(SearchIndex.prefixKey("db"))
        XCTAssertEqual(SearchIndex.prefixKey("dns"), "dn")
        // The manifest lists exactly the keys the files hold, so search.js never requests a
        // missing file nor waits for a key its file does not have.
        let listed = try XCTUnwrap(model.search.manifest.range(of: ",\"pre\":\"")).upperBound
        let manifestKeys = String(model.search.manifest[listed...].prefix { $0 != "\"" })
        XCTAssertEqual(manifestKeys, keys.joined())
        let files = site.files.keys.filter { $0.hasPrefix("search/p-") }.sorted()
        XCTAssertEqual(files, model.search.prefixes.map { "search/p-\($0.key).js" })
        XCTAssertEqual(Set(files), Set(keys.map { "search/p-\($0.prefix(1)).js" }))
        XCTAssertGreaterThan(keys.count, 10)
        XCTAssertLessThan(files.count, keys.count, "keys share files")
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

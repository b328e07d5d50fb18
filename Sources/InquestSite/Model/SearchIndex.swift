import Foundation
import InquestCore

/// The search index, built once per site: BM25 postings sharded by term hash, one small file
/// per ``documentsPerFile`` documents for results and snippets, and a manifest. `search.js` loads
/// the manifest, then only the shards of the query's terms and the files of the top results,
/// through `<script>` tags, so the first query downloads a few hundred kilobytes at most
/// whatever the archive size.
struct SearchIndex: Sendable {
    /// Weighted term frequency: a word in the title counts three times, in causes, services and
    /// tags twice, in the body once.
    static let weights = (title: 3, facets: 2, body: 1)
    /// Target size of a postings shard.
    static let shardBytes = 40_000
    /// Passages per document kept for snippets, and their length.
    static let passages = 12, passageLength = 240
    /// Documents per result file (`search/d/B.js` holds documents 4B to 4B+3, about 2 KB each).
    /// One file per document made the search files half of a 1,000-postmortem site's files, and
    /// creating files is most of a cold build's system time; four per file cuts those files
    /// fourfold while the ten results of a first query load at most 40 documents (about 85 KB;
    /// eight per file took the first query at 10,000 postmortems past 300 KB). Ids count from
    /// the oldest incident, so a new one changes only the last file.
    static let documentsPerFile = 4

    /// `search/manifest.js`.
    let manifest: String
    /// Number of `search/t-K.js` files.
    let shardCount: Int
    /// Number of `search/d/B.js` files: documents `B * documentsPerFile` and up (ids count from
    /// the oldest incident).
    let documentFileCount: Int
    /// The characters C of the `search/p-C.js` files, sorted: for each two-character key starting
    /// with C, the words (index terms) that start with that key, each with its document frequency.
    /// search.js loads one of these to complete the last, half-typed query word, so prefix search
    /// never needs the whole vocabulary. (Terms are `[a-z0-9]`, so C is one ASCII character and
    /// there are at most 36 files: one per two-character key was a tenth of a small site's files.)
    let prefixFiles: [String]
    /// The files' scripts and digests (made here, or read from the ``SearchState`` they did not change in).
    let files: Files
    /// Completions of a prefix that search.js uses at most (the most frequent), so a short
    /// prefix never loads every shard.
    static let maxCompletions = 5

    static let empty = SearchIndex(manifest: "", shards: [], documents: [], prefixes: [])

    /// Every document's per-document data by its key (``SearchCache``), made from ``snapshot``
    /// when asked (tests pass it back to skip tokenizing). Empty for an index updated from a state.
    var entries: [String: SearchCache.Entry] {
        guard let snapshot else { return [:] }
        let table = SearchCache.TermTable(snapshot.terms)
        var entries: [String: SearchCache.Entry] = [:]
        entries.reserveCapacity(snapshot.keys.count)
        for (key, row) in zip(snapshot.keys, snapshot.rows) {
            entries[key] = SearchCache.Entry(table: table, ids: row.ids, counts: row.counts, length: row.length, tail: row.tail)
        }
        return entries
    }
    /// Documents whose data was computed (not found in the cache): one after a body edit.
    private(set) var computed = 0
    /// What the next build reads as its ``SearchState``: the whole index, kept only by an index
    /// built in full, until it is saved.
    private(set) var snapshot: Snapshot?

    /// Forgets ``entries`` and ``snapshot`` (kept only to be saved; the pages never read them):
    /// a tenth of a build's peak memory at 10,000 postmortems.
    mutating func dropEntries() { snapshot = nil }

    init(manifest: String, shards: [String], documents: [String], prefixes: [(key: String, script: String)] = []) {
        self.manifest = manifest
        shardCount = shards.count
        documentFileCount = documents.count
        prefixFiles = prefixes.map(\.key)
        files = Files(manifest: manifest, shards: shards, documents: documents, prefixes: prefixes.map(\.script))
    }

    /// Assembled by an update (``init(updating:model:plan:)``).
    init(manifest: String, files: Files, prefixFiles: [String], computed: Int) {
        self.computed = computed
        self.manifest = manifest
        self.files = files
        self.prefixFiles = prefixFiles
        shardCount = files.shards.count
        documentFileCount = files.documents.count
    }

    /// The script of one file.
    func script(_ part: SearchDataPage.Part) -> String { files.script(part, manifest: manifest) }

    /// SHA-256 (hex) of one file's script: what a page key reads instead of the script itself, so
    /// the files an update left alone are neither made nor hashed.
    func digest(_ part: SearchDataPage.Part) -> String { files.digest(part) }

    /// Every `search/t-K.js`, by K (made on demand after an update: tests).
    var shards: [String] { (0..<shardCount).map { script(.shard($0)) } }
    /// Every `search/d/B.js`, by B.
    var documents: [String] { (0..<documentFileCount).map { script(.document($0)) } }
    /// Every `search/p-C.js`, sorted by C.
    var prefixes: [(key: String, script: String)] {
        prefixFiles.enumerated().map { ($1, script(.prefix(key: $1, index: $0))) }
    }

    /// The prefix key of a word: its first two characters, or nil for filters and words
    /// shorter than three (too short to complete usefully). Its file is `search/p-C.js`, C the
    /// key's first character.
    static func prefixKey(_ term: String) -> String? {
        guard term.utf8.count >= 3, !term.contains(":") else { return nil }
        return String(term.prefix(2))
    }

    /// A filter term as both sides write it: `service:api`, lowercase, only `[a-z0-9._-]`.
    static func filter(_ field: String, _ value: String) -> String {
        // ASCII (nearly every value): the same characters kept, without Foundation's sets.
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            var kept: [UInt8] = []
            for var byte in value.utf8 {
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x5F || byte == 0x2D { kept.append(byte) }
            }
            return field + ":" + String(decoding: kept, as: UTF8.self)
        }
        return field + ":" + String(value.lowercased().unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }.map(Character.init))
    }

    /// The key of a document's data: everything ``entry(_:model:)`` reads (its path and bytes, which
    /// the parse reads; the titles of its causes, which come from the catalogue). The bytes enter
    /// as the content id the document carries (git's blob id, or the SHA-256 that site stubs and
    /// page keys use), so only a document without one is hashed here.
    /// - Parameter index: `postmortem`'s index in the model, for a stub made without its bytes
    ///   (its size is in its facts); nil reads the size from the bytes.
    static func documentKey(_ postmortem: Postmortem, model: SiteModel, index: Int? = nil) -> String {
        var key = postmortem.contentID ?? SiteStubs.contentHash(postmortem.source.bytes)
        key += "\u{0}"
        key += String(index.map(model.byteCount) ?? postmortem.source.bytes.count)
        key += "\u{0}"
        key += postmortem.path
        for cause in postmortem.allCauses.uniqued() {
            key += "\u{0}"
            key += cause
            key += "\u{0}"
            key += model.causeTitle(cause)
        }
        return key
    }

    /// A document's terms, length and result file fields (all but its number and URL).
    static func entry(_ postmortem: Postmortem, model: SiteModel) -> SearchCache.Entry {
        entries([postmortem], model: model)[0]
    }

    /// The entries (``entry(_:model:)``) of documents entered one after the other on one thread:
    /// their words are counted by one ``SearchTermCounter``, and their terms named by its table.
    static func entries(_ postmortems: [Postmortem], model: SiteModel) -> [SearchCache.Entry] {
        var counter = SearchTermCounter()
        var rows: [(ids: [UInt32], counts: [Int], length: Int, tail: String)] = []
        rows.reserveCapacity(postmortems.count)
        for postmortem in postmortems {
            let title = postmortem.title.flatMap { $0.isEmpty ? nil : $0 } ?? postmortem.id
            let causes = postmortem.allCauses.uniqued()
            let facets = causes.map { model.causeTitle($0) + " " + $0 } + postmortem.services + postmortem.tags
            let titleCount = counter.add(title, weight: Self.weights.title)
            _ = counter.add(facets.joined(separator: " "), weight: Self.weights.facets)
            let bodyCount = counter.add(postmortem.body.plainText, weight: Self.weights.body)
            // Filters match exactly; their weight does not matter (they only narrow). No word
            // term holds a `:`, so a filter never meets one.
            for service in postmortem.services { counter.set(Self.filter("service", service), count: 1) }
            for cause in causes { counter.set(Self.filter("cause", cause), count: 1) }
            for tag in postmortem.tags { counter.set(Self.filter("tag", tag), count: 1) }
            if let severity = postmortem.severity { counter.set(Self.filter("severity", severity), count: 1) }
            if let status = postmortem.status { counter.set(Self.filter("status", status.rawValue), count: 1) }
            if let year = postmortem.date?.year { counter.set(Self.filter("year", String(year)), count: 1) }

            let fields: [(String, String)] = [
                ("t", HTMLText.jsonString(title)),
                ("d", HTMLText.jsonString(postmortem.date?.description ?? "")), ("s", HTMLText.jsonString(postmortem.severity ?? "")),
                ("st", HTMLText.jsonString(postmortem.status.map(PostmortemView.statusLabel) ?? "")),
                ("sv", "[" + postmortem.services.map(HTMLText.jsonString).joined(separator: ",") + "]"),
                ("c", "[" + causes.map { HTMLText.jsonString(model.causeTitle($0)) }.joined(separator: ",") + "]"),
                ("p", "[" + Self.passages(of: postmortem).map(HTMLText.jsonString).joined(separator: ",") + "]"),
            ]
            let (ids, counts) = counter.finishDocument()
            rows.append((ids, counts, titleCount + bodyCount, fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")))
        }
        let table = SearchCache.TermTable(counter.terms)
        return rows.map { SearchCache.Entry(table: table, ids: $0.ids, counts: $0.counts, length: $0.length, tail: $0.tail) }
    }

    /// - Parameter cache: per-document data of a previous build by document key; documents found
    ///   there are not tokenized again (the index is the same bytes either way).
    init(model: SiteModel, cache: [String: SearchCache.Entry] = [:]) {
        let archive = model.archive
        // Oldest first: a new incident gets the next id, in the last document file, and no other
        // document file changes (only the shards of its terms, its prefix files and the manifest do).
        let order = model.archive.chronological
        var lengths: [Int] = []
        // In runs of documents, each run's uncached documents counted by one counter.
        let run = max(8, order.count / 64)
        let runs = stride(from: 0, to: order.count, by: run).map { Array(order[$0..<min(order.count, $0 + run)]) }
        let perDocument = parallelMap(runs) { run -> [(key: String, entry: SearchCache.Entry, computed: Bool)] in
            let keys = run.map { Self.documentKey(archive.postmortems[$0], model: model, index: $0) }
            let missing = run.indices.filter { cache[keys[$0]] == nil }
            var fresh = Self.entries(missing.map { archive.postmortems[run[$0]] }, model: model).makeIterator()
            return run.indices.map { position in
                if let found = cache[keys[position]] { return (keys[position], found, false) }
                return (keys[position], fresh.next()!, true)
            }
        }.flatMap { $0 }
        var computedCount = 0
        lengths.reserveCapacity(perDocument.count)
        for document in perDocument {
            lengths.append(document.entry.length)
            if document.computed { computedCount += 1 }
        }
        // What the rest reads of the entries besides their terms, which are let go of once
        // numbered (three million strings at 10,000 documents, at the build's peak memory).
        let documentKeys = perDocument.map(\.key)
        let tails = perDocument.map(\.entry.tail)
        let counts = perDocument.map(\.entry.counts)
        let documentCount = perDocument.count
        let entries = (consume perDocument).map(\.entry)
        // Terms by number (in order of first use) and each term's postings by number, gathered
        // on all cores (``TermMerge``): the numbers, postings and per-document term lists are
        // those of one pass over the documents in order.
        let merged = TermMerge(consume entries)
        let terms = merged.terms
        let postings = merged.postings
        let documentTerms = merged.documentTerms
        let totalPostings = postings.reduce(0) { $0 + $1.count }
        let count = Self.shardCount(postings: totalPostings, terms: terms.count)
        let sorted = terms.indices.sorted { terms[$0] < terms[$1] }
        var byShard: [[Int]] = Array(repeating: [], count: count)
        for term in sorted { byShard[SearchText.shard(of: terms[term], count: count)].append(term) }
        // Shards are written on all cores, as bytes (a String per posting was most of the time).
        let finished = postings, names = terms
        let shards = parallelMap(Array(byShard.enumerated())) { shard, numbers in
            Self.shardScript(shard) { out in
                for (position, term) in numbers.enumerated() {
                    Self.appendShardTerm(names[term], finished[term], first: position == 0, to: &out)
                }
            }
        }
        // One file per first character: the calls of its two-character keys, in key order.
        var prefixGroups: [(file: String, terms: [Int])] = []
        for term in sorted where Self.prefixKey(terms[term]) != nil {
            let file = String(terms[term].prefix(1))
            if prefixGroups.last?.file == file { prefixGroups[prefixGroups.count - 1].terms.append(term) } else { prefixGroups.append((file, [term])) }
        }
        let prefixes = parallelMap(prefixGroups) { group in
            (group.file, Self.prefixScript(group.terms.map { (names[$0], finished[$0].count) }))
        }
        let keys = prefixes.map(\.1.keys).joined()
        let manifest = Self.manifestScript(lengths: lengths, shards: count, keys: keys)
        let urls = order.map { model.postmortemURL($0) }
        let documents = parallelMap(Array(stride(from: 0, to: documentCount, by: Self.documentsPerFile))) { start in
            let ids = start..<min(documentCount, start + Self.documentsPerFile)
            return Self.documentScript(ids, url: { urls[$0] }, tail: { tails[$0] })
        }
        self.init(manifest: manifest, shards: shards, documents: documents, prefixes: prefixes.map { ($0.0, $0.1.script) })
        computed = computedCount
        snapshot = Snapshot(keys: documentKeys, urls: urls,
                            rows: documentTerms.indices.map { Snapshot.Row(ids: documentTerms[$0], counts: counts[$0], length: lengths[$0], tail: tails[$0]) },
                            terms: terms, sortedTerms: sorted, postings: postings, shards: byShard,
                            prefixes: zip(prefixGroups, prefixes).map { (file: $0.file, keys: $1.1.keys, terms: $0.terms) },
                            totalPostings: totalPostings, liveTerms: terms.count, digests: files.allDigests,
                            catalogue: Self.catalogueDigest(model))
    }

    /// The number of shards for an index of `postings` postings over `terms` terms: about five
    /// bytes per posting once delta-encoded, twelve per term, ``shardBytes`` a shard.
    static func shardCount(postings: Int, terms: Int) -> Int { max(1, (postings * 5 + terms * 12) / Self.shardBytes) }

    /// `search/t-K.js` for shard `number`, its terms written by `body` (``appendShardTerm(_:_:first:to:)``).
    static func shardScript(_ number: Int, body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        out.append(contentsOf: "INQUEST_SEARCH.terms(".utf8)
        Self.appendDecimal(number, to: &out)
        out.append(contentsOf: ",{".utf8)
        body(&out)
        out.append(contentsOf: "});\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// One term of a shard and its postings (doc ids ascending), delta-encoded.
    static func appendShardTerm(_ name: String, _ postings: [(doc: Int, tf: Int)], first: Bool, to out: inout [UInt8]) {
        if !first { out.append(contentsOf: ",\n".utf8) }
        out.append(contentsOf: HTMLText.jsonString(name).utf8)
        out.append(contentsOf: ":[".utf8)
        var previous = 0
        for (number, posting) in postings.enumerated() {
            if number > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendDecimal(posting.doc - previous, to: &out)
            out.append(UInt8(ascii: ","))
            Self.appendDecimal(posting.tf, to: &out)
            previous = posting.doc
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `search/p-C.js` from its terms (sorted, all with a prefix key starting with C) and their
    /// document frequencies: one call per two-character key; and those keys, concatenated.
    static func prefixScript(_ terms: [(name: String, df: Int)]) -> (script: String, keys: String) {
        var script = "", keys = ""
        var start = 0
        while start < terms.count {
            let key = String(terms[start].name.prefix(2))
            var end = start + 1
            while end < terms.count, terms[end].name.utf8.starts(with: key.utf8) { end += 1 }
            script += "INQUEST_SEARCH.prefix(" + HTMLText.jsonString(key) + ",{" + terms[start..<end].map { term in
                HTMLText.jsonString(term.name) + ":\(term.df)"
            }.joined(separator: ",") + "});\n"
            keys += key
            start = end
        }
        return (script, keys)
    }

    /// `search/manifest.js`: the document lengths, shard count and prefix keys search.js needs first.
    static func manifestScript(lengths: [Int], shards: Int, keys: String) -> String {
        let synonyms = "[" + SearchText.synonymTerms.map { "[" + $0.map(HTMLText.jsonString).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        let average = lengths.isEmpty ? 1 : max(1, lengths.reduce(0, +) / lengths.count)
        // Lengths in tens of words: enough for BM25's normalisation, half the bytes.
        // Version 2: documents and prefixes grouped into files (`dpf` documents per file).
        return "INQUEST_SEARCH.manifest({\"version\":2,\"n\":\(lengths.count),\"shards\":\(shards),\"avgdl\":\(average),\"len\":["
            + lengths.map { String(($0 + 5) / 10) }.joined(separator: ",") + "],\"syn\":" + synonyms + ",\"complete\":\(Self.maxCompletions)"
            // The prefix keys that have words, two characters each, so search.js never asks for
            // a file that does not exist (a console error, and a wasted request) nor waits for a
            // key that file does not hold.
            + ",\"pre\":" + HTMLText.jsonString(keys) + ",\"dpf\":\(Self.documentsPerFile)});\n"
    }

    /// `search/d/B.js` for the documents `ids`, by their page URL and result tail.
    static func documentScript(_ ids: Range<Int>, url: (Int) -> String, tail: (Int) -> String) -> String {
        // Each file written in one string (not one per document joined: a second copy of 20 MB
        // at 10,000 documents, which stayed in the heap through the render).
        let urls = ids.map { HTMLText.jsonString(url($0)) }
        let tails = ids.map(tail)
        var file = ""
        file.reserveCapacity(zip(urls, tails).reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 48 })
        for (id, (url, tail)) in zip(ids, zip(urls, tails)) {
            file += "INQUEST_SEARCH.doc(\(id),{\"u\":"
            file += url
            file += ","
            file += tail
            file += "});\n"
        }
        return file
    }

    /// `value` in decimal, as `String(value)` writes it.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value >= 0 else { out.append(contentsOf: String(value).utf8); return }
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Passages for snippets: the text of each block of each section (headings left out, so a
    /// snippet never starts with "Summary"), cut at sentence or word boundaries.
    static func passages(of postmortem: Postmortem) -> [String] {
        var out: [String] = []
        for section in postmortem.sections {
            for block in section.contentBlocks {
                let plain = block.plainText
                if !PlainPassages.add(plain, to: &out) { addPassagesOnCharacters(plain, to: &out) }
                if out.count >= passages { return out }
            }
        }
        return out
    }

    /// Appends one block's passages to `out`, working on `Character`s: any text (``PlainPassages``
    /// takes only plain text), and the reference its tests compare it with.
    static func addPassagesOnCharacters(_ plain: String, to out: inout [String]) {
        var text = plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while !text.isEmpty, out.count < passages {
            if text.count <= passageLength {
                if text.count >= 12 { out.append(text) }
                break
            }
            let head = text.prefix(passageLength)
            let cut = head.lastIndex(of: ".").map { head.index(after: $0) } ?? head.lastIndex(of: " ") ?? head.endIndex
            out.append(String(text[..<cut]).trimmingCharacters(in: .whitespaces))
            text = String(text[cut...]).trimmingCharacters(in: .whitespaces)
        }
    }
}

/// ``SearchIndex/passages(of:)`` for one block on UTF-8 bytes, when the block's text is plain
/// (``FieldTrimmer``'s rule: ASCII, dashes, curly quotes, ellipsis): there every character is one
/// scalar, whitespace is ASCII's, and a character is counted by its first byte, so splitting,
/// joining, cutting and trimming bytes gives the `Character` version's passages. Other text is
/// left to that version (tests compare both).
enum PlainPassages {
    /// Appends the block's passages to `out` and returns true; false (nothing added) for text
    /// that is not plain.
    static func add(_ text: String, to out: inout [String]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // Whitespace runs become one space, none at either end (`split` + `joined`).
            var joined: [UInt8] = []
            joined.reserveCapacity(bytes.count)
            var index = 0
            var pendingSpace = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 {
                    guard byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return false }
                    switch bytes[index + 2] {
                    case 0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6: break
                    default: return false
                    }
                    if pendingSpace { joined.append(0x20); pendingSpace = false }
                    joined.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + 3)]))
                    index += 3
                    continue
                }
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = !joined.isEmpty
                    index += 1
                    continue
                }
                if pendingSpace { joined.append(0x20); pendingSpace = false }
                joined.append(byte)
                index += 1
            }
            cut(joined, into: &out)
            return true
        }
    }

    /// A continuation byte: not the start of a character in plain text.
    @inline(__always)
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    private static func cut(_ text: [UInt8], into out: inout [String]) {
        let limit = SearchIndex.passageLength
        var start = 0
        let end = text.count
        while start < end, out.count < SearchIndex.passages {
            // Where the first `limit` characters end, if the rest is longer.
            var characters = 0
            var headEnd = start
            while headEnd < end {
                if !isContinuation(text[headEnd]) {
                    if characters == limit { break }
                    characters += 1
                }
                headEnd += 1
            }
            if headEnd == end {
                if characters >= 12 { out.append(String(decoding: text[start..<end], as: UTF8.self)) }
                return
            }
            var cut = headEnd
            if let dot = text[start..<headEnd].lastIndex(of: UInt8(ascii: ".")) {
                cut = dot + 1
            } else if let space = text[start..<headEnd].lastIndex(of: 0x20) {
                cut = space
            }
            var pieceStart = start, pieceEnd = cut
            while pieceStart < pieceEnd, text[pieceStart] == 0x20 { pieceStart += 1 }
            while pieceEnd > pieceStart, text[pieceEnd - 1] == 0x20 { pieceEnd -= 1 }
            out.append(String(decoding: text[pieceStart..<pieceEnd], as: UTF8.self))
            start = cut
            while start < end, text[start] == 0x20 { start += 1 }
        }
    }
}

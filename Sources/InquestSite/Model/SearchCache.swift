import Foundation
import InquestCore

/// The search index's per-document data kept between builds: for each document, the weighted
/// terms, its length and its result file without the two parts that depend on the rest of the
/// archive (its number and its page URL). Keyed by a hash of everything that data is computed
/// from (the document's path and bytes, the titles of its causes), under a file key naming the
/// generator and the configuration (which the parse depends on), so a body edit tokenizes one
/// document instead of all of them.
///
/// Like the lint cache it sits beside, the file is a hint: a missing, damaged or foreign file is
/// ignored (every document is computed), a write failure only costs the speed-up, and the
/// index is byte-identical with or without it (tests compare).
public struct SearchCache: Sendable {
    /// The cache file.
    public let url: URL
    /// Everything every entry depends on besides its own key.
    public let key: String

    public init(url: URL, key: String) {
        self.url = url
        self.key = key
    }

    /// The cache beside the lint cache (`$GIT_DIR/inquest/` or `.inquest-cache/`), for the
    /// workspace's configuration; nil when the configuration cannot be identified.
    public static func beside(_ lintCache: LintCache, workspace: Workspace, generator: String) -> SearchCache? {
        guard let configuration = workspace.configurationDigest else { return nil }
        let name = lintCache.url.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "lint", with: "search")
        var hasher = SHA256()
        hasher.update("\(Self.formatVersion)\u{0}\(generator)\u{0}\(configuration)\u{0}\(workspace.configurationPath ?? "-")")
        return SearchCache(url: lintCache.url.deletingLastPathComponent().appendingPathComponent(name + ".cache"), key: hasher.finalizeHex())
    }

    /// Terms shared by many entries, each stored once: entries loaded from the file, or saved
    /// after ``SearchIndex`` assembled them, name their terms by position in one table, so a
    /// rebuild neither decodes 3 million term strings at 10,000 documents nor hashes them to
    /// gather the postings (it maps the table's terms once).
    final class TermTable: Sendable {
        let terms: [String]
        init(_ terms: [String]) { self.terms = terms }
    }

    /// One document's data (see ``SearchIndex``).
    struct Entry: Sendable, Equatable {
        /// The document's terms, sorted, when not named through ``table``.
        private let strings: [String]
        /// The table ``ids`` index, or nil when the terms are ``strings``.
        let table: TermTable?
        /// The terms' positions in ``table``, in the order of ``terms``.
        let ids: [UInt32]
        var counts: [Int]
        var length: Int
        /// The result file's fields after `u` (the URL), joined with commas.
        var tail: String

        /// The document's distinct terms, sorted; ``counts`` are their weighted frequencies.
        var terms: [String] { table.map { table in ids.map { table.terms[Int($0)] } } ?? strings }

        init(terms: [String], counts: [Int], length: Int, tail: String) {
            strings = terms
            table = nil
            ids = []
            self.counts = counts
            self.length = length
            self.tail = tail
        }

        /// An entry whose terms are `table.terms[ids[i]]`.
        init(table: TermTable, ids: [UInt32], counts: [Int], length: Int, tail: String) {
            strings = []
            self.table = table
            self.ids = ids
            self.counts = counts
            self.length = length
            self.tail = tail
        }

        /// Same data, however the terms are held.
        static func == (a: Entry, b: Entry) -> Bool {
            a.counts == b.counts && a.length == b.length && a.tail == b.tail && a.terms == b.terms
        }
    }

    /// 2: a term table, entries naming terms by position (1 repeated every term in every entry).
    static let formatVersion = 2
    static let magic = "inquest-search-cache"

    /// The stored entries by document key; empty when the file is missing, damaged or foreign.
    func load() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        return Self.decode(Array(data), key: key) ?? [:]
    }

    /// Writes `entries` atomically (temporary file, then rename); failures are ignored.
    func save(_ entries: [String: Entry]) {
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
        do {
            try Data(Self.encode(entries, key: key)).write(to: temporary)
            if rename(temporary.path, url.path) != 0 { unlink(temporary.path) }
        } catch {
            unlink(temporary.path)
        }
    }

    // MARK: Format: a header line, then length-prefixed fields; a checksum over the payload.

    static func encode(_ entries: [String: Entry], key: String) -> [UInt8] {
        // The table the entries share (one ``SearchIndex`` made them all), else one made here.
        var table: TermTable?
        for entry in entries.values {
            guard let own = entry.table, table == nil || table === own else { table = nil; break }
            table = own
        }
        var ids: [String: UInt32] = [:]
        var terms: [String] = table?.terms ?? []
        if table == nil {
            for entry in entries.values {
                for term in entry.terms where ids[term] == nil {
                    ids[term] = UInt32(terms.count)
                    terms.append(term)
                }
            }
        }
        var payload: [UInt8] = []
        payload.reserveCapacity(entries.count * 1024 + terms.count * 12)
        func int(_ value: Int) {
            var value = UInt64(value)
            while value >= 0x80 { payload.append(UInt8(value & 0x7f) | 0x80); value >>= 7 }
            payload.append(UInt8(value))
        }
        func string(_ text: String) {
            var text = text
            text.withUTF8 { int($0.count); payload.append(contentsOf: $0) }
        }
        int(terms.count)
        for term in terms { string(term) }
        int(entries.count)
        for documentKey in entries.keys.sorted() {
            let entry = entries[documentKey]!
            string(documentKey)
            int(entry.counts.count)
            if table != nil {
                for (id, count) in zip(entry.ids, entry.counts) { int(Int(id)); int(count) }
            } else {
                for (term, count) in zip(entry.terms, entry.counts) { int(Int(ids[term]!)); int(count) }
            }
            int(entry.length)
            string(entry.tail)
        }
        let header = Array("\(magic)\t\(formatVersion)\t\(key)\t\(checksum(payload))\n".utf8)
        return header + payload
    }

    static func decode(_ bytes: [UInt8], key: String) -> [String: Entry]? {
        guard let newline = bytes.firstIndex(of: 0x0a) else { return nil }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false)
        let payload = bytes[(newline + 1)...]
        guard header.count == 4, header[0] == magic, header[1] == String(formatVersion), header[2] == key,
              header[3] == String(checksum(payload)) else { return nil }
        // Read through a buffer pointer (the slice's checked subscript cost more than the reading).
        return payload.withUnsafeBufferPointer { decodePayload($0) }
    }

    /// The entries of a payload whose header was accepted; nil when damaged.
    private static func decodePayload(_ payload: UnsafeBufferPointer<UInt8>) -> [String: Entry]? {
        var position = payload.startIndex
        func int() -> Int? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while position < payload.endIndex, shift < 64 {
                let byte = payload[position]
                position += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value <= UInt64(Int.max) ? Int(value) : nil }
                shift += 7
            }
            return nil
        }
        func string() -> String? {
            guard let count = int(), count <= payload.endIndex - position else { return nil }
            defer { position += count }
            return String(decoding: UnsafeBufferPointer(rebasing: payload[position..<(position + count)]), as: UTF8.self)
        }
        guard let termCount = int(), termCount <= payload.count else { return nil }
        var terms: [String] = []
        terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            guard let term = string() else { return nil }
            terms.append(term)
        }
        let table = TermTable(terms)
        guard let count = int(), count <= payload.count else { return nil }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            guard let documentKey = string(), let entryTerms = int(), entryTerms <= payload.count else { return nil }
            var ids: [UInt32] = [], counts: [Int] = []
            ids.reserveCapacity(entryTerms)
            counts.reserveCapacity(entryTerms)
            for _ in 0..<entryTerms {
                guard let id = int(), id < termCount, let value = int() else { return nil }
                ids.append(UInt32(id))
                counts.append(value)
            }
            guard let length = int(), let tail = string() else { return nil }
            entries[documentKey] = Entry(table: table, ids: ids, counts: counts, length: length, tail: tail)
        }
        guard position == payload.endIndex else { return nil }
        return entries
    }

    /// FNV-1a (64-bit): catches a truncated or damaged file; the key, not this, decides validity.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        // Through a buffer pointer: the slice's checked subscript made this a tenth of a rebuild's
        // search-cache load (37 MB at 10,000 documents).
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return hash
        }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt64 { checksum(bytes[...]) }
}

import Foundation
import InquestCore

/// Where the search index is kept between builds (``SearchState``): the last full index, with
/// each document's data (weighted terms, length, result file without its number and page URL)
/// keyed by everything that data is computed from (the document's path and content id, the
/// titles of its causes), under a file key naming the generator and the configuration (which
/// the parse depends on). A body edit then tokenizes one document and remakes only the files
/// its changed terms fall in (``SearchIndex/init(updating:model:plan:)``).
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
        guard let file = lintCache.sibling("search", formatVersion: formatVersion, workspace: workspace, generator: generator) else { return nil }
        var hasher = SHA256()
        hasher.update(file.keyText)
        return SearchCache(url: file.url, key: hasher.finalizeHex())
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

    /// The file key's format number: the state's (``SearchState/formatVersion``).
    static var formatVersion: Int { SearchState.formatVersion }

    /// The index the last full build left (``SearchState``); nil when missing, damaged or foreign.
    /// A save still being written (``save(_:)``) is waited for.
    func open() -> SearchState? {
        BackgroundWork.wait(for: url)
        return SearchState.open(url, key: key)
    }

    /// Writes the state of a full index atomically (temporary file, then rename); failures are
    /// ignored. While the build allows it (``BackgroundWork``), the file is encoded and written on
    /// a thread of its own as the build goes on: nothing in this build reads it, and ``open()``
    /// waits for it.
    func save(_ snapshot: SearchIndex.Snapshot) {
        let url = self.url, key = self.key
        // Handed over, so that the snapshot (a tenth of a 10,000-postmortem build's memory) is
        // freed as soon as it is encoded, not when the file is written.
        let box = SnapshotBox(snapshot)
        BackgroundWork.start(writing: url) { Self.write(box, key: key, to: url) }
    }

    /// The snapshot a save encodes, let go of once encoded.
    private final class SnapshotBox: @unchecked Sendable {
        var snapshot: SearchIndex.Snapshot?
        init(_ snapshot: SearchIndex.Snapshot) { self.snapshot = snapshot }
    }

    /// ``save(_:)``'s work: encodes the snapshot and puts the file in place.
    private static func write(_ box: SnapshotBox, key: String, to url: URL) {
        guard let snapshot = box.snapshot else { return }
        box.snapshot = nil
        let bytes = SearchState.encode(snapshot, key: key)
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Written from the encoded bytes as they are (through `Data` they were copied once more:
        // 27 MB at 10,000 postmortems, at the build's peak).
        CacheFile.replace(url, with: bytes)
    }
}

extension SearchState {
    /// Every document's data by document key: what a full build takes instead of tokenizing
    /// (more than a few documents changed); empty when the file turns out damaged.
    func allEntries() -> [String: SearchCache.Entry] {
        let table = SearchCache.TermTable((0..<termCount).map(term))
        var entries: [String: SearchCache.Entry] = [:]
        entries.reserveCapacity(documentCount)
        for id in 0..<documentCount {
            guard let entry = entry(id) else { return [:] }
            entries[key(id)] = SearchCache.Entry(table: table, ids: entry.ids, counts: entry.counts, length: entry.length, tail: entry.tail)
        }
        return entries
    }
}

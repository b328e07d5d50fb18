import Foundation
import Dispatch

/// Where the lint cache lives and how it is read and written.
///
/// One file per workspace: `$GIT_DIR/inquest/lint.cache` inside a git repository (the git folder
/// is never committed; a linked worktree has its own git folder, so worktrees on different
/// branches do not overwrite each other's cache), else `.inquest-cache/lint.cache` at the
/// workspace root (with a `.gitignore` of
/// `*` in the folder, so it stays out of a repository created later). A workspace nested in a
/// repository (an `inquest.yml` in a subfolder) gets its own file.
///
/// The file is a hint, never an authority: one that is missing, unreadable, truncated, garbage,
/// from another Inquest build or written under another configuration is ignored (and replaced on
/// the next write); writes go to a temporary file renamed into place, so concurrent runs each
/// see a whole file; a location that cannot be written costs only the speed-up.
public struct LintCache: Sendable {
    /// The cache file.
    public let url: URL
    /// True when the folder is ours alone (`.inquest-cache/`): it gets a `.gitignore`.
    let ownsFolder: Bool
    /// A working-tree file whose modification or change time is less than this (ns) before the
    /// cache file was written is read and hashed even when its stamp is unchanged: git's "racy"
    /// rule, since a write in the same clock tick as the cache could leave the stamp as it was.
    public var racyWindow: Int64 = 2_000_000_000

    public init(url: URL, ownsFolder: Bool = false) {
        self.url = url
        self.ownsFolder = ownsFolder
    }

    /// Another cache file of this workspace beside this one (`site-facts`, `history`, `search`
    /// for `lint`), and the text its key is made from: the file's format version, the generator,
    /// the configuration's digest and its path; nil when the configuration cannot be identified.
    public func sibling(_ role: String, formatVersion: Int, workspace: Workspace, generator: String) -> (url: URL, keyText: String)? {
        guard let configuration = workspace.configurationDigest else { return nil }
        let name = Self.renamed(url.deletingPathExtension().lastPathComponent, role: role)
        return (url.deletingLastPathComponent().appendingPathComponent(name + ".cache"),
                "\(formatVersion)\u{0}\(generator)\u{0}\(configuration)\u{0}\(workspace.configurationPath ?? "-")")
    }

    /// `name` with every `lint` replaced by `role` (`lint-1a2b` → `stat-1a2b`), byte by byte:
    /// Foundation's `replacingOccurrences` goes through NSString and the generic `split` looks
    /// up conformances on first use, each a noticeable part of a warm lint's start.
    static func renamed(_ name: String, role: String) -> String {
        let bytes = Array(name.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + role.utf8.count)
        var index = 0
        while index < bytes.count {
            if index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "l"), bytes[index + 1] == UInt8(ascii: "i"),
               bytes[index + 2] == UInt8(ascii: "n"), bytes[index + 3] == UInt8(ascii: "t") {
                out.append(contentsOf: role.utf8)
                index += 4
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The cache of the workspace at `root`: in the git folder when there is a repository.
    public static func location(root: URL, repository: WorkspaceRepository?) -> LintCache {
        if let repository {
            let prefix = repository.pathPrefix
            let name = prefix.isEmpty ? "lint.cache" : "lint-\(String(ContentID.of(Array(prefix.utf8)).prefix(16))).cache"
            return LintCache(url: repository.gitDirectory.appendingPathComponent("inquest/\(name)"))
        }
        return LintCache(url: root.appendingPathComponent(".inquest-cache/lint.cache"), ownsFolder: true)
    }

    /// The byte format's version: bump it whenever what is stored changes meaning.
    /// 4: digests as raw bytes, entries sorted by path bytes, no separate id, a faster checksum,
    /// and the similarity index's document frequencies, postings and norms over the entries.
    /// 5: a terms digest per entry; diagnostics keyed by a per-document dependency digest, with
    /// the paths of their similar documents.
    /// 6: the findings of the cause-group rules kept apart (``Entry/grouped``), with the source
    /// ranges of the document's causes, so they are worked out again from stubs.
    /// 8: with the diagnostics, the source lines they quote (``CachedLint/Excerpts``), so a warm
    /// run prints them without reading the files.
    /// 9: the similar documents stored with the scores `causes/similar` prints and the digest of
    /// the terms they were found under, which the dependency digest no longer holds.
    /// 10: the git author names the file was written under, and with each entry's diagnostics
    /// the digest of those they were worked out under (``CachedLint/DiagnosticBasis``): the file's
    /// key no longer holds them, so a new commit author no longer turns the whole file away.
    /// 11: with each entry's diagnostics, the paths its links lead to; the dependency digest holds
    /// whether those and its related ids exist, not every document's path, id and date.
    static let formatVersion = 11
    static let magic = Array("INQLINT\u{4}".utf8)

    /// One stored document; every range points into the snapshot's buffer.
    struct Entry {
        /// The path's UTF-8 bytes.
        var path: Range<Int>
        /// Blob id of the content the entry was made from.
        var contentKey: Digest20
        /// The working-tree stamp seen before that content was read, when there was one.
        var stamp: FileStamp?
        var factsDigest: Digest20
        /// ``DocumentFacts/termsDigest``: part of every document's dependency digest (``CachedLint``).
        var termsDigest: Digest20
        var facts: Range<Int>
        /// The similarity terms, as ids into the snapshot's term table.
        var terms: Range<Int>
        /// Document-rule diagnostics, valid for the dependency digest (``CachedLint/dependencies``)
        /// and the run key (its UTF-8 bytes); `neighbours` the similar documents whose causes
        /// and links those diagnostics may quote (``CachedLint/DiagnosticBasis``); `excerpts` the source
        /// lines they and the document's causes start on (``CachedLint/Excerpts``).
        var diagnostics: (dependencies: Digest20, runKey: Range<Int>, bytes: Range<Int>, neighbours: Range<Int>, excerpts: Range<Int>)?
        /// For a document without suppressions: its cause-group rules' findings apart from
        /// ``diagnostics`` (which then leave them out and do not depend on the cause groups),
        /// valid for the digest of its causes' groups; `causes` holds the source ranges of its
        /// root causes and contributing factors, in order (``CachedLint/GroupRules``).
        var grouped: (causes: Range<Int>, dependencies: Digest20, bytes: Range<Int>)?
    }

    /// A cache file as read: entries point into ``buffer``.
    struct Snapshot {
        var buffer: CacheBytes
        /// In file order: sorted by path bytes when ``sorted``.
        var entries: [Entry]
        /// True when every entry's path is greater (bytewise) than the one before, so documents
        /// listed in path order are matched to entries in one merge, without hashing paths.
        var sorted: Bool
        /// Where the term table is (read only when a run needs the terms).
        var termTable: Range<Int>
        /// Where the git author names the file was written under are (``authorNames()``).
        var authors: Range<Int> = 0..<0
        /// The file's modification time (ns): stamps this recent are not trusted (see ``CachedLint``).
        var written: Int64
        /// Where ``StoredSimilarity`` is.
        var similarity: Range<Int>

        /// The document frequencies and postings stored with the entries; nil when damaged.
        func storedSimilarity() -> StoredSimilarity? {
            var reader = CacheReader(buffer, range: similarity)
            do throws(CacheReader.Failure) {
                let terms = try reader.count()
                let records = try reader.count()
                let tables = reader.offset
                guard records == entries.count, similarity.upperBound - tables >= 8 * terms + 4 + 8 * records else { return nil }
                let postings = tables + 8 * terms + 4 + 8 * records
                let stored = StoredSimilarity(buffer: buffer, termCount: terms, documentCount: records, frequencies: tables,
                                              offsets: tables + 4 * terms, norms: tables + 8 * terms + 4,
                                              postings: postings..<similarity.upperBound)
                // Offsets must rise within the postings.
                var previous = 0
                for term in 0...terms {
                    let offset = stored.offset(term)
                    guard offset >= previous, offset <= stored.postings.count else { return nil }
                    previous = offset
                }
                return stored
            } catch {
                return nil
            }
        }

        /// The git author names of the run that wrote the file: entries worked out under them
        /// (``CachedLint/DiagnosticBasis``) can tell which names came or went since. Nil when damaged.
        func authorNames() -> [String]? {
            var reader = CacheReader(buffer, range: authors)
            guard let names = try? reader.strings(), reader.isAtEnd else { return nil }
            return names
        }

        func terms() throws(CacheReader.Failure) -> [String] {
            var reader = CacheReader(buffer, range: termTable)
            let strings = try reader.strings()
            guard reader.isAtEnd else { throw .init() }
            return strings
        }

        func path(of entry: Entry) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: buffer.buffer[entry.path]), as: UTF8.self)
        }

        /// Bytewise comparison of a stored range with `bytes`: negative, zero or positive.
        func compare(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            let common = min(range.count, bytes.count)
            if common > 0 {
                let result = memcmp(buffer.base + range.lowerBound, bytes.baseAddress!, common)
                if result != 0 { return Int(result) }
            }
            return range.count - bytes.count
        }
    }

    /// The stored snapshot when it is whole and was written under `key`; nil otherwise.
    func load(key: String) -> Snapshot? {
        guard let (snapshot, storedKey) = loadAnyKey(), storedKey == key else { return nil }
        return snapshot
    }

    /// The stored snapshot when it is whole, whatever key it was written under, and that key.
    func loadAnyKey() -> (Snapshot, String)? {
        BackgroundWork.wait(for: url)
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 16, info.st_size < 1 << 31 else { return nil }
        guard let bytes = CacheBytes(mapping: descriptor, size: Int(info.st_size)) else { return nil }
        let written = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return Self.decodeAnyKey(bytes, written: written)
    }

    static func decode(_ buffer: [UInt8], key: String, written: Int64) -> Snapshot? {
        decode(CacheBytes(buffer), key: key, written: written)
    }

    static func decode(_ buffer: CacheBytes, key: String, written: Int64) -> Snapshot? {
        guard let (snapshot, storedKey) = decodeAnyKey(buffer, written: written), storedKey == key else { return nil }
        return snapshot
    }

    /// The snapshot in `buffer` when it is whole (magic, checksum, format version, entry table),
    /// and the key it was written under, for the caller to compare.
    static func decodeAnyKey(_ buffer: CacheBytes, written: Int64) -> (Snapshot, String)? {
        guard CacheChecksum.isIntact(buffer, magic: magic) else { return nil }
        var reader = CacheReader(buffer, range: 16..<buffer.count)
        do throws(CacheReader.Failure) {
            guard try reader.int() == formatVersion else { return nil }
            let key = try reader.string()
            let termTable = try reader.block()
            let authors = try reader.block()
            let count = try reader.count()
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            var sorted = true
            var previous: Range<Int>?
            for _ in 0..<count {
                let path = try reader.stringRange()
                if sorted, let previous {
                    let common = min(previous.count, path.count)
                    let result = common == 0 ? 0 : memcmp(buffer.base + previous.lowerBound, buffer.base + path.lowerBound, common)
                    sorted = result < 0 || (result == 0 && previous.count < path.count)
                }
                previous = path
                let contentKey = try reader.digest()
                var stamp: FileStamp?
                if try reader.bool() {
                    stamp = FileStamp(device: try reader.unsigned(), inode: try reader.unsigned(), size: try reader.int64(),
                                      modified: try reader.int64(), changed: try reader.int64())
                }
                let factsDigest = try reader.digest()
                let termsDigest = try reader.digest()
                let facts = try reader.block()
                let terms = try reader.block()
                var diagnostics: (Digest20, Range<Int>, Range<Int>, Range<Int>, Range<Int>)?
                var grouped: (Range<Int>, Digest20, Range<Int>)?
                if try reader.bool() {
                    diagnostics = (try reader.digest(), try reader.stringRange(), try reader.block(), try reader.block(), try reader.block())
                    if try reader.bool() { grouped = (try reader.block(), try reader.digest(), try reader.block()) }
                }
                entries.append(Entry(path: path, contentKey: contentKey, stamp: stamp, factsDigest: factsDigest, termsDigest: termsDigest,
                                     facts: facts, terms: terms, diagnostics: diagnostics, grouped: grouped))
            }
            let similarity = try reader.block()
            guard reader.isAtEnd else { return nil }
            return (Snapshot(buffer: buffer, entries: entries, sorted: sorted, termTable: termTable, authors: authors, written: written,
                             similarity: similarity), key)
        } catch {
            return nil
        }
    }

    /// The similarity index's inputs over a snapshot's entries, as written: per term id, how many
    /// entries hold it and which (entry ordinals, ascending, with the term's count there); per
    /// entry, the norm of its vector under those frequencies. Read in place.
    struct StoredSimilarity {
        let buffer: CacheBytes
        let termCount: Int
        /// The entries the frequencies count (N of the weights the norms were made with).
        let documentCount: Int
        let frequencies: Int
        let offsets: Int
        let norms: Int
        let postings: Range<Int>

        func norm(_ ordinal: Int) -> Double {
            Double(bitPattern: UInt64(littleEndian: UnsafeRawPointer(buffer.base).loadUnaligned(fromByteOffset: norms + 8 * ordinal, as: UInt64.self)))
        }

        private func word(_ at: Int) -> Int {
            Int(UInt32(littleEndian: UnsafeRawPointer(buffer.base).loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        }

        func frequency(_ term: Int) -> Int { word(frequencies + 4 * term) }
        func offset(_ term: Int) -> Int { word(offsets + 4 * term) }

        /// The entries holding `term` (ordinals, ascending) with its count in each; nil when the
        /// list is damaged.
        func entries(_ term: Int, entryCount: Int) -> [(ordinal: Int, count: Int)]? {
            guard term < termCount else { return [] }
            var reader = CacheReader(buffer, range: postings.lowerBound + offset(term)..<postings.lowerBound + offset(term + 1))
            var list: [(ordinal: Int, count: Int)] = []
            list.reserveCapacity(frequency(term))
            var ordinal = 0
            while !reader.isAtEnd {
                guard let delta = try? reader.unsigned(), delta <= UInt64(entryCount), let count = try? reader.int() else { return nil }
                ordinal += Int(delta)
                guard ordinal < entryCount, list.isEmpty || delta > 0 else { return nil }
                list.append((ordinal, count))
            }
            return list.count == frequency(term) ? list : nil
        }
    }

    /// An entry to write: its facts and diagnostics either fresh or copied from the old buffer.
    struct Record {
        var path: String
        var contentKey: Digest20
        var stamp: FileStamp?
        var factsDigest: Digest20
        var termsDigest: Digest20
        var facts: ArraySlice<UInt8>
        var terms: ArraySlice<UInt8>
        /// `neighbours`: the similar documents' paths, encoded as a list of strings; `excerpts`:
        /// ``CachedLint/Excerpts``.
        var diagnostics: (dependencies: Digest20, runKey: String, bytes: ArraySlice<UInt8>, neighbours: ArraySlice<UInt8>,
                          excerpts: ArraySlice<UInt8>)?
        /// ``Entry/grouped``; only with `diagnostics`.
        var grouped: (causes: ArraySlice<UInt8>, dependencies: Digest20, bytes: ArraySlice<UInt8>)?
    }

    /// The file's bytes; `records` should be sorted by path bytes (``Snapshot/sorted``).
    static func encode(_ records: [Record], key: String, termTable: [String], authors: [String] = []) -> [UInt8] {
        // Each record's term ids, for the stored similarity index.
        var frequencies = Array(repeating: 0, count: termTable.count)
        var lists: [[(ordinal: Int, count: Int)]] = Array(repeating: [], count: termTable.count)
        var bags: [[(term: Int, count: Int)]] = []
        var whole = true
        for (ordinal, record) in records.enumerated() {
            var reader = CacheReader(Array(record.terms))
            guard let bag = try? DocumentFacts.decodeTerms(from: &reader, tableCount: termTable.count) else {
                whole = false
                bags.append([])
                continue
            }
            bags.append(bag)
            for entry in bag {
                frequencies[entry.term] += 1
                lists[entry.term].append((ordinal, entry.count))
            }
        }
        var weights = SimilarityIndex.Weights(documentCount: records.count, termCount: termTable.count)
        var similarity = CacheWriter()
        similarity.unsigned(UInt64(termTable.count))
        // A record whose terms did not decode would make the frequencies wrong: the record count
        // is then written off by one, so that no run trusts this section.
        similarity.unsigned(UInt64(records.count + (whole ? 0 : 1)))
        var postings = CacheWriter()
        var offsets: [Int] = []
        for list in lists {
            offsets.append(postings.bytes.count)
            var previous = 0
            for item in list {
                postings.unsigned(UInt64(item.ordinal - previous))
                postings.int(item.count)
                previous = item.ordinal
            }
        }
        offsets.append(postings.bytes.count)
        for frequency in frequencies { withUnsafeBytes(of: UInt32(truncatingIfNeeded: frequency).littleEndian) { similarity.bytesAppend($0) } }
        for offset in offsets { withUnsafeBytes(of: UInt32(truncatingIfNeeded: offset).littleEndian) { similarity.bytesAppend($0) } }
        for bag in bags {
            let norm = weights.norm(bag, documentFrequency: frequencies)
            withUnsafeBytes(of: norm.bitPattern.littleEndian) { similarity.bytesAppend($0) }
        }
        postings.bytes.withUnsafeBytes { similarity.bytesAppend($0) }

        // The header (magic, then the checksum filled in below).
        var writer = CacheWriter(capacity: 16 + records.count * 1024)
        magic.withUnsafeBytes { writer.bytesAppend($0) }
        withUnsafeBytes(of: UInt64(0)) { writer.bytesAppend($0) }
        writer.int(formatVersion)
        writer.string(key)
        var table = CacheWriter()
        table.strings(termTable)
        writer.block(table.bytes)
        var names = CacheWriter()
        names.strings(authors)
        writer.block(names.bytes)
        writer.unsigned(UInt64(records.count))
        for record in records {
            writer.string(record.path)
            writer.digest(record.contentKey)
            writer.bool(record.stamp != nil)
            if let stamp = record.stamp {
                writer.unsigned(stamp.device)
                writer.unsigned(stamp.inode)
                writer.int64(stamp.size)
                writer.int64(stamp.modified)
                writer.int64(stamp.changed)
            }
            writer.digest(record.factsDigest)
            writer.digest(record.termsDigest)
            writer.block(record.facts)
            writer.block(record.terms)
            writer.bool(record.diagnostics != nil)
            if let diagnostics = record.diagnostics {
                writer.digest(diagnostics.dependencies)
                writer.string(diagnostics.runKey)
                writer.block(diagnostics.bytes)
                writer.block(diagnostics.neighbours)
                writer.block(diagnostics.excerpts)
                writer.bool(record.grouped != nil)
                if let grouped = record.grouped {
                    writer.block(grouped.causes)
                    writer.digest(grouped.dependencies)
                    writer.block(grouped.bytes)
                }
            }
        }
        writer.block(similarity.bytes)
        var file = writer.bytes
        let checksum = CacheChecksum.of(file, from: 16)
        for index in 0..<8 { file[8 + index] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(index))) }
        return file
    }

    /// Writes the file atomically; any failure (read-only folder, full disk) leaves the old file
    /// and is not an error: the cache only saves time.
    func save(_ bytes: [UInt8]) {
        let folder = url.deletingLastPathComponent()
        if mkdir(folder.path, 0o777) == 0, ownsFolder {
            _ = try? Data("# Inquest's lint cache: safe to delete, never commit it.\n*\n".utf8)
                .write(to: folder.appendingPathComponent(".gitignore"), options: .withoutOverwriting)
        }
        CacheFile.replace(url, with: bytes)
    }

    /// Removes the cache file (`inquest lint --no-cache` leaves it; this is for `cache clear`-style use).
    public func clear() {
        BackgroundWork.wait(for: url)
        unlink(url.path)
    }
}

/// A cache file read on another thread while the run lists the archive: mapped, checked
/// (checksum, format, entry table) and every entry's stub decoded (``DocumentFacts/stub(from:path:source:contentID:interner:)``),
/// before the run knows its key (which needs the catalogue and git's author names). ``result(key:)``
/// waits for it and drops everything when the key differs: a foreign cache is never trusted.
final class SnapshotLoader: @unchecked Sendable {
    /// An entry's stub and open items, decoded in advance; nil where the entry did not decode.
    struct Decoded {
        var snapshot: LintCache.Snapshot
        /// Per entry ordinal: the stub (path from the entry, no source, no content id).
        var stubs: [Postmortem]
        var openItems: [[(line: Int, ticket: String?)]]
        var valid: [Bool]
    }

    private let group = DispatchGroup()
    private var loaded: (Decoded, String)?

    init(cache: LintCache) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            loaded = Self.load(cache)
        }
    }

    /// The decoded cache when it was written under `key`; nil otherwise (also when missing or
    /// damaged). Once: the loader lets go of what it hands over.
    func result(key: String) -> Decoded? {
        group.wait()
        // Handed over, not shared: the run changes the stubs in place.
        let taken = loaded
        loaded = nil
        guard let (decoded, storedKey) = taken, storedKey == key else { return nil }
        return decoded
    }

    private static func load(_ cache: LintCache) -> (Decoded, String)? {
        guard let (snapshot, key) = cache.loadAnyKey() else { return nil }
        let entries = snapshot.entries
        var stubs: [Postmortem] = []
        var openItems: [[(line: Int, ticket: String?)]] = []
        var valid = [Bool](repeating: false, count: entries.count)
        stubs.reserveCapacity(entries.count)
        openItems.reserveCapacity(entries.count)
        var interner = StringInterner()
        let empty = SourceText(bytes: [])
        for ordinal in entries.indices {
            let path = snapshot.path(of: entries[ordinal])
            var reader = CacheReader(snapshot.buffer, range: entries[ordinal].facts)
            if let (stub, items) = try? DocumentFacts.stub(from: &reader, path: path, source: empty, contentID: nil, interner: &interner),
               reader.isAtEnd {
                stubs.append(stub)
                openItems.append(items)
                valid[ordinal] = true
            } else {
                stubs.append(CachedLint.placeholder(path: path, source: empty))
                openItems.append([])
            }
        }
        return (Decoded(snapshot: snapshot, stubs: stubs, openItems: openItems, valid: valid), key)
    }
}

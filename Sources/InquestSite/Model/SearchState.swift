import Foundation
import InquestCore

/// The search index of the last full build, kept on disk (``SearchCache``) so that the next build
/// updates it for the documents that changed instead of indexing the whole archive again
/// (``SearchIndex/init(updating:model:plan:)``).
///
/// The file is mapped, not read: a build checks its checksum (a few milliseconds at 10,000
/// documents), then reads only what the change touches: the changed documents' rows, the
/// postings of the shards their terms fall in, the prefix files of terms that appear or
/// disappear. Every list is a ``BlobList`` (offsets, then bytes), so row `i` is found without
/// decoding rows `0..<i`.
///
/// Layout: a text header line (`magic`, format version, the ``SearchCache/key``), an 8-byte
/// checksum of the rest, a section table, then the sections in ``Section`` order. Terms are
/// numbered by their position in the ``Section/terms`` table; postings are delta-encoded
/// varints. A file whose header, checksum or structure does not match is ignored.
final class SearchState: @unchecked Sendable {
    // @unchecked: read-only after init (the mapping is never written).

    static let magic = "inquest-search-state"
    /// 3: the whole index (rows, terms, shard postings, prefix lists, output digests).
    /// (1 and 2 were per-document entries only, in `SearchCache`'s old format.)
    static let formatVersion = 3

    enum Section: Int, CaseIterable {
        /// Varints: documents, terms, shards, postings, live terms (with postings).
        case meta
        /// Per document (id order): ``SearchIndex/documentKey(_:model:)``.
        case keys
        /// Per document: its page URL (the `u` of its result).
        case urls
        /// Per document: term count, (term number, weight) pairs, length, then the result tail's bytes.
        case entries
        /// Per document: its length, 4 bytes little-endian (the manifest lists every length).
        case lengths
        /// Per term number: the term.
        case terms
        /// Term numbers sorted by term (4 bytes each): a term's number by binary search.
        case sorted
        /// Per shard: term count, then per term (sorted): number, posting count, (doc delta, weight) pairs.
        case shards
        /// Per prefix file: term count, then per term (sorted): number, document frequency.
        case prefixes
        /// Per prefix file: its character.
        case prefixFiles
        /// Per prefix file: its two-character keys, concatenated.
        case prefixKeys
        /// SHA-256 (32 raw bytes) of each output file: manifest, shards, document files, prefix files.
        case digests
        /// One blob: ``SearchIndex/catalogueDigest(_:)`` of the archive the state was made from.
        case catalogue
    }

    private let file: MappedFile
    /// Start of the payload (after the checksum) in the mapping.
    private let payload: UnsafePointer<UInt8>
    private let payloadCount: Int
    private var lists: [BlobList] = []

    let documentCount: Int
    let termCount: Int
    let shardCount: Int
    let totalPostings: Int
    let liveTerms: Int
    /// The prefix files' characters, sorted.
    let prefixFiles: [String]
    /// ``SearchIndex/catalogueDigest(_:)`` when the state was written.
    let catalogue: String

    /// Opens and checks `url`; nil when missing, foreign (another key or version) or damaged.
    static func open(_ url: URL, key: String) -> SearchState? {
        guard let file = MappedFile(path: url.path) else { return nil }
        return SearchState(file: file, key: key)
    }

    private init?(file: MappedFile, key: String) {
        self.file = file
        let bytes = UnsafeBufferPointer(start: file.base, count: file.count)
        let header = Array("\(Self.magic)\t\(Self.formatVersion)\t\(key)\n".utf8)
        guard bytes.count >= header.count + 8, header.elementsEqual(bytes[0..<header.count]) else { return nil }
        let stored = UnsafeRawPointer(file.base + header.count).loadUnaligned(as: UInt64.self).littleEndian
        payload = file.base + header.count + 8
        payloadCount = bytes.count - header.count - 8
        guard Self.checksum(UnsafeRawBufferPointer(start: payload, count: payloadCount)) == stored else { return nil }

        // Section table.
        var cursor = ByteCursor(payload, 0, payloadCount)
        guard let sections = cursor.u32(), Int(sections) == Section.allCases.count else { return nil }
        var ranges: [Range<Int>] = []
        for _ in 0..<sections {
            guard let start = cursor.u64(), let count = cursor.u64(), start <= UInt64(payloadCount),
                  count <= UInt64(payloadCount) - start else { return nil }
            ranges.append(Int(start)..<Int(start + count))
        }
        var meta = ByteCursor(payload, ranges[Section.meta.rawValue].lowerBound, ranges[Section.meta.rawValue].upperBound)
        guard let documents = meta.varint(), let terms = meta.varint(), let shards = meta.varint(), let postings = meta.varint(),
              let live = meta.varint() else { return nil }
        documentCount = documents
        termCount = terms
        shardCount = shards
        totalPostings = postings
        liveTerms = live
        for section in Section.allCases {
            let range = ranges[section.rawValue]
            switch section {
            case .meta, .lengths, .sorted:
                lists.append(BlobList.empty)
            default:
                guard let list = BlobList(payload, range) else { return nil }
                lists.append(list)
            }
        }
        let lengthsRange = ranges[Section.lengths.rawValue], sortedRange = ranges[Section.sorted.rawValue]
        lengthsStart = lengthsRange.lowerBound
        sortedStart = sortedRange.lowerBound
        let prefixCount = lists[Section.prefixes.rawValue].count
        guard lengthsRange.count == documents * 4, sortedRange.count == terms * 4, shards >= 1,
              lists[Section.keys.rawValue].count == documents, lists[Section.urls.rawValue].count == documents,
              lists[Section.entries.rawValue].count == documents, lists[Section.terms.rawValue].count == terms,
              lists[Section.shards.rawValue].count == shards, lists[Section.prefixFiles.rawValue].count == prefixCount,
              lists[Section.prefixKeys.rawValue].count == prefixCount,
              lists[Section.digests.rawValue].count == 1 + shards + (documents + SearchIndex.documentsPerFile - 1) / SearchIndex.documentsPerFile + prefixCount
        else { return nil }
        var files: [String] = []
        for index in 0..<prefixCount {
            let blob = lists[Section.prefixFiles.rawValue].blob(index)
            guard blob.count == 1 else { return nil }
            files.append(String(decoding: blob, as: UTF8.self))
        }
        prefixFiles = files
        guard lists[Section.catalogue.rawValue].count == 1 else { return nil }
        catalogue = String(decoding: lists[Section.catalogue.rawValue].blob(0), as: UTF8.self)
        for index in 0..<lists[Section.digests.rawValue].count where lists[Section.digests.rawValue].blob(index).count != 32 { return nil }
        for index in 0..<terms where Int(sortedValue(index)) >= terms { return nil }
    }

    private var lengthsStart = 0
    private var sortedStart = 0

    private func list(_ section: Section) -> BlobList { lists[section.rawValue] }

    // MARK: Reading

    /// Whether document `id`'s key is `postmortem`'s ``SearchIndex/documentKey(_:model:)``,
    /// compared piece by piece in place (no key is built: this runs for every document).
    func hasKey(_ id: Int, ofDocument index: Int, model: SiteModel) -> Bool {
        // Fields read through the archive (a local copy of the document would copy every field).
        let postmortems = model.archive.postmortems
        var matcher = BlobMatcher(list(.keys).blob(id))
        guard matcher.take(postmortems[index].contentID ?? SiteStubs.contentHash(postmortems[index].source.bytes)), matcher.take(0),
              matcher.take(String(model.byteCount(index))), matcher.take(0), matcher.take(postmortems[index].path)
        else { return false }
        for cause in postmortems[index].allCauses.uniqued() {
            guard matcher.take(0), matcher.take(cause), matcher.take(0), matcher.take(model.causeTitle(cause)) else { return false }
        }
        return matcher.isAtEnd
    }

    /// ``hasKey(_:ofDocument:model:)`` when the catalogue's titles are the state's (``catalogue``):
    /// the causes part of the key then follows from the bytes, so only the content id, size and
    /// path are compared.
    func hasKey(_ id: Int, ofDocument index: Int, model: SiteModel, sameCatalogue: Bool) -> Bool {
        guard sameCatalogue else { return hasKey(id, ofDocument: index, model: model) }
        let postmortems = model.archive.postmortems
        var matcher = BlobMatcher(list(.keys).blob(id))
        guard matcher.take(postmortems[index].contentID ?? SiteStubs.contentHash(postmortems[index].source.bytes)), matcher.take(0),
              matcher.take(String(model.byteCount(index))), matcher.take(0), matcher.take(postmortems[index].path)
        else { return false }
        return matcher.isAtEnd || matcher.take(0)
    }

    /// Whether document `id`'s URL is ``SiteModel/postmortemURL(_:)`` of the document at `index`.
    func hasURL(_ id: Int, ofDocument index: Int, model: SiteModel) -> Bool {
        var matcher = BlobMatcher(list(.urls).blob(id))
        return matcher.take("postmortems/") && matcher.take(model.postmortemSlugs[index]) && matcher.take(".html") && matcher.isAtEnd
    }

    func key(_ id: Int) -> String { String(decoding: list(.keys).blob(id), as: UTF8.self) }
    func url(_ id: Int) -> String { String(decoding: list(.urls).blob(id), as: UTF8.self) }

    func length(_ id: Int) -> Int {
        Int(UnsafeRawPointer(payload + lengthsStart + id * 4).loadUnaligned(as: UInt32.self).littleEndian)
    }

    /// Term numbers and weights of document `id`, its length, and where its tail starts; nil when damaged.
    func entry(_ id: Int) -> (ids: [UInt32], counts: [Int], length: Int, tail: String)? {
        let blob = list(.entries).blob(id)
        var cursor = ByteCursor(blob.baseAddress!, 0, blob.count)
        guard let count = cursor.varint(), count <= blob.count else { return nil }
        var ids: [UInt32] = [], counts: [Int] = []
        ids.reserveCapacity(count)
        counts.reserveCapacity(count)
        for _ in 0..<count {
            guard let term = cursor.varint(), term < termCount, let weight = cursor.varint() else { return nil }
            ids.append(UInt32(term))
            counts.append(weight)
        }
        guard let length = cursor.varint() else { return nil }
        return (ids, counts, length, String(decoding: UnsafeBufferPointer(rebasing: blob[cursor.position...]), as: UTF8.self))
    }

    /// Document `id`'s result tail only.
    func tail(_ id: Int) -> String? { entry(id)?.tail }

    func term(_ number: Int) -> String { String(decoding: list(.terms).blob(number), as: UTF8.self) }

    /// The number of `term`, by binary search over the sorted numbers; nil when not in the table.
    func number(of term: String) -> UInt32? {
        var term = term
        return term.withUTF8 { wanted in
            var low = 0, high = termCount
            while low < high {
                let middle = (low + high) / 2
                let number = sortedValue(middle)
                let candidate = list(.terms).blob(Int(number))
                if candidate.lexicographicallyPrecedes(wanted) {
                    low = middle + 1
                } else if wanted.lexicographicallyPrecedes(candidate) {
                    high = middle
                } else {
                    return number
                }
            }
            return nil
        }
    }

    private func sortedValue(_ index: Int) -> UInt32 {
        UnsafeRawPointer(payload + sortedStart + index * 4).loadUnaligned(as: UInt32.self).littleEndian
    }

    /// The terms of shard `shard` in order, with their postings; nil when damaged.
    func shard(_ shard: Int) -> [(term: UInt32, postings: [(doc: Int, tf: Int)])]? {
        let blob = list(.shards).blob(shard)
        var cursor = ByteCursor(blob.baseAddress!, 0, blob.count)
        guard let count = cursor.varint(), count <= blob.count else { return nil }
        var out: [(term: UInt32, postings: [(doc: Int, tf: Int)])] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let term = cursor.varint(), term < termCount, let postings = cursor.varint(), postings <= blob.count else { return nil }
            var list: [(doc: Int, tf: Int)] = []
            list.reserveCapacity(postings)
            var doc = 0
            for _ in 0..<postings {
                guard let delta = cursor.varint(), let tf = cursor.varint() else { return nil }
                doc += delta
                guard doc < documentCount else { return nil }
                list.append((doc, tf))
            }
            out.append((UInt32(term), list))
        }
        return cursor.position == blob.count ? out : nil
    }

    /// Prefix file `index`'s terms (sorted) with their document frequencies; nil when damaged.
    func prefix(_ index: Int) -> [(term: UInt32, df: Int)]? {
        let blob = list(.prefixes).blob(index)
        var cursor = ByteCursor(blob.baseAddress!, 0, blob.count)
        guard let count = cursor.varint(), count <= blob.count else { return nil }
        var out: [(term: UInt32, df: Int)] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let term = cursor.varint(), term < termCount, let df = cursor.varint() else { return nil }
            out.append((UInt32(term), df))
        }
        return cursor.position == blob.count ? out : nil
    }

    func prefixKeys(_ index: Int) -> String { String(decoding: list(.prefixKeys).blob(index), as: UTF8.self) }

    /// Digest (hex) of output file `index`: 0 the manifest, then shards, document files, prefix files.
    func digest(_ index: Int) -> String {
        let blob = list(.digests).blob(index)
        var out = ""
        out.reserveCapacity(64)
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in blob {
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 15)])
        }
        out = String(decoding: bytes, as: UTF8.self)
        return out
    }

    // MARK: Writing

    /// What a full index writes (``SearchIndex/Snapshot``), as the file's bytes.
    static func encode(_ snapshot: SearchIndex.Snapshot, key: String) -> [UInt8] {
        var sections: [[UInt8]] = []
        var meta = ByteWriter()
        for value in [snapshot.keys.count, snapshot.terms.count, snapshot.shards.count, snapshot.totalPostings, snapshot.liveTerms] {
            meta.varint(value)
        }
        sections.append(meta.bytes)
        sections.append(BlobList.encode(snapshot.keys.map { Array($0.utf8) }))
        sections.append(BlobList.encode(snapshot.urls.map { Array($0.utf8) }))
        sections.append(BlobList.encode(snapshot.rows.map { entry in
            var writer = ByteWriter()
            writer.varint(entry.ids.count)
            for (id, count) in zip(entry.ids, entry.counts) {
                writer.varint(Int(id))
                writer.varint(count)
            }
            writer.varint(entry.length)
            writer.bytes.append(contentsOf: entry.tail.utf8)
            return writer.bytes
        }))
        var lengths = ByteWriter()
        for entry in snapshot.rows { lengths.u32(UInt32(clamping: entry.length)) }
        sections.append(lengths.bytes)
        sections.append(BlobList.encode(snapshot.terms.map { Array($0.utf8) }))
        var sorted = ByteWriter()
        for number in snapshot.sortedTerms { sorted.u32(UInt32(number)) }
        sections.append(sorted.bytes)
        sections.append(BlobList.encode(parallelMap(snapshot.shards) { terms in
            var writer = ByteWriter()
            writer.varint(terms.count)
            for term in terms {
                let postings = snapshot.postings[term]
                writer.varint(term)
                writer.varint(postings.count)
                var previous = 0
                for posting in postings {
                    writer.varint(posting.doc - previous)
                    writer.varint(posting.tf)
                    previous = posting.doc
                }
            }
            return writer.bytes
        }))
        sections.append(BlobList.encode(snapshot.prefixes.map { file in
            var writer = ByteWriter()
            writer.varint(file.terms.count)
            for term in file.terms {
                writer.varint(term)
                writer.varint(snapshot.postings[term].count)
            }
            return writer.bytes
        }))
        sections.append(BlobList.encode(snapshot.prefixes.map { Array($0.file.utf8) }))
        sections.append(BlobList.encode(snapshot.prefixes.map { Array($0.keys.utf8) }))
        sections.append(BlobList.encode(snapshot.digests.map { hex in Self.bytes(ofHex: hex) }))
        sections.append(BlobList.encode([Array(snapshot.catalogue.utf8)]))

        var payload = ByteWriter()
        payload.u32(UInt32(sections.count))
        var offset = 4 + sections.count * 16
        for section in sections {
            payload.u64(UInt64(offset))
            payload.u64(UInt64(section.count))
            offset += section.count
        }
        payload.bytes.reserveCapacity(offset)
        for section in sections { payload.bytes.append(contentsOf: section) }
        var out = Array("\(magic)\t\(formatVersion)\t\(key)\n".utf8)
        let sum = payload.bytes.withUnsafeBytes { checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: payload.bytes)
        return out
    }

    private static func bytes(ofHex hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        func value(_ c: UInt8) -> UInt8 { c >= 0x61 ? c - 0x61 + 10 : c - 0x30 }
        return stride(from: 0, to: digits.count - 1, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
    }

    /// Four interleaved multiply-rotate lanes over 8-byte words: each step is a bijection of its
    /// lane, so any change of any byte changes the result; fast enough to check 30 MB in a few
    /// milliseconds (the key, not this, decides whether the file applies).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h0: UInt64 = 0x243F_6A88_85A3_08D3, h1: UInt64 = 0x1319_8A2E_0370_7344
        var h2: UInt64 = 0xA409_3822_299F_31D0, h3: UInt64 = 0x082E_FA98_EC4E_6C89
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            let m = (h ^ w) &* k
            return (m << 31) | (m >> 33)
        }
        let count = bytes.count
        var position = 0
        if let base = bytes.baseAddress {
            while position + 32 <= count {
                h0 = mix(h0, base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                h1 = mix(h1, base.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self))
                h2 = mix(h2, base.loadUnaligned(fromByteOffset: position + 16, as: UInt64.self))
                h3 = mix(h3, base.loadUnaligned(fromByteOffset: position + 24, as: UInt64.self))
                position += 32
            }
            while position < count {
                h0 = mix(h0, UInt64(base.load(fromByteOffset: position, as: UInt8.self)) | 0x100)
                position += 1
            }
        }
        return mix(mix(mix(mix(h0, h1), h2), h3), UInt64(count))
    }
}

/// Compares a blob with a sequence of pieces, front to back.
struct BlobMatcher {
    let blob: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ blob: UnsafeBufferPointer<UInt8>) { self.blob = blob }

    var isAtEnd: Bool { position == blob.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < blob.count, blob[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func take(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { piece in
            guard blob.count - position >= piece.count,
                  piece.elementsEqual(UnsafeBufferPointer(rebasing: blob[position..<(position + piece.count)])) else { return false }
            position += piece.count
            return true
        }
    }
}

/// A read-only mapping of a whole file.
final class MappedFile: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int

    init?(path: String) {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0,
              info.st_size < Int64(Int32.max) else { return nil }
        let size = Int(info.st_size)
        guard let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), pointer != MAP_FAILED else { return nil }
        base = UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self))
        count = size
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }
}

/// A list of byte strings: a count, `count + 1` offsets (4 bytes each, from the data's start),
/// then the data; element `i` is found without reading the others.
struct BlobList {
    private let data: UnsafePointer<UInt8>?
    private let offsets: UnsafePointer<UInt8>?
    let count: Int

    static var empty: BlobList { BlobList() }

    private init() {
        data = nil
        offsets = nil
        count = 0
    }

    /// The list in `range` of `base`; nil when its offsets do not fit it.
    init?(_ base: UnsafePointer<UInt8>, _ range: Range<Int>) {
        var cursor = ByteCursor(base, range.lowerBound, range.upperBound)
        guard let count = cursor.u32(), (Int(count) + 1) * 4 <= range.upperBound - cursor.position else { return nil }
        self.count = Int(count)
        offsets = base + cursor.position
        let dataStart = cursor.position + (Int(count) + 1) * 4
        data = base + dataStart
        let available = range.upperBound - dataStart
        var previous: UInt32 = 0
        for index in 0...Int(count) {
            let offset = UnsafeRawPointer(offsets! + index * 4).loadUnaligned(as: UInt32.self).littleEndian
            guard offset >= previous, Int(offset) <= available, index > 0 || offset == 0 else { return nil }
            previous = offset
        }
    }

    private func offset(_ index: Int) -> Int {
        Int(UnsafeRawPointer(offsets! + index * 4).loadUnaligned(as: UInt32.self).littleEndian)
    }

    /// Element `index` (checked against ``count`` by the caller).
    func blob(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = offset(index)
        return UnsafeBufferPointer(start: data! + start, count: offset(index + 1) - start)
    }

    static func encode(_ blobs: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(4 + (blobs.count + 1) * 4 + blobs.reduce(0) { $0 + $1.count })
        writer.u32(UInt32(blobs.count))
        var offset: UInt32 = 0
        writer.u32(0)
        for blob in blobs {
            offset += UInt32(blob.count)
            writer.u32(offset)
        }
        for blob in blobs { writer.bytes.append(contentsOf: blob) }
        return writer.bytes
    }
}

/// Bounds-checked reads from a mapped range.
struct ByteCursor {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int

    init(_ base: UnsafePointer<UInt8>, _ position: Int, _ end: Int) {
        self.base = base
        self.position = position
        self.end = end
    }

    mutating func varint() -> Int? {
        var value: UInt64 = 0, shift: UInt64 = 0
        while position < end, shift < 64 {
            let byte = base[position]
            position += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value <= UInt64(Int32.max) ? Int(value) : nil }
            shift += 7
        }
        return nil
    }

    mutating func u32() -> UInt32? {
        guard end - position >= 4 else { return nil }
        defer { position += 4 }
        return UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self).littleEndian
    }

    mutating func u64() -> UInt64? {
        guard end - position >= 8 else { return nil }
        defer { position += 8 }
        return UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self).littleEndian
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: Int) {
        var value = UInt64(max(0, value))
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
}

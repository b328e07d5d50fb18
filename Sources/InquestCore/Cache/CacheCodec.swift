#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lint cache's byte format: LEB128 integers (zig-zag for signed values) and length-prefixed
/// UTF-8 strings. Chosen over Codable/JSON because a warm lint of 10,000 documents must read its
/// whole cache in a few milliseconds; the reader checks every length against the buffer, so a
/// truncated or garbage file fails to decode (``CacheReader/Failure``) instead of trapping.
struct CacheWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Empties the writer, keeping its storage (for many small digests in a row).
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func int(_ value: Int) {
        let wide = Int64(value)
        unsigned(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    mutating func int64(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { buffer in
            unsigned(UInt64(buffer.count))
            bytes.append(contentsOf: buffer)
        }
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func strings(_ values: [String]) {
        unsigned(UInt64(values.count))
        for value in values { string(value) }
    }

    mutating func bytesAppend(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    /// A length-prefixed block, so a reader can skip it or decode it later.
    mutating func block(_ other: [UInt8]) {
        unsigned(UInt64(other.count))
        bytes.append(contentsOf: other)
    }

    mutating func block(_ other: ArraySlice<UInt8>) {
        unsigned(UInt64(other.count))
        bytes.append(contentsOf: other)
    }
}

/// Read-only bytes of a cache file: mapped from the file (unmapped when the last reader is
/// gone), or an array held alive. Mapping instead of reading saves copying a 17 MB file into
/// fresh memory on every run. The file is never truncated in place (writers rename a new file
/// over it), so the mapping stays valid for the whole run, as git relies on for its index.
final class CacheBytes: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let mapped: Bool
    private let owner: [UInt8]

    init(_ array: [UInt8]) {
        owner = array
        count = array.count
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, array.count))
        array.withUnsafeBufferPointer { if let source = $0.baseAddress { pointer.initialize(from: source, count: $0.count) } }
        base = UnsafePointer(pointer)
        mapped = false
    }

    /// Maps `size` bytes of the open file; nil when mapping fails.
    init?(mapping descriptor: Int32, size: Int) {
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard size > 0, let address = mmap(nil, size, PROT_READ, flags, descriptor, 0), address != MAP_FAILED else { return nil }
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        count = size
        mapped = true
        owner = []
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), count) } else { UnsafeMutablePointer(mutating: base).deallocate() }
    }

    subscript(_ index: Int) -> UInt8 { base[index] }

    /// A copy of `range`.
    subscript(_ range: Range<Int>) -> ArraySlice<UInt8> { Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))[...] }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

/// Reads what ``CacheWriter`` wrote, from a window of a shared buffer.
struct CacheReader {
    struct Failure: Error {}

    let buffer: CacheBytes
    /// ``buffer``'s bytes, read directly (the buffer keeps them alive as long as this reader).
    let base: UnsafePointer<UInt8>
    var offset: Int
    let end: Int

    init(_ buffer: [UInt8], range: Range<Int>? = nil) {
        self.init(CacheBytes(buffer), range: range)
    }

    init(_ buffer: CacheBytes, range: Range<Int>? = nil) {
        self.buffer = buffer
        base = buffer.base
        offset = max(0, range?.lowerBound ?? 0)
        end = min(range?.upperBound ?? buffer.count, buffer.count)
    }

    var isAtEnd: Bool { offset >= end }

    @inline(__always)
    mutating func unsigned() throws(Failure) -> UInt64 {
        // One byte (values below 128) is by far the most common case.
        if offset < end, base[offset] < 0x80 {
            offset += 1
            return UInt64(base[offset - 1])
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Failure() }
            let byte = base[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func int64() throws(Failure) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    @inline(__always)
    mutating func int() throws(Failure) -> Int {
        let value = try int64()
        guard let narrow = Int(exactly: value) else { throw Failure() }
        return narrow
    }

    /// A non-negative count that cannot exceed what is left of the buffer.
    @inline(__always)
    mutating func count() throws(Failure) -> Int {
        let value = try unsigned()
        guard value <= UInt64(end - offset) else { throw Failure() }
        return Int(value)
    }

    @inline(__always)
    mutating func bool() throws(Failure) -> Bool {
        guard offset < end else { throw Failure() }
        let byte = base[offset]
        offset += 1
        guard byte <= 1 else { throw Failure() }
        return byte == 1
    }

    mutating func string() throws(Failure) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: UnsafeBufferPointer(start: base + offset, count: length), as: UTF8.self)
    }

    mutating func optionalString() throws(Failure) -> String? {
        try bool() ? try string() : nil
    }

    mutating func strings() throws(Failure) -> [String] {
        let count = try count()
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    /// The range of a length-prefixed block, skipped.
    mutating func block() throws(Failure) -> Range<Int> {
        let length = try count()
        defer { offset += length }
        return offset..<offset + length
    }
}

/// The cache file's checksum: four interleaved 64-bit multiply-xor lanes over little-endian
/// words, then the tail byte by byte. Not a security measure (the cache is the user's own file);
/// it catches truncation and garbage so a damaged cache is ignored, never trusted. Four
/// independent lanes read a 17 MB file in about a millisecond, where byte-at-a-time FNV-1a took
/// twenty.
enum CacheChecksum {
    /// Whether `buffer` starts with the 8-byte `magic` and the checksum of everything after its
    /// 16-byte header (magic, then the checksum, little-endian) matches: a whole file of its kind.
    static func isIntact(_ buffer: CacheBytes, magic: [UInt8]) -> Bool {
        guard buffer.count >= 16, magic.count == 8, (0..<8).allSatisfy({ buffer[$0] == magic[$0] }) else { return false }
        var stored: UInt64 = 0
        for index in 0..<8 { stored |= UInt64(buffer[8 + index]) << (8 * UInt64(index)) }
        return of(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer.buffer)[16...])) == stored
    }

    static func of(_ bytes: [UInt8], from start: Int) -> UInt64 {
        bytes.withUnsafeBytes { of(UnsafeRawBufferPointer(rebasing: $0[min(start, $0.count)...])) }
    }

    static func of(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4, 0x100_0000_01b3, 0xff51_afd7_ed55_8ccd)
        func mix(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            let value = (lane ^ word) &* prime
            return value ^ (value >> 29)
        }
        let count = buffer.count
        var index = 0
        if let base = buffer.baseAddress {
            while index + 32 <= count {
                lanes.0 = mix(lanes.0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                lanes.1 = mix(lanes.1, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)))
                lanes.2 = mix(lanes.2, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)))
                lanes.3 = mix(lanes.3, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)))
                index += 32
            }
        }
        var hash = mix(mix(mix(mix(UInt64(count), lanes.0), lanes.1), lanes.2), lanes.3)
        while index < count {
            hash = (hash ^ UInt64(buffer[index])) &* 0x100_0000_01b3
            index += 1
        }
        return mix(hash, UInt64(count))
    }
}

/// A 20-byte digest (a git blob id, or a digest of facts) kept as raw bytes: compared and stored
/// without building 40-character hex Strings for every document of the archive.
struct Digest20: Hashable, Sendable {
    var high: UInt64
    var middle: UInt64
    var low: UInt32

    static let zero = Digest20(high: 0, middle: 0, low: 0)

    init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Parses 40 hex digits (either case); nil for anything else.
    init?(hex: String) {
        // Git's blob ids, 10,000 per `--staged` run: read from the String's own bytes.
        if let parsed = hex.utf8.withContiguousStorageIfAvailable({ Self.parse($0) }) {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        var high: UInt64 = 0, middle: UInt64 = 0, low: UInt32 = 0
        var count = 0
        for byte in hex.utf8 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if count < 16 { high = high << 4 | UInt64(nibble) } else if count < 32 { middle = middle << 4 | UInt64(nibble) } else if count < 40 { low = low << 4 | UInt32(nibble) }
            count += 1
        }
        guard count == 40 else { return nil }
        self.init(high: high, middle: middle, low: low)
    }

    /// 40 hex digits (either case) as a digest; nil for anything else.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Digest20? {
        guard bytes.count == 40 else { return nil }
        func nibble(_ byte: UInt8) -> UInt64? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for index in 0..<40 {
            guard let value = nibble(bytes[index]) else { return nil }
            if index < 16 { words.0 = words.0 << 4 | value } else if index < 32 { words.1 = words.1 << 4 | value } else { words.2 = words.2 << 4 | value }
        }
        return Digest20(high: words.0, middle: words.1, low: UInt32(words.2))
    }

    /// The digest of `bytes` as git hashes a blob (``ContentID``).
    static func of(_ bytes: [UInt8]) -> Digest20 {
        let words = ContentID.words(of: bytes)
        return Digest20(high: words.0, middle: words.1, low: words.2)
    }

    /// 40 lowercase hex digits (written into one String: a stat index names 10,000 documents this way).
    var hex: String {
        String(unsafeUninitializedCapacity: 40) { buffer in
            let digits: StaticString = "0123456789abcdef"
            func put(_ value: UInt64, _ count: Int, at start: Int) {
                for position in 0..<count {
                    let nibble = Int((value >> UInt64(4 * (count - 1 - position))) & 0xF)
                    buffer[start + position] = digits.utf8Start[nibble]
                }
            }
            put(high, 16, at: 0)
            put(middle, 16, at: 16)
            put(UInt64(low), 8, at: 32)
            return 40
        }
    }
}

extension CacheWriter {
    mutating func digest(_ value: Digest20) {
        withUnsafeBytes(of: value.high.bigEndian) { bytesAppend($0) }
        withUnsafeBytes(of: value.middle.bigEndian) { bytesAppend($0) }
        withUnsafeBytes(of: value.low.bigEndian) { bytesAppend($0) }
    }
}

extension CacheReader {
    mutating func digest() throws(Failure) -> Digest20 {
        guard end - offset >= 20 else { throw Failure() }
        var high: UInt64 = 0, middle: UInt64 = 0, low: UInt32 = 0
        let raw = UnsafeRawPointer(base + offset)
        high = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
        middle = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        low = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        offset += 20
        return Digest20(high: high, middle: middle, low: low)
    }

    /// The range of a length-prefixed string, skipped (compared later without making a String).
    mutating func stringRange() throws(Failure) -> Range<Int> {
        let length = try count()
        defer { offset += length }
        return offset..<offset + length
    }
}

/// Optional dates and times as both document caches store them: a presence byte, then the fields.
extension CacheWriter {
    mutating func optionalDate(_ date: CalendarDate?) {
        bool(date != nil)
        if let date { int(date.year); int(date.month); int(date.day) }
    }

    mutating func optionalTimestamp(_ time: Timestamp?) {
        bool(time != nil)
        if let time { int(time.seconds); int(time.offsetMinutes) }
    }
}

extension CacheReader {
    /// A date written by ``CacheWriter/optionalDate(_:)``; an impossible date is a damaged cache.
    mutating func optionalDate() throws(Failure) -> CalendarDate? {
        guard try bool() else { return nil }
        let year = try int(), month = try int(), day = try int()
        guard let date = CalendarDate(year: year, month: month, day: day) else { throw Failure() }
        return date
    }

    mutating func optionalTimestamp() throws(Failure) -> Timestamp? {
        try bool() ? Timestamp(seconds: try int(), offsetMinutes: try int()) : nil
    }
}

/// The lint cache's byte format: LEB128 integers (zig-zag for signed values) and length-prefixed
/// UTF-8 strings. Chosen over Codable/JSON because a warm lint of 10,000 documents must read its
/// whole cache in a few milliseconds; the reader checks every length against the buffer, so a
/// truncated or garbage file fails to decode (``CacheReader/Failure``) instead of trapping.
struct CacheWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

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

    /// A length-prefixed block, so a reader can skip it or decode it later.
    mutating func block(_ other: [UInt8]) {
        unsigned(UInt64(other.count))
        bytes.append(contentsOf: other)
    }
}

/// Reads what ``CacheWriter`` wrote, from a window of a shared buffer.
struct CacheReader {
    struct Failure: Error {}

    let buffer: [UInt8]
    var offset: Int
    let end: Int

    init(_ buffer: [UInt8], range: Range<Int>? = nil) {
        self.buffer = buffer
        offset = range?.lowerBound ?? 0
        end = range?.upperBound ?? buffer.count
    }

    var isAtEnd: Bool { offset >= end }

    mutating func unsigned() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Failure() }
            let byte = buffer[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func int64() throws(Failure) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func int() throws(Failure) -> Int {
        let value = try int64()
        guard let narrow = Int(exactly: value) else { throw Failure() }
        return narrow
    }

    /// A non-negative count that cannot exceed what is left of the buffer.
    mutating func count() throws(Failure) -> Int {
        let value = try unsigned()
        guard value <= UInt64(end - offset) else { throw Failure() }
        return Int(value)
    }

    mutating func bool() throws(Failure) -> Bool {
        guard offset < end else { throw Failure() }
        let byte = buffer[offset]
        offset += 1
        guard byte <= 1 else { throw Failure() }
        return byte == 1
    }

    mutating func string() throws(Failure) -> String {
        let length = try count()
        defer { offset += length }
        return buffer.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[offset..<offset + length]), as: UTF8.self)
        }
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

/// FNV-1a, 64 bits: the cache file's checksum. Not a security measure (the cache is the user's
/// own file); it catches truncation and garbage so a damaged cache is ignored, never trusted.
enum CacheChecksum {
    static func of(_ bytes: [UInt8], from start: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buffer in
            var index = start
            while index < buffer.count {
                hash = (hash ^ UInt64(buffer[index])) &* 0x100_0000_01b3
                index += 1
            }
        }
        return hash
    }
}

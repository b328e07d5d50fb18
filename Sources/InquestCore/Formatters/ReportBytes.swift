import Foundation

/// The bytes of a report being written: every formatter appends its output here (literals,
/// decimal numbers, escaped strings) and makes one `String` at the end, instead of a `String`
/// per piece joined into the next. Each piece was an allocation, and the formatters run for
/// every lint run (and for every fuzzer execution, where allocations dominate). The buffer is
/// its own rather than an `[UInt8]`: `Array.append(contentsOf:)` is generic code compiled into
/// this module, which the fuzzer build instruments (a comparison callback per check); here an
/// append is one capacity check and a `memcpy`. Copies share the buffer until one of them
/// appends (copy on write).
struct ReportBytes: @unchecked Sendable {  // shared storage is never written: appends copy it first
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 64)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }
    }

    private var storage: Storage

    init(capacity: Int = 0) { storage = Storage(capacity: capacity) }

    /// How many bytes have been written.
    var count: Int { storage.count }

    /// The report as text. The pieces are valid UTF-8 (Swift strings), so nothing is replaced.
    var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Room for `extra` more bytes; returns where they go. The caller then adds to the count.
    private mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if !isKnownUniquelyReferenced(&storage) || storage.count + extra > storage.capacity {
            let grown = Storage(capacity: Swift.max(2 * storage.capacity, storage.count + extra))
            grown.base.update(from: storage.base, count: storage.count)
            grown.count = storage.count
            storage = grown
        }
        return storage.base + storage.count
    }

    mutating func append(contentsOf buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, buffer.count > 0 else { return }
        reserve(buffer.count).update(from: source, count: buffer.count)
        storage.count += buffer.count
    }

    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            Array(text.utf8).withUnsafeBufferPointer { append(contentsOf: $0) }
        }
    }

    mutating func append(_ byte: UInt8) {
        reserve(1).pointee = byte
        storage.count += 1
    }

    mutating func append(_ other: ReportBytes) {
        other.withBytes { append(contentsOf: $0) }
    }

    /// `count` copies of `byte` (indentation, underlines).
    mutating func append(_ byte: UInt8, count: Int) {
        guard count > 0 else { return }
        reserve(count).initialize(repeating: byte, count: count)
        storage.count += count
    }

    /// The decimal digits of `number`, as `String(number)` writes them.
    mutating func append(_ number: Int) {
        if number < 0 { append(UInt8(ascii: "-")) }
        let magnitude = number.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        // Filled from the last digit back: no temporary string.
        let start = reserve(digits)
        var value = magnitude
        for index in stride(from: digits - 1, through: 0, by: -1) {
            start[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        storage.count += digits
    }

    /// How a JSON string is escaped: the two escapings Inquest's reports promise.
    enum JSONEscaping {
        /// Foundation's `JSONEncoder` with `.withoutEscapingSlashes` (SARIF, GitLab: ``CodableJSON``):
        /// quote, backslash, `\b \t \n \f \r` by name, the other C0 controls as `\u00xx`.
        case foundation
        /// ``JSON/string(_:scriptSafe:)`` without `scriptSafe` (`--format json`): quote,
        /// backslash, `\n \r \t` by name, the other C0 controls as `\u00xx`, U+2028 and U+2029
        /// as `\u2028` and `\u2029`.
        case inquest
    }

    /// `text` as a quoted JSON string.
    mutating func appendJSONString(_ text: String, _ escaping: JSONEscaping) {
        append(UInt8(ascii: "\""))
        appendJSONContent(text, escaping)
        append(UInt8(ascii: "\""))
    }

    /// `text` escaped, without the quotes around it.
    mutating func appendJSONContent(_ text: String, _ escaping: JSONEscaping) {
        // libc's strcspn finds the next byte that may need escaping and the run before it is
        // copied whole: no Swift loop per byte, which the fuzzer's instrumentation makes slow.
        // strcspn also stops at a NUL (the end of the C string), which is escaped like the other
        // controls; 0xE2 leads U+2028 and U+2029 (escaped for `.inquest`) and other text.
        let count = text.utf8.count
        text.withCString { signed in
            signed.withMemoryRebound(to: UInt8.self, capacity: count + 1) { base in
                let special = escaping == .foundation ? Self.foundationSpecial : Self.inquestSpecial
                var index = 0
                while index < count {
                    let run = min(strcspn(signed + index, special), count - index)
                    if run > 0 {
                        append(contentsOf: UnsafeBufferPointer(start: base + index, count: run))
                        index += run
                    }
                    guard index < count else { break }
                    let byte = base[index]
                    if byte == 0xE2 {
                        if index + 2 < count, base[index + 1] == 0x80, base[index + 2] == 0xA8 || base[index + 2] == 0xA9 {
                            append(base[index + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                            index += 3
                        } else {
                            append(byte)
                            index += 1
                        }
                    } else {
                        appendEscaped(byte, escaping)
                        index += 1
                    }
                }
            }
        }
    }

    private mutating func appendEscaped(_ byte: UInt8, _ escaping: JSONEscaping) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x09: append("\\t")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x08 where escaping == .foundation: append("\\b")
        case 0x0C where escaping == .foundation: append("\\f")
        default:
            append("\\u00")
            append(Self.hexDigits[Int(byte >> 4)])
            append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The bytes that may need escaping, as C strings for strcspn (a NUL ends them, so NUL is not
    /// in them; strcspn stops at one anyway).
    nonisolated(unsafe) private static let foundationSpecial = cString(Array(1..<0x20) + Array("\"\\".utf8))
    nonisolated(unsafe) private static let inquestSpecial = cString(Array(1..<0x20) + Array("\"\\".utf8) + [0xE2])

    private static func cString(_ bytes: [UInt8]) -> UnsafePointer<CChar> {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
        pointer[bytes.count] = 0
        return UnsafePointer(pointer)
    }
}

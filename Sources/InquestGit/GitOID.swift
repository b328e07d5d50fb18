import CLibGit2

/// A SHA-1 object id (commit, tree or blob).
///
/// Stored as libgit2's 20-byte `git_oid` so conversions to and from C are free.
public struct GitOID: Hashable, Sendable, CustomStringConvertible, Comparable {
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    init(_ pointer: UnsafePointer<git_oid>) { self.raw = pointer.pointee }

    /// Parses a full 40-character hexadecimal id; nil when it is not one.
    public init?(hex: String) {
        guard hex.utf8.count == Int(GIT_OID_HEXSZ) else { return nil }
        guard (try? ensureLibgit2()) != nil else { return nil }
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.raw = oid
    }

    /// An id from its 20 raw bytes (``bytes``); nil for any other length.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 20 else { return nil }
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        raw = oid
    }

    /// The 20 bytes read as big-endian integers (bytes 0–7, 8–15, 16–19): the id without an
    /// allocation, ordered as its hex digits are.
    public var words: (UInt64, UInt64, UInt32) {
        withUnsafeBytes(of: raw.id) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        }
    }

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: raw.id) { Array($0) }
    }

    /// The full 40-character lowercase hexadecimal id.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return withUnsafeBytes(of: raw.id) { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
                var index = 0
                for byte in bytes {
                    buffer[index] = digits[Int(byte >> 4)]
                    buffer[index + 1] = digits[Int(byte & 0x0F)]
                    index += 2
                }
                return index
            }
        }
    }

    /// The conventional 7-character abbreviation (not guaranteed unique).
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    public static func == (lhs: GitOID, rhs: GitOID) -> Bool {
        withUnsafeBytes(of: lhs.raw.id) { l in
            withUnsafeBytes(of: rhs.raw.id) { r in l.elementsEqual(r) }
        }
    }

    public static func < (lhs: GitOID, rhs: GitOID) -> Bool {
        withUnsafeBytes(of: lhs.raw.id) { l in
            withUnsafeBytes(of: rhs.raw.id) { r in l.lexicographicallyPrecedes(r) }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: raw.id) { hasher.combine(bytes: $0) }
    }
}

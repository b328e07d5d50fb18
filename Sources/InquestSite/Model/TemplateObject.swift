/// The fields of a ``TemplateValue/object(_:)``: names and values, in one buffer, in the order
/// they were first set.
///
/// A page's context is dozens of small objects, built once and read by name a few times each
/// (every `{{name}}` is looked up in each object on the context stack until one has it). As
/// `[String: TemplateValue]` every read and every insertion hashed the name with the seeded
/// hasher — most reads are misses, in the frames above the one that has the name — and every
/// object allocated a hash table. Here each field carries a hash of its name made without the
/// seeded hasher (FNV-1a of the bytes), and the object a 64-bit mask of the hashes it holds: a
/// template name's hash is worked out once, when the template is compiled (``TemplateName``),
/// so a lookup in an object that does not have the name is one `and`, and one that does compares
/// integers until the name's.
///
/// Names compare as `String`s do (canonical equivalence): names that are not ASCII all share one
/// hash, so two spellings of the same name are still found and replaced as one.
public struct TemplateObject: @unchecked Sendable {
    private var buffer: TemplateObjectBuffer?

    /// An empty object (no allocation).
    init() {}

    /// An empty object with room for `minimumCapacity` fields.
    init(minimumCapacity: Int) {
        if minimumCapacity > 0 { buffer = .make(capacity: minimumCapacity) }
    }

    /// The same fields as `fields`.
    init(_ fields: [String: TemplateValue]) {
        self.init(minimumCapacity: fields.count)
        for (name, value) in fields { self[name] = value }
    }

    var count: Int { buffer?.header.count ?? 0 }
    var isEmpty: Bool { count == 0 }

    /// The hash a field named `name` carries (``TemplateName`` keeps its parts' hashes).
    static func hash(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes {
                // Not ASCII: one hash for all, so canonically equivalent spellings meet.
                if byte >= 0x80 { return nonASCIIHash }
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return hash == nonASCIIHash ? hash &+ 1 : hash
        }
    }

    private static let nonASCIIHash: UInt64 = 0

    /// The mask bit of a hash: FNV's multiplications carry every byte into the high bits.
    @inline(__always)
    static func bit(_ hash: UInt64) -> UInt64 { 1 &<< (hash &>> 58) }

    /// One bit (``bit(_:)``) for each field's hash: a name whose bit is not set is not here.
    var mask: UInt64 { buffer?.header.mask ?? 0 }

    /// The value of field `name`, whose ``hash(_:)`` is `hash`.
    @inline(__always)
    func value(named name: String, hash: UInt64) -> TemplateValue? {
        guard let buffer else { return nil }
        // Read in place, the buffer unretained (this value keeps it alive).
        return Unmanaged.passUnretained(buffer)._withUnsafeGuaranteedRef { buffer in
            buffer.withUnsafeMutablePointers { header, fields in
                guard header.pointee.mask & Self.bit(hash) != 0 else { return nil }
                for index in 0..<header.pointee.count where fields[index].hash == hash && fields[index].name == name {
                    return fields[index].value
                }
                return nil
            }
        }
    }

    subscript(name: String) -> TemplateValue? {
        get { value(named: name, hash: Self.hash(name)) }
        set {
            if let newValue { set(name, hash: Self.hash(name), newValue) } else { remove(name, hash: Self.hash(name)) }
        }
    }

    /// Sets field `name` (hash `hash`): replaces its value, or appends it.
    mutating func set(_ name: String, hash: UInt64, _ value: TemplateValue) {
        if let position = position(of: name, hash: hash) {
            makeUnique(extra: 0)
            buffer!.withUnsafeMutablePointerToElements { $0[position].value = value }
            return
        }
        append(TemplateField(name: name, hash: hash, value: value))
    }

    /// Where field `name` is (no strong reference to the buffer outlives this call, so a
    /// mutation right after it finds the buffer unique).
    private func position(of name: String, hash: UInt64) -> Int? {
        guard let buffer else { return nil }
        return buffer.withUnsafeMutablePointers { header, fields in
            guard header.pointee.mask & Self.bit(hash) != 0 else { return nil }
            for index in 0..<header.pointee.count where fields[index].hash == hash && fields[index].name == name { return index }
            return nil
        }
    }

    private mutating func remove(_ name: String, hash: UInt64) {
        guard let buffer, buffer.header.mask & Self.bit(hash) != 0 else { return }
        let kept = buffer.withUnsafeMutablePointers { header, fields in
            (0..<header.pointee.count).filter { !(fields[$0].hash == hash && fields[$0].name == name) }
        }
        guard kept.count < buffer.header.count else { return }
        var out = TemplateObject(minimumCapacity: kept.count)
        buffer.withUnsafeMutablePointerToElements { fields in
            for index in kept { out.append(fields[index]) }
        }
        self = out
    }

    /// Appends a field known not to be there yet (its object is being built uniquely).
    private mutating func append(_ field: TemplateField) {
        makeUnique(extra: 1)
        buffer!.withUnsafeMutablePointers { header, fields in
            (fields + header.pointee.count).initialize(to: field)
            header.pointee.count += 1
            header.pointee.mask |= Self.bit(field.hash)
        }
    }

    /// Makes ``buffer`` this value's own, with room for `extra` more fields.
    private mutating func makeUnique(extra: Int) {
        guard buffer != nil else {
            buffer = .make(capacity: Swift.max(extra, 4))
            return
        }
        let unique = isKnownUniquelyReferenced(&buffer)
        let count = buffer!.header.count, capacity = buffer!.header.capacity
        if unique && count + extra <= capacity { return }
        let grown = count + extra <= capacity ? capacity : Swift.max(capacity * 2, count + extra)
        let copy = TemplateObjectBuffer.make(capacity: grown)
        buffer!.withUnsafeMutablePointers { header, fields in
            copy.withUnsafeMutablePointers { newHeader, newFields in
                if unique {
                    // Grown: the fields move (no retain and release of each).
                    newFields.moveInitialize(from: fields, count: count)
                    header.pointee.count = 0
                } else {
                    newFields.initialize(from: fields, count: count)
                }
                newHeader.pointee.count = count
                newHeader.pointee.mask = header.pointee.mask
            }
        }
        buffer = copy
    }

    mutating func reserveCapacity(_ capacity: Int) {
        if capacity > (buffer?.header.capacity ?? 0) { makeUnique(extra: capacity - count) }
    }

    /// These fields with `other`'s set over them (other wins).
    func merging(_ other: TemplateObject) -> TemplateObject {
        guard let otherBuffer = other.buffer else { return self }
        guard buffer != nil else { return other }
        var out = self
        out.reserveCapacity(count + other.count)
        otherBuffer.withUnsafeMutablePointers { header, fields in
            for index in 0..<header.pointee.count { out.set(fields[index].name, hash: fields[index].hash, fields[index].value) }
        }
        return out
    }

    /// The same names with `transform`ed values.
    func mapValues(_ transform: (TemplateValue) -> TemplateValue) -> TemplateObject {
        guard let buffer else { return self }
        var out = TemplateObject(minimumCapacity: count)
        buffer.withUnsafeMutablePointers { header, fields in
            for index in 0..<header.pointee.count {
                out.append(TemplateField(name: fields[index].name, hash: fields[index].hash, value: transform(fields[index].value)))
            }
        }
        return out
    }

    /// The fields in name order (`String` order, as sorting a dictionary's keys gives): the
    /// canonical encoding visits them so.
    func forEachSorted(_ body: (String, TemplateValue) -> Void) {
        guard let buffer else { return }
        buffer.withUnsafeMutablePointers { header, fields in
            let count = header.pointee.count
            if count == 1 { return body(fields[0].name, fields[0].value) }
            // Positions sorted, the fields read in place (no retain and release per comparison).
            var order = Array(0..<count)
            order.withUnsafeMutableBufferPointer { order in
                order.sort { fields[$0].name < fields[$1].name }
                for index in order { body(fields[index].name, fields[index].value) }
            }
        }
    }

    /// The Mustache form's fields (swift-mustache renders `Any`).
    func mustacheFields() -> [String: Any] {
        var out: [String: Any] = [:]
        out.reserveCapacity(count)
        for (name, value) in self { out[name] = value.mustacheValue() }
        return out
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(minimumCapacity: elements.count)
        for (name, value) in elements { set(name, hash: Self.hash(name), value) }
    }
}

extension TemplateObject: Sequence {
    public struct Iterator: IteratorProtocol {
        fileprivate let buffer: TemplateObjectBuffer?
        fileprivate var position = 0

        public mutating func next() -> (key: String, value: TemplateValue)? {
            guard let buffer, position < buffer.header.count else { return nil }
            defer { position += 1 }
            return buffer.withUnsafeMutablePointerToElements { ($0[position].name, $0[position].value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(buffer: buffer) }
    public var underestimatedCount: Int { count }

    /// The names, in the order they were set.
    var keys: [String] { map(\.key) }
}

/// One field: its name, the name's ``TemplateObject/hash(_:)`` and its value.
struct TemplateField {
    let name: String
    let hash: UInt64
    var value: TemplateValue
}

struct TemplateObjectHeader {
    var count: Int
    var capacity: Int
    /// One bit per field, chosen by its hash (``TemplateObject/bit(_:)``).
    var mask: UInt64
}

/// The fields' storage: mutated only while uniquely referenced (``TemplateObject`` copies it
/// first otherwise), so sharing it between threads is safe (hence `TemplateObject`'s unchecked
/// `Sendable`).
final class TemplateObjectBuffer: ManagedBuffer<TemplateObjectHeader, TemplateField> {
    static func make(capacity: Int) -> TemplateObjectBuffer {
        let made = create(minimumCapacity: capacity) { _ in TemplateObjectHeader(count: 0, capacity: capacity, mask: 0) }
        return unsafeDowncast(made, to: TemplateObjectBuffer.self)
    }

    deinit {
        _ = withUnsafeMutablePointers { header, fields in fields.deinitialize(count: header.pointee.count) }
    }
}

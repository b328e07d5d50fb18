/// Encodes Codable values as compact JSON with keys in the order `encode(to:)` writes them.
///
/// Foundation's `JSONEncoder` orders keys by hash unless told to sort them, and sorting would
/// change the documented shape of `--format json` (`file`, `line`, `column`, … in that order);
/// this encoder keeps the order the types declare, so the output stays byte-identical.
/// Strings are escaped by ``JSON/string(_:scriptSafe:)``. Supports what Inquest's reports
/// contain: strings, integers, booleans, doubles, nil, arrays and nested objects.
public enum OrderedJSONEncoder {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = Box()
        // Encoding Inquest's own value types cannot fail: every case below is handled.
        try? value.encode(to: encoder)
        return encoder.node.text
    }

    /// Children are boxes, so nested containers can fill them after they are attached.
    enum Node {
        case raw(String)
        case array([Box])
        case object([(String, Box)])

        var text: String {
            switch self {
            case .raw(let text): return text
            case .array(let items): return "[" + items.map(\.node.text).joined(separator: ",") + "]"
            case .object(let pairs): return "{" + pairs.map { JSON.string($0.0) + ":" + $0.1.node.text }.joined(separator: ",") + "}"
            }
        }
    }

    /// One value being encoded; containers write back into it.
    final class Box: Encoder {
        var node: Node
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node = .object([])
            return KeyedEncodingContainer(Keyed<Key>(box: self))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node = .array([])
            return Unkeyed(box: self)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: self) }

        init(_ node: Node = .raw("null")) { self.node = node }

        func append(key: String, _ child: Node) { append(key: key, Box(child)) }

        // The node is emptied before the append so the array is uniquely referenced and grows in
        // place, rather than being copied for every member.
        func append(key: String, _ child: Box) {
            guard case .object(var pairs) = node else { return }
            node = .raw("")
            pairs.append((key, child))
            node = .object(pairs)
        }

        func append(_ child: Node) { append(Box(child)) }

        func append(_ child: Box) {
            guard case .array(var items) = node else { return }
            node = .raw("")
            items.append(child)
            node = .array(items)
        }

        static func scalar(_ value: some Encodable) throws -> Node {
            let box = Box()
            try value.encode(to: box)
            return box.node
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        var codingPath: [any CodingKey] { box.codingPath }

        mutating func encodeNil(forKey key: Key) throws { box.append(key: key.stringValue, .raw("null")) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { box.append(key: key.stringValue, .raw(value ? "true" : "false")) }
        mutating func encode(_ value: String, forKey key: Key) throws { box.append(key: key.stringValue, .raw(JSON.string(value))) }
        mutating func encode(_ value: Int, forKey key: Key) throws { box.append(key: key.stringValue, .raw(String(value))) }
        mutating func encode(_ value: Double, forKey key: Key) throws { box.append(key: key.stringValue, .raw(String(value))) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { box.append(key: key.stringValue, try Box.scalar(value)) }
        // Optionals that are nil are left out, as JSONEncoder does.
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Box()
            box.append(key: key.stringValue, child)
            return child.container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Box()
            box.append(key: key.stringValue, child)
            return child.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { box }
        mutating func superEncoder(forKey key: Key) -> any Encoder { box }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey] { box.codingPath }
        var count: Int {
            if case .array(let items) = box.node { return items.count }
            return 0
        }

        mutating func encodeNil() throws { box.append(.raw("null")) }
        mutating func encode(_ value: Bool) throws { box.append(.raw(value ? "true" : "false")) }
        mutating func encode(_ value: String) throws { box.append(.raw(JSON.string(value))) }
        mutating func encode(_ value: Int) throws { box.append(.raw(String(value))) }
        mutating func encode(_ value: Double) throws { box.append(.raw(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.append(try Box.scalar(value)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Box()
            box.append(child)
            return child.container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Box()
            box.append(child)
            return child.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { box }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey] { box.codingPath }

        mutating func encodeNil() throws { box.node = .raw("null") }
        mutating func encode(_ value: Bool) throws { box.node = .raw(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { box.node = .raw(JSON.string(value)) }
        mutating func encode(_ value: Int) throws { box.node = .raw(String(value)) }
        mutating func encode(_ value: Double) throws { box.node = .raw(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.node = try Box.scalar(value) }
    }
}

import Foundation
import Mustache
import Synchronization

/// The data a template sees: strings, numbers, booleans, lists and objects, plus deferred values
/// that are computed only when a page is actually rendered.
///
/// Pages build their context as a `TemplateValue` rather than `[String: Any]` because it is
/// `Sendable` (pages render in parallel) and it has a canonical encoding, which is the page's
/// cache key: a page whose context hashes the same as last build is not rendered again.
///
/// Only the two rare cases are `indirect`: the others hold a string, a number, or an array or
/// dictionary (already a reference), so they need no box of their own and a value stays 16
/// bytes; a wholly `indirect` enum allocated one box per `.bool` and `.string` of every context.
public enum TemplateValue: Sendable {
    /// Text; `{{name}}` escapes it for HTML.
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object(TemplateObject)
    /// A value that is expensive to compute (a rendered Markdown body). `key` stands for the
    /// value in the cache key, so it must change whenever the computed value would.
    indirect case deferred(key: String, compute: @Sendable () -> TemplateValue)
    /// A value that appears on many pages (a postmortem's summary) with its fingerprint computed
    /// once, so cache keys do not re-encode it for every page that lists it; its Mustache form is
    /// also converted once (`shared`), so a page listing it costs O(1) rather than O(its size) —
    /// with a summary of 10,000 tags on each of 10,000 tag pages the difference is quadratic.
    indirect case keyed(key: String, value: TemplateValue, shared: SharedMustacheValue)

    /// `value` with its fingerprint computed now.
    static func keyed(_ value: TemplateValue) -> TemplateValue {
        var hasher = SHA256()
        value.fingerprint(into: &hasher)
        return .keyed(key: hasher.finalizeHex(), value: value, shared: SharedMustacheValue(value))
    }

    /// How many values `mustacheValue()` has converted in this process, for scaling tests.
    static let conversionCount = Atomic<Int>(0)

    /// An object without the nil values: a missing key is falsy in a section.
    static func object(_ pairs: KeyValuePairs<String, TemplateValue?>) -> TemplateValue {
        var out = TemplateObject(minimumCapacity: pairs.count)
        for (key, value) in pairs { if let value { out[key] = value } }
        return .object(out)
    }

    /// The object's fields merged with `other`'s (other wins). A keyed object stays keyed: its
    /// key and `other`'s encoding make the new key, so a summary shown with a few fields of its
    /// own (a related postmortem, a postmortem's own page) is not encoded again for every page key.
    func merging(_ other: TemplateObject) -> TemplateValue {
        if case .keyed(let key, let value, _) = self {
            let merged = value.merging(other)
            guard case .object = merged else { return merged }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(256)
            // Tag `x`, the base's key (64 hex digits), then the fields set over it.
            bytes.append(UInt8(ascii: "x"))
            bytes.append(contentsOf: key.utf8)
            TemplateValue.object(other).encode(into: &bytes)
            var hasher = SHA256()
            hasher.update(bytes)
            return .keyed(key: hasher.finalizeHex(), value: merged, shared: SharedMustacheValue(merged))
        }
        guard case .object(let fields) = self else { return .object(other) }
        return .object(fields.merging(other))
    }

    subscript(key: String) -> TemplateValue? {
        if case .keyed(_, let value, _) = self { return value[key] }
        guard case .object(let fields) = self else { return nil }
        return fields[key]
    }

    /// The fields of an object (of a keyed object too); empty for other values.
    var fields: TemplateObject {
        switch self {
        case .object(let fields): fields
        case .keyed(_, let value, _): value.fields
        default: TemplateObject()
        }
    }

    /// The value Mustache renders: typed values that answer swift-mustache's lookups through its
    /// protocols (``MustacheText``, ``MustacheObject``), native booleans, integers and arrays, so
    /// that sections, inverted sections and transforms behave as the Mustache spec says.
    ///
    /// swift-mustache resolves every `{{name}}` by casting the current value to its protocols,
    /// and a value that is none of them (a `String`) is searched with `Mirror`, then printed
    /// with `String(describing:)`; a typed value is found by the first protocol it is asked for.
    /// Only templates left to swift-mustache need this (``CompiledTheme``): compiled templates
    /// read `TemplateValue`s as they are.
    func mustacheValue() -> Any {
        TemplateValue.conversionCount.wrappingAdd(1, ordering: .relaxed)
        return switch self {
        case .string(let text): MustacheText(text: text)
        case .int(let number): number
        case .bool(let flag): flag
        case .list(let items): items.map { $0.mustacheValue() } as [Any]
        case .object(let fields): MustacheObject(fields: fields.mustacheFields())
        case .deferred(_, let compute): compute().mustacheValue()
        case .keyed(_, _, let shared): shared.value
        }
    }

    /// Feeds a canonical encoding (type tags, lengths, sorted keys) to `hasher`.
    func fingerprint(into hasher: inout SHA256) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        encode(into: &bytes)
        hasher.update(bytes)
    }

    private func encode(into out: inout [UInt8]) {
        // Tag byte, decimal length, ':', bytes. Numbers are written without making Strings and
        // object fields are visited in sorted key order without looking each key up again:
        // every page's key encodes its whole context.
        func decimal(_ value: Int) {
            if value < 0 {
                out.append(UInt8(ascii: "-"))
                // Int.min has no positive counterpart: spell it out as String does.
                if value == .min { out.append(contentsOf: String(value).utf8.dropFirst()); return }
                decimal(-value)
                return
            }
            if value >= 10 { decimal(value / 10) }
            out.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        func tag(_ t: UInt8, _ text: String) {
            out.append(t)
            decimal(text.utf8.count)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: text.utf8)
        }
        func tag(_ t: UInt8, number: Int) {
            // As `tag(t, String(number))`: the length of the number's digits, then the digits.
            var digits = 1, rest = number.magnitude
            while rest >= 10 { rest /= 10; digits += 1 }
            out.append(t)
            decimal(digits + (number < 0 ? 1 : 0))
            out.append(UInt8(ascii: ":"))
            decimal(number)
        }
        switch self {
        case .string(let text): tag(UInt8(ascii: "s"), text)
        case .int(let number): tag(UInt8(ascii: "i"), number: number)
        case .bool(let flag): out.append(flag ? UInt8(ascii: "T") : UInt8(ascii: "F"))
        case .list(let items):
            tag(UInt8(ascii: "l"), number: items.count)
            // Read in place: iterating copied every item (a retain and a release each).
            items.withUnsafeBufferPointer { items in
                for index in items.indices { items[index].encode(into: &out) }
            }
        case .object(let fields):
            tag(UInt8(ascii: "o"), number: fields.count)
            // Fields in sorted name order, read in place (no value copied for the sort).
            fields.forEachSorted { name, value in
                tag(UInt8(ascii: "k"), name)
                value.encode(into: &out)
            }
        case .deferred(let key, _): tag(UInt8(ascii: "d"), key)
        case .keyed(let key, _, _): tag(UInt8(ascii: "h"), key)
        }
    }

    /// The canonical encoding (for tests).
    func encoding() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }
}

/// A keyed value's Mustache form, converted on first use and then shared by every page that
/// shows the value (pages render in parallel, hence the lock).
public final class SharedMustacheValue: @unchecked Sendable {
    private let source: TemplateValue
    private var converted: Any?

    init(_ source: TemplateValue) { self.source = source }

    /// Locks shared by all values, picked by address: thousands of keyed values are made per
    /// build and few are ever converted (only templates left to swift-mustache convert them), so
    /// none carries a lock of its own. The conversion runs outside the lock (a keyed value inside
    /// this one may share its lock); two threads converting at once keep the first result.
    private static let locks = (0..<16).map { _ in NSLock() }

    var value: Any {
        let lock = Self.locks[Int((UInt(bitPattern: ObjectIdentifier(self)) >> 4) % 16)]
        if let known = lock.withLock({ converted }) { return known }
        let made = source.mustacheValue()
        return lock.withLock {
            if let converted { return converted }
            converted = made
            return made
        }
    }
}

/// A string as a template sees it. `{{name}}` prints it escaped (``MustacheCustomRenderable``,
/// escaped by ``ByteHTMLEscaper``); inside `{{#name}}…{{/name}}` it is the current value and has no
/// fields (``MustacheParent``), so a name looked up there goes straight to the enclosing values;
/// the string transforms (`{{uppercased(name)}}`) work as on a `String`.
struct MustacheText: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    let text: String

    func child(named: String) -> Any? { nil }
    var renderText: String { text }
    var isNull: Bool { false }
    func transform(_ name: String) -> Any? { text.transform(name) }
}

/// An object as a template sees it: its fields by name (``MustacheParent``), and the dictionary
/// transforms (`{{count(name)}}`) as before.
struct MustacheObject: MustacheParent, MustacheTransformable, CustomStringConvertible, CustomDebugStringConvertible {
    let fields: [String: Any]

    func child(named name: String) -> Any? { fields[name] }
    func transform(_ name: String) -> Any? { fields.transform(name) }

    /// What `{{name}}` prints for an object (useless on a page, but the same every time): the
    /// fields in name order. A dictionary's own description follows its hash table, whose order
    /// differs from one dictionary to the next.
    var description: String {
        "MustacheObject(fields: [" + fields.keys.sorted().map { "\(String(reflecting: $0)): \(String(reflecting: fields[$0]!))" }
            .joined(separator: ", ") + "])"
    }
    var debugDescription: String { description }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension Optional where Wrapped == String {
    /// `.string` or nil, for optional fields.
    var template: TemplateValue? { map(TemplateValue.string) }
}

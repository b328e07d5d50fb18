import Foundation

/// SARIF 2.1.0 as GitHub code scanning accepts it: what JSONEncoder writes for the log with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (``CodableJSON/pretty(_:)``),
/// written directly (``PrettyJSONWriter``; members in sorted key order). Encoding Codable values
/// cost more than the rest of a lint run's formatting; `FormatterEquivalenceTests` compares the
/// bytes with JSONEncoder's for the same log built as Codable values.
struct SARIFFormatter {
    var version: String
    /// The folder result paths are relative to (the repository's working tree): `%SRCROOT%`.
    var sourceRoot: URL?
    /// The team's rule documentation (`docs_url`); without it `helpUri` and `informationUri` are
    /// left out (both optional in SARIF 2.1.0) and code scanning shows `help` from the rule docs.
    var docsURL: DocsURL?

    /// Containers open around a rule descriptor: log, runs, run, tool, driver, rules.
    private static let descriptorDepth = 6

    /// Rule descriptors written once, by rule id: they depend on the rule and the documentation
    /// link only, not on the diagnostics.
    final class Descriptors: Sendable {
        let byID: [String: ReportBytes]

        init(rules: [any Rule], docsURL: DocsURL?) {
            var byID: [String: ReportBytes] = [:]
            for rule in rules { byID[rule.id] = SARIFFormatter.descriptor(rule, docsURL: docsURL) }
            self.byID = byID
        }
    }

    /// - Parameters:
    ///   - fingerprints: ``Fingerprint/all(_:sources:)`` of `diagnostics`.
    ///   - descriptors: rule descriptors written beforehand for this ``docsURL`` (any rule not in
    ///     them is written here).
    func render(_ diagnostics: [Diagnostic], rules: [any Rule], fingerprints: [String], descriptors: Descriptors? = nil) -> String {
        var ruleIndex: [String: Int] = [:]
        ruleIndex.reserveCapacity(rules.count)
        for (index, rule) in rules.enumerated() where ruleIndex[rule.id] == nil { ruleIndex[rule.id] = index }
        var json = PrettyJSONWriter(capacity: 1024 + 700 * diagnostics.count + (descriptors == nil ? 0 : 1200 * rules.count))
        json.beginObject()
        json.member("$schema", literal: "https://json.schemastore.org/sarif-2.1.0.json")
        json.key("runs")
        json.beginArray()
        json.element()
        json.beginObject()
        json.member("columnKind", literal: "unicodeCodePoints")
        if let sourceRoot {
            let url = sourceRoot.standardizedFileURL.absoluteString
            json.key("originalUriBaseIds")
            json.beginObject()
            json.key("%SRCROOT%")
            json.beginObject()
            json.member("uri", url.hasSuffix("/") ? url : url + "/")
            json.endObject()
            json.endObject()
        }
        json.key("results")
        json.beginArray()
        // Diagnostics come sorted by file: each path escaped once.
        var lastFile: String?
        var uri = ""
        for (index, diagnostic) in diagnostics.enumerated() {
            if diagnostic.file != lastFile {
                lastFile = diagnostic.file
                uri = Self.uriEscape(diagnostic.file)
            }
            let range = diagnostic.range
            json.element()
            json.beginObject()
            json.member("level", literal: Self.level(diagnostic.severity))
            json.key("locations")
            json.beginArray()
            json.element()
            json.beginObject()
            json.key("physicalLocation")
            json.beginObject()
            json.key("artifactLocation")
            json.beginObject()
            json.member("uri", uri)
            json.member("uriBaseId", literal: "%SRCROOT%")
            json.endObject()
            json.key("region")
            json.beginObject()
            json.member("endColumn", max(range.end.column, range.end.line == range.start.line ? range.start.column + 1 : 1))
            json.member("endLine", range.end.line)
            json.member("startColumn", range.start.column)
            json.member("startLine", range.start.line)
            json.endObject()
            json.endObject()
            json.endObject()
            json.endArray()
            json.key("message")
            json.beginObject()
            json.key("text")
            json.value(diagnostic.message, suggestion: diagnostic.suggestion)
            json.endObject()
            json.key("partialFingerprints")
            json.beginObject()
            json.member("inquestFingerprint/v2", fingerprints[index])
            json.endObject()
            json.member("ruleId", diagnostic.rule)
            if let index = ruleIndex[diagnostic.rule] { json.member("ruleIndex", index) }
            json.endObject()
        }
        json.endArray()
        json.key("tool")
        json.beginObject()
        json.key("driver")
        json.beginObject()
        if let information = docsURL?.information { json.member("informationUri", information) }
        json.member("name", literal: "inquest")
        json.key("rules")
        json.beginArray()
        for rule in rules {
            json.element()
            json.raw(descriptors?.byID[rule.id] ?? Self.descriptor(rule, docsURL: docsURL))
        }
        json.endArray()
        json.member("semanticVersion", version)
        json.member("version", version)
        json.endObject()
        json.endObject()
        json.endObject()
        json.endArray()
        json.member("version", literal: "2.1.0")
        json.endObject()
        var out = json.out
        out.append(UInt8(ascii: "\n"))
        return out.text
    }

    /// One `reportingDescriptor`, written at its depth in the log.
    static func descriptor(_ rule: any Rule, docsURL: DocsURL?) -> ReportBytes {
        let doc = rule.documentation
        var json = PrettyJSONWriter(depth: descriptorDepth)
        json.beginObject()
        json.key("defaultConfiguration")
        json.beginObject()
        json.member("level", literal: level(rule.defaultSeverity))
        json.endObject()
        json.member("fullDescription", object: "text", doc.rationale)
        json.key("help")
        json.beginObject()
        json.member("markdown", "**\(rule.id)**: \(doc.summary)\n\n\(doc.rationale)\n\nRun `inquest explain \(rule.id)` for examples.")
        json.member("text", "\(doc.summary). \(doc.rationale) Run `inquest explain \(rule.id)` for examples.")
        json.endObject()
        if let helpUri = docsURL?.help(for: rule.id) { json.member("helpUri", helpUri) }
        json.member("id", rule.id)
        json.member("name", name(rule.id))
        json.member("shortDescription", object: "text", doc.summary)
        json.endObject()
        return json.out
    }

    static func level(_ severity: Severity) -> StaticString {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// The path percent-encoded as Foundation does with `.urlPathAllowed`: an ASCII path of
    /// allowed bytes (nearly every path) as it is, without Foundation's NSString round trip.
    static func uriEscape(_ path: String) -> String {
        let allowed = path.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 && urlPathAllowedASCII[Int($0)] }
        }
        if allowed == true { return path }
        return path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    /// Which ASCII bytes `.urlPathAllowed` keeps, asked of Foundation once.
    private static let urlPathAllowedASCII: [Bool] = (0..<0x80).map { byte in
        let text = String(UnicodeScalar(UInt8(byte)))
        return text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) == text
    }

    /// `blameless/counterfactual` → `BlamelessCounterfactual`.
    static func name(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "/" || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// Deterministic JSON from Codable values: sorted keys, no escaped slashes, a final newline.
public enum CodableJSON {
    public static func pretty(_ value: some Encodable) -> String {
        encode(value, formatting: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) + "\n"
    }

    public static func compact(_ value: some Encodable, sortedKeys: Bool = true) -> String {
        encode(value, formatting: sortedKeys ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes])
    }

    private static func encode(_ value: some Encodable, formatting: JSONEncoder.OutputFormatting) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        // Encoding plain structs of strings and numbers cannot fail.
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}

/// FNV-1a 64-bit: a stable, dependency-free hash for fingerprints and cache keys (not for security).
public enum StableHash {
    public static func value(_ text: String) -> UInt64 {
        value(bytes: Array(text.utf8))
    }

    public static func value<Bytes: Sequence>(bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = Running()
        for byte in bytes { hash.add(byte) }
        return hash.value
    }

    /// The hash of bytes read in place, for hot paths (hash tables of words and strings).
    @inlinable
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    public static func hex(_ text: String) -> String {
        var hash = Running()
        hash.add(Array(text.utf8))
        return hash.hex
    }

    /// The hash of bytes given in pieces: the same value as of the pieces joined.
    struct Running {
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }

        mutating func add(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { add($0) }
        }

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes { add(byte) }
        }

        /// The decimal digits of a non-negative number, as `String(number)` writes them.
        mutating func add(decimal number: Int) {
            var divisor = 1
            while number / divisor >= 10 { divisor *= 10 }
            while divisor > 0 {
                add(UInt8(ascii: "0") + UInt8(number / divisor % 10))
                divisor /= 10
            }
        }

        /// 16 lowercase hex digits, zero-padded.
        var hex: String {
            String(unsafeUninitializedCapacity: 16) { buffer in
                var rest = value
                for index in stride(from: 15, through: 0, by: -1) {
                    let digit = UInt8(truncatingIfNeeded: rest & 0xF)
                    buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                    rest >>= 4
                }
                return 16
            }
        }
    }
}

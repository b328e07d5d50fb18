import Foundation

/// SARIF 2.1.0 as GitHub code scanning accepts it, encoded from Codable values.
struct SARIFFormatter {
    var version: String
    /// The folder result paths are relative to (the repository's working tree): `%SRCROOT%`.
    var sourceRoot: URL?
    /// The team's rule documentation (`docs_url`); without it `helpUri` and `informationUri` are
    /// left out (both optional in SARIF 2.1.0) and code scanning shows `help` from the rule docs.
    var docsURL: DocsURL?

    func render(_ diagnostics: [Diagnostic], rules: [any Rule], sources: [String: SourceText]) -> String {
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let descriptors = rules.map { rule in
            let doc = rule.documentation
            return SARIF.Rule(
                id: rule.id, name: ruleName(rule.id),
                shortDescription: .init(text: doc.summary), fullDescription: .init(text: doc.rationale),
                help: .init(text: "\(doc.summary). \(doc.rationale) Run `inquest explain \(rule.id)` for examples.",
                            markdown: "**\(rule.id)**: \(doc.summary)\n\n\(doc.rationale)\n\nRun `inquest explain \(rule.id)` for examples."),
                helpUri: docsURL?.help(for: rule.id),
                defaultConfiguration: .init(level: sarifLevel(rule.defaultSeverity)))
        }
        var occurrences: [String: Int] = [:]
        let results = diagnostics.map { diagnostic in
            let base = Fingerprint.base(diagnostic, source: sources[diagnostic.file])
            let occurrence = occurrences[base, default: 0]
            occurrences[base] = occurrence + 1
            var message = diagnostic.message
            if let suggestion = diagnostic.suggestion { message += " (\(suggestion))" }
            let range = diagnostic.range
            let endColumn = max(range.end.column, range.end.line == range.start.line ? range.start.column + 1 : 1)
            return SARIF.Result(
                ruleId: diagnostic.rule, ruleIndex: ruleIndex[diagnostic.rule], level: sarifLevel(diagnostic.severity),
                message: .init(text: message),
                locations: [.init(physicalLocation: .init(
                    artifactLocation: .init(uri: uriEscape(diagnostic.file), uriBaseId: "%SRCROOT%"),
                    region: .init(startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: endColumn)))],
                partialFingerprints: ["inquestFingerprint/v2": StableHash.hex(base + "|\(occurrence)")])
        }
        let root = sourceRoot.map { $0.standardizedFileURL.absoluteString.hasSuffix("/") ? $0.standardizedFileURL.absoluteString : $0.standardizedFileURL.absoluteString + "/" }
        let log = SARIF.Log(runs: [.init(
            tool: .init(driver: .init(name: "inquest", version: version, semanticVersion: version,
                                      informationUri: docsURL?.information, rules: descriptors)),
            columnKind: "unicodeCodePoints",
            originalUriBaseIds: root.map { ["%SRCROOT%": .init(uri: $0)] },
            results: results)])
        return log.pretty()
    }

    private func sarifLevel(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// `blameless/counterfactual` → `BlamelessCounterfactual`.
    private func ruleName(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "/" || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private func uriEscape(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }
}

/// What identifies a finding across commits: rule, file and the normalised source text it is
/// about (the flagged text and its line, whitespace collapsed) — not the line number, which moves
/// when lines are added above, and not the message, which may be reworded.
enum Fingerprint {
    static func base(_ diagnostic: Diagnostic, source: SourceText?) -> String {
        var text = ""
        if let source, diagnostic.range.start.line >= 1, diagnostic.range.start.line <= source.lineCount {
            let line = source.lineText(diagnostic.range.start.line)
            let scalars = Array(line.unicodeScalars)
            let start = min(max(0, diagnostic.range.start.column - 1), scalars.count)
            let end = diagnostic.range.end.line == diagnostic.range.start.line ? min(max(start, diagnostic.range.end.column - 1), scalars.count) : scalars.count
            let flagged = String(String.UnicodeScalarView(scalars[start..<end]))
            text = normalise(flagged) + "|" + normalise(line)
        }
        return "\(diagnostic.rule)|\(diagnostic.file)|\(text)"
    }

    private static func normalise(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// The SARIF 2.1.0 subset Inquest writes.
enum SARIF {
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        var tool: Tool
        var columnKind: String
        var originalUriBaseIds: [String: ArtifactLocation]?
        var results: [Result]
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var version: String
        var semanticVersion: String
        var informationUri: String?
        var rules: [Rule]
    }

    struct Text: Encodable { var text: String }

    struct Help: Encodable {
        var text: String
        var markdown: String
    }

    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Help
        var helpUri: String?
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { var level: String }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Text
        var locations: [Location]
        var partialFingerprints: [String: String]
    }

    struct Location: Encodable { var physicalLocation: PhysicalLocation }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
    }
}

/// The log as `CodableJSON.pretty` writes it (keys sorted, JSONEncoder's layout), written
/// directly: encoding through Codable cost more than the rest of a lint run's formatting.
/// Members below are in sorted key order; `PrettyJSONWriterTests` compares with JSONEncoder.
extension SARIF.Log {
    func pretty() -> String {
        var json = PrettyJSONWriter()
        json.beginObject()
        json.member("$schema", schema)
        json.key("runs")
        json.beginArray()
        for run in runs {
            json.element()
            run.write(into: &json)
        }
        json.endArray()
        json.member("version", version)
        json.endObject()
        return json.text + "\n"
    }
}

extension SARIF.Run {
    func write(into json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("columnKind", columnKind)
        if let originalUriBaseIds {
            json.key("originalUriBaseIds")
            json.beginObject()
            for (name, location) in originalUriBaseIds.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                json.key(name)
                location.write(into: &json)
            }
            json.endObject()
        }
        json.key("results")
        json.beginArray()
        for result in results {
            json.element()
            result.write(into: &json)
        }
        json.endArray()
        json.key("tool")
        json.beginObject()
        json.key("driver")
        json.beginObject()
        if let informationUri = tool.driver.informationUri { json.member("informationUri", informationUri) }
        json.member("name", tool.driver.name)
        json.key("rules")
        json.beginArray()
        for rule in tool.driver.rules {
            json.element()
            rule.write(into: &json)
        }
        json.endArray()
        json.member("semanticVersion", tool.driver.semanticVersion)
        json.member("version", tool.driver.version)
        json.endObject()
        json.endObject()
        json.endObject()
    }
}

extension SARIF.Rule {
    func write(into json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("defaultConfiguration", object: "level", defaultConfiguration.level)
        json.member("fullDescription", object: "text", fullDescription.text)
        json.key("help")
        json.beginObject()
        json.member("markdown", help.markdown)
        json.member("text", help.text)
        json.endObject()
        if let helpUri { json.member("helpUri", helpUri) }
        json.member("id", id)
        json.member("name", name)
        json.member("shortDescription", object: "text", shortDescription.text)
        json.endObject()
    }
}

extension SARIF.Result {
    func write(into json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("level", level)
        json.key("locations")
        json.beginArray()
        for location in locations {
            json.element()
            json.beginObject()
            json.key("physicalLocation")
            json.beginObject()
            json.key("artifactLocation")
            location.physicalLocation.artifactLocation.write(into: &json)
            json.key("region")
            json.beginObject()
            let region = location.physicalLocation.region
            json.member("endColumn", region.endColumn)
            json.member("endLine", region.endLine)
            json.member("startColumn", region.startColumn)
            json.member("startLine", region.startLine)
            json.endObject()
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.member("message", object: "text", message.text)
        json.key("partialFingerprints")
        json.beginObject()
        for (name, value) in partialFingerprints.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.member(name, value)
        }
        json.endObject()
        json.member("ruleId", ruleId)
        if let ruleIndex { json.member("ruleIndex", ruleIndex) }
        json.endObject()
    }
}

extension SARIF.ArtifactLocation {
    func write(into json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("uri", uri)
        if let uriBaseId { json.member("uriBaseId", uriBaseId) }
        json.endObject()
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
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    public static func hex(_ text: String) -> String {
        let raw = String(value(text), radix: 16)
        return String(repeating: "0", count: 16 - raw.count) + raw
    }
}

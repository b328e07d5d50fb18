/// SARIF 2.1.0 as GitHub code scanning accepts it.
struct SARIFFormatter {
    var version: String

    func render(_ diagnostics: [Diagnostic], rules: [any Rule]) -> String {
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        var out = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
        out += "      \"tool\": {\n        \"driver\": {\n          \"name\": \"inquest\",\n"
        out += "          \"version\": \(JSON.string(version)),\n          \"semanticVersion\": \(JSON.string(version)),\n"
        out += "          \"rules\": ["
        for (index, rule) in rules.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            let doc = rule.documentation
            let level = sarifLevel(rule.defaultSeverity)
            out += "            {\"id\": \(JSON.string(rule.id)), \"name\": \(JSON.string(ruleName(rule.id))), "
            out += "\"shortDescription\": {\"text\": \(JSON.string(doc.summary))}, "
            out += "\"fullDescription\": {\"text\": \(JSON.string(doc.rationale))}, "
            out += "\"help\": {\"text\": \(JSON.string("\(doc.summary). \(doc.rationale) Run `inquest explain \(rule.id)` for examples.")), "
            out += "\"markdown\": \(JSON.string("**\(rule.id)**: \(doc.summary)\n\n\(doc.rationale)\n\nRun `inquest explain \(rule.id)` for examples."))}, "
            out += "\"defaultConfiguration\": {\"level\": \(JSON.string(level))}}"
        }
        out += "\n          ]\n        }\n      },\n"
        out += "      \"columnKind\": \"unicodeCodePoints\",\n"
        out += "      \"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": \"file:///\"}},\n"
        out += "      \"results\": ["
        var fingerprints: [String: Int] = [:]
        for (index, diagnostic) in diagnostics.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            // A fingerprint that survives line shifts: rule, file and message, disambiguated by occurrence.
            let base = "\(diagnostic.rule)|\(diagnostic.file)|\(diagnostic.message)"
            let occurrence = fingerprints[base, default: 0]
            fingerprints[base] = occurrence + 1
            let fingerprint = StableHash.hex(base + "|\(occurrence)")
            var message = diagnostic.message
            if let suggestion = diagnostic.suggestion { message += " (\(suggestion))" }
            out += "        {\"ruleId\": \(JSON.string(diagnostic.rule)), "
            if let ruleIndex = ruleIndex[diagnostic.rule] { out += "\"ruleIndex\": \(ruleIndex), " }
            out += "\"level\": \(JSON.string(sarifLevel(diagnostic.severity))), "
            out += "\"message\": {\"text\": \(JSON.string(message))}, "
            out += "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \(JSON.string(uriEscape(diagnostic.file))), \"uriBaseId\": \"%SRCROOT%\"}, "
            out += "\"region\": {\"startLine\": \(diagnostic.range.start.line), \"startColumn\": \(diagnostic.range.start.column), "
            out += "\"endLine\": \(diagnostic.range.end.line), \"endColumn\": \(max(diagnostic.range.end.column, diagnostic.range.end.line == diagnostic.range.start.line ? diagnostic.range.start.column + 1 : 1))}}}], "
            out += "\"partialFingerprints\": {\"inquestFingerprint/v1\": \(JSON.string(fingerprint))}}"
        }
        out += diagnostics.isEmpty ? "]\n" : "\n      ]\n"
        out += "    }\n  ]\n}\n"
        return out
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

import Foundation

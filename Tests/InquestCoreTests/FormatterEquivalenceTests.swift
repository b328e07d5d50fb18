import Foundation
import XCTest
@testable import InquestCore

/// The formatters write their reports straight into bytes. These compare each with the
/// implementation it replaced (kept below as the reference: Codable values through JSONEncoder
/// for SARIF and GitLab, ``OrderedJSONEncoder`` for `--format json`, string building for text and
/// GitHub, the `Character`-splitting fingerprint) on varied diagnostics: awkward text in every
/// field, several files, ranges outside their line or file, non-ASCII and invalid UTF-8 sources,
/// every optional member present and absent, and no diagnostics at all.
final class FormatterEquivalenceTests: XCTestCase {
    /// Every C0 control, quotes, backslashes, slashes, DEL, C1 controls, line separators, a NUL,
    /// percent signs, colons, commas and non-ASCII text.
    private static let awkward = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        + "\"quoted\" back\\slash a/b \u{7F}\u{85}\u{9F} \u{2028}\u{2029} é 😀 <>& 100% a:b,c \u{0}end \u{2027}\u{202A}"

    private static let sources: [String: SourceText] = [
        "postmortems/a.md": SourceText(bytes: Array("---\ntitle: Plain  text\t here \r\nseverity: SEV9\n\n   \n\tTabbed\tline\u{1B}[31m\n\u{7F}x\u{0}y\rz\n  spaced   out   words  \n".utf8)),
        "postmortems/b b.md": SourceText(bytes: Array("障害 🔥 x\ncafe\u{301} \u{A0}nbsp\u{2003}em\n \u{301}combining after space\nx\u{0085}y\u{2028}z\n".utf8)
            + [0xFF, 0x41, 0xC3, 0x0A] + Array("a\u{0301}\tb\r\n".utf8)),
        "postmortems/c,d:e%.md": SourceText(bytes: Array("one line without newline".utf8)),
        "postmortems/empty.md": SourceText(bytes: []),
    ]

    /// Diagnostics over those files (and one with no source), sorted as the linter sorts them.
    private static func diagnostics(count: Int, seed: UInt64) -> [Diagnostic] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let files = ["postmortems/a.md", "postmortems/b b.md", "postmortems/c,d:e%.md", "postmortems/empty.md", "postmortems/missing\n.md"]
        let rules = ["schema/missing-field", "blameless/hindsight", "timeline/missing-time", "x/y", "links/broken-link"]
        let messages = ["'root_causes' is required", awkward, "", "100% of \"it\"\nnext line", "tab\there", "障害", "plain"]
        var result: [Diagnostic] = []
        for _ in 0..<count {
            let line = next(12) - 1
            let column = next(40) - 1
            let endLine = next(4) == 0 ? line + next(3) : line
            let endColumn = column + next(30) - 3
            let fix = next(3) == 0 ? Fix(bytes: next(50)..<(50 + next(50)), replacement: next(2) == 0 ? "" : messages[next(messages.count)]) : nil
            result.append(Diagnostic(file: files[next(files.count)],
                                     range: SourceRange(start: .init(line: line, column: column), end: .init(line: endLine, column: endColumn)),
                                     severity: Severity.allCases[next(3)], rule: rules[next(rules.count)], message: messages[next(messages.count)],
                                     suggestion: next(2) == 0 ? nil : messages[next(messages.count)], fix: fix))
        }
        // Identical findings too: the fingerprints count occurrences.
        result += result.prefix(3)
        return result.sorted(by: Diagnostic.sortKey)
    }

    private static let cases: [[Diagnostic]] = [[]] + (1...6).map { diagnostics(count: 40, seed: UInt64($0)) }
        + [[Diagnostic(file: "postmortems/a.md", range: .line(2), severity: .error, rule: "x/y", message: awkward, suggestion: awkward,
                       fix: Fix(bytes: 0..<1, replacement: awkward))]]

    private func summary(_ diagnostics: [Diagnostic]) -> DiagnosticSummary { DiagnosticSummary(files: 4, diagnostics: diagnostics) }

    func testTextMatchesTheStringBuildingImplementationWithAndWithoutColour() {
        for diagnostics in Self.cases {
            for color in [false, true] {
                XCTAssertEqual(DiagnosticFormatter(format: .text, color: color).render(diagnostics, summary: summary(diagnostics), sources: Self.sources),
                               ReferenceText(color: color).render(diagnostics, summary: summary(diagnostics), sources: Self.sources))
            }
        }
    }

    func testJSONMatchesTheOrderedJSONEncoderImplementation() {
        for diagnostics in Self.cases {
            XCTAssertEqual(DiagnosticFormatter(format: .json).render(diagnostics, summary: summary(diagnostics), sources: Self.sources),
                           ReferenceJSON.render(diagnostics, summary: summary(diagnostics)))
        }
    }

    func testGitHubMatchesTheStringBuildingImplementation() {
        for diagnostics in Self.cases {
            XCTAssertEqual(DiagnosticFormatter(format: .github).render(diagnostics, summary: summary(diagnostics), sources: Self.sources),
                           ReferenceGitHub.render(diagnostics))
        }
    }

    func testGitLabMatchesJSONEncoder() {
        for diagnostics in Self.cases {
            XCTAssertEqual(DiagnosticFormatter(format: .gitlab).render(diagnostics, summary: summary(diagnostics), sources: Self.sources),
                           CodableJSON.pretty(ReferenceGitLab.issues(diagnostics, sources: Self.sources)))
        }
    }

    func testSARIFMatchesJSONEncoderWithAndWithoutOptionalMembers() {
        let allRules = RuleRegistry.all
        let links: [DocsURL?] = [nil, DocsURL("https://docs.example.com/inquest/rules/{rule}.html"),
                                 DocsURL("https://git.example.com/tools/inquest/blob/main/README.md#rules")]
        for diagnostics in Self.cases {
            for docsURL in links {
                for sourceRoot in [nil, URL(fileURLWithPath: "/tmp/repo"), URL(fileURLWithPath: "/tmp/a b/")] {
                    // Every rule, none, and a narrowed list that misses some rules that fired.
                    for rules in [allRules, [], Array(allRules.prefix(5))] {
                        var formatter = DiagnosticFormatter(format: .sarif, version: "1.2.3-test", sourceRoot: sourceRoot, docsURL: docsURL)
                        formatter.sarifRules = rules
                        let expected = CodableJSON.pretty(ReferenceSARIF(version: "1.2.3-test", sourceRoot: sourceRoot, docsURL: docsURL)
                            .log(diagnostics, rules: rules, sources: Self.sources))
                        XCTAssertEqual(formatter.render(diagnostics, summary: summary(diagnostics), sources: Self.sources), expected)
                        XCTAssertEqual(formatter.prepared().render(diagnostics, summary: summary(diagnostics), sources: Self.sources), expected, "prepared")
                    }
                }
            }
        }
    }

    func testPreparedSARIFKeepsItsDescriptorsWhenNarrowedAndDropsThemWhenTheLinkChanges() throws {
        let diagnostics = Self.cases[1]
        var prepared = DiagnosticFormatter(format: .sarif).prepared()
        prepared.sarifRules = Array(RuleRegistry.all.suffix(3))
        var plain = DiagnosticFormatter(format: .sarif)
        plain.sarifRules = prepared.sarifRules
        XCTAssertEqual(prepared.render(diagnostics, summary: summary(diagnostics), sources: Self.sources),
                       plain.render(diagnostics, summary: summary(diagnostics), sources: Self.sources))
        let link = DocsURL("https://docs.example.com/{rule}")
        prepared.docsURL = link
        plain.docsURL = link
        let output = prepared.render(diagnostics, summary: summary(diagnostics), sources: Self.sources)
        XCTAssertTrue(output.contains("https://docs.example.com/"))
        XCTAssertEqual(output, plain.render(diagnostics, summary: summary(diagnostics), sources: Self.sources))
    }

    func testFingerprintsMatchTheCharacterSplittingImplementation() {
        for diagnostics in Self.cases {
            XCTAssertEqual(Fingerprint.all(diagnostics, sources: Self.sources), ReferenceFingerprint.all(diagnostics, sources: Self.sources))
        }
        // Every ASCII byte inside, around and as the flagged text.
        let text = (0..<0x80).map { "a\(String(UnicodeScalar(UInt8($0))))b \(String(UnicodeScalar(UInt8($0))))  c" }.joined(separator: "\n")
        let source = SourceText(bytes: Array(text.utf8))
        let diagnostics = (1...source.lineCount).flatMap { line in
            [Diagnostic(file: "f.md", range: SourceRange(start: .init(line: line, column: 2), end: .init(line: line, column: 3)), severity: .info, rule: "x/y", message: "m"),
             Diagnostic(file: "f.md", range: SourceRange(start: .init(line: line, column: 1), end: .init(line: line + 1, column: 1)), severity: .info, rule: "x/y", message: "m")]
        }
        XCTAssertEqual(Fingerprint.all(diagnostics, sources: ["f.md": source]), ReferenceFingerprint.all(diagnostics, sources: ["f.md": source]))
    }

    func testRenderingSeveralFormatsAtOnceGivesWhatEachGivesAlone() {
        let formatters = OutputFormat.allCases.flatMap { [DiagnosticFormatter(format: $0), DiagnosticFormatter(format: $0, quiet: true)] }
        for diagnostics in Self.cases {
            let together = DiagnosticFormatter.render(formatters, diagnostics, summary: summary(diagnostics), sources: Self.sources)
            XCTAssertEqual(together, formatters.map { $0.render(diagnostics, summary: summary(diagnostics), sources: Self.sources) })
        }
    }

    func testReportBytesWriteNumbersAndStringsAsTheirReferences() {
        for number in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, Int.max, Int.min] {
            var bytes = ReportBytes()
            bytes.append(number)
            XCTAssertEqual(bytes.text, String(number))
        }
        var samples = (UInt8(0)..<0x80).map { "a" + String(UnicodeScalar($0)) + "b" }
        samples += ["", Self.awkward, "\u{2028}", "x\u{2029}y", "\u{2027}\u{202F}", "€", "nul\u{0}after\u{2028}", "\u{E2}"]
        for text in samples {
            var inquest = ReportBytes()
            inquest.appendJSONString(text, .inquest)
            XCTAssertEqual(inquest.text, JSON.string(text), "\(Array(text.utf8))")
            var foundation = ReportBytes()
            foundation.appendJSONString(text, .foundation)
            XCTAssertEqual(foundation.text, try String(decoding: JSONEncoder.slashless.encode(text), as: UTF8.self), "\(Array(text.utf8))")
        }
    }
}

// MARK: - The replaced implementations, as references

private extension JSONEncoder {
    static var slashless: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}

private enum ReferenceFingerprint {
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

    static func normalise(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func all(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> [String] {
        var occurrences: [String: Int] = [:]
        return diagnostics.map { diagnostic in
            let base = base(diagnostic, source: sources[diagnostic.file])
            let occurrence = occurrences[base, default: 0]
            occurrences[base] = occurrence + 1
            let raw = String(StableHashReference.value(base + "|\(occurrence)"), radix: 16)
            return String(repeating: "0", count: 16 - raw.count) + raw
        }
    }
}

private enum StableHashReference {
    static func value(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

private struct ReferenceSARIF {
    var version: String
    var sourceRoot: URL?
    var docsURL: DocsURL?

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

    func log(_ diagnostics: [Diagnostic], rules: [any InquestCore.Rule], sources: [String: SourceText]) -> Log {
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let descriptors = rules.map { rule in
            let doc = rule.documentation
            return Rule(
                id: rule.id, name: ruleName(rule.id),
                shortDescription: .init(text: doc.summary), fullDescription: .init(text: doc.rationale),
                help: .init(text: "\(doc.summary). \(doc.rationale) Run `inquest explain \(rule.id)` for examples.",
                            markdown: "**\(rule.id)**: \(doc.summary)\n\n\(doc.rationale)\n\nRun `inquest explain \(rule.id)` for examples."),
                helpUri: docsURL?.help(for: rule.id),
                defaultConfiguration: .init(level: sarifLevel(rule.defaultSeverity)))
        }
        var occurrences: [String: Int] = [:]
        let results = diagnostics.map { diagnostic in
            let base = ReferenceFingerprint.base(diagnostic, source: sources[diagnostic.file])
            let occurrence = occurrences[base, default: 0]
            occurrences[base] = occurrence + 1
            var message = diagnostic.message
            if let suggestion = diagnostic.suggestion { message += " (\(suggestion))" }
            let range = diagnostic.range
            let endColumn = max(range.end.column, range.end.line == range.start.line ? range.start.column + 1 : 1)
            return Result(
                ruleId: diagnostic.rule, ruleIndex: ruleIndex[diagnostic.rule], level: sarifLevel(diagnostic.severity),
                message: .init(text: message),
                locations: [.init(physicalLocation: .init(
                    artifactLocation: .init(uri: diagnostic.file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? diagnostic.file,
                                            uriBaseId: "%SRCROOT%"),
                    region: .init(startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: endColumn)))],
                partialFingerprints: ["inquestFingerprint/v2": StableHash.hex(base + "|\(occurrence)")])
        }
        let root = sourceRoot.map { $0.standardizedFileURL.absoluteString.hasSuffix("/") ? $0.standardizedFileURL.absoluteString : $0.standardizedFileURL.absoluteString + "/" }
        return Log(runs: [.init(
            tool: .init(driver: .init(name: "inquest", version: version, semanticVersion: version,
                                      informationUri: docsURL?.information, rules: descriptors)),
            columnKind: "unicodeCodePoints",
            originalUriBaseIds: root.map { ["%SRCROOT%": .init(uri: $0)] },
            results: results)])
    }

    private func sarifLevel(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    private func ruleName(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "/" || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

private enum ReferenceGitLab {
    struct Issue: Encodable {
        var description: String
        var check_name: String
        var fingerprint: String
        var severity: String
        var location: Location
    }

    struct Location: Encodable {
        var path: String
        var lines: Lines
    }

    struct Lines: Encodable { var begin: Int }

    static func issues(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> [Issue] {
        var occurrences: [String: Int] = [:]
        return diagnostics.map { diagnostic in
            let base = ReferenceFingerprint.base(diagnostic, source: sources[diagnostic.file])
            let occurrence = occurrences[base, default: 0]
            occurrences[base] = occurrence + 1
            var description = diagnostic.message
            if let suggestion = diagnostic.suggestion { description += " (\(suggestion))" }
            let severity = switch diagnostic.severity {
            case .error: "major"
            case .warning: "minor"
            case .info: "info"
            }
            return Issue(description: description, check_name: diagnostic.rule, fingerprint: StableHash.hex(base + "|\(occurrence)"),
                         severity: severity, location: Location(path: diagnostic.file, lines: Lines(begin: diagnostic.range.start.line)))
        }
    }
}

private enum ReferenceJSON {
    struct Item: Encodable {
        struct FixRange: Encodable {
            var start: Int
            var end: Int
            var replacement: String
        }

        var file: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var severity: String
        var rule: String
        var message: String
        var suggestion: String?
        var fix: FixRange?

        init(_ diagnostic: Diagnostic) {
            file = diagnostic.file
            line = diagnostic.range.start.line
            column = diagnostic.range.start.column
            endLine = diagnostic.range.end.line
            endColumn = diagnostic.range.end.column
            severity = diagnostic.severity.rawValue
            rule = diagnostic.rule
            message = diagnostic.message
            suggestion = diagnostic.suggestion
            fix = diagnostic.fix.map { FixRange(start: $0.bytes.lowerBound, end: $0.bytes.upperBound, replacement: $0.replacement) }
        }
    }

    struct Summary: Encodable {
        var files: Int
        var errors: Int
        var warnings: Int
        var infos: Int
    }

    static func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        let items = diagnostics.map { "\n  " + OrderedJSONEncoder.encode(Item($0)) }
        let counts = OrderedJSONEncoder.encode(Summary(files: summary.files, errors: summary.errors, warnings: summary.warnings, infos: summary.infos))
        return "{\"version\":1,\"diagnostics\":[" + items.joined(separator: ",") + (diagnostics.isEmpty ? "]," : "\n],")
            + "\"summary\":" + counts + "}\n"
    }
}

private enum ReferenceGitHub {
    static func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for diagnostic in diagnostics {
            let command = switch diagnostic.severity {
            case .error: "error"
            case .warning: "warning"
            case .info: "notice"
            }
            var message = diagnostic.message
            if let suggestion = diagnostic.suggestion { message += "\n" + suggestion }
            let properties = [
                "file=\(escape(diagnostic.file, property: true))",
                "line=\(diagnostic.range.start.line)",
                "col=\(diagnostic.range.start.column)",
                "endLine=\(diagnostic.range.end.line)",
                "endColumn=\(diagnostic.range.end.column)",
                "title=\(escape(diagnostic.rule, property: true))",
            ]
            out += "::\(command) \(properties.joined(separator: ","))::\(escape(message, property: false))\n"
        }
        return out
    }

    static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

private struct ReferenceText {
    var color: Bool

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, sources: [String: SourceText]) -> String {
        var out = ""
        for diagnostic in diagnostics {
            let severity = switch diagnostic.severity {
            case .error: paint("error", "1;31")
            case .warning: paint("warning", "1;33")
            case .info: paint("note", "1;36")
            }
            let location = "\(printable(diagnostic.file)):\(diagnostic.range.start.line):\(diagnostic.range.start.column)"
            out += "\(paint(location, "1")): \(severity): \(printable(diagnostic.message)) \(paint("[\(diagnostic.rule)]", "2"))\n"
            if let source = sources[diagnostic.file] {
                out += excerpt(diagnostic.range, source: source)
            }
            if let suggestion = diagnostic.suggestion {
                out += "  \(paint("help", "1;32")): \(printable(suggestion))\n"
            }
        }
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return out + "\(plural(summary.files, "file")) checked: \(plural(summary.errors, "error")), \(plural(summary.warnings, "warning")), \(plural(summary.infos, "info"))\n"
    }

    private func excerpt(_ range: SourceRange, source: SourceText) -> String {
        let line = range.start.line
        guard line >= 1, line <= source.lineCount else { return "" }
        let raw = source.lineText(line)
        let text = printable(raw.contains("\t") ? String(raw.map { $0 == "\t" ? " " : $0 }) : raw)
        let scalars = Array(text.unicodeScalars)
        let gutter = String(line)
        let startColumn = max(1, min(range.start.column, scalars.count + 1))
        let endColumn = range.end.line == line ? max(startColumn + 1, min(range.end.column, scalars.count + 1)) : scalars.count + 1
        let before = scalars[..<(startColumn - 1)].reduce(0) { $0 + TextFormatter.cells($1) }
        let under = scalars[(startColumn - 1)..<min(endColumn - 1, scalars.count)].reduce(0) { $0 + TextFormatter.cells($1) }
        let width = max(1, under)
        let pad = String(repeating: " ", count: gutter.count)
        var out = " \(pad) |\n"
        out += " \(gutter) | \(text)\n"
        out += " \(pad) | " + String(repeating: " ", count: before) + paint("^" + String(repeating: "~", count: width - 1), "1;32") + "\n"
        return out
    }

    private func printable(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }
}

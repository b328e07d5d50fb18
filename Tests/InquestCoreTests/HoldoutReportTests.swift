import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Measures Inquest on a held-out set of postmortems written for this test in formats the
/// development set does not use (the classic student template, SRE-book, Atlassian, GitLab,
/// PagerDuty and Jeli styles, Setext and `#`-only headings, bold pseudo-headings, timeline tables
/// with separate date and time columns, numeric offsets and configured zone abbreviations).
/// Each folder of `Tests/Fixtures/holdout-archives/` is one team's archive (its `inquest.yml`, if
/// any, applies). `labels.tsv` was written by hand from the documents, not by running Inquest.
///
/// Every document is also read as CRLF with a BOM: the figures must not change.
final class HoldoutReportTests: XCTestCase {
    static let root = Repository.fixtures.appendingPathComponent("holdout-archives")

    struct Label { var kind: String; var file: String; var snippet: String; var value: String }

    static func labels() throws -> [Label] {
        let text = try String(contentsOf: root.appendingPathComponent("labels.tsv"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { row in
            guard !row.hasPrefix("#") else { return nil }
            let cells = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return cells.count == 4 ? Label(kind: cells[0], file: cells[1], snippet: cells[2], value: cells[3]) : nil
        }
    }

    /// 1-based line of the first line containing the snippet (`^…$`: equal to it).
    static func line(of snippet: String, in text: String) -> Int? {
        // Split on bytes: in a Swift String "\r\n" is one character, so splitting on "\n" would miss it.
        let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
        let index = snippet.hasPrefix("^") && snippet.hasSuffix("$")
            ? lines.firstIndex { $0 == snippet.dropFirst().dropLast() }
            : lines.firstIndex { $0.contains(snippet) }
        return index.map { $0 + 1 }
    }

    struct Figures: Equatable {
        var sections = 0, recognised = 0, entries = 0, correct = 0, timeOfDayAndZone = 0, falseOrder = 0, overRead = 0
    }

    /// Lints every archive (optionally as CRLF + BOM) and compares with the labels.
    func measure(crlfAndBOM: Bool, misses: inout [String]) throws -> Figures {
        let labels = try Self.labels()
        var figures = Figures()
        let archives = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter {
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.root.appendingPathComponent($0).path, isDirectory: &folder) && folder.boolValue
        }.sorted()
        for archive in archives {
            let folder = Self.root.appendingPathComponent(archive)
            var configuration = Configuration()
            configuration.postmortems = ""
            let configURL = folder.appendingPathComponent("inquest.yml")
            if let bytes = try? [UInt8](Data(contentsOf: configURL)) {
                configuration = try ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: bytes, path: "inquest.yml")
            }
            var documents = try WorkingTreeSource(root: folder).postmortemFiles(under: configuration.postmortems)
                .filter { !PostmortemFiles.isExcluded($0.path, configuration: configuration) }
            if crlfAndBOM {
                documents = documents.map { document in
                    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
                    for byte in document.bytes { if byte == 0x0A { bytes.append(0x0D) }; bytes.append(byte) }
                    return RawDocument(path: document.path, bytes: bytes)
                }
            }
            XCTAssertFalse(documents.contains { $0.path.lowercased().hasSuffix("readme.md") }, "\(archive): the readme is not a postmortem")
            let result = Linter(configuration: configuration).lint(LintInput(documents: documents, catalogue: nil))
            let byPath = Dictionary(result.archive.postmortems.map { ("\(archive)/\($0.path)", $0) }, uniquingKeysWith: { first, _ in first })
            var expected: [String: [Int: String]] = [:]
            for label in labels where label.file.hasPrefix(archive + "/") {
                guard let postmortem = byPath[label.file] else {
                    misses.append("\(label.file): not read as a postmortem")
                    if label.kind == "section", label.value != "-" { figures.sections += 1 } else if label.kind == "time" { figures.entries += 1 }
                    continue
                }
                let text = String(decoding: postmortem.source.bytes, as: UTF8.self)
                let line = try XCTUnwrap(Self.line(of: label.snippet, in: text), "\(label.file): no line with \(label.snippet)")
                if label.kind == "section" {
                    let section = postmortem.sections.first { postmortem.source.position(of: $0.headingBytes.lowerBound).line == line }
                    if label.value == "-" {
                        if let section, !section.canonicalNames.isEmpty { misses.append("\(label.file):\(line): '\(section.heading)' given role \(section.canonicalNames) (allowed, not counted)") }
                        continue
                    }
                    figures.sections += 1
                    if section?.canonicalNames.contains(label.value) == true {
                        figures.recognised += 1
                    } else {
                        misses.append("\(label.file):\(line): section \(label.value), read as \(section.map { "'\($0.heading)' → \($0.canonicalNames)" } ?? "no section")")
                    }
                } else {
                    figures.entries += 1
                    expected[label.file, default: [:]][line] = label.value
                    let entry = postmortem.timeline.first { postmortem.source.position(of: $0.bytes.lowerBound).line == line }
                    guard let time = entry?.time else {
                        misses.append("\(label.file):\(line): time \(label.value), read as \(entry == nil ? "no entry" : "no time")")
                        continue
                    }
                    let found = CorpusReportTests.local(time)
                    if found == label.value { figures.correct += 1 } else { misses.append("\(label.file):\(line): time \(label.value), read as \(found)") }
                    if found.dropFirst(11) == label.value.dropFirst(11) { figures.timeOfDayAndZone += 1 }
                }
            }
            // A time read where the labels say there is none (over-reading prose as timeline entries).
            for (path, postmortem) in byPath {
                for entry in postmortem.timeline where entry.time != nil
                && expected[path]?[postmortem.source.position(of: entry.bytes.lowerBound).line] == nil {
                    figures.overRead += 1
                    misses.append("\(path):\(postmortem.source.position(of: entry.bytes.lowerBound).line): timed entry without a label")
                }
            }
            for diagnostic in result.diagnostics where diagnostic.rule == "timeline/out-of-order" {
                // Every labelled timeline here is in order, so any out-of-order error is false.
                figures.falseOrder += 1
                misses.append("\(archive)/\(diagnostic.file):\(diagnostic.range.start.line): false timeline/out-of-order")
            }
        }
        return figures
    }

    /// `adopt` on every held-out archive, as CRLF with a BOM: front-matter goes in front of each
    /// document, the body is byte for byte what it was, a second run changes nothing, and the
    /// adopted documents lint without a front-matter error and with a date.
    func testAdoptOnTheHeldOutArchivesKeepsBodiesAndIsIdempotent() throws {
        let archives = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter { !$0.contains(".") }.sorted()
        var adopted = 0
        for archive in archives {
            let folder = Self.root.appendingPathComponent(archive)
            var configuration = Configuration()
            configuration.postmortems = ""
            if let bytes = try? [UInt8](Data(contentsOf: folder.appendingPathComponent("inquest.yml"))) {
                configuration = try ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: bytes, path: "inquest.yml")
            }
            let documents = try WorkingTreeSource(root: folder).postmortemFiles(under: configuration.postmortems)
                .filter { !PostmortemFiles.isExcluded($0.path, configuration: configuration) }
                .map { document -> RawDocument in
                    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
                    for byte in document.bytes { if byte == 0x0A { bytes.append(0x0D) }; bytes.append(byte) }
                    return RawDocument(path: document.path, bytes: bytes)
                }
            let adopter = Adopter(configuration: configuration, writeConfiguration: false, configurationExists: true)
            let first = adopter.run(documents: documents, archive: documents, gitAuthors: [:])
            XCTAssertEqual(first.changedFiles.count, documents.count, archive)
            var after: [RawDocument] = []
            for file in first.files {
                let new = try XCTUnwrap(file.new, file.path)
                XCTAssertEqual(Array(new.prefix(8)), Array("\u{FEFF}---\r\n".utf8), "\(file.path): BOM, then the front-matter, in CRLF")
                XCTAssertTrue(new.count > file.old.count && Array(new.suffix(file.old.count - 3)) == Array(file.old.dropFirst(3)),
                              "\(file.path): the body is unchanged")
                after.append(RawDocument(path: file.path, bytes: new))
                adopted += 1
            }
            XCTAssertTrue(adopter.run(documents: after, archive: after, gitAuthors: [:]).changedFiles.isEmpty, "\(archive): a second run changes nothing")
            let result = Linter(configuration: configuration).lint(LintInput(documents: after, catalogue: nil))
            XCTAssertFalse(result.diagnostics.contains { $0.rule == "syntax/front-matter" }, archive)
            for postmortem in result.archive.postmortems { XCTAssertNotNil(postmortem.date, "\(archive)/\(postmortem.path): a date was inferred") }
        }
        XCTAssertGreaterThanOrEqual(adopted, 40)
    }

    func testHeldOutArchivesMeetTheBar() throws {
        var misses: [String] = []
        let figures = try measure(crlfAndBOM: false, misses: &misses)
        var crlfMisses: [String] = []
        let crlf = try measure(crlfAndBOM: true, misses: &crlfMisses)
        let report = """
            held-out set: sections recognised \(figures.recognised)/\(figures.sections); \
            timeline entries with the right date, time and offset \(figures.correct)/\(figures.entries) \
            (right time of day and offset \(figures.timeOfDayAndZone)/\(figures.entries)); \
            false timeline/out-of-order \(figures.falseOrder); timed entries without a label \(figures.overRead)
            misses:
            \(misses.map { "  " + $0 }.joined(separator: "\n"))
            """
        print(report)
        XCTAssertGreaterThanOrEqual(figures.sections, 100, "the labels cover the set")
        XCTAssertGreaterThanOrEqual(Double(figures.recognised) / Double(max(1, figures.sections)), 0.95, report)
        XCTAssertGreaterThanOrEqual(Double(figures.correct) / Double(max(1, figures.entries)), 0.95, report)
        XCTAssertEqual(figures.falseOrder, 0, report)
        XCTAssertEqual(figures.overRead, 0, report)
        XCTAssertEqual(crlf, figures, "CRLF line endings and a BOM change nothing:\n" + crlfMisses.joined(separator: "\n"))
    }
}

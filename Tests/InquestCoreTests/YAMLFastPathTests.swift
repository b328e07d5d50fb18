import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// The front-matter fast path (libyaml events) against the full Yams path: equal trees, equal
/// problems, on the project's own files and on many generated front-matters.
final class YAMLFastPathTests: XCTestCase {
    /// A tree as text: kind, scalar text and plainness, byte ranges.
    private func describe(_ node: YAMLNode?) -> String {
        guard let node else { return "nil" }
        switch node.kind {
        case let .scalar(text, plain): return "s(\(text.debugDescription),\(plain))@\(node.bytes)"
        case let .sequence(items): return "q[\(items.map(describe).joined(separator: ","))]@\(node.bytes)"
        case let .mapping(pairs): return "m{\(pairs.map { describe($0.key) + ":" + describe($0.value) }.joined(separator: ","))}@\(node.bytes)"
        }
    }

    private func outcome(_ text: String, source: SourceText, firstLine: Int, fastPath: Bool) -> String {
        do {
            return describe(try YAMLTreeParser.parse(text, in: source, firstLine: firstLine, fastPath: fastPath))
        } catch {
            return "problem: \(error.message) at \(error.offset)"
        }
    }

    /// Compares both paths on a whole file's front-matter; returns whether the fast path answered itself.
    @discardableResult
    private func compare(file bytes: [UInt8], name: String) -> Bool {
        let source = SourceText(bytes: bytes)
        guard let split = try? FrontMatterSplitter.split(source) else { return false }
        let text = source.string(split.yamlBytes)
        XCTAssertEqual(outcome(text, source: source, firstLine: split.yamlFirstLine, fastPath: true),
                       outcome(text, source: source, firstLine: split.yamlFirstLine, fastPath: false), name)
        if case .parsed = YAMLEventFastPath.parse(text, in: source, firstLine: split.yamlFirstLine) { return true }
        return false
    }

    private static let keys = ["title", "id", "date", "status", "severity", "services", "tags", "related", "root_causes",
                               "authors", "started", "\"quoted key\"", "'single'", "x-custom", "title", "naïve", "a b"]
    private static let values = [
        "Checkout latency", "\"Checkout: latency\"", "'it''s quoted'", "", "~", "null", "2025-03-04", "\"2025-03-04T09:00:00Z\"",
        "[checkout, search]", "[]", "[\"a\", 'b', c]", "[a, [b]]", "{a: 1}", "[a, b", "\"unterminated", "&anchor value", "*alias",
        "!!str tagged", "!custom x", "[!!str a]", "> folded", "| literal", "value # comment", "héllo wörld — ok", "a: b", "\t tab",
        "[a,\n  b]", "@at", "`tick`", "%percent", "yes", "3", "1.5", "- item", "[&x a]", "[a, *x]",
    ]
    private static let blockLists = ["\n  - one\n  - two", "\n- one\n- \"two\"", "\n  - one\n  - [nested]", "\n  - a: b", "\n  -\n  - x",
                                     "\n  - one\n   - bad", "\n  key: nested", "\n  - &a one", "\n  - |\n    text"]

    private static func frontMatters(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in
            var yaml = ""
            for _ in 0..<(1 + next() % 8) {
                let key = keys[next() % keys.count]
                switch next() % 10 {
                case 0: yaml += "\(key):\(blockLists[next() % blockLists.count])\n"
                case 1: yaml += "# a comment\n"
                case 2: yaml += "\(key) \(values[next() % values.count])\n"   // no colon
                default: yaml += "\(key): \(values[next() % values.count])\n"
                }
            }
            if next() % 20 == 0 { yaml += "---\nsecond: doc\n" }
            if next() % 25 == 0 { yaml = "  " + yaml }
            return "---\n" + yaml + "---\n\n# Body\n"
        }
    }

    func testBothPathsAgreeOnGeneratedFrontMatter() {
        var fast = 0
        let inputs = Self.frontMatters(count: 3_000, seed: 7)
        for (index, text) in inputs.enumerated() where compare(file: Array(text.utf8), name: "generated \(index): \(text.debugDescription)") {
            fast += 1
        }
        // The subset is common enough that many generated inputs stay on the fast path, and the
        // rest (errors, nesting, anchors, tags, duplicates) fall back.
        XCTAssertGreaterThan(fast, 300)
        XCTAssertLessThan(fast, inputs.count)
    }

    func testBothPathsAgreeOnTheProjectsOwnDocuments() throws {
        var files = 0, fast = 0
        for folder in ["postmortems", "examples", "Tests/Fixtures"] {
            let url = Repository.root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where file.pathExtension == "md" {
                let bytes = try [UInt8](Data(contentsOf: file))
                // Fixtures of archives without front-matter have nothing to compare.
                guard bytes.starts(with: Array("---".utf8)) || bytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("---".utf8)) else { continue }
                files += 1
                if compare(file: bytes, name: file.path) { fast += 1 }
            }
        }
        XCTAssertGreaterThan(files, 20)
        XCTAssertGreaterThan(fast, files / 2)
    }

    func testPlainFrontMatterTakesTheFastPath() {
        let text = "---\ntitle: Checkout latency\ndate: 2025-03-04\nservices: [checkout, search]\ntags:\n  - cache\n  - \"eviction\"\n---\n"
        XCTAssertTrue(compare(file: Array(text.utf8), name: "plain"))
    }

    func testDuplicateKeysDeepNestingAndErrorsFallBackWithTheFullPathsProblem() {
        let deep = "---\nx: " + String(repeating: "[", count: YAMLEventFastPath.maxDepth + 1) + String(repeating: "]", count: YAMLEventFastPath.maxDepth + 1) + "\n---\n"
        for text in ["---\ntitle: a\ntitle: b\n---\n", "---\nowner:\n  name: x\n  name: y\n---\n", "---\ntitle: [a\n---\n",
                     "---\nx: &a 1\ny: *a\n---\n", "---\nowner: !!map\n  name: x\n---\n", "---\n? [a]\n: b\n---\n", "---\n- a\n---\n", deep] {
            XCTAssertFalse(compare(file: Array(text.utf8), name: text), text)
        }
        let source = SourceText(bytes: Array("---\ntitle: a\ntitle: b\n---\n".utf8))
        XCTAssertEqual(outcome("title: a\ntitle: b\n", source: source, firstLine: 2, fastPath: true), "problem: duplicate key 'title' in mapping at 4")
    }

    /// Configuration and catalogue files (nested mappings, lists of mappings) take the fast path
    /// and give the full path's tree: every run reads both.
    func testConfigurationAndCatalogueShapesTakeTheFastPathWithTheFullPathsTree() throws {
        let shapes = [
            "postmortems: postmortems\nsite:\n  title: Benchmark archive\n  base_url: https://incidents.example.com/\n",
            "rules:\n  blameless/hindsight: off\n  causes/similar:\n    severity: info\nschema:\n  severities: [P0, P1, P2]\n  sections:\n    - name: Summary\n      aliases: [Overview, \"TL;DR\"]\n    - name: Impact\n",
            "alert-routing-gap:\n  title: \"Alert routed to nobody\"\n  description: >-\n    An alert fired.\n    Seen at the edge.\n  category: monitoring\n  aliases: [alert-routing-gap-edge]\n\ncache-stampede:\n  title: 'Stampede'\n",
            "a:\n  b:\n    c:\n      - d: [e, {f: g}]\n        h: |\n          literal\n      - ~\n  i: {}\n  j: []\n",
            "naïve:\n  clé: \"é\"\n  list:\n  - x\n  -\n  - y\n",
        ]
        for (index, yaml) in shapes.enumerated() {
            let text = "---\n" + yaml + "---\n"
            XCTAssertTrue(compare(file: Array(text.utf8), name: "shape \(index)"), "shape \(index) left the fast path")
        }
        var files = 0
        for path in ["postmortems/causes.yml", "examples/broken/causes.yml", "examples/broken/inquest.yml",
                     "Tests/Fixtures/holdout-archives/irish/inquest.yml", "Tests/Fixtures/holdout-archives/shanghai/inquest.yml"] {
            guard let data = FileManager.default.contents(atPath: Repository.root.appendingPathComponent(path).path) else { continue }
            files += 1
            let source = SourceText(bytes: [UInt8](data))
            let text = source.string(0..<source.bytes.count)
            XCTAssertEqual(outcome(text, source: source, firstLine: 1, fastPath: true),
                           outcome(text, source: source, firstLine: 1, fastPath: false), path)
        }
        XCTAssertGreaterThan(files, 2)
    }
}

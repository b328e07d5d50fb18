import Foundation
import XCTest
@testable import InquestCore

/// Inline fixtures: `⟦` and `⟧` mark the exact range a diagnostic must underline.
enum Marked {
    /// Strips the markers and returns the ranges they enclosed (1-based, end exclusive, scalar columns).
    static func parse(_ marked: String) -> (text: String, ranges: [SourceRange]) {
        var text = ""
        var ranges: [SourceRange] = []
        var line = 1, column = 1
        var open: [SourcePosition] = []
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "⟦": open.append(SourcePosition(line: line, column: column))
            case "⟧": ranges.append(SourceRange(start: open.removeLast(), end: SourcePosition(line: line, column: column)))
            default:
                text.unicodeScalars.append(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            }
        }
        return (text, ranges)
    }
}

/// Lints in-memory archives.
enum Lint {
    static let path = "postmortems/example.md"

    static func run(_ document: String, path: String = path, otherFiles: [String: String] = ExampleDocument.catalogueFiles,
                    configuration: Configuration = Configuration()) -> [Diagnostic] {
        run(files: [path: document].merging(otherFiles) { first, _ in first }, configuration: configuration, report: [path, configuration.causes])
    }

    static func run(files: [String: String], configuration: Configuration = Configuration(), report: Set<String>? = nil) -> [Diagnostic] {
        let documents = files.filter { PostmortemFiles.isPostmortem($0.key) }
            .map { RawDocument(path: $0.key, bytes: Array($0.value.utf8)) }
        let catalogue = files[configuration.causes].map { RawDocument(path: configuration.causes, bytes: Array($0.utf8)) }
        return Linter(configuration: configuration).lint(LintInput(documents: documents, catalogue: catalogue, reportPaths: report)).diagnostics
    }

    /// Runs a rule's example archive and returns that rule's diagnostics.
    static func run(_ example: RuleExample, rule: String) -> [Diagnostic] {
        run(example.document, otherFiles: example.otherFiles).filter { $0.rule == rule }
    }
}

/// Asserts that `rule` reports exactly the marked ranges in `marked` (and nothing else).
func assertRule(_ rule: String, _ marked: String, otherFiles: [String: String] = ExampleDocument.catalogueFiles,
                configuration: Configuration = Configuration(), file: StaticString = #filePath, line: UInt = #line) {
    let (text, expected) = Marked.parse(marked)
    let found = Lint.run(text, otherFiles: otherFiles, configuration: configuration).filter { $0.rule == rule }
    XCTAssertEqual(found.map(\.range), expected,
                   "\(rule): \(found.map { "\($0.range.start.line):\($0.range.start.column)-\($0.range.end.line):\($0.range.end.column) \($0.message)" })",
                   file: file, line: line)
}

/// Where the repository's files are, for fixtures and golden files.
enum Repository {
    static let root: URL = {
        // INQUEST_REPOSITORY_ROOT lets the tests run from a scratch package that links these sources.
        if let override = ProcessInfo.processInfo.environment["INQUEST_REPOSITORY_ROOT"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
}

import Foundation
import XCTest
@testable import InquestCore

/// Inline fixtures: `⟦` and `⟧` mark the exact range a diagnostic must underline.
public enum Marked {
    /// Strips the markers and returns the ranges they enclosed (1-based, end exclusive, scalar columns).
    public static func parse(_ marked: String) -> (text: String, ranges: [SourceRange]) {
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
public enum Lint {
    public static let path = "postmortems/example.md"

    public static func run(_ document: String, path: String = path, otherFiles: [String: String] = ExampleDocument.catalogueFiles,
                    configuration: Configuration = Configuration()) -> [Diagnostic] {
        run(files: [path: document].merging(otherFiles) { first, _ in first }, configuration: configuration, report: [path, configuration.causes])
    }

    public static func run(files: [String: String], configuration: Configuration = Configuration(), report: Set<String>? = nil) -> [Diagnostic] {
        let documents = files.filter { PostmortemFiles.isPostmortem($0.key) }
            .map { RawDocument(path: $0.key, bytes: Array($0.value.utf8)) }
        let catalogue = files[configuration.causes].map { RawDocument(path: configuration.causes, bytes: Array($0.utf8)) }
        var linter = prepared
        linter.configuration = configuration
        return linter.lint(LintInput(documents: documents, catalogue: catalogue, reportPaths: report)).diagnostics
    }

    /// `Linter()` with its blame-language analyzer built once for the whole run (``Linter/prepared()``,
    /// as the fuzzer and the language server lint): compiling the lexicon costs more than linting a
    /// small document. A configuration with other `blameless` settings gets its own analyzer.
    private static let prepared = Linter().prepared()

    /// Runs a rule's example archive and returns that rule's diagnostics.
    public static func run(_ example: RuleExample, rule: String) -> [Diagnostic] {
        run(example.document, otherFiles: example.otherFiles).filter { $0.rule == rule }
    }
}

/// Asserts that `rule` reports exactly the marked ranges in `marked` (and nothing else).
public func assertRule(_ rule: String, _ marked: String, otherFiles: [String: String] = ExampleDocument.catalogueFiles,
                configuration: Configuration = Configuration(), file: StaticString = #filePath, line: UInt = #line) {
    // Linting runs only registered rules: a rule missing from RuleRegistry would pass every
    // "does not fire" case silently, so say so here.
    XCTAssertNotNil(RuleRegistry.rule(rule), "\(rule) is not in RuleRegistry", file: file, line: line)
    let (text, expected) = Marked.parse(marked)
    let found = Lint.run(text, otherFiles: otherFiles, configuration: configuration).filter { $0.rule == rule }
    XCTAssertEqual(found.map(\.range), expected,
                   "\(rule): \(found.map { "\($0.range.start.line):\($0.range.start.column)-\($0.range.end.line):\($0.range.end.column) \($0.message)" })",
                   file: file, line: line)
}

/// Where the repository's files are, for fixtures and golden files.
public enum Repository {
    public static let root: URL = {
        // INQUEST_REPOSITORY_ROOT lets the tests run from a scratch package that links these sources.
        if let override = ProcessInfo.processInfo.environment["INQUEST_REPOSITORY_ROOT"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()
    public static let fixtures = root.appendingPathComponent("Tests/Fixtures")
}

/// Where the test helpers (``TemporaryFolder``, `GitTestRepository`, the CLI tests' archives) make
/// their scratch folders: `TMPDIR` when it is set, else `/dev/shm` when it is a writable RAM file
/// system with room to spare (Linux), else the system's temporary folder. The suite creates and
/// removes tens of thousands of small files (sites, git objects, caches); on a disk file system
/// that was about a sixth of its CPU time, in the kernel, and far more wall time on a busy disk.
public enum ScratchSpace {
    public static let url: URL = {
        let fallback = FileManager.default.temporaryDirectory
        if ProcessInfo.processInfo.environment["TMPDIR"] != nil { return fallback }
        var info = statvfs()
        // 2 GiB free: a container's small default /dev/shm (64 MB) is not used.
        guard statvfs("/dev/shm", &info) == 0, UInt64(info.f_bavail) * UInt64(info.f_frsize) >= 2 << 30,
              access("/dev/shm", W_OK | X_OK) == 0 else { return fallback }
        return URL(fileURLWithPath: "/dev/shm", isDirectory: true)
    }()
}

/// A temporary folder, removed when the value is released.
public final class TemporaryFolder {
    /// The folder, symlinks resolved (e.g. /tmp → /private/tmp on macOS) so paths compare equal to libgit2's.
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        let base = ScratchSpace.url.appendingPathComponent("inquest-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        url = base.resolvingSymlinksInPath()
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder.
    public func subpath(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The URL of a file or folder inside the folder (not created).
    public func appending(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// The `inquest` executable SwiftPM builds next to the test bundle (only InquestCLITests, which
/// depends on it, may run it).
public enum InquestBinary {
    /// The products folder: on Linux the bundle URL is the folder itself; on macOS the
    /// .xctest bundle inside it.
    public static var url: URL? {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.appendingPathComponent("inquest"), bundle.deletingLastPathComponent().appendingPathComponent("inquest")]
            + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("inquest") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

extension Diagnostic {
    /// The message as a ``Finding/Message`` value, so tests compare against a rule's declared
    /// message constructors (`.unknownField("x")`) rather than retyping its wording.
    public var typedMessage: Finding.Message { Finding.Message(message) }
}

/// CPU seconds the process spends in `body`, for scaling tests that compare a small and a large
/// input. CPU time, not wall-clock time: on a loaded machine a long run is preempted far more often
/// than a short one, which inflates wall-clock ratios; the CPU time of the work is what scales.
/// (XCTest runs one test at a time, so the process's CPU time is the test's.)
public func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start)
    try body()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end)
    return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

import Foundation
import InquestTestSupport
import XCTest

/// The git seal (CONTRIBUTING.md, Package.swift's diagram): libgit2 is reached only through
/// `InquestGit`, and `InquestGit` only from the core's git adapter (`Sources/InquestCore/Git/`),
/// which imports it `internal`ly so no libgit2 type can leak into the core's public API. The
/// compiler cannot stop a file elsewhere in the core, or a module above it that picks the module
/// up transitively, from importing it; this reads the import lines of every source file.
final class ModuleBoundaryTests: XCTestCase {
    static let gitModules: Set<String> = ["InquestGit", "CLibGit2", "CZlib"]

    /// (path relative to the repository, imported module, the whole import line) for every Swift file under Sources/.
    func imports() throws -> [(path: String, module: String, line: String)] {
        let sources = Repository.root.appendingPathComponent("Sources")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var found: [(String, String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = String(url.path.dropFirst(Repository.root.path.count + 1))
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ ["@testable", "internal", "public", "package", "private", "fileprivate", "@_implementationOnly"].contains($0) })
                else { continue }
                found.append((path, String(words[index + 1]), String(line)))
            }
        }
        return found
    }

    func testGitIsImportedOnlyByInquestGitAndTheCoresGitAdapter() throws {
        let all = try imports()
        XCTAssertTrue(all.contains { $0.path.hasPrefix("Sources/InquestCore/Git/") && $0.module == "InquestGit" }, "the scan finds the adapter's imports")
        for (path, module, _) in all where Self.gitModules.contains(module) {
            XCTAssertTrue(path.hasPrefix("Sources/InquestGit/") || (path.hasPrefix("Sources/InquestCore/Git/") && module == "InquestGit"),
                          "\(path) imports \(module): only InquestGit and Sources/InquestCore/Git/ may")
        }
    }

    func testTheAdapterImportsInquestGitInternally() throws {
        for (path, module, line) in try imports() where module == "InquestGit" && path.hasPrefix("Sources/InquestCore/") {
            XCTAssertTrue(line.hasPrefix("internal import "), "\(path): '\(line)' must be 'internal import InquestGit'")
        }
    }
}

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

    /// (path relative to the repository, imported module, the whole import line) for every Swift
    /// file under `folder` (Sources/ unless told).
    func imports(under folder: String = "Sources") throws -> [(path: String, module: String, line: String)] {
        // Read once per folder for the whole class: the tests only look at the lines.
        if let known = Self.scanned[folder] { return known }
        let found = try scanImports(under: folder)
        Self.scanned[folder] = found
        return found
    }

    nonisolated(unsafe) private static var scanned: [String: [(path: String, module: String, line: String)]] = [:]

    private func scanImports(under folder: String) throws -> [(path: String, module: String, line: String)] {
        let sources = Repository.root.appendingPathComponent(folder)
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var found: [(String, String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = String(url.path.dropFirst(Repository.root.path.count + 1))
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ ["@testable", "internal", "public", "package", "private", "fileprivate", "@_implementationOnly"].contains($0) })
                else { continue }
                let module = words[index + 1]
                // Import lines of other languages quoted in strings (`import json, sys`) are not Swift's.
                guard module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
                found.append((path, String(module), String(line)))
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

    /// Modules of the toolchain and platform, which no target declares.
    static let platformModules: Set<String> = ["Foundation", "FoundationNetworking", "FoundationXML", "XCTest", "Glibc", "Darwin",
                                               "Dispatch", "Synchronization"]

    /// A target of Package.swift: its name, the folder its sources are in, and what it declares it depends on.
    struct DeclaredTarget {
        var name: String
        var folder: String
        var dependencies: Set<String>
    }

    /// The targets of Package.swift, read from its text: each `.target(`, `.executableTarget(`,
    /// `.testTarget(` or `.systemLibrary(` call up to the next one, its `name:`, `path:` and the
    /// names in `dependencies: [...]` (target names and `.product(name:)` names).
    func declaredTargets() throws -> [DeclaredTarget] {
        let manifest = try String(contentsOf: Repository.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let body = try XCTUnwrap(manifest.range(of: "targets: [").map { String(manifest[$0.upperBound...]) })
        let call = try NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget|systemLibrary)\("#)
        let quoted = try NSRegularExpression(pattern: #"(package:\s*)?"([^"]+)""#)
        let text = body as NSString
        let starts = call.matches(in: body, range: NSRange(location: 0, length: text.length))
        return try starts.enumerated().map { index, match in
            let end = index + 1 < starts.count ? starts[index + 1].range.location : text.length
            let segment = text.substring(with: NSRange(location: match.range.location, length: end - match.range.location))
            func value(_ key: String) -> String? {
                guard let range = segment.range(of: key + #":\s*"[^"]+""#, options: .regularExpression) else { return nil }
                return segment[range].split(separator: "\"")[1].description
            }
            let name = try XCTUnwrap(value("name"), segment)
            let kind = text.substring(with: match.range(at: 1))
            let folder = value("path") ?? (kind == "testTarget" ? "Tests/" : "Sources/") + name
            var dependencies: Set<String> = []
            if let list = segment.range(of: "dependencies: [") {
                let rest = String(segment[list.upperBound...])
                let inside = String(rest.prefix { $0 != "]" })
                for found in quoted.matches(in: inside, range: NSRange(location: 0, length: (inside as NSString).length))
                where found.range(at: 1).location == NSNotFound {
                    dependencies.insert((inside as NSString).substring(with: found.range(at: 2)))
                }
            }
            return DeclaredTarget(name: name, folder: folder, dependencies: dependencies)
        }
    }

    /// Every module a target's files import is one it declares in Package.swift (or one the
    /// toolchain provides), so the manifest and its diagram show every real edge, test targets
    /// included; a module picked up transitively would build today and break when the chain moves.
    func testEveryImportedModuleIsADeclaredDependency() throws {
        let targets = try declaredTargets()
        let names = Set(targets.map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["InquestCore", "InquestCLI", "InquestTestSupport", "InquestCLITests", "inquest-fuzz"]),
                      "the manifest reader finds the targets: \(names.sorted())")
        let products = Set(targets.flatMap(\.dependencies)).subtracting(names)
        XCTAssertTrue(products.isSuperset(of: ["Yams", "ArgumentParser", "FlyingFox"]), "\(products.sorted())")
        var checkedFiles = 0
        for target in targets where FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent(target.folder).path) {
            let found = try imports(under: target.folder)
            checkedFiles += Set(found.map(\.path)).count
            for (path, module, _) in found where module != target.name && !Self.platformModules.contains(module) {
                // CYaml is the C parser inside Yams, which exports no product for it: declaring Yams declares it.
                let declared = module == "CYaml" ? target.dependencies.contains("Yams") : target.dependencies.contains(module)
                XCTAssertTrue(declared, "\(path) imports \(module), which the target \(target.name) does not declare in Package.swift")
            }
        }
        XCTAssertGreaterThan(checkedFiles, 100, "the scan reads the sources and tests")
    }
}

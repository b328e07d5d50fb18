import Foundation
import XCTest
import InquestTestSupport

/// The pre-commit framework recipe in docs/git.md points at a real commit that defines the hooks.
final class PreCommitHooksTests: XCTestCase {
    private func documentedRevision() throws -> String {
        let page = try CLI.read("docs/git.md", in: Repository.root)
        let line = try XCTUnwrap(page.components(separatedBy: "\n").first { $0.hasPrefix("  rev: ") }, "docs/git.md shows a rev:")
        return String(line.dropFirst("  rev: ".count))
    }

    func testTheDocumentedRevisionIsAFullShaNotATag() throws {
        let rev = try documentedRevision()
        XCTAssertEqual(rev.count, 40, rev)
        XCTAssertTrue(rev.allSatisfy(\.isHexDigit), rev)
    }

    func testTheDocumentedRevisionDefinesBothHooks() throws {
        let root = Repository.root
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) else {
            throw XCTSkip("not a git checkout")
        }
        if (try? CLI.git(["rev-parse", "--is-shallow-repository"], in: root))?.hasPrefix("true") == true {
            throw XCTSkip("shallow clone: the documented commit may not be fetched")
        }
        let rev = try documentedRevision()
        let hooks = try CLI.git(["show", "\(rev):.pre-commit-hooks.yaml"], in: root)
        for (id, language) in [("inquest-lint", "system"), ("inquest-lint-build", "swift")] {
            let entry = try XCTUnwrap(hooks.components(separatedBy: "\n- id: ").first { $0.hasPrefix(id + "\n") }, id)
            XCTAssertTrue(entry.contains("language: \(language)\n"), entry)
            XCTAssertTrue(entry.contains("entry: inquest lint --staged\n"), entry)
            XCTAssertTrue(entry.contains("pass_filenames: false\n"), entry)
        }
    }

    func testTheHookFileInTheTreeMatchesTheDocumentedOne() throws {
        let current = try CLI.read(".pre-commit-hooks.yaml", in: Repository.root)
        XCTAssertTrue(current.contains("- id: inquest-lint\n"))
        XCTAssertTrue(current.contains("- id: inquest-lint-build\n"))
        XCTAssertTrue(current.contains("language: swift\n"))
    }
}

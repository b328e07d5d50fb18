import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// `--changed-since BASE`: what counts as changed, what is reported, and `git/id-changed`.
final class GitChangedSinceTests: XCTestCase {
    private let a = "postmortems/2025/2025-01-10-a.md"
    private let b = "postmortems/2025/2025-02-10-b.md"
    private let c = "postmortems/2025/2025-03-10-c.md"
    private let d = "postmortems/2025/2025-04-10-d.md"

    /// main: a, b, c (final, with an invalid severity each so every document has a diagnostic), d (draft);
    /// then a `feature` branch is started from it.
    private func repository() throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        for path in [a, b, c] { try write(repo, path, ["severity": "SEV9"]) }
        try write(repo, d, ["status": "draft", "severity": "SEV9"])
        try repo.commitAll("Import the archive", as: .priya)
        try repo.checkout(newBranch: "feature")
        return repo
    }

    /// A postmortem whose summary names its file, so no two documents are identical (identical
    /// files make rename detection pair them arbitrarily, which real postmortems never are).
    private func write(_ repo: GitTestRepository, _ path: String, _ fields: [String: String?] = [:]) throws {
        let name = RawDocument(path: path, bytes: []).stem
        try repo.writePostmortem(path, fields: fields, sections: ["Summary": "The \(name) incident: the checkout cache evicted its hot set and latency rose for a while."])
    }

    private func reported(_ diagnostics: [Diagnostic]) -> Set<String> { Set(diagnostics.map(\.file)) }

    func testOnlyDocumentsChangedSinceTheMergeBaseAreReported() throws {
        let repo = try repository()
        try write(repo, a, ["severity": "SEV9", "title": "\"Checkout latency, revised\""])   // modified, committed
        try repo.commitAll("Revise a", as: .marcus)
        // main moves on after the branch point: its changes are not the branch's.
        try repo.checkout("main")
        try write(repo, c, ["severity": "SEV8"])
        try repo.commitAll("Edit c on main", as: .lena)
        try repo.checkout("feature")
        try write(repo, "postmortems/2025/2025-05-10-e.md", ["severity": "SEV9"])                          // untracked

        let plan = try GitLint.plan(repo.url, changedSince: "main")
        XCTAssertEqual(plan.input.reportPaths, [a, "postmortems/2025/2025-05-10-e.md"])
        XCTAssertEqual(reported(plan.lint().diagnostics), [a, "postmortems/2025/2025-05-10-e.md"])
        XCTAssertEqual(plan.git.base?.revision, "main")
        XCTAssertEqual(plan.git.base?.mergeBase, try repo.mergeBase("main", "feature"))
        XCTAssertEqual(plan.lint().summary.files, 2)

        // The alias target options: the index does not have the untracked file, the revision not the edit below.
        XCTAssertEqual(try GitLint.plan(repo.url, .index, changedSince: "main").input.reportPaths, [a])
        try write(repo, d, ["status": "draft", "severity": "SEV7"])
        XCTAssertEqual(try GitLint.plan(repo.url, .revision("feature"), changedSince: "main").input.reportPaths, [a])
        XCTAssertEqual(try GitLint.plan(repo.url, changedSince: "main").input.reportPaths,
                       [a, d, "postmortems/2025/2025-05-10-e.md"])
    }

    func testNothingChangedReportsNothing() throws {
        let repo = try repository()
        let result = try GitLint.plan(repo.url, changedSince: "main").lint()
        XCTAssertEqual(result.diagnostics, [])
        XCTAssertEqual(result.summary.files, 0)
    }

    func testArchiveWideChecksStillSeeEveryDocument() throws {
        let repo = try repository()
        // A new document reusing the id of an unchanged one.
        try write(repo, "postmortems/2025/2025-06-10-f.md", ["id": "2025-01-10-a"])
        let diagnostics = try GitLint.run(repo.url, changedSince: "main").rule("schema/duplicate-id")
        XCTAssertEqual(diagnostics.map(\.file), ["postmortems/2025/2025-06-10-f.md"], "only the changed document is reported")
        XCTAssertTrue(diagnostics[0].message.contains(a), diagnostics[0].message)
    }

    func testChangedSinceCombinedWithPathsReportsTheIntersection() throws {
        let repo = try repository()
        try write(repo, a, ["severity": "SEV8"])
        try write(repo, c, ["severity": "SEV8"])
        let plan = try GitLint.plan(repo.url, paths: [c, b], changedSince: "main")
        XCTAssertEqual(plan.input.reportPaths, [c])
    }

    func testChangedCatalogueIsReported() throws {
        let repo = try repository()
        try repo.write("postmortems/causes.yml", ExampleDocument.catalogue + "Bad Key: {}\n")
        let plan = try GitLint.plan(repo.url, changedSince: "main")
        // A catalogue change can break any document citing a cause: everything is reported.
        XCTAssertEqual(plan.input.reportPaths, [a, b, c, d, "postmortems/causes.yml"])
    }

    func testDeletionsRenamesAndConfigurationChangesReportTheWholeArchive() throws {
        let repo = try repository()
        try write(repo, "postmortems/2025/2025-06-10-e.md", ["related": "[2025-02-10-b]"])
        try repo.commitAll("Add e, related to b", as: .priya)
        try repo.checkout(newBranch: "drop-b")
        try repo.remove(b)
        try repo.commitAll("Remove b", as: .marcus)
        // e was not touched, but its related link to b broke: it is reported.
        let diagnostics = try GitLint.run(repo.url, changedSince: "feature")
        XCTAssertEqual(diagnostics.rule("links/related-unknown").map(\.file), ["postmortems/2025/2025-06-10-e.md"])

        try repo.checkout("feature")
        try repo.write("inquest.yml", "rules:\n  schema/invalid-value: warning\n")
        let plan = try GitLint.plan(repo.url, changedSince: "feature")
        XCTAssertEqual(plan.input.reportPaths?.count, 6, "a configuration change re-checks every document and the catalogue")
    }

    func testNestedArchiveReportsWorkspaceRelativePaths() throws {
        let repo = try GitTestRepository()
        try repo.write("incidents/inquest.yml", "")
        try repo.write("incidents/postmortems/causes.yml", ExampleDocument.catalogue)
        try repo.writePostmortem("incidents/postmortems/2025-01-10-a.md", fields: ["severity": "SEV9"])
        try repo.writePostmortem("postmortems/2025-01-10-outside.md")
        try repo.commitAll("Nested archive", as: .priya)
        try repo.checkout(newBranch: "feature")
        try repo.move("incidents/postmortems/2025-01-10-a.md", "incidents/postmortems/2025-01-10-renamed.md")
        try repo.writePostmortem("postmortems/2025-01-11-outside.md")
        let folder = repo.url.appendingPathComponent("incidents")
        for selection in [DocumentSourceSelection.workingTree, .index] {
            let plan = try GitLint.plan(folder, selection, changedSince: "main")
            // A rename can break links elsewhere, so the whole (nested) archive is reported.
            XCTAssertEqual(plan.input.reportPaths, ["postmortems/2025-01-10-renamed.md", "postmortems/causes.yml"], "\(selection)")
            XCTAssertEqual(plan.git.base?.documents["postmortems/2025-01-10-renamed.md"]?.path, "postmortems/2025-01-10-a.md")
            XCTAssertEqual(plan.lint().diagnostics.rule("git/id-changed").map(\.file), ["postmortems/2025-01-10-renamed.md"])
        }
    }

    func testUnknownBaseAndUnrelatedHistoriesAreClearErrors() throws {
        let repo = try repository()
        XCTAssertThrowsError(try GitLint.plan(repo.url, changedSince: "origin/main")) { error in
            XCTAssertEqual((error as? SourceError)?.message,
                           "unknown revision 'origin/main' for --changed-since: not a branch, tag or commit in this repository (if it is a remote branch, fetch it first: git fetch origin main)")
        }
        try repo.checkout(orphan: "unrelated")
        try repo.commitAll("Unrelated root", as: .lena)
        XCTAssertThrowsError(try GitLint.plan(repo.url, changedSince: "main")) { error in
            XCTAssertTrue((error as? SourceError)?.message.contains("have no common ancestor") == true, "\(error)")
        }
    }

    // MARK: git/id-changed

    func testRenamingAFinalPostmortemIsAnError() throws {
        let repo = try repository()
        try repo.move(a, "postmortems/2025/2025-01-10-renamed.md")
        let diagnostics = try GitLint.run(repo.url, changedSince: "main")
        let found = diagnostics.rule("git/id-changed")
        XCTAssertEqual(found.map(\.file), ["postmortems/2025/2025-01-10-renamed.md"])
        XCTAssertEqual(found.first?.severity, .error)
        XCTAssertEqual(found.first?.range.start.line, 1, "no id: line, so line 1")
        XCTAssertEqual(found.first?.message,
                       "id changed from '2025-01-10-a' to '2025-01-10-renamed' after the postmortem was published (it was renamed from \(a)); links to the old permalink break")
        XCTAssertEqual(found.first?.suggestion, "keep the published id: set 'id: 2025-01-10-a' in the front-matter")
        // Staged and committed renames are caught too.
        try repo.commit("Rename a", as: .marcus)
        XCTAssertEqual(try GitLint.run(repo.url, .revision("HEAD"), changedSince: "main").rule("git/id-changed").count, 1)
        XCTAssertEqual(try GitLint.run(repo.url, .index, changedSince: "main").rule("git/id-changed").count, 1)
    }

    func testEditingTheIDOfAFinalPostmortemIsAnErrorAtTheIDLine() throws {
        let repo = try repository()
        try write(repo, b, ["severity": "SEV9", "id": "queue-backlog"])
        let found = try GitLint.run(repo.url, changedSince: "main").rule("git/id-changed")
        XCTAssertEqual(found.count, 1)
        let line = try repo.read(b).split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("id:") }! + 1
        XCTAssertEqual(found.first?.range.start, SourcePosition(line: line, column: 5))
        XCTAssertTrue(found.first?.message.contains("its 'id:' was edited") == true)
    }

    func testIDChangedFalsePositivesStaySilent() throws {
        let repo = try repository()
        // A draft may be renamed: it was never published.
        try repo.move(d, "postmortems/2025/2025-04-10-draft-renamed.md")
        // A final one renamed with its old id kept explicitly.
        try repo.move(c, "postmortems/2025/2025-03-10-c-renamed.md")
        let renamed = "postmortems/2025/2025-03-10-c-renamed.md"
        try repo.write(renamed, try repo.read(renamed).replacingOccurrences(of: "---\ntitle:", with: "---\nid: 2025-03-10-c\ntitle:"))
        // A final one edited without touching its id.
        try write(repo, a, ["severity": "SEV2"])
        // A new document and a copy are not id changes.
        try write(repo, "postmortems/2025/2025-06-10-new.md")
        try FileManager.default.copyItem(at: repo.url.appendingPathComponent(b), to: repo.url.appendingPathComponent("postmortems/2025/2025-02-11-copy.md"))
        let diagnostics = try GitLint.run(repo.url, changedSince: "main")
        XCTAssertEqual(diagnostics.rule("git/id-changed").map(\.file), [])
        // Without --changed-since there is no base, so nothing to compare with.
        try repo.move(a, "postmortems/2025/2025-01-10-renamed.md")
        XCTAssertEqual(try GitLint.run(repo.url).rule("git/id-changed").count, 0)
        XCTAssertEqual(try GitLint.run(repo.url, changedSince: "main").rule("git/id-changed").count, 1)
    }

    func testIDChangedCanBeSuppressedAndConfigured() throws {
        let repo = try repository()
        try repo.write("inquest.yml", "rules:\n  git/id-changed: warning\n")
        try repo.move(a, "postmortems/2025/2025-01-10-renamed.md")
        XCTAssertEqual(try GitLint.run(repo.url, changedSince: "main").rule("git/id-changed").map(\.severity), [.warning])
    }
}

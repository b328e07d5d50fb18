import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Shallow clones, detached HEAD, unborn branches, plain folders: all work, degrade with one note.
final class GitRepositoryStateTests: XCTestCase {
    private let a = "postmortems/2025/2025-01-10-a.md"
    private let b = "postmortems/2025/2025-02-10-b.md"

    private func repository(commits: Int = 3) throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem(a)
        try repo.commitAll("Add a", as: .priya)
        try repo.writePostmortem(b, fields: ["date": "2025-02-10"])
        try repo.commitAll("Add b", as: .marcus)
        for index in 0..<max(0, commits - 2) {
            try repo.writePostmortem(a, sections: ["Impact": "About \(index + 5)% of checkouts took longer than 5 s."])
            try repo.commitAll("Revise a (\(index))", as: .lena)
        }
        return repo
    }

    func testShallowCloneWorksAndSaysSoOnce() throws {
        let origin = try repository()
        let clone = try origin.clone("shallow", depth: 1)
        let plan = try GitLint.plan(clone.url)
        let history = try XCTUnwrap(plan.archive.history)
        XCTAssertTrue(history.isShallow)
        XCTAssertTrue(plan.git.isShallow)
        // Everything looks first published at the boundary commit: the very thing the note warns about.
        let head = try clone.sha("HEAD")
        XCTAssertEqual(history.documents[a]?.commits.map(\.sha), [head])
        XCTAssertEqual(history.documents[b]?.published?.sha, head)
        let notes = plan.lint().diagnostics.rule("git/shallow-history")
        XCTAssertEqual(notes.count, 1)
        XCTAssertEqual(notes.first?.file, a, "the first reported document")
        XCTAssertEqual(notes.first?.range.start, SourcePosition(line: 1, column: 1))
        XCTAssertEqual(notes.first?.severity, .info)
        XCTAssertEqual(notes.first?.typedMessage, .shallowHistory)
        // --rev and --staged work in a shallow clone too.
        XCTAssertEqual(try GitLint.run(clone.url, .revision("HEAD")).rule("git/shallow-history").count, 1)
        XCTAssertEqual(try GitLint.run(clone.url, .index).rule("git/shallow-history").count, 1)
        // A base outside the shallow history is a clear error that says how to fix it.
        XCTAssertThrowsError(try GitLint.plan(clone.url, changedSince: "HEAD~2")) { error in
            XCTAssertTrue((error as? SourceError)?.message.contains("fetch-depth: 0") == true, "\(error)")
        }
    }

    func testShallowNoteFollowsTheReportedDocuments() throws {
        let origin = try repository()
        let clone = try origin.clone("shallow", depth: 1)
        try clone.writePostmortem(b, fields: ["date": "2025-02-10", "severity": "SEV3"])
        let notes = try GitLint.run(clone.url, changedSince: "HEAD").rule("git/shallow-history")
        XCTAssertEqual(notes.map(\.file), [b], "attached to a document that is reported")
        // Nothing reported: no note either.
        try clone.restore(b)
        XCTAssertEqual(try GitLint.run(clone.url, changedSince: "HEAD"), [])
    }

    func testDetachedHeadWorks() throws {
        let repo = try repository()
        try repo.checkout(detached: "HEAD~1")
        let plan = try GitLint.plan(repo.url)
        let history = try XCTUnwrap(plan.archive.history)
        XCTAssertEqual(history.documents[a]?.commits.count, 1, "history up to the detached HEAD")
        XCTAssertEqual(try GitLint.run(repo.url, changedSince: "main").map(\.file), [])
        try repo.writePostmortem(b, fields: ["date": "2025-02-10", "severity": "SEV9"])
        XCTAssertEqual(Set(try GitLint.run(repo.url, changedSince: "main").map(\.file)), [b])
        XCTAssertEqual(try GitLint.run(repo.url, .index).rule("schema/invalid-value").count, 0)
    }

    func testUnbornBranchWorks() throws {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem(a, fields: ["severity": "SEV9"])
        let working = try GitLint.plan(repo.url)
        XCTAssertEqual(working.archive.history?.documents.count, 0, "a repository without commits has an empty history")
        XCTAssertNil(working.archive.history?.commitTime)
        XCTAssertTrue(working.git.hasRepository)
        XCTAssertEqual(working.git.authorNames, [])
        XCTAssertEqual(working.lint().diagnostics.rule("schema/invalid-value").count, 1)
        XCTAssertEqual(working.lint().diagnostics.filter { $0.rule.hasPrefix("git/") }, [])
        // Nothing staged yet, then staged.
        XCTAssertEqual(try GitLint.plan(repo.url, .index).input.documents.count, 0)
        try repo.addAll()
        XCTAssertEqual(try GitLint.run(repo.url, .index).rule("schema/invalid-value").count, 1)
        XCTAssertThrowsError(try GitLint.plan(repo.url, .revision("HEAD"))) { error in
            XCTAssertEqual((error as? SourceError)?.message, "unknown revision 'HEAD': not a branch, tag or commit in this repository")
        }
        XCTAssertThrowsError(try GitLint.plan(repo.url, changedSince: "main")) { error in
            XCTAssertNotNil(error as? SourceError)
        }
    }

    func testPlainFolderLintsAndNotesTheMissingRepository() throws {
        let folder = try GitTestRepository(plain: true)
        try folder.writeCatalogue()
        try folder.writePostmortem(b, fields: ["date": "2025-02-10"])
        try folder.writePostmortem(a)
        let plan = try GitLint.plan(folder.url)
        XCTAssertNil(plan.archive.history)
        XCTAssertFalse(plan.git.hasRepository)
        let notes = plan.lint().diagnostics.rule("git/no-repository")
        XCTAssertEqual(notes.map(\.file), [a])
        XCTAssertEqual(notes.first?.severity, .info)
        XCTAssertEqual(notes.first?.typedMessage, .noRepository)
        // Turned off with the setting that asks for git data, or by the rule's level.
        try folder.write("inquest.yml", "blameless:\n  git_authors: false\n")
        XCTAssertEqual(try GitLint.run(folder.url).rule("git/no-repository"), [])
        try folder.write("inquest.yml", "rules:\n  git/no-repository: off\n")
        XCTAssertEqual(try GitLint.run(folder.url).rule("git/no-repository"), [])
    }

    func testGitOptionsOutsideARepositoryAreClearErrors() throws {
        let folder = try GitTestRepository(plain: true)
        try folder.writePostmortem(a)
        for selection in [DocumentSourceSelection.revision("HEAD"), .index] {
            XCTAssertThrowsError(try GitLint.plan(folder.url, selection)) { error in
                XCTAssertEqual((error as? SourceError)?.message,
                               "\(selection.optionName) needs a git repository, and \(folder.path) is not inside one")
            }
        }
        XCTAssertThrowsError(try GitLint.plan(folder.url, changedSince: "main")) { error in
            XCTAssertEqual((error as? SourceError)?.message, "--changed-since needs a git repository, and \(folder.path) is not inside one")
        }
    }

    func testInMemoryLintingHasNoGitState() {
        // Linting without a plan (tests, the rule examples) involves no git: the git rules stay silent.
        let diagnostics = Lint.run(ExampleDocument.make())
        XCTAssertEqual(diagnostics.filter { $0.rule.hasPrefix("git/") }, [])
    }
}

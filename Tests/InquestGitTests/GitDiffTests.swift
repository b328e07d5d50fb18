import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

final class GitDiffTests: XCTestCase {
    private func sorted(_ deltas: [GitDelta]) -> [GitDelta] {
        deltas.sorted { ($0.newPath, $0.oldPath) < ($1.newPath, $1.oldPath) }
    }

    func testCommitToCommitDiffDetectsRenameAndModification() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(sorted(try repo.diff(from: oid(sample.c1), to: oid(sample.c3), under: "")), [
            GitDelta(status: .modified, oldPath: "docs/intro.md", newPath: "docs/intro.md"),
            GitDelta(status: .renamed, oldPath: "docs/guide.md", newPath: "docs/manual.md"),
        ])
    }

    func testCommitDiffIsRestrictedToPath() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.diff(from: oid(sample.c1), to: oid(sample.c7), under: "README.md"), [
            GitDelta(status: .modified, oldPath: "README.md", newPath: "README.md"),
        ])
        XCTAssertEqual(try repo.diff(from: oid(sample.c6), to: oid(sample.c7), under: "docs"), [])
        XCTAssertEqual(sorted(try repo.diff(from: oid(sample.c3), to: oid(sample.c6), under: "docs")), [
            GitDelta(status: .added, oldPath: "docs/feature.md", newPath: "docs/feature.md"),
            GitDelta(status: .modified, oldPath: "docs/intro.md", newPath: "docs/intro.md"),
            GitDelta(status: .modified, oldPath: "docs/manual.md", newPath: "docs/manual.md"),
        ])
    }

    func testDeletedFileBetweenCommits() throws {
        let sample = try SampleRepository()
        try sample.script.remove("src/main.c"); try sample.script.add("src/main.c")
        let removal = try sample.script.commit("Drop main.c", as: .carol)
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.diff(from: oid(sample.c7), to: oid(removal), under: ""), [
            GitDelta(status: .deleted, oldPath: "src/main.c", newPath: "src/main.c"),
        ])
    }

    /// Working tree: staged rename + staged new file, unstaged edit, unstaged deletion,
    /// a symlink replaced by a regular file, and untracked files in an untracked folder.
    private func makeDirtyWorkingTree(_ sample: SampleRepository) throws {
        let script = sample.script
        try script.move("src/main.c", "src/app.c")
        try script.write("docs/new.md", "New and staged\n")
        try script.add("docs/new.md")
        try script.write("docs/intro.md", "Intro\n\nUnstaged edit.\n")
        try script.remove("README.md")
        try script.remove("docs/link.md")
        try script.write("docs/link.md", "now a regular file\n")
        try script.write("notes/deep/todo.txt", "untracked\n")
    }

    func testDiffToWorkingTreeIncludesStagedUnstagedAndUntrackedChanges() throws {
        let sample = try SampleRepository()
        try makeDirtyWorkingTree(sample)
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(sorted(try repo.diff(from: oid(sample.c7), to: nil, under: "")), [
            GitDelta(status: .deleted, oldPath: "README.md", newPath: "README.md"),
            GitDelta(status: .modified, oldPath: "docs/intro.md", newPath: "docs/intro.md"),
            GitDelta(status: .typechange, oldPath: "docs/link.md", newPath: "docs/link.md"),
            GitDelta(status: .added, oldPath: "docs/new.md", newPath: "docs/new.md"),
            GitDelta(status: .added, oldPath: "notes/deep/todo.txt", newPath: "notes/deep/todo.txt"),
            GitDelta(status: .renamed, oldPath: "src/main.c", newPath: "src/app.c"),
        ])
    }

    func testDiffToWorkingTreeUnderFolder() throws {
        let sample = try SampleRepository()
        try makeDirtyWorkingTree(sample)
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(sorted(try repo.diff(from: oid(sample.c7), to: nil, under: "notes")), [
            GitDelta(status: .added, oldPath: "notes/deep/todo.txt", newPath: "notes/deep/todo.txt"),
        ])
        XCTAssertEqual(sorted(try repo.diff(from: oid(sample.c7), to: nil, under: "docs")).map(\.newPath),
                       ["docs/intro.md", "docs/link.md", "docs/new.md"])
    }

    func testUnstagedMoveOfTrackedFileIsARenameInWorkingTreeDiff() throws {
        let sample = try SampleRepository()
        try FileManager.default.moveItem(atPath: sample.path + "/docs/manual.md", toPath: sample.path + "/docs/handbook.md")
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.diff(from: oid(sample.c7), to: nil, under: "docs"), [
            GitDelta(status: .renamed, oldPath: "docs/manual.md", newPath: "docs/handbook.md"),
        ])
    }

    func testDiffToIndexShowsOnlyStagedChanges() throws {
        let sample = try SampleRepository()
        try makeDirtyWorkingTree(sample)
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(sorted(try repo.diffToIndex(from: oid(sample.c7), under: "")), [
            GitDelta(status: .added, oldPath: "docs/new.md", newPath: "docs/new.md"),
            GitDelta(status: .renamed, oldPath: "src/main.c", newPath: "src/app.c"),
        ])
        XCTAssertEqual(try repo.diffToIndex(from: oid(sample.c7), under: "docs"), [
            GitDelta(status: .added, oldPath: "docs/new.md", newPath: "docs/new.md"),
        ])
    }

    func testCleanWorkingTreeHasNoDelta() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.diff(from: oid(sample.c7), to: nil, under: ""), [])
        XCTAssertEqual(try repo.diffToIndex(from: oid(sample.c7), under: ""), [])
    }

    func testIndexEntriesListStagedBlobsNotWorkingTreeEdits() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        // Read once before the edits: the index must be re-read from disk afterwards.
        XCTAssertEqual(try repo.indexEntries(under: "docs").map(\.path),
                       ["docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md"])
        try makeDirtyWorkingTree(sample)

        let entries = try repo.indexEntries(under: "docs")
        XCTAssertEqual(entries.map(\.path), ["docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md", "docs/new.md"])
        let intro = try XCTUnwrap(entries.first { $0.path == "docs/intro.md" })
        XCTAssertEqual(String(decoding: try repo.blob(intro.oid), as: UTF8.self), "Intro\n\nThird version.\n",
                       "the unstaged edit is not in the index")
        let staged = try XCTUnwrap(entries.first { $0.path == "docs/new.md" })
        XCTAssertEqual(String(decoding: try repo.blob(staged.oid), as: UTF8.self), "New and staged\n")
        XCTAssertTrue(try XCTUnwrap(entries.first { $0.path == "docs/link.md" }).isSymlink, "unstaged typechange")

        XCTAssertEqual(try repo.indexEntries(under: "").map(\.path), [
            ".mailmap", "README.md", "docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md", "docs/new.md",
            "src/app.c",
        ], "submodule skipped, staged rename visible, unstaged deletion still staged")
    }

    func testIndexEntriesSkipConflictStages() throws {
        let sample = try SampleRepository()
        let script = sample.script
        try script.checkout(newBranch: "left", at: sample.c7)
        try script.write("docs/intro.md", "left\n")
        try script.stageTracked(); _ = try script.commit("left", as: .alice)
        try script.checkout(newBranch: "right", at: sample.c7)
        try script.write("docs/intro.md", "right\n")
        try script.stageTracked(); _ = try script.commit("right", as: .alice)
        XCTAssertThrowsError(try script.merge("left", as: .alice), "the merge conflicts")
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.indexEntries(under: "docs").map(\.path),
                       ["docs/feature.md", "docs/link.md", "docs/manual.md"])
    }
}

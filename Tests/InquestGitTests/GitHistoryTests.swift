import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

final class GitHistoryTests: XCTestCase {
    func testHistoryAttributesCommitsAcrossRenameAndMerge() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "", from: oid(sample.c7))

        XCTAssertEqual(Set(history.keys), [
            ".mailmap", "README.md", "docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md", "src/main.c",
        ])
        let manual = try XCTUnwrap(history["docs/manual.md"])
        XCTAssertEqual(manual.path, "docs/manual.md")
        XCTAssertEqual(manual.commits.map(\.oid.hex), [sample.c6, sample.c4, sample.c3, sample.c1],
                       "merge (vs first parent), branch edit, rename, and the add under the old name")
        XCTAssertEqual(manual.contributors, ["Alice Archer", "Carol Chen", "Bob Builder"])
        XCTAssertEqual(manual.renames.map(\.from), ["docs/guide.md"])
        XCTAssertEqual(manual.renames.map(\.to), ["docs/manual.md"])
        XCTAssertEqual(manual.renames.first?.commit.oid.hex, sample.c3)
        XCTAssertEqual(manual.firstCommit.oid.hex, sample.c1)
        XCTAssertEqual(manual.firstCommit.summary, "Initial import")
        XCTAssertEqual(manual.lastCommit.oid.hex, sample.c6)
        XCTAssertEqual(manual.lastCommit.shortSHA, String(sample.c6.prefix(7)))

        let intro = try XCTUnwrap(history["docs/intro.md"])
        XCTAssertEqual(intro.commits.map(\.oid.hex), [sample.c5, sample.c2, sample.c1])
        XCTAssertEqual(intro.commits.map(\.authorName), ["Alice Archer", "Bob Builder", "Alice Archer"],
                       "Bobby is mailmapped to Bob Builder")
        XCTAssertEqual(intro.commits[1].authorTime, GitTime(secondsSinceEpoch: 1_700_086_400, offsetMinutes: 120))
        XCTAssertEqual(intro.contributors, ["Alice Archer", "Bob Builder"])
        XCTAssertEqual(intro.renames, [])

        let feature = try XCTUnwrap(history["docs/feature.md"])
        XCTAssertEqual(feature.commits.map(\.oid.hex), [sample.c6, sample.c4])
        XCTAssertEqual(feature.contributors, ["Bob Builder", "Alice Archer"])

        let readme = try XCTUnwrap(history["README.md"])
        XCTAssertEqual(readme.commits.map(\.oid.hex), [sample.c7, sample.c1])
        XCTAssertEqual(readme.lastCommit.authorName, "dependabot[bot]")
        XCTAssertEqual(readme.lastCommit.summary, "Bump badge")

        XCTAssertEqual(history["docs/link.md"]?.commits.map(\.oid.hex), [sample.c1])
        XCTAssertEqual(history["src/main.c"]?.commits.map(\.oid.hex), [sample.c1])
    }

    func testHistoryUnderFolderWithPredicateOnlyReturnsMatchingFiles() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "docs", from: oid(sample.c7)) { path in
            path.hasSuffix(".md") && !path.hasSuffix("link.md")
        }
        XCTAssertEqual(Set(history.keys), ["docs/feature.md", "docs/intro.md", "docs/manual.md"])
        XCTAssertEqual(history["docs/manual.md"]?.commits.count, 4)
        XCTAssertEqual(history["docs/manual.md"]?.renames.count, 1)
    }

    func testHistoryFromOlderCommitSeesOldNames() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "docs", from: oid(sample.c2))
        XCTAssertEqual(Set(history.keys), ["docs/guide.md", "docs/intro.md", "docs/link.md"])
        XCTAssertEqual(history["docs/intro.md"]?.commits.map(\.oid.hex), [sample.c2, sample.c1])
    }

    func testRenameChainAndReusedOldNameAreAttributedToTheRightCurrentFile() throws {
        let sample = try SampleRepository()
        let script = sample.script
        let body = (1...20).map { "Line \($0) of the story that moves around.\n" }.joined()
        try script.write("notes/a.md", body)
        try script.addAll()
        let r1 = try script.commit("Add a", as: .alice)
        try script.write("notes/a.md", body + "Edited.\n")
        try script.addAll()
        let r2 = try script.commit("Edit a", as: .bob)
        try script.move("notes/a.md", "notes/b.md")
        let r3 = try script.commit("Rename a to b", as: .carol)
        try script.write("notes/b.md", body + "Edited.\nAgain.\n")
        try script.addAll()
        let r4 = try script.commit("Edit b", as: .alice)
        try script.move("notes/b.md", "notes/c.md")
        let r5 = try script.commit("Rename b to c", as: .bob)
        try script.write("notes/a.md", "A brand new file that reuses the old name.\n")
        try script.addAll()
        let r6 = try script.commit("New a", as: .carol)
        try script.write("notes/a.md", "A brand new file that reuses the old name, edited.\n")
        try script.addAll()
        let r7 = try script.commit("Edit new a", as: .carol)

        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "notes", from: oid(r7))
        XCTAssertEqual(Set(history.keys), ["notes/a.md", "notes/c.md"])
        let c = try XCTUnwrap(history["notes/c.md"])
        XCTAssertEqual(c.commits.map(\.oid.hex), [r5, r4, r3, r2, r1])
        XCTAssertEqual(c.renames.map { "\($0.from) -> \($0.to) @\($0.commit.oid.hex)" },
                       ["notes/b.md -> notes/c.md @\(r5)", "notes/a.md -> notes/b.md @\(r3)"])
        XCTAssertEqual(c.contributors, ["Alice Archer", "Bob Builder", "Carol Chen"])
        XCTAssertEqual(history["notes/a.md"]?.commits.map(\.oid.hex), [r7, r6])
        XCTAssertEqual(history["notes/a.md"]?.contributors, ["Carol Chen"])
    }

    func testFileMovedIntoFolderFromOutsideStartsItsHistoryThereUnlessWholeTreeIsWalked() throws {
        let sample = try SampleRepository()
        try sample.script.move("src/main.c", "docs/main.c")
        let move = try sample.script.commit("Move main.c into docs", as: .carol)
        let repo = try GitRepository.open(path: sample.path)

        let docs = try repo.history(under: "docs", from: oid(move))
        XCTAssertEqual(docs["docs/main.c"]?.commits.map(\.oid.hex), [move])
        XCTAssertEqual(docs["docs/main.c"]?.renames, [])

        let all = try repo.history(under: "", from: oid(move))
        XCTAssertEqual(all["docs/main.c"]?.commits.map(\.oid.hex), [move, sample.c1])
        XCTAssertEqual(all["docs/main.c"]?.renames.map(\.from), ["src/main.c"])
    }

    func testShallowCloneHistoryStopsAtBoundaryWithoutError() throws {
        let sample = try SampleRepository()
        let clonePath = sample.folder.subpath("shallow")
        _ = try sample.script.clone((clonePath as NSString).lastPathComponent, depth: 1)
        let repo = try GitRepository.open(path: clonePath)
        XCTAssertTrue(repo.isShallow)
        let head = try XCTUnwrap(try repo.headCommit())
        XCTAssertEqual(head.hex, sample.c7)
        XCTAssertEqual(try repo.commitInfo(head).parents.map(\.hex), [sample.c6], "the parent id is recorded, the object is absent")

        let history = try repo.history(under: "", from: head)
        XCTAssertEqual(history.count, 7)
        for (path, file) in history {
            XCTAssertEqual(file.commits.map(\.oid.hex), [sample.c7], path)
        }
        XCTAssertEqual(try repo.authorNames(), [], "only the bot's commit is present")
    }

    func testShallowCloneOfDepthTwoTreatsMergeAtBoundaryAsAddingEverything() throws {
        let sample = try SampleRepository()
        let clonePath = sample.folder.subpath("shallow2")
        _ = try sample.script.clone((clonePath as NSString).lastPathComponent, depth: 2)
        let repo = try GitRepository.open(path: clonePath)
        XCTAssertTrue(repo.isShallow)
        let history = try repo.history(under: "", from: try repo.resolve("HEAD"))
        XCTAssertEqual(history["README.md"]?.commits.map(\.oid.hex), [sample.c7, sample.c6])
        XCTAssertEqual(history["docs/manual.md"]?.commits.map(\.oid.hex), [sample.c6])
        XCTAssertEqual(history["docs/manual.md"]?.renames, [])
        XCTAssertEqual(try repo.authorNames(), ["Alice Archer"])
        XCTAssertEqual(try repo.resolve("HEAD~1").hex, sample.c6)
    }

    func testHistoryOfMissingFolderIsEmpty() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.history(under: "nowhere", from: oid(sample.c7)), [:])
    }
}

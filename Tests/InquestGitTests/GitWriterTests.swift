import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

final class GitWriterTests: XCTestCase {
    private let publisher = GitSignature(
        name: "Inquest Publisher", email: "publisher@example.com",
        time: GitTime(secondsSinceEpoch: 1_710_000_000, offsetMinutes: -300)
    )

    private let site: [(path: String, contents: [UInt8])] = [
        (path: "index.html", contents: Array("<h1>Archive</h1>\n".utf8)),
        (path: "css/site.css", contents: Array("body { margin: 0 }\n".utf8)),
        (path: "incidents/2024/outage.html", contents: Array("<p>Outage</p>\n".utf8)),
        (path: ".nojekyll", contents: []),
    ]

    func testWriteTreeAndCommitCreateBranchWithExactlyTheFilesWithoutCheckout() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let tree = try repo.writeTree(files: site)
        let commit = try repo.commit(tree: tree, parents: [], message: "Publish archive\n",
                                     updateRef: "refs/heads/gh-pages", author: publisher)

        XCTAssertEqual(try repo.referenceTarget("refs/heads/gh-pages"), commit)
        XCTAssertEqual(try repo.treeOfCommit(commit), tree)
        let files = try repo.files(at: commit, under: "")
        XCTAssertEqual(files.map(\.path), [".nojekyll", "css/site.css", "incidents/2024/outage.html", "index.html"])
        XCTAssertEqual(try repo.blob(try XCTUnwrap(files.last).oid), Array("<h1>Archive</h1>\n".utf8))
        XCTAssertEqual(try repo.blob(try XCTUnwrap(files.first).oid), [])

        let info = try repo.commitInfo(commit)
        XCTAssertEqual(info.authorName, "Inquest Publisher")
        XCTAssertEqual(info.authorTime, publisher.time)
        XCTAssertEqual(info.committerEmail, "publisher@example.com")
        XCTAssertEqual(info.summary, "Publish archive")
        XCTAssertEqual(info.parents, [])

        // The branch has exactly these files, and HEAD, index and working tree are untouched
        // (that git itself accepts the objects is GitInteropTests' `git fsck`).
        XCTAssertEqual(try sample.script.files(at: "gh-pages"), [".nojekyll", "css/site.css", "incidents/2024/outage.html", "index.html"])
        XCTAssertEqual(try sample.script.sha("HEAD"), sample.c7)
        XCTAssertEqual(try sample.script.status(), [])
        XCTAssertNil(try repo.mergeBase(oid(sample.c7), commit), "an orphan branch shares no history")
    }

    func testRewritingSameFilesGivesSameTreeSoUnchangedPublishCanBeSkipped() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let first = try repo.commit(tree: try repo.writeTree(files: site), parents: [], message: "Publish",
                                    updateRef: "refs/heads/gh-pages", author: publisher)

        let again = try repo.writeTree(files: site.reversed())
        XCTAssertEqual(again, try repo.treeOfCommit(first), "same files in any order give the same tree")

        var changed = site
        changed[0].contents = Array("<h1>Archive v2</h1>\n".utf8)
        let newTree = try repo.writeTree(files: changed)
        XCTAssertNotEqual(newTree, try repo.treeOfCommit(first))
        let second = try repo.commit(tree: newTree, parents: [first], message: "Publish v2",
                                     updateRef: "refs/heads/gh-pages", author: publisher)
        XCTAssertEqual(try repo.referenceTarget("refs/heads/gh-pages"), second)
        XCTAssertEqual(try repo.commitInfo(second).parents, [first])
        XCTAssertEqual(try repo.history(under: "", from: second)["index.html"]?.commits.map(\.oid), [second, first])
    }

    func testCommitRefusesToMoveBranchWhoseTipIsNotTheFirstParent() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let tree = try repo.writeTree(files: site)
        let first = try repo.commit(tree: tree, parents: [], message: "Publish",
                                    updateRef: "refs/heads/gh-pages", author: publisher)
        XCTAssertThrowsError(try repo.commit(tree: tree, parents: [oid(sample.c7)], message: "Stale",
                                             updateRef: "refs/heads/gh-pages", author: publisher)) { error in
            XCTAssertEqual((error as? GitError)?.operation.hasPrefix("git_commit_create"), true)
        }
        XCTAssertEqual(try repo.referenceTarget("refs/heads/gh-pages"), first)
    }

    func testCommitWithoutRefLeavesReferencesAlone() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let commit = try repo.commit(tree: try repo.writeTree(files: site), parents: [oid(sample.c7)],
                                     message: "Dangling", updateRef: nil, author: publisher)
        XCTAssertEqual(try repo.commitInfo(commit).parents, [oid(sample.c7)])
        XCTAssertEqual(try repo.headCommit(), oid(sample.c7))
        XCTAssertNil(try repo.referenceTarget("refs/heads/gh-pages"))
    }

    func testWriteTreeRejectsPathsEscapingTheTree() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        for path in ["../outside.html", ".git/config", "a/../../b"] {
            XCTAssertThrowsError(try repo.writeTree(files: [(path: path, contents: [1])]), path)
        }
    }

    func testWriteTreeWorksInBareRepository() throws {
        let sample = try SampleRepository()
        let barePath = sample.folder.subpath("site.git")
        _ = try sample.script.clone((barePath as NSString).lastPathComponent, bare: true)
        let repo = try GitRepository.open(path: barePath)
        let commit = try repo.commit(tree: try repo.writeTree(files: site), parents: [], message: "Publish",
                                     updateRef: "refs/heads/gh-pages", author: publisher)
        XCTAssertEqual(try repo.files(at: commit, under: "css").map(\.path), ["css/site.css"])
    }
}

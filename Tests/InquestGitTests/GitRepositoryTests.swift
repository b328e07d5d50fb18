import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

func oid(_ hex: String, file: StaticString = #filePath, line: UInt = #line) -> GitOID {
    guard let oid = GitOID(hex: hex) else {
        XCTFail("not a sha: \(hex)", file: file, line: line)
        return GitOID(hex: String(repeating: "0", count: 40))!
    }
    return oid
}

final class GitRepositoryTests: XCTestCase {
    // MARK: Opening and properties

    func testDiscoverFromSubfolderFindsWorkingTreeRoot() throws {
        let sample = try SampleRepository()
        let repo = try XCTUnwrap(try GitRepository.discover(from: sample.path + "/docs"))
        XCTAssertEqual(repo.workdir, sample.path)
        XCTAssertEqual(repo.gitDir, sample.path + "/.git")
        XCTAssertFalse(repo.isBare)
        XCTAssertFalse(repo.isShallow)
        XCTAssertFalse(repo.isHeadUnborn)
        XCTAssertFalse(repo.isHeadDetached)
    }

    func testDiscoverInPlainFolderReturnsNil() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.subpath("plain/nested"), withIntermediateDirectories: true)
        XCTAssertNil(try GitRepository.discover(from: folder.subpath("plain/nested")))
    }

    func testOpenPlainFolderThrowsNotFound() throws {
        let folder = try TemporaryFolder()
        XCTAssertThrowsError(try GitRepository.open(path: folder.path)) { error in
            let gitError = error as? GitError
            XCTAssertEqual(gitError?.isNotFound, true)
            XCTAssertEqual(gitError?.operation.hasPrefix("git_repository_open"), true)
            XCTAssertFalse(gitError?.message.isEmpty ?? true)
        }
    }

    func testUnbornRepositoryHasNoHeadCommitAndNoAuthors() throws {
        let script = try GitTestRepository()
        let repo = try GitRepository.open(path: script.path)
        XCTAssertTrue(repo.isHeadUnborn)
        XCTAssertFalse(repo.isHeadDetached)
        XCTAssertNil(try repo.headCommit())
        XCTAssertEqual(try repo.authorNames(), [])
        XCTAssertThrowsError(try repo.resolve("HEAD")) { error in
            XCTAssertNotNil(error as? GitError)
        }
    }

    func testBareCloneHasNoWorkdirButFullHistoryAndMailmapFromHead() throws {
        let sample = try SampleRepository()
        let barePath = sample.folder.subpath("bare.git")
        _ = try sample.script.clone((barePath as NSString).lastPathComponent, bare: true)
        let repo = try XCTUnwrap(try GitRepository.discover(from: barePath))
        XCTAssertTrue(repo.isBare)
        XCTAssertNil(repo.workdir)
        XCTAssertEqual(repo.gitDir, barePath)
        XCTAssertEqual(try repo.headCommit(), oid(sample.c7))
        // Without a working tree libgit2 reads .mailmap from HEAD.
        XCTAssertEqual(try repo.commitInfo(oid(sample.c2)).authorName, "Bob Builder")
        XCTAssertEqual(try repo.files(at: oid(sample.c7), under: "docs").map(\.path),
                       ["docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md"])
    }

    func testDetachedHeadIsReportedAndResolves() throws {
        let sample = try SampleRepository()
        try sample.script.checkout(detached: sample.c3)
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertTrue(repo.isHeadDetached)
        XCTAssertFalse(repo.isHeadUnborn)
        XCTAssertEqual(try repo.headCommit(), oid(sample.c3))
    }

    // MARK: Revisions

    func testResolvePeelsBranchesTagsShasAndAncestry() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.resolve("main"), oid(sample.c7))
        XCTAssertEqual(try repo.resolve("HEAD"), oid(sample.c7))
        XCTAssertEqual(try repo.resolve("feature"), oid(sample.c4))
        XCTAssertEqual(try repo.resolve("v1.0"), oid(sample.c3), "annotated tag peels to its commit")
        XCTAssertEqual(try repo.resolve("light"), oid(sample.c3))
        XCTAssertEqual(try repo.resolve(String(sample.c2.prefix(10))), oid(sample.c2))
        XCTAssertEqual(try repo.resolve(sample.c1), oid(sample.c1))
        XCTAssertEqual(try repo.resolve("HEAD~2"), oid(sample.c5), "first-parent ancestry through the merge")
        XCTAssertEqual(try repo.resolve("HEAD~1^2"), oid(sample.c4))
        XCTAssertThrowsError(try repo.resolve("no-such-branch")) { error in
            XCTAssertEqual((error as? GitError)?.isNotFound, true)
        }
    }

    func testResolveRemoteTrackingBranchInClone() throws {
        let sample = try SampleRepository()
        let clonePath = sample.folder.subpath("clone")
        _ = try sample.script.clone((clonePath as NSString).lastPathComponent)
        let repo = try GitRepository.open(path: clonePath)
        XCTAssertEqual(try repo.resolve("origin/main"), oid(sample.c7))
        XCTAssertEqual(try repo.resolve("origin/feature"), oid(sample.c4))
    }

    func testReferenceTargetIsNilForMissingReference() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.referenceTarget("refs/heads/feature"), oid(sample.c4))
        XCTAssertEqual(try repo.referenceTarget("refs/tags/v1.0"), oid(sample.c3))
        XCTAssertNil(try repo.referenceTarget("refs/heads/gh-pages"))
    }

    func testMergeBaseOfDivergedBranchesIsForkPoint() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.mergeBase(oid(sample.c5), oid(sample.c4)), oid(sample.c3))
        XCTAssertEqual(try repo.mergeBase(oid(sample.c7), oid(sample.c4)), oid(sample.c4))
    }

    func testMergeBaseOfUnrelatedHistoriesIsNil() throws {
        let sample = try SampleRepository()
        try sample.script.checkout(orphan: "other")
        try sample.script.clearIndex()
        try sample.script.write("other.txt", "unrelated\n")
        try sample.script.add("other.txt")
        let other = try sample.script.commit("Unrelated root", as: .carol)
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertNil(try repo.mergeBase(oid(sample.c7), oid(other)))
    }

    // MARK: Commits

    func testCommitInfoAppliesMailmapAndKeepsTimesAndParents() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)

        let c2 = try repo.commitInfo(oid(sample.c2))
        XCTAssertEqual(c2.oid, oid(sample.c2))
        XCTAssertEqual(c2.authorName, "Bob Builder", "mailmap maps Bobby <bob@old.example>")
        XCTAssertEqual(c2.authorEmail, "bob@example.com")
        XCTAssertEqual(c2.authorTime, GitTime(secondsSinceEpoch: 1_700_086_400, offsetMinutes: 120))
        XCTAssertEqual(c2.committerTime.secondsSinceEpoch, 1_700_086_400)
        XCTAssertEqual(c2.summary, "Reword intro")
        XCTAssertEqual(c2.parents, [oid(sample.c1)])

        let merge = try repo.commitInfo(oid(sample.c6))
        XCTAssertEqual(merge.parents, [oid(sample.c5), oid(sample.c4)])
        XCTAssertEqual(merge.summary, "Merge branch 'feature'")
        XCTAssertEqual(try repo.commitInfo(oid(sample.c1)).parents, [])
    }

    func testAuthorNamesAreUniqueMailmappedAndSkipBots() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.authorNames(), ["Alice Archer", "Bob Builder", "Carol Chen"])
        // The newest two commits are the bot's and Alice's merge.
        XCTAssertEqual(try repo.authorNames(limit: 2), ["Alice Archer"])
    }

    func testConfigStringReadsRepositoryConfigAndIsNilWhenMissing() throws {
        let sample = try SampleRepository()
        try sample.script.setConfig("user.name", "Dana Doe")
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(repo.configString("user.name"), "Dana Doe")
        XCTAssertEqual(repo.configString("core.bare"), "false")
        XCTAssertNil(repo.configString("inquest.missing"))
    }

    // MARK: Trees and blobs

    func testFilesListsBlobsRecursivelyFlagsSymlinksAndSkipsSubmodules() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let files = try repo.files(at: oid(sample.c7), under: "")
        XCTAssertEqual(files.map(\.path), [
            ".mailmap", "README.md", "docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md", "src/main.c",
        ])
        let link = try XCTUnwrap(files.first { $0.path == "docs/link.md" })
        XCTAssertTrue(link.isSymlink)
        XCTAssertEqual(link.mode, .symlink)
        XCTAssertEqual(try repo.blob(link.oid), Array("intro.md".utf8), "a symlink's blob is its target")
        XCTAssertEqual(files.filter(\.isSymlink).count, 1)
        XCTAssertEqual(files.first { $0.path == "README.md" }?.mode, .regular)
        XCTAssertEqual(try sample.script.blobSHA(sample.c7, "README.md"),
                       files.first { $0.path == "README.md" }?.oid.hex)
    }

    func testFilesUnderFolderFileAndMissingPath() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let head = oid(sample.c7)
        XCTAssertEqual(try repo.files(at: head, under: "docs/").map(\.path),
                       ["docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md"])
        XCTAssertEqual(try repo.files(at: oid(sample.c1), under: "./docs").map(\.path),
                       ["docs/guide.md", "docs/intro.md", "docs/link.md"])
        XCTAssertEqual(try repo.files(at: head, under: "docs/intro.md").map(\.path), ["docs/intro.md"])
        XCTAssertEqual(try repo.files(at: head, under: "nowhere"), [])
        XCTAssertEqual(try sample.script.mode(at: sample.c7, "vendor/lib"), 0o160000, "a gitlink")
        XCTAssertEqual(try repo.files(at: head, under: "vendor/lib"), [], "a submodule is not a file")
        XCTAssertEqual(try repo.files(at: head, under: "vendor"), [])
    }

    func testBlobReturnsExactBytes() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let intro = try XCTUnwrap(try repo.files(at: oid(sample.c2), under: "docs/intro.md").first)
        XCTAssertEqual(String(decoding: try repo.blob(intro.oid), as: UTF8.self), "Intro\n\nSecond version.\n")
    }

    func testGitOIDParsesFormatsAndAbbreviates() {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = oid(hex)
        XCTAssertEqual(id.hex, hex)
        XCTAssertEqual(id.short, "0123456")
        XCTAssertEqual(id.description, hex)
        XCTAssertEqual(id.bytes.count, 20)
        XCTAssertEqual(GitOID(hex: hex.uppercased()), id)
        XCTAssertNil(GitOID(hex: "0123"))
        XCTAssertNil(GitOID(hex: String(repeating: "z", count: 40)))
        XCTAssertEqual(Set([id, oid(hex)]).count, 1)
    }
}

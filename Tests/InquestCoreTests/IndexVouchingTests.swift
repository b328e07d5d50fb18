import Foundation
import InquestGit
import InquestTestSupport
import XCTest
@testable import InquestCore

/// The git index vouches for working-tree files the stat index does not know (a fresh clone, a
/// checkout of another branch, a CI cache restored into a new checkout): a file with the very stat
/// data git recorded, older than the index, with no filter, takes the index's blob id unread;
/// anything else — an edit, a racy entry, a filter, an untracked file — is read and hashed.
final class IndexVouchingTests: XCTestCase {
    private let paths = (1...4).map { String(format: "postmortems/2024-03-%02d-incident.md", $0) }
    /// The files' modification time when staged: a day ago.
    private let staged = Int(Date().timeIntervalSince1970) - 86_400

    /// A repository whose postmortems were staged with times a day old, so that the index file
    /// (written now) is strictly newer than each of them, as after a checkout.
    private func repository() throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        for path in paths { try repo.writePostmortem(path) }
        for path in paths { try setStagedTimes(repo, path) }
        try repo.commitAll("Add postmortems", as: .priya)
        // Setting the times moved each file's change time to now: the index file is dated ten
        // seconds on, as it is once time has passed since a checkout (a change time as new as the
        // index is racy; that case has a test of its own).
        let indexFile = repo.url.appendingPathComponent(".git/index").path
        let later = Int(Date().timeIntervalSince1970) + 10
        var times = [timespec(tv_sec: later, tv_nsec: 0), timespec(tv_sec: later, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, indexFile, &times, 0), 0)
        return repo
    }

    private func setStagedTimes(_ repo: GitTestRepository, _ path: String) throws {
        var times = [timespec(tv_sec: staged, tv_nsec: 123_456_789), timespec(tv_sec: staged, tv_nsec: 123_456_789)]
        XCTAssertEqual(utimensat(AT_FDCWD, repo.url.appendingPathComponent(path).path, &times, 0), 0)
    }

    /// Lists the postmortems through a fresh stat index (none on disk yet) that asks the git index.
    private func listing(_ repo: GitTestRepository, minimum: Int = 1) throws -> (documents: [RawDocument], statistics: StatIndex.Statistics) {
        let workspace = try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
        var index = StatIndex.beside(LintCache.location(root: repo.url, repository: workspace))
        try? FileManager.default.removeItem(at: index.url)
        // Asked however few files there are to hash (a command asks from a few hundred on).
        index.vouchingMinimum = minimum
        let source = WorkingTreeSource(root: repo.url).withStatIndex(index.vouched(by: workspace.workingTreeVouching()))
        let documents = try source.postmortemListing(under: "postmortems")
        return (documents, try XCTUnwrap((source as? WorkingTreeSource)?.statIndexStatistics))
    }

    private func blobID(_ repo: GitTestRepository, _ path: String) throws -> String {
        StatIndex.blobID(of: Array(try Data(contentsOf: repo.url.appendingPathComponent(path))))
    }

    func testFilesAsGitRecordedThemTakeTheIndexBlobIDsWithoutBeingRead() throws {
        let repo = try repository()
        let run = try listing(repo)
        XCTAssertEqual(run.statistics.vouched, 4)
        XCTAssertEqual(run.statistics.hashed, 0)
        XCTAssertFalse(run.documents.contains(where: \.isLoaded), "vouched files are not read")
        for document in run.documents { XCTAssertEqual(document.contentID, try blobID(repo, document.path), document.path) }
        // What was vouched for is in the stat index now: the next run trusts it, reading nothing.
        let workspace = try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
        let index = StatIndex.beside(LintCache.location(root: repo.url, repository: workspace))
        var info = stat()
        XCTAssertEqual(lstat(index.url.path, &info), 0, "the stat index was written")
    }

    func testFewerFilesToHashThanTheMinimumAreHashedWithoutAskingGit() throws {
        let repo = try repository()
        let run = try listing(repo, minimum: 5)
        XCTAssertEqual(run.statistics.vouched, 0)
        XCTAssertEqual(run.statistics.hashed, 4)
        XCTAssertEqual(try listing(repo, minimum: 4).statistics.vouched, 4)
    }

    func testAnEditAfterStagingIsHashedEvenWithTheSameSizeAndTimes() throws {
        let repo = try repository()
        let path = paths[1]
        let original = try repo.read(path)
        let edited = original.replacingOccurrences(of: "severity: SEV2", with: "severity: SEV3")
        XCTAssertNotEqual(edited, original)
        XCTAssertEqual(edited.utf8.count, original.utf8.count)
        try repo.write(path, edited)
        // The modification time put back as recorded: the change time still moved.
        try setStagedTimes(repo, path)
        let run = try listing(repo)
        XCTAssertEqual(run.statistics.vouched, 3)
        XCTAssertEqual(run.statistics.hashed, 1)
        XCTAssertEqual(run.documents.first { $0.path == path }?.contentID, StatIndex.blobID(of: Array(edited.utf8)))
    }

    func testEntriesAsNewAsTheIndexFileAreRacyAndHashed() throws {
        let repo = try repository()
        // The index file made older than every file: each entry could hide a same-tick change.
        let indexFile = repo.url.appendingPathComponent(".git/index").path
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, indexFile, &times, 0), 0)
        let run = try listing(repo)
        XCTAssertEqual(run.statistics.vouched, 0)
        XCTAssertEqual(run.statistics.hashed, 4)
    }

    func testFilesGitWouldFilterAreHashed() throws {
        // An end-of-line conversion for one folder's Markdown: its blob is not the file's bytes.
        let repo = try repository()
        try repo.write("postmortems/.gitattributes", "2024-03-0[12]-*.md text eol=crlf\n")
        let run = try listing(repo)
        XCTAssertEqual(run.statistics.hashed, 2, "the two files the attribute names")
        XCTAssertEqual(run.statistics.vouched, 2)
        for document in run.documents { XCTAssertEqual(document.contentID, try blobID(repo, document.path), document.path) }

        let converting = try repository()
        try converting.setConfig("core.autocrlf", "input")
        let byConfig = try listing(converting)
        XCTAssertEqual(byConfig.statistics.vouched, 0, "core.autocrlf=input converts every text file")
        XCTAssertEqual(byConfig.statistics.hashed, 4)
    }

    func testAnAttributesFileAnywhereBelowTheFolderMeansAskingFileByFile() throws {
        let repo = try repository()
        let git = try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
        let before = git.repository.mayFilterWorkingTreeBytes(under: "postmortems")
        try repo.write("postmortems/2024/deep/.gitattributes", "*.md ident\n")
        XCTAssertTrue(git.repository.mayFilterWorkingTreeBytes(under: "postmortems"))
        // Without one (and without global ones on this machine) a folder is answered at once.
        if !before {
            try repo.remove("postmortems/2024/deep/.gitattributes")
            XCTAssertFalse(git.repository.mayFilterWorkingTreeBytes(under: "postmortems"))
        }
    }

    func testUntrackedFilesAreHashed() throws {
        let repo = try repository()
        try repo.writePostmortem("postmortems/2024-03-20-untracked.md")
        let run = try listing(repo)
        XCTAssertEqual(run.statistics.vouched, 4)
        XCTAssertEqual(run.statistics.hashed, 1)
        XCTAssertEqual(run.documents.first { $0.path.hasSuffix("untracked.md") }?.contentID,
                       try blobID(repo, "postmortems/2024-03-20-untracked.md"))
    }
}

import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// `ArchiveHistory` from one history walk: dates, authors (mailmap, bots), renames, id changes.
final class GitHistoryMetadataTests: XCTestCase {
    /// The scripted history (one day apart, +0100):
    ///
    ///     c1 P. Raman (→ Priya Raman by .mailmap)  add checkout-latency.md (draft), keep.md (id: keep-me), catalogue
    ///     c2 Marcus   checkout-latency.md: status final
    ///     c3 Lena     git mv checkout-latency.md cache-eviction.md; git mv keep.md kept.md
    ///     c4 Marcus   on feature: edit cache-eviction.md, add 2025-05-01-queue.md
    ///     c5 Priya    on main: edit kept.md
    ///     c6 Priya    merge feature
    ///     c7 bot      edit cache-eviction.md
    ///     then: an untracked 2025-07-01-new.md
    private struct Sample {
        let repo: GitTestRepository
        let c1, c2, c3, c4, c5, c6, c7: String
    }

    private func sample() throws -> Sample {
        let repo = try GitTestRepository()
        let old = "postmortems/2025/2025-03-04-checkout-latency.md"
        let new = "postmortems/2025/2025-03-04-cache-eviction.md"
        try repo.write(".mailmap", "Priya Raman <priya@example.com> <praman@old.example>\n")
        try repo.writeCatalogue()
        try repo.writePostmortem(old, fields: ["status": "draft"])
        try repo.writePostmortem("postmortems/2025/keep.md", fields: ["id": "keep-me"])
        let c1 = try repo.commitAll("Add the checkout latency postmortem", as: .priyaOld)
        try repo.writePostmortem(old)
        let c2 = try repo.commitAll("Publish checkout latency\n\nReviewed in the weekly meeting.", as: .marcus)
        try repo.move(old, new)
        try repo.move("postmortems/2025/keep.md", "postmortems/2025/kept.md")
        let c3 = try repo.commit("Rename to what it was about", as: .lena)
        try repo.checkout(newBranch: "feature")
        try repo.writePostmortem(new, sections: ["Impact": "About 5% of checkouts took longer than 5 s."])
        try repo.writePostmortem("postmortems/2025/2025-05-01-queue.md", fields: ["date": "2025-05-01"])
        let c4 = try repo.commitAll("Correct the impact", as: .marcus)
        try repo.checkout("main")
        try repo.writePostmortem("postmortems/2025/kept.md", fields: ["id": "keep-me", "severity": "SEV3"])
        let c5 = try repo.commitAll("Lower the severity", as: .priya)
        let c6 = try repo.merge("feature", as: .priya)
        try repo.writePostmortem(new, sections: ["Impact": "About 5% of checkouts took longer than 5 seconds."])
        let c7 = try repo.commitAll("Fix units", as: .bot)
        try repo.writePostmortem("postmortems/2025/2025-07-01-new.md", fields: ["date": "2025-07-01"])
        return Sample(repo: repo, c1: c1, c2: c2, c3: c3, c4: c4, c5: c5, c6: c6, c7: c7)
    }

    private func time(_ day: Int) -> Timestamp {
        Timestamp(seconds: 1_735_725_600 + day * 86_400, offsetMinutes: 60)
    }

    func testHistoryOfARenamedDocumentEditedOnABranch() throws {
        let sample = try sample()
        let plan = try GitLint.plan(sample.repo.url)
        let history = try XCTUnwrap(plan.archive.history)
        XCTAssertFalse(history.isShallow)
        XCTAssertEqual(history.commitTime, time(6), "the target commit's time (c7)")

        let document = try XCTUnwrap(history.documents["postmortems/2025/2025-03-04-cache-eviction.md"])
        XCTAssertEqual(document.published?.sha, sample.c1)
        XCTAssertEqual(document.published?.author, "Priya Raman", "mailmap applied")
        XCTAssertEqual(document.published?.time, time(0))
        XCTAssertEqual(document.published?.summary, "Add the checkout latency postmortem")
        XCTAssertEqual(document.updated?.sha, sample.c7)
        XCTAssertEqual(document.updated?.shortSHA, String(sample.c7.prefix(7)))
        XCTAssertEqual(document.updated?.author, "renovate[bot]", "bots keep their commits")
        XCTAssertEqual(document.contributors, ["Priya Raman", "Marcus Webb", "Lena Fischer"], "oldest first, bots excluded")
        XCTAssertEqual(document.previousPaths, ["postmortems/2025/2025-03-04-checkout-latency.md"])
        let shas = document.commits.map(\.sha)
        XCTAssertEqual(Set(shas), [sample.c7, sample.c6, sample.c4, sample.c3, sample.c2, sample.c1],
                       "the merge counts for what it brings into main; c5 did not touch the file")
        XCTAssertEqual(shas.first, sample.c7)
        XCTAssertEqual(shas.last, sample.c1)
        XCTAssertEqual(document.commits.map(\.time), document.commits.map(\.time).sorted(by: >), "newest first")
        XCTAssertEqual(document.commits.first { $0.sha == sample.c2 }?.summary, "Publish checkout latency")

        let branchDocument = try XCTUnwrap(history.documents["postmortems/2025/2025-05-01-queue.md"])
        XCTAssertEqual(branchDocument.published?.sha, sample.c4, "first added on the branch")
        XCTAssertEqual(branchDocument.updated?.sha, sample.c6, "the merge brought it into main")
        XCTAssertEqual(branchDocument.contributors, ["Marcus Webb", "Priya Raman"])

        XCTAssertNil(history.documents["postmortems/2025/2025-07-01-new.md"], "uncommitted: front-matter dates apply")
        XCTAssertTrue(plan.archive.postmortems.contains { $0.path == "postmortems/2025/2025-07-01-new.md" })
    }

    func testRenamesThatChangeTheIDAreRecordedForRedirects() throws {
        let sample = try sample()
        let history = try XCTUnwrap(try GitLint.plan(sample.repo.url).archive.history)
        XCTAssertEqual(history.idChanges, [ArchiveHistory.IDChange(oldID: "2025-03-04-checkout-latency", newID: "2025-03-04-cache-eviction")],
                       "keep.md → kept.md kept its explicit id")
        XCTAssertEqual(history.documents["postmortems/2025/kept.md"]?.previousPaths, ["postmortems/2025/keep.md"])
    }

    func testHistoryAtAnOlderRevisionStopsThere() throws {
        let sample = try sample()
        let plan = try GitLint.plan(sample.repo.url, .revision(sample.c2))
        let history = try XCTUnwrap(plan.archive.history)
        XCTAssertEqual(history.commitTime, time(1))
        XCTAssertEqual(history.documents.keys.sorted(), ["postmortems/2025/2025-03-04-checkout-latency.md", "postmortems/2025/keep.md"])
        XCTAssertEqual(history.documents["postmortems/2025/2025-03-04-checkout-latency.md"]?.commits.map(\.sha), [sample.c2, sample.c1])
        XCTAssertEqual(history.idChanges, [])
    }

    func testAuthorNamesForTheBlamelessRules() throws {
        let sample = try sample()
        let plan = try GitLint.plan(sample.repo.url)
        XCTAssertEqual(Set(plan.git.authorNames), ["Priya Raman", "Marcus Webb", "Lena Fischer"], "mailmapped, bots excluded")
        try sample.repo.write("inquest.yml", "blameless:\n  git_authors: false\n")
        XCTAssertEqual(try GitLint.plan(sample.repo.url).git.authorNames, [])
    }

    func testHistoryLoaderCanBeCalledDirectlyForTheSite() throws {
        let sample = try sample()
        let reader = try ArchiveReader.open(at: sample.repo.url, selection: .revision("main"))
        let input = try reader.workspace.lintInput(source: reader.source, paths: [], from: sample.repo.url)
        let archive = Linter(configuration: reader.workspace.configuration).buildArchive(input)
        let history = try XCTUnwrap(try reader.history(for: archive))
        XCTAssertEqual(history.documents.count, 3)
        XCTAssertEqual(history.commitTime, time(6))
    }
}

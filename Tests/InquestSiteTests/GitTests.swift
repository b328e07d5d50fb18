import Foundation
import InquestCore
import InquestTestSupport
import XCTest
@testable import InquestSite

/// `--rev` builds and `publish` on a scripted repository.
final class GitTests: XCTestCase {
    var repo: GitTestRepository!
    var repository: URL { repo.url }
    static let ada = GitPerson(name: "Ada Example", email: "ada@example.com")

    override func setUpWithError() throws {
        repo = try GitTestRepository()
        repo.nextTime = 1_740_000_000
        repo.offsetMinutes = 0
    }

    /// XCTest keeps every test's instance until the run ends: release the repository (and its
    /// folder) now.
    override func tearDown() {
        repo = nil
    }

    func write(_ path: String, _ text: String) throws {
        try repo.write(path, text)
    }

    func commit(_ message: String) throws {
        try repo.commitAll(message, as: Self.ada)
    }

    func seed() throws {
        try write("postmortems/causes.yml", Fixture.catalogue)
        try write("postmortems/2025/price-cache.md", Fixture.first)
        try write(Fixture.paths.second, Fixture.second)
        try commit("Two postmortems")
        try repo.move("postmortems/2025/price-cache.md", Fixture.paths.first)
        try commit("Rename to the dated id")
    }

    func load(_ selection: DocumentSourceSelection) throws -> (ArchiveReader, RenderedSite) {
        let reader = try ArchiveReader.open(at: repository, selection: selection)
        let (archive, warning) = try SiteBuild.loadArchive(reader: reader)
        XCTAssertNil(warning)
        let settings = SiteSettings(configuration: reader.workspace.configuration, environment: [:])
        let theme = try Theme.load(overrides: SiteBuild.themeOverrides(reader: reader))
        return (reader, SiteBuilder(archive: archive, settings: settings, theme: theme).render())
    }

    func testHistoryGivesRevisionsRedirectsAndTheCommitDate() throws {
        try seed()
        let (_, site) = try load(.workingTree)
        let page = site.text("postmortems/2025-02-03-price-cache-expiry.html")
        XCTAssertTrue(page.contains("Rename to the dated id"))
        XCTAssertTrue(page.contains("Two postmortems"))
        XCTAssertNotNil(site.files["postmortems/price-cache.html"], "a redirect for the id before the rename")
        XCTAssertTrue(site.text("index.html").contains("as of <time datetime=\"2025-02-20\">2025-02-20</time>"), "the commit date, not the clock")
    }

    func testRevBuildsTheCommittedArchiveAndTheme() throws {
        try seed()
        let first = try repo.sha("HEAD~1")
        try write("postmortems/2024/2024-11-20-old-banner.md", Fixture.third)
        try write("site/templates/404.mustache", "committed theme")
        try commit("Third postmortem and a theme override")
        try write("site/templates/404.mustache", "uncommitted theme")
        try write("postmortems/2024/2024-12-01-uncommitted.md", Fixture.third)

        let (_, head) = try load(.revision("HEAD"))
        XCTAssertNotNil(head.files["postmortems/2024-11-20-old-banner.html"])
        XCTAssertNil(head.files["postmortems/2024-12-01-uncommitted.html"], "--rev never reads the working tree")
        XCTAssertEqual(head.text("404.html"), "committed theme")

        let (_, old) = try load(.revision(first))
        XCTAssertNil(old.files["postmortems/2024-11-20-old-banner.html"])
        XCTAssertNotNil(old.files["postmortems/price-cache.html"], "the id before the rename is the page at that revision")
        XCTAssertNotEqual(old.text("404.html"), "committed theme")

        let (_, work) = try load(.workingTree)
        XCTAssertEqual(work.text("404.html"), "uncommitted theme")
        XCTAssertNotNil(work.files["postmortems/2024-12-01-uncommitted.html"])
    }

    func testPublishCommitsOntoTheBranchWithoutTouchingTheWorkingTree() throws {
        try seed()
        try write("notes.txt", "uncommitted")
        let statusBefore = try repo.status()
        let (reader, site) = try load(.workingTree)
        let publisher = SitePublisher(repository: reader.repository!)
        let author = CommitSignature(name: "Publisher", email: "p@example.com", time: Timestamp(seconds: 1_750_000_000, offsetMinutes: 0))

        guard case .committed(let first, nil, _) = try publisher.publish(site, branch: "gh-pages", message: "Publish 1", author: author) else {
            return XCTFail("expected a first commit")
        }
        XCTAssertEqual(try repo.sha("gh-pages"), first)
        XCTAssertEqual(try repo.status(), statusBefore, "working tree and index untouched")
        XCTAssertEqual(statusBefore.count, 1, "notes.txt is untracked: \(statusBefore)")
        XCTAssertEqual(try repo.headBranch(), "main")
        let tree = try repo.files(at: "gh-pages")
        XCTAssertTrue(tree.contains("index.html"))
        XCTAssertTrue(tree.contains(".nojekyll"))
        XCTAssertFalse(tree.contains(SiteWriter.markerName))
        XCTAssertEqual(try repo.contents(at: "gh-pages", "index.html"), site.text("index.html"))

        // Same site: no new commit.
        XCTAssertEqual(try publisher.publish(site, branch: "gh-pages", message: "Publish 2", author: author), .unchanged(commit: first))
        XCTAssertEqual(try repo.commitCount("gh-pages"), 1)

        // A changed archive: a new commit whose parent is the previous tip.
        try write(Fixture.paths.third, Fixture.third)
        try commit("Third")
        let (_, changed) = try load(.workingTree)
        guard case .committed(let second, let parent?, _) = try publisher.publish(changed, branch: "gh-pages", message: "Publish 3", author: author) else {
            return XCTFail("expected a second commit")
        }
        XCTAssertEqual(parent, first)
        XCTAssertEqual(try repo.sha("gh-pages~1"), first)
        XCTAssertEqual(try repo.sha("gh-pages"), second)
        XCTAssertEqual(try repo.summary("gh-pages"), "Publish 3")
    }

    func testPublishRefusesTheCheckedOutBranchAndBadNames() throws {
        try seed()
        let (reader, site) = try load(.workingTree)
        let publisher = SitePublisher(repository: reader.repository!)
        let author = CommitSignature(name: "P", email: "p@example.com", time: Timestamp(seconds: 1_750_000_000, offsetMinutes: 0))
        XCTAssertThrowsError(try publisher.publish(site, branch: "main", message: "m", author: author)) { error in
            XCTAssertTrue((error as? SiteError)?.message.contains("checked out") == true, "\(error)")
        }
        for name in ["", "-x", "a..b", "a b", "x.lock", "a/.b"] {
            XCTAssertThrowsError(try publisher.publish(site, branch: name, message: "m", author: author), name)
        }
    }
}

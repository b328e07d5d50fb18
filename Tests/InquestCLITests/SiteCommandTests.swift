import Foundation
import XCTest
@testable import InquestCLI
import InquestTestSupport

/// `inquest build` and `inquest publish`, run in-process: a revision that fails lint is not published silently.
final class SiteCommandTests: XCTestCase {
    private func brokenArchive() throws -> URL {
        try CLI.temporaryArchive(self, files: [
            "inquest.yml": "blameless: {git_authors: false}\n",
            "postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n",
            "postmortems/2025/2025-03-04-a.md": CLI.postmortem(extra: "root_causes: [pool-limits]\n").replacingOccurrences(of: "severity: SEV2", with: "severity: SEV9"),
        ])
    }

    func testBuildWarnsAboutLintErrorsAndBuildsAnyway() throws {
        let root = try brokenArchive()
        let run = CLI.run(["build", "--quiet", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("inquest: warning: the working tree has 1 lint error (see 'inquest lint'); building anyway"), run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/index.html").path))
    }

    func testBuildRefusesWithStrict() throws {
        let root = try brokenArchive()
        let run = CLI.run(["build", "--strict", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("refusing with --strict"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    func testPublishNamesTheRevisionAndRefusesWithStrict() throws {
        let root = try brokenArchive()
        _ = try GitTestRepository(existing: root, initialising: true)
        try GitTestRepository(existing: root).addAll()
        try GitTestRepository(existing: root).commit("broken", as: .priya)
        let refused = CLI.run(["publish", "--strict"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("revision HEAD has 1 lint error (see 'inquest lint --rev HEAD')"), refused.stderr)
        XCTAssertThrowsError(try GitTestRepository(existing: root).sha("gh-pages"), "no branch was made")
        let published = CLI.run(["publish"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(published.status, 0, published.stderr)
        XCTAssertTrue(published.stderr.contains("building anyway"), published.stderr)
    }

    func testACleanArchiveBuildsWithoutAWord() throws {
        let root = try brokenArchive()
        try CLI.write(CLI.postmortem(extra: "root_causes: [pool-limits]\n"), to: "postmortems/2025/2025-03-04-a.md", in: root)
        let run = CLI.run(["build", "--strict", "--quiet", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746057600"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
    }

    func testUnchangedRebuildWritesNothingAndStillWarnsOrRefuses() throws {
        let root = try brokenArchive()
        let environment = ["SOURCE_DATE_EPOCH": "1746057600"]
        XCTAssertEqual(CLI.run(["build", "--output", "out"], in: root, environment: environment).status, 0)
        let index = root.appendingPathComponent("out/index.html").path
        let cache = root.appendingPathComponent("out/.inquest-cache.tsv").path
        var before = stat(), cacheBefore = stat()
        XCTAssertEqual(lstat(index, &before), 0)
        XCTAssertEqual(lstat(cache, &cacheBefore), 0)
        let again = CLI.run(["build", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("(0 rendered, "), again.stdout)
        XCTAssertTrue(again.stderr.contains("has 1 lint error (see 'inquest lint'); building anyway"), "the warning is the same: \(again.stderr)")
        var after = stat(), cacheAfter = stat()
        XCTAssertEqual(lstat(index, &after), 0)
        XCTAssertEqual(lstat(cache, &cacheAfter), 0)
        XCTAssertEqual(after.st_ino, before.st_ino, "nothing was replaced")
        XCTAssertEqual(cacheAfter.st_ino, cacheBefore.st_ino, "not even the cache")
        let strict = CLI.run(["build", "--strict", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(strict.status, 1, "--strict still refuses an unchanged archive with lint errors")
        // Another SOURCE_DATE_EPOCH is another input: the build runs again.
        let other = CLI.run(["build", "--output", "out"], in: root, environment: ["SOURCE_DATE_EPOCH": "1746144000"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertFalse(other.stdout.contains("(0 rendered, "), other.stdout)
    }

    /// `build` lints through the lint cache and keeps the search cache beside it (`.inquest-cache/`
    /// outside git); `--no-cache` and INQUEST_NO_CACHE=1 neither read nor write them, and the site
    /// and the lint warning are the same either way, also after an edit answered from the cache.
    func testBuildCachesNeverChangeTheSiteOrTheLintWarning() throws {
        let root = try brokenArchive()
        try CLI.write(CLI.postmortem(extra: "root_causes: [pool-limits]\n").replacingOccurrences(of: "2025-03-04", with: "2025-03-05"),
                      to: "postmortems/2025/2025-03-05-b.md", in: root)
        let environment = ["SOURCE_DATE_EPOCH": "1746057600"]
        let uncached = CLI.run(["build", "--no-cache", "--output", "plain"], in: root, environment: environment)
        XCTAssertEqual(uncached.status, 0, uncached.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(".inquest-cache").path), "--no-cache writes no cache")
        let off = CLI.run(["build", "--output", "off"], in: root, environment: environment.merging(["INQUEST_NO_CACHE": "1"]) { $1 })
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(".inquest-cache").path), "INQUEST_NO_CACHE writes no cache")
        for round in 0..<2 {
            if round == 1 {
                // An edit of the clean document: the broken one is answered from the lint cache.
                let path = "postmortems/2025/2025-03-05-b.md"
                let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
                try CLI.write(text + "\nOne more sentence about the pool.\n", to: path, in: root)
                _ = CLI.run(["build", "--no-cache", "--clean", "--output", "plain"], in: root, environment: environment)
            }
            let cached = CLI.run(["build", "--output", "out"], in: root, environment: environment)
            XCTAssertEqual(cached.status, 0, cached.stderr)
            XCTAssertTrue(cached.stderr.contains("has 1 lint error (see 'inquest lint'); building anyway"), "round \(round): \(cached.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".inquest-cache").path)
            XCTAssertTrue(names.contains("lint.cache") && names.contains("search.cache"), "\(names)")
            for file in try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("plain").path) {
                let a = FileManager.default.contents(atPath: root.appendingPathComponent("plain/" + file).path)
                let b = FileManager.default.contents(atPath: root.appendingPathComponent("out/" + file).path)
                XCTAssertEqual(a, b, "round \(round): \(file)")
            }
        }
    }

    /// The broken archive with a second postmortem sharing a cause, built once into `out` (its
    /// caches written): the next small edit takes the path where lint runs alongside the build.
    private func builtArchiveWithASecondDocument() throws -> (root: URL, path: String, environment: [String: String]) {
        let root = try brokenArchive()
        let path = "postmortems/2025/2025-03-05-b.md"
        try CLI.write(CLI.postmortem(extra: "root_causes: [pool-limits]\n").replacingOccurrences(of: "2025-03-04", with: "2025-03-05"),
                      to: path, in: root)
        let environment = ["SOURCE_DATE_EPOCH": "1746057600"]
        XCTAssertEqual(CLI.run(["build", "--output", "out"], in: root, environment: environment).status, 0)
        return (root, path, environment)
    }

    /// A rebuild whose archive is made from the site facts lets lint run on another core until the
    /// cache is written (``SiteBuild/Linted/isPending``): a body edit that breaks the document is
    /// still counted, in the warning and in the cache the site keeps, exactly as a clean build
    /// without the caches counts it.
    func testLintRunningAlongsideARebuildCountsWhatABodyEditBroke() throws {
        let (root, path, environment) = try builtArchiveWithASecondDocument()
        // A required section renamed: a new lint error in a document whose list facts did not change.
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        try CLI.write(text.replacingOccurrences(of: "## Impact", with: "## Effects"), to: path, in: root)
        let cached = CLI.run(["build", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(cached.status, 0, cached.stderr)
        XCTAssertTrue(cached.stderr.contains("has 2 lint errors (see 'inquest lint'); building anyway"), cached.stderr)
        let plain = CLI.run(["build", "--no-cache", "--clean", "--output", "plain"], in: root, environment: environment)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let cache = ".inquest-cache.tsv"
        let a = try String(contentsOf: root.appendingPathComponent("out/" + cache), encoding: .utf8)
        let b = try String(contentsOf: root.appendingPathComponent("plain/" + cache), encoding: .utf8)
        XCTAssertTrue(a.contains("lint-errors\t2\n"), "the cache records the count lint finished with")
        XCTAssertEqual(a, b, "the cache is a clean build's")
        // And --strict waits for lint before building: refused.
        try CLI.write(text.replacingOccurrences(of: "## Impact", with: "## Consequences"), to: path, in: root)
        let strict = CLI.run(["build", "--strict", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("refusing with --strict"), strict.stderr)
    }

    /// An error after lint started alongside the build (here a broken theme override) still comes
    /// after lint's report, as in a build that waited for lint.
    func testAnErrorWhileLintRunsAlongsideComesAfterItsReport() throws {
        let (root, path, environment) = try builtArchiveWithASecondDocument()
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        try CLI.write(text + "\nOne more sentence.\n", to: path, in: root)
        try CLI.write("{{#unclosed}}\n", to: "site/templates/404.mustache", in: root)
        let run = CLI.run(["build", "--output", "out"], in: root, environment: environment)
        XCTAssertEqual(run.status, 2, run.stderr)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertTrue(lines.first?.contains("has 1 lint error (see 'inquest lint'); building anyway") == true, run.stderr)
        XCTAssertTrue(lines.last?.hasPrefix("inquest: error: ") == true, run.stderr)
    }
    /// `files` in a new repository, committed at 2025-04-30T08:00Z (UTC); later commits follow
    /// the repository's clock (`nextTime`).
    private func committedArchive(_ files: [String: String], _ message: String) throws -> (root: URL, repo: GitTestRepository) {
        let root = try CLI.temporaryArchive(self, files: files)
        let repo = try GitTestRepository(existing: root, initialising: true)
        repo.offsetMinutes = 0
        repo.nextTime = 1_746_000_000
        try repo.addAll()
        try repo.commit(message, as: .priya)
        return (root, repo)
    }

    /// A rebuild after a commit renders what the commit changed, not the whole site: every page
    /// used to be keyed by the commit's time to the second, so each commit rendered all of it
    /// (at 1,000 postmortems, 1,775 pages for one changed document). The site is the one a clean
    /// build makes each time.
    func testARebuildAfterACommitRendersOnlyWhatTheCommitChanged() throws {
        var files = ["postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n"]
        for day in 1...6 {
            let date = "2025-03-0\(day)"
            // Half of them with their action item done: an open item past its due date is
            // overdue by a count of days that the commit's date decides.
            files["postmortems/2025/\(date)-incident.md"] = CLI.postmortem(title: "Incident \(day)", date: date, extra: "root_causes: [pool-limits]\n")
                .replacingOccurrences(of: "services: [checkout]", with: "services: [service-\(day)]")
                .replacingOccurrences(of: "- [ ] Add a lower bound", with: day % 2 == 0 ? "- [x] Add a lower bound" : "- [ ] Add a lower bound")
                // Due the day of the first commits: overdue from the next day on.
                .replacingOccurrences(of: "due: 2025-04-01", with: day == 5 ? "due: 2025-04-30" : "due: 2025-04-01")
        }
        files["README.md"] = "Postmortems.\n"
        let (root, repo) = try committedArchive(files, "Six postmortems")
        func build(_ folder: String, clean: Bool = false) throws -> (rendered: Int, pages: Int) {
            let run = CLI.run(["build", "--output", folder] + (clean ? ["--clean", "--no-cache"] : []), in: root)
            XCTAssertEqual(run.status, 0, run.stderr)
            let counts = try XCTUnwrap(run.stdout.firstMatch(of: /Built (\d+) pages \((\d+) rendered/), run.stdout)
            return (Int(counts.2)!, Int(counts.1)!)
        }
        func assertSameAsACleanBuild(_ step: String) throws {
            _ = try build("clean", clean: true)
            let paths = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("clean").path).sorted()
            XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("out").path).sorted(), paths, step)
            for path in paths where !path.hasSuffix(".inquest-cache.tsv") {
                XCTAssertEqual(FileManager.default.contents(atPath: root.appendingPathComponent("clean/" + path).path),
                               FileManager.default.contents(atPath: root.appendingPathComponent("out/" + path).path), "\(step): \(path)")
            }
        }
        let first = try build("out")
        XCTAssertEqual(first.rendered, first.pages)

        // An hour later, a commit outside the archive: no page shows anything it changed.
        repo.nextTime = 1_746_003_600
        try CLI.write("Postmortems, and how to write one.\n", to: "README.md", in: root)
        try repo.addAll()
        try repo.commit("Docs", as: .priya)
        let outside = try build("out")
        XCTAssertEqual(outside.rendered, 0, "nothing to render: \(outside)")
        try assertSameAsACleanBuild("a commit outside the archive")

        // The same day, a commit of one postmortem's body: its page, the lists that show its
        // history (dates, commits), the search files; not the other postmortems' pages.
        repo.nextTime = 1_746_007_200
        let path = "postmortems/2025/2025-03-03-incident.md"
        try CLI.write(try CLI.read(path, in: root) + "\nOne more sentence about the pool.\n", to: path, in: root)
        try repo.addAll()
        try repo.commit("Edit one", as: .marcus)
        let edit = try build("out")
        XCTAssertGreaterThan(edit.rendered, 0)
        XCTAssertLessThan(edit.rendered, edit.pages / 2, "\(edit)")
        try assertSameAsACleanBuild("a commit of one postmortem")

        // The next day: the pages that show the date or days overdue, not those of the
        // postmortems whose items are done.
        repo.nextTime = 1_746_000_000 + 86_400
        try CLI.write("Postmortems, and how to write them.\n", to: "README.md", in: root)
        try repo.addAll()
        try repo.commit("Docs again", as: .priya)
        let before = try FileManager.default.contents(atPath: root.appendingPathComponent("out/postmortems/2025-03-02-incident.html").path)
        let actionsBefore = try FileManager.default.contents(atPath: root.appendingPathComponent("out/actions.html").path)
        let dueBefore = try FileManager.default.contents(atPath: root.appendingPathComponent("out/postmortems/2025-03-05-incident.html").path)
        let nextDay = try build("out")
        XCTAssertGreaterThan(nextDay.rendered, 0)
        XCTAssertLessThan(nextDay.rendered, nextDay.pages, "\(nextDay)")
        try assertSameAsACleanBuild("a commit the next day")
        XCTAssertEqual(try FileManager.default.contents(atPath: root.appendingPathComponent("out/postmortems/2025-03-02-incident.html").path), before,
                       "nothing on it reads the date")
        XCTAssertNotEqual(try FileManager.default.contents(atPath: root.appendingPathComponent("out/actions.html").path),
                          actionsBefore, "the open items are a day more overdue")
        XCTAssertNotEqual(try FileManager.default.contents(atPath: root.appendingPathComponent("out/postmortems/2025-03-05-incident.html").path),
                          dueBefore, "its item became overdue")
    }
    /// `publish` builds into a folder it keeps beside the caches, so a publish after a commit
    /// renders only what the commit changed; the tree it commits is the one a publish without the
    /// caches (the site rendered in memory) commits, each time.
    func testPublishRendersOnlyWhatChangedAndCommitsWhatARenderInMemoryCommits() throws {
        var files = ["postmortems/causes.yml": "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n"]
        for day in 1...4 {
            files["postmortems/2025/2025-03-0\(day)-incident.md"] = CLI.postmortem(title: "Incident \(day)", date: "2025-03-0\(day)",
                                                                                 extra: "root_causes: [pool-limits]\n")
        }
        let (root, repo) = try committedArchive(files, "Four postmortems")
        let environment = ["SOURCE_DATE_EPOCH": "1746057600"]
        let kept = root.appendingPathComponent(".git/inquest/published-site")
        func inode(_ page: String) -> ino_t? {
            var info = stat()
            return lstat(kept.appendingPathComponent(page).path, &info) == 0 ? info.st_ino : nil
        }
        var firstInodes: [ino_t?] = []
        for round in 0..<2 {
            if round == 1 {
                firstInodes = [inode("postmortems/2025-03-01-incident.html"), inode("postmortems/2025-03-02-incident.html")]
                let path = "postmortems/2025/2025-03-02-incident.md"
                try CLI.write(try CLI.read(path, in: root) + "\nOne more sentence about the pool.\n", to: path, in: root)
                try repo.addAll()
                try repo.commit("Edit one", as: .marcus)
            }
            let published = CLI.run(["publish", "--branch", "pages"], in: root, environment: environment)
            XCTAssertEqual(published.status, 0, published.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: kept.appendingPathComponent("index.html").path), "round \(round): the kept site")
            let plain = CLI.run(["publish", "--branch", "plain", "--no-cache"], in: root, environment: environment)
            XCTAssertEqual(plain.status, 0, plain.stderr)
            XCTAssertEqual(try CLI.git(["rev-parse", "pages^{tree}"], in: root), try CLI.git(["rev-parse", "plain^{tree}"], in: root), "round \(round)")
            let listed = try CLI.git(["ls-tree", "-r", "--name-only", "pages"], in: root)
            XCTAssertTrue(listed.contains("postmortems/2025-03-02-incident.html\n") && listed.contains(".nojekyll\n"), listed)
            XCTAssertFalse(listed.contains(".inquest"), "neither the build's marker nor its cache: \(listed)")
        }
        // The second publish kept the pages the commit did not change: the first postmortem's
        // page is the file the first publish wrote (same inode); the edited one's was written anew.
        XCTAssertNotNil(firstInodes[0])
        XCTAssertEqual(inode("postmortems/2025-03-01-incident.html"), firstInodes[0], "not rendered again")
        XCTAssertNotEqual(inode("postmortems/2025-03-02-incident.html"), firstInodes[1], "rendered again")
        XCTAssertEqual(try CLI.git(["status", "--porcelain"], in: root), "", "the working tree is untouched")

        // A damaged kept site (a page gone, another edited) is not trusted: the next publish
        // repairs it, and the branch already holds that site.
        try FileManager.default.removeItem(at: kept.appendingPathComponent("postmortems/2025-03-01-incident.html"))
        let edited = kept.appendingPathComponent("postmortems/2025-03-03-incident.html")
        try Data((try String(contentsOf: edited, encoding: .utf8) + "<p>edited</p>\n").utf8).write(to: edited)
        let again = CLI.run(["publish", "--branch", "pages"], in: root, environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("pages is already up to date"), again.stdout)
        XCTAssertFalse(try String(contentsOf: edited, encoding: .utf8).contains("<p>edited</p>"))
    }
}

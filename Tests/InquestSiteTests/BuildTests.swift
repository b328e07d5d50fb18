import Foundation
import XCTest
@testable import InquestSite
import InquestTestSupport

/// Deterministic, incremental and atomic builds.
final class BuildTests: XCTestCase {
    func write(_ site: RenderedSite, to folder: URL) throws {
        try SiteWriter.write(site, to: folder)
    }

    func contents(of folder: URL) throws -> [String: [UInt8]] { try regularFiles(in: folder) }

    func testSameInputGivesByteIdenticalSite() throws {
        let temporary = try TemporaryFolder()
        let one = temporary.appending("one/_site"), two = temporary.appending("two/_site")
        // Two renders (with arguments: not the run's shared default site).
        try write(try Fixture.render(files: Fixture.files), to: one)
        try write(try Fixture.render(files: Fixture.files), to: two)
        let a = try contents(of: one), b = try contents(of: two)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (path, bytes) in a { XCTAssertEqual(bytes, b[path], "\(path) differs between two builds") }
        XCTAssertNotNil(a[SiteWriter.markerName])
        XCTAssertNotNil(a[BuildCache.fileName])
    }

    func testParallelRenderingDoesNotChangeOutput() throws {
        let archive = Fixture.archive()
        let theme = try Theme.load()
        let builder = SiteBuilder(archive: archive, settings: Fixture.settings, theme: theme)
        let first = builder.render().files
        for _ in 0..<3 { XCTAssertEqual(builder.render().files, first) }
    }

    func testIncrementalRebuildRendersOnlyAffectedPages() throws {
        let theme = try Theme.load()
        let before = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: theme).render()
        var files = Fixture.files
        // A change in the body only: the page that shows the body and the search files re-render.
        files[Fixture.paths.third] = Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by customer support")
        let changed = Fixture.archive(files: files)
        let builder = SiteBuilder(archive: changed, settings: Fixture.settings, theme: theme)
        let incremental = builder.render(previous: before.cache) { before.files[$0] }
        XCTAssertEqual(incremental.renderedPaths.filter { !$0.hasPrefix("search/") }, ["postmortems/2024-11-20-old-banner.html"])
        XCTAssertTrue(incremental.renderedPaths.contains { $0.hasPrefix("search/d/") }, "the document's search file")
        XCTAssertEqual(incremental.files, builder.render().files, "an incremental build equals a clean one")

        // A changed title shows on every list that names the postmortem, and nowhere else.
        files[Fixture.paths.third] = Fixture.third.replacingOccurrences(of: "Web hosts served an old banner", with: "Web hosts served a stale banner")
        let retitled = SiteBuilder(archive: Fixture.archive(files: files), settings: Fixture.settings, theme: theme)
        let second = retitled.render(previous: before.cache) { before.files[$0] }
        XCTAssertTrue(second.renderedPaths.contains("index.html"))
        XCTAssertTrue(second.renderedPaths.contains("causes/config-drift.html"))
        XCTAssertFalse(second.renderedPaths.contains("postmortems/2025-04-10-search-timeouts.html"))
        XCTAssertFalse(second.renderedPaths.contains("causes/cache-stampede.html"))
        XCTAssertEqual(second.files, retitled.render().files)
    }

    func testDamagedPreviousFileIsRenderedAgain() throws {
        let theme = try Theme.load()
        let builder = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: theme)
        let before = builder.render()
        let again = builder.render(previous: before.cache) { path in path == "stats.html" ? Array("tampered".utf8) : before.files[path] }
        XCTAssertEqual(again.renderedPaths, ["stats.html"])
        XCTAssertEqual(again.files, before.files)
    }

    func testThemeChangeRendersEverything() throws {
        let before = try Fixture.render()
        let theme = try Theme.load(overrides: ["templates/404.mustache": Array("changed".utf8)])
        let after = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: theme).render(previous: before.cache) { before.files[$0] }
        XCTAssertEqual(after.reused, 0)
    }

    func testWriterBuildsIntoANewFolderAndReplacesItsOwnOutput() throws {
        let temporary = try TemporaryFolder()
        let output = temporary.appending("nested/_site")
        try write(try Fixture.render(), to: output)
        // A file the previous build wrote but this one does not is gone after the swap.
        try Data("stale".utf8).write(to: output.appendingPathComponent("stale.html"))
        try write(try Fixture.render(), to: output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("stale.html").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
        // No temporary folders are left beside the output.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.appending("nested").path), ["_site"])
    }

    func testRebuildKeepsAGitCheckoutAndCNAMEInTheOutput() throws {
        let temporary = try TemporaryFolder()
        let output = temporary.appending("_site")
        try write(try Fixture.render(), to: output)
        try FileManager.default.createDirectory(at: output.appendingPathComponent(".git/refs"), withIntermediateDirectories: true)
        try Data("ref: refs/heads/gh-pages\n".utf8).write(to: output.appendingPathComponent(".git/HEAD"))
        try Data("incidents.example.com\n".utf8).write(to: output.appendingPathComponent("CNAME"))
        try write(try Fixture.render(), to: output)
        XCTAssertEqual(try String(contentsOf: output.appendingPathComponent(".git/HEAD"), encoding: .utf8), "ref: refs/heads/gh-pages\n")
        XCTAssertEqual(try String(contentsOf: output.appendingPathComponent("CNAME"), encoding: .utf8), "incidents.example.com\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
    }

    /// The streaming build takes the output folder (checked and listed on another core) only
    /// once the site model is made: a folder it did not create is still refused, untouched.
    func testAStreamingBuildWithThePreviousOutputPreparedMeanwhileRefusesAFolderItDidNotCreate() throws {
        let temporary = try TemporaryFolder()
        let output = temporary.appending("docs")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: output.appendingPathComponent("notes.txt"))
        let prepared = SiteBuild.PreparedOutput(output: output, protected: [], generator: "test", incremental: true)
        XCTAssertThrowsError(try SiteBuild.build(archive: Fixture.archive(), settings: Fixture.settings, theme: try Fixture.theme.get(),
                                                 output: output, protected: [], generator: "test", prepared: prepared)) { error in
            XCTAssertTrue((error as? SiteError)?.message.contains("was not created by inquest build") == true, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), ["notes.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.url.path), ["docs"])
        // Prepared for an empty folder: built.
        let empty = temporary.appending("empty")
        let ready = SiteBuild.PreparedOutput(output: empty, protected: [], generator: "test", incremental: true)
        let summary = try SiteBuild.build(archive: Fixture.archive(), settings: Fixture.settings, theme: try Fixture.theme.get(),
                                          output: empty, protected: [], generator: "test", prepared: ready)
        XCTAssertGreaterThan(summary.pages, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: empty.appendingPathComponent("index.html").path))
    }

    func testRefusesANonEmptyFolderItDidNotCreate() throws {
        let temporary = try TemporaryFolder()
        let output = temporary.appending("docs")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: output.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try write(try Fixture.render(), to: output)) { error in
            XCTAssertTrue((error as? SiteError)?.message.contains("was not created by inquest build") == true, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), ["notes.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.url.path), ["docs"])
        // An empty folder is fine.
        let empty = temporary.appending("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertNoThrow(try write(try Fixture.render(), to: empty))
    }

    func testRefusesFilesSymlinksAndTheRepositoryItself() throws {
        let temporary = try TemporaryFolder()
        let file = temporary.appending("file")
        try Data().write(to: file)
        XCTAssertThrowsError(try write(try Fixture.render(), to: file))
        let target = temporary.appending("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: temporary.appending("link"), withDestinationURL: target)
        XCTAssertThrowsError(try write(try Fixture.render(), to: temporary.appending("link")))
        let repository = temporary.appending("repo")
        XCTAssertThrowsError(try SiteWriter.write(try Fixture.render(), to: repository, protected: [repository]))
        XCTAssertThrowsError(try SiteWriter.write(try Fixture.render(), to: temporary.url, protected: [repository]), "a parent of the repository")
    }

    func testFailedBuildLeavesThePreviousSiteUntouched() throws {
        let temporary = try TemporaryFolder()
        let output = temporary.appending("_site")
        try write(try Fixture.render(), to: output)
        let before = try contents(of: output)
        var broken = try Fixture.render()
        broken.files["../escape.html"] = Array("x".utf8)
        XCTAssertThrowsError(try write(broken, to: output))
        XCTAssertEqual(try contents(of: output), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary.appending("escape.html").path))
        // A write that fails half-way (a file where a folder must go) also leaves it as it was.
        var clash = try Fixture.render()
        clash.files["assets/site.css/inner.css"] = Array("x".utf8)
        XCTAssertThrowsError(try write(clash, to: output))
        XCTAssertEqual(try contents(of: output), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.url.path), ["_site"])
    }

    func testBuildWithCacheReusesPagesOnDisk() throws {
        let temporary = try TemporaryFolder()
        let output = temporary.appending("_site")
        let theme = try Theme.load()
        let first = try SiteBuild.build(archive: Fixture.archive(), settings: Fixture.settings, theme: theme, output: output, protected: [], generator: "test")
        XCTAssertEqual(first.reused, 0)
        let second = try SiteBuild.build(archive: Fixture.archive(), settings: Fixture.settings, theme: theme, output: output, protected: [], generator: "test")
        XCTAssertEqual(second.rendered, 0)
        XCTAssertEqual(second.reused, first.pages)
        let other = try SiteBuild.build(archive: Fixture.archive(), settings: Fixture.settings, theme: theme, output: output, protected: [], generator: "other")
        XCTAssertEqual(other.reused, 0, "another generator never reuses pages")
    }
}

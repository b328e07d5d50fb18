import Foundation
import XCTest
import InquestCore
@testable import InquestSite
import InquestTestSupport

/// The incremental build on disk: a rebuild equals a clean build byte for byte after every kind of
/// edit, unchanged files are hard-linked rather than rewritten, damaged ones are rewritten, and a
/// build whose inputs did not change is recognised without parsing anything.
final class IncrementalBuildTests: XCTestCase {
    /// A workspace on disk (no git): `inquest.yml`, the catalogue and the fixture's postmortems.
    final class Workspace {
        let folder = try! TemporaryFolder()
        var root: URL { folder.url.appendingPathComponent("repo") }
        var config = "postmortems: postmortems\nsite:\n  title: Fixture Incidents\n"

        init() throws {
            try write("inquest.yml", config)
            try write("postmortems/causes.yml", Fixture.catalogue)
            for (path, text) in Fixture.files { try write(path, text) }
        }

        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func read(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

        func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

        /// What `inquest build` does: skip when nothing changed, else parse, render and write.
        /// - Returns: the summary, or nil when the build had nothing to do.
        /// What the last cached build's lint did.
        var lastLint: SiteBuild.Linted?

        /// - Parameter cached: as the CLI does by default, lint through the lint cache and keep the
        ///   search index's per-document data (both beside each other in `.inquest-cache/`).
        @discardableResult
        /// - Parameter meanwhile: runs after the archive is read, before the pages are built (an edit
        ///   made during a build).
        /// - Parameter afterDigest: runs after the input digest, before the archive is read (an
        ///   edit saved while a build starts).
        func build(into output: URL, baseURL: String? = nil, clean: Bool = false, cached: Bool = false,
                   meanwhile: () throws -> Void = {}, afterDigest: () throws -> Void = {}) throws -> SiteBuild.Summary? {
            let reader = try ArchiveReader.open(at: root, selection: .workingTree)
            let described = BuildInputs.describe(reader: reader, baseURL: baseURL, environment: [:], generator: "test")
            let inputs = described?.value
            XCTAssertNotNil(inputs, "a working-tree build has an input digest")
            try afterDigest()
            if !clean, let inputs, SiteBuild.unchanged(output: output, protected: [root], inputs: inputs, generator: "test") != nil { return nil }
            var archive: Archive
            var searchCache: SearchCache?
            var stubs = SiteStubs()
            if cached {
                let lintCache = LintCache.location(root: root, repository: reader.repository)
                // Read on another core from the start, as `inquest build` does.
                let siteFacts = try XCTUnwrap(SiteFactsCache.beside(lintCache, workspace: reader.workspace, generator: "test")).prefetching()
                let linted = SiteBuild.lint(reader: reader, cache: lintCache, siteFacts: siteFacts)
                XCTAssertNotNil(linted.statistics, "the lint cache is used")
                lastLint = linted
                stubs = linted.stubs
                archive = try SiteBuild.loadArchive(reader: reader, parsed: try XCTUnwrap(linted.archive)).archive
                searchCache = try XCTUnwrap(SearchCache.beside(lintCache, workspace: reader.workspace, generator: "test"))
            } else {
                archive = try SiteBuild.loadArchive(reader: reader).archive
            }
            try meanwhile()
            let overrides = try SiteBuild.themeOverrides(reader: reader)
            let theme = overrides.isEmpty ? try Fixture.theme.get() : try Theme.load(overrides: overrides)
            let settings = SiteSettings(configuration: reader.workspace.configuration, baseURL: baseURL, environment: [:])
            return try SiteBuild.build(archive: archive, settings: settings, theme: theme, output: output, protected: [root],
                                       generator: "test", incremental: !clean,
                                       inputs: described.flatMap { $0.describes(archive) ? $0.value : nil },
                                       searchCache: searchCache, stubs: stubs)
        }

        /// `count` more postmortems, each its own incident (distinct ids, dates and titles).
        func addIncidents(_ count: Int) throws {
            for number in 1...count {
                let day = String(format: "%02d", number)
                try write("postmortems/2023/2023-03-\(day)-extra-\(number).md", Fixture.third
                    .replacingOccurrences(of: "Web hosts served an old banner", with: "Extra incident number \(number)")
                    .replacingOccurrences(of: "2024-11-20", with: "2023-03-\(day)"))
            }
        }
    }

    func contents(of folder: URL) throws -> [String: [UInt8]] { try regularFiles(in: folder) }

    /// `output` holds the same files, byte for byte, as a clean build of the workspace now.
    func assertSameAsCleanBuild(_ output: URL, workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        let clean = workspace.folder.url.appendingPathComponent("clean/_site")
        try workspace.build(into: clean, clean: true)
        let a = try contents(of: output), b = try contents(of: clean)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), file: file, line: line)
        for (path, bytes) in b where a[path] != bytes { XCTFail("\(path) differs from a clean build", file: file, line: line) }
    }

    func inode(_ url: URL) -> UInt {
        var info = stat()
        XCTAssertEqual(lstat(url.path, &info), 0, url.path)
        return UInt(info.st_ino)
    }

    /// A file saved after the input digest was taken but before the build read it: the site
    /// shows what was read, so the digest (of the bytes before) is not kept with it. Kept, the
    /// next build after the edit was undone found "nothing changed" and left the edit's pages.
    func testAnEditBetweenTheDigestAndTheReadLeavesNoDigestSoTheNextBuildRepairsTheSite() throws {
        for cached in [false, true] {
            let workspace = try Workspace()
            let output = workspace.folder.url.appendingPathComponent("_site")
            try workspace.build(into: output, cached: cached)
            let paths = Fixture.files.keys.sorted()
            let path = paths[0]
            let original = try workspace.read(path)
            let edited = original.replacingOccurrences(of: "## Summary\n\n", with: "## Summary\n\nSaved during a build.\n\n")
            XCTAssertNotEqual(edited, original)
            // Another file's edit makes the build run; this one lands after its digest.
            try workspace.write(paths[1], try workspace.read(paths[1]) + "\nAnother edit.\n")
            XCTAssertNotNil(try workspace.build(into: output, cached: cached, afterDigest: { try workspace.write(path, edited) }))
            XCTAssertEqual(BuildCache.recordedInputs(folder: output), "-", "no digest kept: it describes other bytes than the site shows")
            try workspace.write(path, original)
            XCTAssertNotNil(try workspace.build(into: output, cached: cached), "the undone edit is built, not skipped")
            try assertSameAsCleanBuild(output, workspace: workspace)
            XCTAssertNil(try workspace.build(into: output, cached: cached), "and then nothing is left to do")
        }
    }

    /// A lint that could not run (a file gone while it read) has no error count: it is not
    /// taken as zero errors, and the build keeps no digest, so the next one lints again rather
    /// than finding nothing to do (and passing `--strict`) with the count unknown.
    func testALintThatCouldNotRunIsNotZeroErrorsAndLeavesNoDigest() throws {
        var linted = SiteBuild.Linted(errors: 0, archive: nil)
        linted.pending = Background { .failure(SourceError("postmortems/a.md: no longer exists in the working tree")) }
        let finished = linted.finished()
        XCTAssertFalse(finished.isPending)
        XCTAssertEqual(finished.failure, "postmortems/a.md: no longer exists in the working tree")

        let folder = try TemporaryFolder()
        let output = folder.appending("_site")
        for (count, recorded) in [(Int?.none, "-"), (2, "d1")] {
            _ = try SiteBuild.build(archive: Fixture.archive(), settings: Fixture.settings, theme: try Fixture.theme.get(), output: output,
                                    protected: [], generator: "test", inputs: "d1", pendingLintErrors: { count })
            XCTAssertEqual(BuildCache.recordedInputs(folder: output), recorded, "lint errors \(String(describing: count))")
        }
    }

    /// Files the archive leaves out (a README, `exclude:` matches) are in the digest but not in
    /// the archive: the check is of what the archive holds, so the next build still has nothing to do.
    func testExcludedFilesInThePostmortemsFolderKeepTheNoOpRebuild() throws {
        let workspace = try Workspace()
        try workspace.write("postmortems/README.md", "# How we write postmortems\n")
        try workspace.write("inquest.yml", workspace.config + "exclude: [\"*.draft.md\"]\n")
        try workspace.write("postmortems/2024/next.draft.md", "# A draft\n")
        let output = workspace.folder.url.appendingPathComponent("_site")
        for cached in [false, true] {
            try workspace.build(into: output, cached: cached)
            XCTAssertNotEqual(BuildCache.recordedInputs(folder: output), "-", "the digest is kept")
            XCTAssertNil(try workspace.build(into: output, cached: cached), "nothing changed: nothing to do")
        }
    }

    func testAFileThatChangesAfterTheDigestIsSeenByTheDigestsCheck() throws {
        let workspace = try Workspace()
        let reader = try ArchiveReader.open(at: workspace.root, selection: .workingTree)
        let described = try XCTUnwrap(BuildInputs.describe(reader: reader, baseURL: nil, environment: [:], generator: "test"))
        XCTAssertTrue(described.describes(try SiteBuild.loadArchive(reader: reader).archive))
        let path = Fixture.files.keys.sorted()[0]
        try workspace.write(path, try workspace.read(path) + "\nOne more line.\n")
        XCTAssertFalse(described.describes(try SiteBuild.loadArchive(reader: reader).archive), "a postmortem changed")
        let other = try XCTUnwrap(BuildInputs.describe(reader: reader, baseURL: nil, environment: [:], generator: "test"))
        try workspace.write("postmortems/causes.yml", Fixture.catalogue + "\n")
        XCTAssertFalse(other.describes(try SiteBuild.loadArchive(reader: reader).archive), "the catalogue changed")
    }

    func testIncrementalBuildEqualsACleanBuildAfterEveryKindOfEdit() throws {
        try checkEditSequence(cached: false)
    }

    /// The same sequence with the lint cache and the search cache, as `inquest build` runs by
    /// default: the caches never change a byte.
    func testCachedIncrementalBuildEqualsACleanBuildAfterEveryKindOfEdit() throws {
        try checkEditSequence(cached: true)
    }

    /// The recorded input digest tells a build that will run from one that may have nothing to
    /// do (it then reads no cache ahead), from the cache file's first lines.
    func testTheRecordedDigestSaysWhetherABuildMayHaveNothingToDo() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        func digest() throws -> String {
            try XCTUnwrap(BuildInputs.digest(reader: try ArchiveReader.open(at: workspace.root, selection: .workingTree), baseURL: nil,
                                             environment: [:], generator: "test"))
        }
        XCTAssertFalse(SiteBuild.mayBeUnchanged(output: output, inputs: try digest()), "no previous build")
        try workspace.build(into: output, cached: true)
        XCTAssertTrue(SiteBuild.mayBeUnchanged(output: output, inputs: try digest()))
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by staff"))
        XCTAssertFalse(SiteBuild.mayBeUnchanged(output: output, inputs: try digest()), "an edit")
    }

    /// After a body edit, lint parses and checks only the edited document (and at most the one
    /// its run-wide note goes on), the other documents come from the site facts cache as stubs
    /// (none is parsed for the pages), and the search index tokenizes only that document.
    func testCachedBuildParsesLintsAndIndexesOnlyTheEditedDocument() throws {
        let workspace = try Workspace()
        try workspace.addIncidents(12)
        let documents = Fixture.files.count + 12
        let output = workspace.folder.url.appendingPathComponent("_site")
        let first = try XCTUnwrap(try workspace.build(into: output, cached: true))
        XCTAssertEqual(first.searchComputed, documents, "a first build indexes every document")
        XCTAssertEqual(workspace.lastLint?.statistics?.parsed, documents)
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by customer support"))
        let edited = try XCTUnwrap(try workspace.build(into: output, cached: true))
        let lint = try XCTUnwrap(workspace.lastLint?.statistics)
        XCTAssertTrue(lint.hit, "the second build finds the lint cache")
        XCTAssertLessThanOrEqual(lint.parsed, 2, "lint parses the edited document (and at most the note's)")
        XCTAssertLessThanOrEqual(lint.checked, 2, "lint checks the edited document (and at most the note's)")
        // The site's archive is made from the site facts while lint runs on another core: the
        // edited document is parsed for it there too, and no other.
        XCTAssertEqual(workspace.lastLint?.alongside, true, "the archive is made alongside lint")
        XCTAssertEqual(workspace.lastLint?.parsedForPages, 1, "the pages parse the edited document and no other")
        XCTAssertEqual(workspace.lastLint?.stubs.facts.count, documents - 1, "the other documents are stubs")
        XCTAssertEqual(edited.parsedForPages, 0, "no stub is parsed: only the edited document's own page shows a body")
        // The stubs were made without reading their files: none carries bytes, none was read later.
        let stubs = try XCTUnwrap(workspace.lastLint?.stubs)
        let carried = try XCTUnwrap(workspace.lastLint?.archive).postmortems.filter { stubs.facts[$0.path] != nil && !$0.source.bytes.isEmpty }
        XCTAssertEqual(carried.map(\.path), [], "a stub's file is not read to make the archive")
        XCTAssertEqual(stubs.reads.value, 0, "no stub's file is read when no page shows its body")
        XCTAssertLessThan(edited.contexts, edited.pages / 10, "contexts are built only for pages whose inputs changed")
        XCTAssertEqual(edited.searchComputed, 1, "the search index tokenizes only the edited document")
        // And the result is a clean build's.
        try assertSameAsCleanBuild(output, workspace: workspace)
    }

    /// A stub made without its bytes reads its file when its page is rendered, once, and the page
    /// is a clean build's: here a link target's change (a new document) re-renders every body.
    func testAStubsFileIsReadWhenItsPageIsRendered() throws {
        let workspace = try Workspace()
        try workspace.addIncidents(12)
        let output = workspace.folder.url.appendingPathComponent("_site")
        try XCTUnwrap(try workspace.build(into: output, cached: true))
        try workspace.write("postmortems/2023/2023-04-01-one-more.md", Fixture.third
            .replacingOccurrences(of: "Web hosts served an old banner", with: "One more incident")
            .replacingOccurrences(of: "2024-11-20", with: "2023-04-01"))
        let rebuilt = try XCTUnwrap(try workspace.build(into: output, cached: true))
        let stubs = try XCTUnwrap(workspace.lastLint?.stubs)
        XCTAssertEqual(workspace.lastLint?.alongside, true, "the archive is made alongside lint")
        XCTAssertGreaterThan(rebuilt.parsedForPages, 0, "stubs are parsed for the pages that show their bodies")
        XCTAssertEqual(stubs.reads.value, rebuilt.parsedForPages, "each stub parsed for a page is read once, the others not at all")
        XCTAssertEqual(stubs.reads.stale, 0)
        try assertSameAsCleanBuild(output, workspace: workspace)
    }

    /// A stub's file edited after the archive was read and before its page is rendered is parsed
    /// with its new content, and no declared page key is kept: after the edit is undone, the next
    /// build is still a clean build's (the page is not taken as current from a stale key).
    func testAStubFileChangedDuringTheBuildLeavesNoStaleKey() throws {
        let workspace = try Workspace()
        try workspace.addIncidents(12)
        let output = workspace.folder.url.appendingPathComponent("_site")
        try XCTUnwrap(try workspace.build(into: output, cached: true))
        let original = try workspace.read(Fixture.paths.second)
        try workspace.write("postmortems/2023/2023-04-01-one-more.md", Fixture.third
            .replacingOccurrences(of: "Web hosts served an old banner", with: "One more incident")
            .replacingOccurrences(of: "2024-11-20", with: "2023-04-01"))
        try XCTUnwrap(try workspace.build(into: output, cached: true) {
            try workspace.write(Fixture.paths.second, original + "\nA sentence added during the build.\n")
        })
        XCTAssertEqual(workspace.lastLint?.stubs.reads.stale, 1, "the changed file is read and found changed")
        try workspace.write(Fixture.paths.second, original)
        try workspace.build(into: output, cached: true)
        try assertSameAsCleanBuild(output, workspace: workspace)
    }

    /// The site facts cache holds what a parse gives for every document; a damaged or foreign
    /// file is ignored (every document is parsed again), and the site is the same bytes.
    func testSiteFactsCacheMatchesAParseAndADamagedOneIsIgnored() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output, cached: true)
        let reader = try ArchiveReader.open(at: workspace.root, selection: .workingTree)
        let cache = try XCTUnwrap(SiteFactsCache.beside(LintCache.location(root: workspace.root, repository: nil),
                                                        workspace: reader.workspace, generator: "test"))
        let entries = cache.load()
        XCTAssertEqual(entries.keys.sorted(), Fixture.files.keys.sorted(), "one entry per document")
        let parser = PostmortemParser(schema: reader.workspace.configuration.schema)
        for (path, text) in Fixture.files {
            let parsed = parser.parse(RawDocument(path: path, bytes: Array(text.utf8)))
            XCTAssertEqual(entries[path]?.facts, SiteStubs.facts(of: parsed), "\(path): the stored facts are the parse's")
            XCTAssertEqual(entries[path]?.contentHash, StatIndex.blobID(of: Array(text.utf8)), "\(path): keyed by its blob id")
        }
        XCTAssertTrue(SiteFactsCache(url: cache.url, key: "another configuration").load().isEmpty, "a foreign file is ignored")
        XCTAssertTrue(SiteFactsCache(url: cache.url, key: "another configuration").prefetching().load().isEmpty, "also when prefetched")
        // Prefetched: the same entries, each with its stub made from its facts and content hash.
        let prefetched = cache.prefetching().load()
        XCTAssertEqual(prefetched, entries)
        // A prefetch stopped (a build with nothing to do) never leaves a load without the entries.
        let stopped = cache.prefetching()
        stopped.cancelPrefetch()
        XCTAssertEqual(stopped.load(), entries, "a stopped prefetch: read again")
        for (path, entry) in prefetched {
            let stub = try XCTUnwrap(entry.stub, "\(path): a prefetched entry has its stub")
            XCTAssertEqual(stub.contentID, entry.contentHash)
            XCTAssertEqual(stub.path, path)
            XCTAssertEqual(stub.id, entry.facts.id)
            XCTAssertEqual(stub.actionItems.map(\.text), entry.facts.actionItems.map(\.text))
            XCTAssertTrue(SiteBuild.isStub(stub), "\(path): a stub")
        }

        // A body edit: every other document is a stub.
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by staff"))
        try workspace.build(into: output, cached: true)
        XCTAssertEqual(workspace.lastLint?.stubs.facts.count, Fixture.files.count - 1)

        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: cache.url.path))
        bytes[bytes.count - 2] ^= 0x20
        try bytes.write(to: cache.url)
        XCTAssertTrue(cache.load().isEmpty, "a damaged file is ignored")
        XCTAssertTrue(cache.prefetching().load().isEmpty, "also when prefetched")
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by customers"))
        try workspace.build(into: output, cached: true)
        XCTAssertEqual(workspace.lastLint?.stubs.facts.count, 0, "nothing is taken from a damaged file")
        XCTAssertEqual(cache.load().count, Fixture.files.count, "and the file is written again")
        try assertSameAsCleanBuild(output, workspace: workspace)
    }

    /// An update writes only the files that change, into folders made for them alone: pages in a
    /// folder the previous site did not have (the index's year pages, once the list is paged)
    /// land where a clean build puts them.
    func testAnUpdateWritesPagesIntoFoldersThePreviousSiteDidNotHave() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output, cached: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("archive").path))
        try workspace.addIncidents(Paging.size + 1)
        try XCTUnwrap(try workspace.build(into: output, cached: true))
        let parts = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("archive").path)
        XCTAssertFalse(parts.isEmpty, "the index is paged now")
        try assertSameAsCleanBuild(output, workspace: workspace)
    }

    /// A damaged or foreign search cache is ignored: every document is indexed again, same bytes.
    /// (``SearchIndexUpdateTests`` damages the state file byte by byte.)
    func testDamagedSearchCacheIsIgnored() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output, cached: true)
        let reader = try ArchiveReader.open(at: workspace.root, selection: .workingTree)
        let cache = try XCTUnwrap(SearchCache.beside(LintCache.location(root: workspace.root, repository: nil),
                                                     workspace: reader.workspace, generator: "test"))
        XCTAssertEqual(cache.open()?.documentCount, Fixture.files.count, "one row per document")
        try Data("garbage".utf8).write(to: cache.url)
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by staff"))
        let rebuilt = try XCTUnwrap(try workspace.build(into: output, cached: true))
        XCTAssertEqual(rebuilt.searchComputed, Fixture.files.count, "nothing is taken from a damaged file")
        let clean = workspace.folder.url.appendingPathComponent("clean/_site")
        try workspace.build(into: clean, clean: true)
        let a = try contents(of: output), b = try contents(of: clean)
        for (path, bytes) in b where a[path] != bytes { XCTFail("\(path) differs from a clean build") }
    }

    /// The clean build after each step of ``checkEditSequence(cached:)``, by step: both edit-sequence
    /// tests compare against the same clean sites, so the second one reads them instead of
    /// building them again.
    nonisolated(unsafe) static var cleanSites: [Int: [String: [UInt8]]] = [:]

    func checkEditSequence(cached: Bool) throws {
        let workspace = try Workspace()
        let incremental = workspace.folder.url.appendingPathComponent("incremental/_site")
        let clean = workspace.folder.url.appendingPathComponent("clean/_site")
        var baseURL: String? = nil
        let edits: [(String, () throws -> Void)] = [
            ("first build", {}),
            ("body edit", { try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by customer support")) }),
            ("title edit", { try workspace.write(Fixture.paths.third, try workspace.read(Fixture.paths.third).replacingOccurrences(of: "served an old banner", with: "served a stale banner")) }),
            ("root_causes edit", { try workspace.write(Fixture.paths.third, try workspace.read(Fixture.paths.third).replacingOccurrences(of: "root_causes: [config-drift]", with: "root_causes: [cache-stampede]")) }),
            ("add", { try workspace.write("postmortems/2025/2025-05-01-queue-lag.md", Fixture.third
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Queue lag after a deploy")
                .replacingOccurrences(of: "2024-11-20", with: "2025-05-01")) }),
            ("delete", { try workspace.remove(Fixture.paths.draft) }),
            ("rename", {
                let text = try workspace.read("postmortems/2025/2025-05-01-queue-lag.md")
                try workspace.remove("postmortems/2025/2025-05-01-queue-lag.md")
                try workspace.write("postmortems/2025/2025-05-01-consumer-lag.md", text)
            }),
            // Edits whose pages keep last build's keys only where nothing they declare changed
            // (``PageInputs/reusedKey(for:model:)``): the newest incident, an older one, groups and ticks.
            ("newest incident's cause", { try workspace.write(Fixture.paths.second, try workspace.read(Fixture.paths.second)
                .replacingOccurrences(of: "root_causes: [cache-stampede]", with: "root_causes: [missing-alert]")) }),
            ("older incident's services and tags", { try workspace.write(Fixture.paths.first, try workspace.read(Fixture.paths.first)
                .replacingOccurrences(of: "services: [checkout, api]", with: "services: [checkout]")
                .replacingOccurrences(of: "tags: [cache, checkout]", with: "tags: [cache, checkout, latency]")) }),
            ("older incident moves in time", { try workspace.write(Fixture.paths.first, try workspace.read(Fixture.paths.first)
                .replacingOccurrences(of: "date: 2025-02-03", with: "date: 2025-06-03")) }),
            ("an item ticked and its owner changed", { try workspace.write(Fixture.paths.first, try workspace.read(Fixture.paths.first)
                .replacingOccurrences(of: "- [ ] Alert on cache hit ratio — @sre", with: "- [x] Alert on cache hit ratio — @sre-team")) }),
            ("an item's body text only", { try workspace.write(Fixture.paths.first, try workspace.read(Fixture.paths.first)
                .replacingOccurrences(of: "Load test cache warm-up", with: "Load test the cache warm-up")) }),
            ("older incident deleted", { try workspace.remove(Fixture.paths.third) }),
            ("config edit", { try workspace.write("inquest.yml", workspace.config.replacingOccurrences(of: "Fixture Incidents", with: "Renamed Incidents")) }),
            ("theme change", { try workspace.write("site/templates/404.mustache", "<p>{{page.title}}: nothing here</p>\n") }),
            ("base_url change", { baseURL = "https://status.example.org/incidents/" }),
        ]
        var alongside = 0
        for (step, (name, edit)) in edits.enumerated() {
            try edit()
            let summary = try workspace.build(into: incremental, baseURL: baseURL, cached: cached)
            if workspace.lastLint?.alongside == true { alongside += 1 }
            XCTAssertNotNil(summary, "\(name): the inputs changed, so the build runs")
            let b: [String: [UInt8]]
            if let known = Self.cleanSites[step] {
                b = known
            } else {
                try? FileManager.default.removeItem(at: clean)
                try workspace.build(into: clean, baseURL: baseURL, clean: true)
                b = try contents(of: clean)
                Self.cleanSites[step] = b
            }
            let a = try contents(of: incremental)
            XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), "\(name): same files")
            for (path, bytes) in b where a[path] != bytes { XCTFail("\(name): \(path) differs from a clean build") }
            // The site title, the theme and the base URL show on every page: those rebuild everything.
            // (A third, not half: the fixture has five documents, and a new one shows on most of
            // its list pages. One search file per document used to pad these counts; they are
            // four documents to a file now.)
            // Deleting one of the fixture's few dated incidents changes most of its lists and counts.
            if step > 0, !["config edit", "theme change", "base_url change", "older incident deleted"].contains(name), let summary {
                XCTAssertGreaterThan(summary.reused, summary.pages / 3, "\(name): many pages are reused")
                XCTAssertLessThan(summary.written, summary.files * 2 / 3, "\(name): many files are linked, not written")
            }
            // The same inputs again: nothing to do.
            XCTAssertNil(try workspace.build(into: incremental, baseURL: baseURL, cached: cached), "\(name): a second build has nothing to do")
        }
        // Most edits make the archive from the site facts while lint runs (a new configuration
        // or generator has no facts yet): the comparisons above hold for that path.
        if cached { XCTAssertGreaterThan(alongside, edits.count / 2, "most cached rebuilds make the archive alongside lint") }
    }

    func testUnchangedFilesAreHardLinkedAndChangedOnesWritten() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output)
        let untouched = output.appendingPathComponent("postmortems/2025-04-10-search-timeouts.html")
        let edited = output.appendingPathComponent("postmortems/2024-11-20-old-banner.html")
        let (untouchedInode, editedInode) = (inode(untouched), inode(edited))
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by customer support"))
        let summary = try XCTUnwrap(try workspace.build(into: output))
        XCTAssertEqual(inode(untouched), untouchedInode, "an unchanged page is the same file, linked into the new site")
        XCTAssertNotEqual(inode(edited), editedInode, "the edited page is a new file")
        XCTAssertGreaterThan(summary.rendered, 0)
        XCTAssertLessThan(summary.written, 10, "only the edited page and the search files that index it are written")
    }

    func testDamagedOrAddedOutputFilesAreRepaired() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output)
        let clean = try contents(of: output)
        // Same size, newer: an edit in place.
        let stats = output.appendingPathComponent("stats.html")
        var bytes = Array(try Data(contentsOf: stats))
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        Thread.sleep(forTimeInterval: 0.02)
        try Data(bytes).write(to: stats)
        XCTAssertNotNil(try workspace.build(into: output), "an edited output file is not 'unchanged'")
        XCTAssertEqual(try contents(of: output), clean)
        // A deleted file and a stray one.
        try FileManager.default.removeItem(at: output.appendingPathComponent("feed.xml"))
        XCTAssertNotNil(try workspace.build(into: output))
        XCTAssertEqual(try contents(of: output), clean)
        try Data("stray".utf8).write(to: output.appendingPathComponent("postmortems/stray.html"))
        XCTAssertNotNil(try workspace.build(into: output))
        XCTAssertEqual(try contents(of: output), clean)
        XCTAssertNil(try workspace.build(into: output))
    }

    func testInputDigestFollowsContentNotFileTimes() throws {
        let workspace = try Workspace()
        let reader = { try ArchiveReader.open(at: workspace.root, selection: .workingTree) }
        let digest = { BuildInputs.digest(reader: try reader(), baseURL: nil, environment: [:], generator: "test") }
        let first = try XCTUnwrap(try digest())
        try workspace.write(Fixture.paths.first, Fixture.first)
        XCTAssertEqual(try digest(), first, "rewriting the same bytes changes nothing")
        try workspace.write(Fixture.paths.first, Fixture.first + "\nOne more line.\n")
        XCTAssertNotEqual(try digest(), first)
        try workspace.write(Fixture.paths.first, Fixture.first)
        XCTAssertEqual(try digest(), first)
        try workspace.write("postmortems/notes.txt", "not a postmortem")
        XCTAssertEqual(try digest(), first, "files the build does not read do not count")
        try workspace.write("site/assets/extra.css", "body{}")
        XCTAssertNotEqual(try digest(), first, "theme files count")
        try workspace.remove("site")
        XCTAssertEqual(try digest(), first)
        XCTAssertNotEqual(BuildInputs.digest(reader: try reader(), baseURL: "https://x.example/", environment: [:], generator: "test"), first)
        XCTAssertNotEqual(BuildInputs.digest(reader: try reader(), baseURL: nil, environment: ["SOURCE_DATE_EPOCH": "1"], generator: "test"), first)
        XCTAssertNotEqual(BuildInputs.digest(reader: try reader(), baseURL: nil, environment: [:], generator: "other"), first)
    }

    func testCacheRoundTripsAndRejectsDamage() {
        var cache = BuildCache(generator: "g 1-2.3", inputs: String(repeating: "a", count: 64), lintErrors: 2)
        cache.pages["index.html"] = .init(key: "k", sha256: "s", size: 10)
        cache.assets["assets/site.css"] = .init(key: "h", sha256: "h", size: 3)
        let bytes = cache.encoded()
        XCTAssertEqual(BuildCache.decode(bytes, generator: "g 1-2.3"), cache)
        XCTAssertNil(BuildCache.decode(bytes, generator: "other"))
        XCTAssertNil(BuildCache.decode(Array(bytes.dropLast(3)), generator: "g 1-2.3"), "a truncated cache is ignored")
        XCTAssertNil(BuildCache.decode(Array("{\"version\":1}".utf8), generator: "g 1-2.3"))
        var unsafe = cache
        unsafe.pages["../x.html"] = .init(key: "k", sha256: "s", size: 1)
        XCTAssertNil(BuildCache.decode(unsafe.encoded(), generator: "g 1-2.3"), "a path outside the site is never trusted")
    }

    /// The search state is written by a build that indexes in full (no file yet, or more than a
    /// few documents changed since it was written); a body edit updates the index from it and
    /// leaves the file as it is, so the next build takes that document again.
    func testSearchStateIsRewrittenOnlyForMoreThanAFewChanges() throws {
        let workspace = try Workspace()
        try workspace.addIncidents(20)
        let output = workspace.folder.url.appendingPathComponent("_site")
        let first = try XCTUnwrap(try workspace.build(into: output, cached: true))
        XCTAssertEqual(first.searchComputed, Fixture.files.count + 20)
        let reader = try ArchiveReader.open(at: workspace.root, selection: .workingTree)
        let cache = try XCTUnwrap(SearchCache.beside(LintCache.location(root: workspace.root, repository: nil),
                                                     workspace: reader.workspace, generator: "test"))
        let written = try XCTUnwrap(FileManager.default.contents(atPath: cache.url.path))
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by staff"))
        XCTAssertEqual(try XCTUnwrap(try workspace.build(into: output, cached: true)).searchComputed, 1)
        XCTAssertEqual(FileManager.default.contents(atPath: cache.url.path), written, "one body edit: the state is kept")
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by everyone"))
        XCTAssertEqual(try XCTUnwrap(try workspace.build(into: output, cached: true)).searchComputed, 1, "still one document apart")
        // More than a few documents apart: the index is built in full and the state written.
        for number in 1...9 {
            let path = "postmortems/2023/2023-03-\(String(format: "%02d", number))-extra-\(number).md"
            try workspace.write(path, try workspace.read(path) + "\nMore words \(number).\n")
        }
        XCTAssertEqual(try XCTUnwrap(try workspace.build(into: output, cached: true)).searchComputed, 10)
        XCTAssertNotEqual(FileManager.default.contents(atPath: cache.url.path), written, "the state is written again")
        try workspace.write(Fixture.paths.third, Fixture.third)
        XCTAssertEqual(try XCTUnwrap(try workspace.build(into: output, cached: true)).searchComputed, 1, "and updated from there")
        try assertSameAsCleanBuild(output, workspace: workspace)
    }

    /// The page-key state travels in the cache file; a damaged line of it drops the state alone
    /// (every key is then computed), never the cache's page entries, and is never trusted.
    func testPageKeyStateRoundTripsAndADamagedOneIsDropped() throws {
        var cache = BuildCache(generator: "g", inputs: nil, lintErrors: 0)
        cache.pages["index.html"] = .init(key: "k", sha256: "s", size: 10, inputs: "i")
        let facts = DocumentFacts(day: 20_000, id: "a\tb%c", path: "postmortems/a b.md", causes: ["x", ""], services: [], tags: ["t\u{1F}u"],
                                  related: ["r"], owners: ["@o"], items: "d")
        XCTAssertEqual(DocumentFacts(encoded: facts.encoded()), facts, "names with tabs, percent signs and separators survive")
        cache.pageKeys = PageKeyState(global: "g1", documentContext: "c1", bodyContext: "b1", recurrence: "r1", quarters: "q1",
                                      names: ["cx": "x true true", "s\tweird": "weird"],
                                      documents: [DocumentRecord(path: "postmortems/a\tb.md", validation: "v", digest: "d", facts: facts.encoded())])
        let bytes = cache.encoded()
        XCTAssertEqual(BuildCache.decode(bytes, generator: "g"), cache)
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\tv\td\t", with: "\tv\td")
        let damaged = try XCTUnwrap(BuildCache.decode(Array(text.utf8), generator: "g"), "the pages are still read")
        XCTAssertNil(damaged.pageKeys, "a damaged key state is dropped")
        XCTAssertEqual(damaged.pages, cache.pages)
        XCTAssertNil(DocumentFacts(encoded: "1\u{1E}a"), "damaged facts are not read")
    }

    /// A document's placement (what postmortem pages choose their lists by) is the encoded facts
    /// up to its owners: owners and items are left out, every other field is in.
    func testThePlacementOfEncodedFactsEndsBeforeTheOwners() {
        let facts = DocumentFacts(day: 20_000, id: "a\u{1E}b", path: "postmortems/a.md", causes: ["x"], services: ["s"], tags: ["t"],
                                  related: ["r"], owners: ["@o"], items: "d")
        func placement(_ facts: DocumentFacts) -> String {
            var text = facts.encoded()
            return text.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[..<DocumentFacts.placementEnd(of: $0)]), as: UTF8.self) }
        }
        var otherItems = facts
        otherItems.owners = ["@p"]
        otherItems.items = "e"
        XCTAssertEqual(placement(otherItems), placement(facts))
        XCTAssertTrue(placement(facts).hasSuffix("=r"), "the links are in: \(placement(facts))")
        let moved: [(String, (inout DocumentFacts) -> Void)] = [
            ("day", { $0.day += 1 }), ("id", { $0.id = "c" }), ("path", { $0.path = "postmortems/b.md" }), ("causes", { $0.causes = ["y"] }),
            ("services", { $0.services = [] }), ("tags", { $0.tags = ["t", "u"] }), ("related", { $0.related = [] }),
        ]
        for (field, change) in moved {
            var other = facts
            change(&other)
            XCTAssertNotEqual(placement(other), placement(facts), field)
        }
    }

    /// The key state's lines encoded ahead (on the page-inputs thread) are the lines the cache
    /// would encode itself; setting another state afterwards never writes the old lines.
    func testPageKeyLinesEncodedAheadAreTheCachesOwnAndNeverOutliveTheirState() throws {
        let state = PageKeyState(global: "g1", documentContext: "c1", bodyContext: "b1", recurrence: "r1", quarters: "q1",
                                 names: ["cx": "x true true", "s\tweird": "weird"],
                                 documents: [DocumentRecord(path: "postmortems/a\tb.md", validation: "v", digest: "d", facts: "f"),
                                             DocumentRecord(path: "postmortems/b.md", validation: "v2", digest: "d2", facts: "f2")])
        var plain = BuildCache(generator: "g", inputs: "i", lintErrors: 2)
        plain.pages["index.html"] = .init(key: "k", sha256: "s", size: 10, inputs: "i")
        plain.pageKeys = state
        var ahead = plain
        ahead.setPageKeys(state, lines: BuildCache.pageKeyLines(state))
        XCTAssertEqual(ahead.encoded(), plain.encoded())
        XCTAssertEqual(BuildCache.decode(ahead.encoded(), generator: "g"), plain)

        // Lines made for one state, then another state set: the new state's lines are written.
        var other = state
        other.documents.removeLast()
        var replaced = ahead
        replaced.pageKeys = other
        var expected = plain
        expected.pageKeys = other
        XCTAssertEqual(replaced.encoded(), expected.encoded())
        XCTAssertNotEqual(replaced.encoded(), ahead.encoded())
        // No state: no key lines, whatever was encoded ahead.
        var none = plain
        none.setPageKeys(nil, lines: BuildCache.pageKeyLines(state))
        XCTAssertNil(BuildCache.decode(none.encoded(), generator: "g")?.pageKeys)
    }

    func testCachePathCheckAgreesWithTheSitePathRule() {
        for path in ["index.html", "postmortems/a-b_c.1.html", "search/d/0.js", ".hidden", "a/.b", "a//b", "/a", "a/", "",
                     "../x", "a/../b", "a b", "a\tb", String(repeating: "x", count: 201), String(repeating: "x", count: 200) + "/y", "é.html"] {
            XCTAssertEqual(BuildCache.isSafePath(path), SitePath.isSafe(path), path)
        }
    }
}

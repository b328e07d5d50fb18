import Foundation
import InquestTestSupport
import XCTest
@testable import InquestCore

/// The working tree's stat index: an unchanged file is known by its stat without being read, any
/// changed stat (content, same-size edit, touch, rename) means read and hash, a racy entry is
/// hashed again, a damaged or foreign index is never trusted, and lint prints the same bytes with
/// it as without any cache.
final class StatIndexTests: XCTestCase {
    private func workspace(_ count: Int = 4) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-stat-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try write("", to: "inquest.yml", in: root)
        try write(ExampleDocument.catalogue, to: "postmortems/causes.yml", in: root)
        for day in 1...count {
            let date = String(format: "2024-03-%02d", day)
            try write(ExampleDocument.make(fields: ["date": date, "root_causes": day % 2 == 0 ? "[missing-runbook-step]" : "[no-alert-on-saturation]"]),
                      to: "postmortems/\(date)-incident.md", in: root)
        }
        return root
    }

    private func write(_ contents: String, to path: String, in root: URL) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    private func index(_ root: URL) -> StatIndex {
        StatIndex.beside(LintCache.location(root: root, repository: nil))
    }

    /// Lists `root` through its stat index, as a command does.
    private func listing(_ root: URL) throws -> (documents: [RawDocument], statistics: StatIndex.Statistics) {
        let source = WorkingTreeSource(root: root).withStatIndex(index(root))
        let documents = try source.postmortemListing(under: "postmortems")
        return (documents, try XCTUnwrap((source as? WorkingTreeSource)?.statIndexStatistics))
    }

    /// Moves the index file's modification time `seconds` ahead: what the file system shows once
    /// time has passed since it was written (a stamp as new as the index is racy, see ``StatIndex``).
    private func age(_ root: URL, seconds: Int = 10) throws {
        let url = index(root).url
        var info = stat()
        XCTAssertEqual(lstat(url.path, &info), 0)
        var times = [timespec(tv_sec: info.st_mtim.tv_sec + seconds, tv_nsec: 0), timespec(tv_sec: info.st_mtim.tv_sec + seconds, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
    }

    private func blobIDs(_ root: URL, _ documents: [RawDocument]) throws -> [String: String] {
        var ids: [String: String] = [:]
        for document in documents {
            ids[document.path] = StatIndex.blobID(of: Array(try Data(contentsOf: root.appendingPathComponent(document.path))))
        }
        return ids
    }

    /// The index and the other caches sit beside the lint cache under its name with `lint`
    /// replaced: `stat.cache`, and `stat-<hash>.cache` for a nested workspace's `lint-<hash>.cache`.
    func testTheIndexAndSiblingCachesAreNamedAfterTheLintCache() throws {
        let folder = URL(fileURLWithPath: "/tmp/repo/.git/inquest")
        for (lint, stat, site) in [("lint.cache", "stat.cache", "site-facts.cache"),
                                   ("lint-0123456789abcdef.cache", "stat-0123456789abcdef.cache", "site-facts-0123456789abcdef.cache")] {
            let cache = LintCache(url: folder.appendingPathComponent(lint))
            XCTAssertEqual(StatIndex.beside(cache).url.lastPathComponent, stat)
            var workspace = Workspace(root: folder, configuration: Configuration())
            workspace.configurationDigest = "defaults"
            let sibling = try XCTUnwrap(cache.sibling("site-facts", formatVersion: 1, workspace: workspace, generator: "g"))
            XCTAssertEqual(sibling.url.lastPathComponent, site)
        }
    }

    func testUnchangedFilesAreKnownByTheirStatWithoutBeingRead() throws {
        let root = try workspace()
        let first = try listing(root)
        XCTAssertEqual(first.statistics.hashed, 4, "no index yet: every file is read and hashed")
        XCTAssertTrue(first.statistics.saved)
        XCTAssertTrue(first.documents.allSatisfy(\.isLoaded), "files read for their hash come back loaded")
        try age(root)
        let second = try listing(root)
        XCTAssertTrue(second.statistics.hit)
        XCTAssertEqual(second.statistics.trusted, 4)
        XCTAssertEqual(second.statistics.hashed, 0)
        XCTAssertFalse(second.statistics.saved, "nothing changed: the index is not written again")
        XCTAssertFalse(second.documents.contains(where: \.isLoaded), "unchanged files are not read")
        let expected = try blobIDs(root, second.documents)
        for document in second.documents { XCTAssertEqual(document.contentID, expected[document.path], document.path) }
        XCTAssertEqual(second.documents.map(\.contentID), first.documents.map(\.contentID))
    }

    func testEditsTouchesRenamesAndSameSizeEditsAreReadAndHashed() throws {
        let root = try workspace()
        _ = try listing(root)
        try age(root)
        let path = "postmortems/2024-03-02-incident.md"
        let original = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        // Same size, different bytes.
        let sameSize = original.replacingOccurrences(of: "date: 2024-03-02", with: "date: 2024-03-09")
        XCTAssertEqual(sameSize.utf8.count, original.utf8.count)
        try write(sameSize, to: path, in: root)
        var run = try listing(root)
        XCTAssertEqual(run.statistics.hashed, 1)
        XCTAssertEqual(run.statistics.trusted, 3)
        XCTAssertEqual(run.documents.first { $0.path == path }?.contentID, StatIndex.blobID(of: Array(sameSize.utf8)))
        try age(root)
        // A touch: the stat moves, the bytes do not.
        let url = root.appendingPathComponent(path)
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
        run = try listing(root)
        XCTAssertEqual(run.statistics.hashed, 1, "a changed stat is read and hashed")
        XCTAssertEqual(run.documents.first { $0.path == path }?.contentID, StatIndex.blobID(of: Array(sameSize.utf8)))
        try age(root)
        // A rename: a new path is hashed; the old one leaves the index.
        try FileManager.default.moveItem(at: url, to: root.appendingPathComponent("postmortems/2024-03-20-renamed.md"))
        run = try listing(root)
        XCTAssertEqual(run.statistics.hashed, 1)
        XCTAssertEqual(run.statistics.trusted, 3)
        XCTAssertEqual(run.documents.map(\.path).sorted(), run.documents.map(\.path))
        try age(root)
        run = try listing(root)
        XCTAssertEqual(run.statistics.hashed, 0)
        XCTAssertEqual(run.statistics.trusted, 4)
    }

    /// The author's loop: a file edited before every run is hashed at every run, and the index
    /// is not written again for it; past ``StatIndex/rehashAllowance`` new or changed files it is,
    /// and the next run trusts them all.
    func testAFewChangedFilesAreHashedAgainRatherThanTheIndexWrittenAfterEveryEdit() throws {
        let root = try workspace()
        _ = try listing(root)
        try age(root)
        let path = "postmortems/2024-03-02-incident.md"
        var text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        for edit in 1...3 {
            text += "\nAnother sentence (edit \(edit)).\n"
            try write(text, to: path, in: root)
            let run = try listing(root)
            XCTAssertEqual(run.statistics.hashed, 1, "edit \(edit): the edited file is read and hashed")
            XCTAssertEqual(run.statistics.trusted, 3)
            XCTAssertFalse(run.statistics.saved, "edit \(edit): one changed file does not write the index")
            XCTAssertEqual(run.documents.first { $0.path == path }?.contentID, StatIndex.blobID(of: Array(text.utf8)))
        }
        let unchanged = try listing(root)
        XCTAssertEqual(unchanged.statistics.hashed, 1, "not in the index: hashed again while it stays unchanged")
        XCTAssertFalse(unchanged.statistics.saved)
        for day in 10..<(10 + StatIndex.rehashAllowance) {
            try write(ExampleDocument.make(fields: ["date": "2024-04-\(day)"]), to: "postmortems/2024-04-\(day)-incident.md", in: root)
        }
        let many = try listing(root)
        XCTAssertEqual(many.statistics.hashed, StatIndex.rehashAllowance + 1)
        XCTAssertTrue(many.statistics.saved, "more than the allowance: the index is written")
        try age(root)
        let settled = try listing(root)
        XCTAssertEqual(settled.statistics.hashed, 0)
        XCTAssertEqual(settled.statistics.trusted, 4 + StatIndex.rehashAllowance)
        let expected = try blobIDs(root, settled.documents)
        for document in settled.documents { XCTAssertEqual(document.contentID, expected[document.path], document.path) }
    }

    /// A file whose modification time is not strictly older than the index file is hashed again,
    /// even with its stamp unchanged (git's racy rule); once the index is newer, it is trusted.
    func testRacyEntriesAreHashedAgainUntilTheIndexIsNewer() throws {
        let root = try workspace()
        let path = "postmortems/2024-03-03-incident.md"
        let url = root.appendingPathComponent(path)
        // Written "in the future" relative to the index about to be written.
        var future = [timespec(tv_sec: time(nil) + 3_600, tv_nsec: 0), timespec(tv_sec: time(nil) + 3_600, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &future, 0), 0)
        _ = try listing(root)
        // The other files are older than the index (as they are once a clock tick has passed).
        try age(root)
        let racy = try listing(root)
        XCTAssertEqual(racy.statistics.hashed, 1, "the racy file is read again")
        XCTAssertEqual(racy.statistics.trusted, 3)
        XCTAssertTrue(racy.statistics.saved, "and the index is written again, so that it can become trusted")
        try age(root, seconds: 7_200)
        let settled = try listing(root)
        XCTAssertEqual(settled.statistics.hashed, 0)
        XCTAssertEqual(settled.statistics.trusted, 4)
    }

    func testDamagedTruncatedAndForeignIndexesAreIgnoredAndRewritten() throws {
        let root = try workspace()
        _ = try listing(root)
        let url = index(root).url
        let good = try Data(contentsOf: url)
        var flipped = good
        flipped[flipped.count - 3] ^= 0x55
        var otherVersion = good
        otherVersion[16] = 0x7e
        let variants: [(String, Data)] = [("empty", Data()), ("garbage", Data("not an index at all, just text".utf8)),
                                          ("truncated", good.prefix(good.count / 2)), ("flipped byte", flipped),
                                          ("another format version", otherVersion)]
        for (name, bytes) in variants {
            try bytes.write(to: url)
            try age(root)
            let run = try listing(root)
            XCTAssertFalse(run.statistics.hit, name)
            XCTAssertEqual(run.statistics.trusted, 0, "\(name): never trusted")
            XCTAssertEqual(run.statistics.hashed, 4, name)
            XCTAssertTrue(run.statistics.saved, "\(name): replaced")
            XCTAssertEqual(run.documents.map(\.contentID), try listing(root).documents.map(\.contentID), name)
        }
    }

    /// An entry naming content the file no longer has is not believed when the stat differs: a
    /// copied index from another checkout (other inodes) hashes every file.
    func testAnIndexFromAnotherCheckoutIsNotTrusted() throws {
        let root = try workspace()
        _ = try listing(root)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-stat-copy-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: root, to: copy)
        try write(ExampleDocument.make(fields: ["date": "2024-03-01", "title": "Another title"]), to: "postmortems/2024-03-01-incident.md", in: copy)
        try age(copy)
        let run = try listing(copy)
        XCTAssertEqual(run.statistics.trusted, 0, "other inodes: nothing is trusted")
        let expected = try blobIDs(copy, run.documents)
        for document in run.documents { XCTAssertEqual(document.contentID, expected[document.path]) }
    }

    /// Listing one folder (`inquest lint postmortems/2024`) keeps the index's other entries.
    func testListingOneFolderKeepsTheEntriesOutsideIt() throws {
        let root = try workspace()
        try write(ExampleDocument.make(fields: ["date": "2024-05-01"]), to: "postmortems/sub/2024-05-01-nested.md", in: root)
        try write(ExampleDocument.make(fields: ["date": "2024-05-03"]), to: "postmortems/sub/2024-05-03-gone.md", in: root)
        _ = try listing(root)
        try age(root)
        try write(ExampleDocument.make(fields: ["date": "2024-05-02"]), to: "postmortems/sub/2024-05-01-nested.md", in: root)
        // An entry of the folder going away writes the index (one edit alone would not).
        try FileManager.default.removeItem(at: root.appendingPathComponent("postmortems/sub/2024-05-03-gone.md"))
        let source = WorkingTreeSource(root: root).withStatIndex(index(root))
        let sub = try source.postmortemListing(under: "postmortems/sub")
        XCTAssertEqual(sub.map(\.path), ["postmortems/sub/2024-05-01-nested.md"])
        XCTAssertEqual((source as? WorkingTreeSource)?.statIndexStatistics?.hashed, 1)
        try age(root)
        let whole = try listing(root)
        XCTAssertEqual(whole.statistics.hashed, 0, "the entries outside the folder are still there")
        XCTAssertEqual(whole.statistics.trusted, 5)
    }

    /// A document listed with a content id keeps it when read later, unless the file changed since.
    func testLoadingKeepsTheContentIDOnlyWhileTheStatHolds() throws {
        let root = try workspace()
        _ = try listing(root)
        try age(root)
        let source = WorkingTreeSource(root: root).withStatIndex(index(root))
        let listed = try source.postmortemListing(under: "postmortems")
        let document = try XCTUnwrap(listed.first)
        XCTAssertFalse(document.isLoaded)
        XCTAssertEqual(try source.load(document).contentID, document.contentID)
        try write("changed\n", to: document.path, in: root)
        XCTAssertNil(try source.load(document).contentID, "the file changed after the listing: its id is unknown")
    }

    /// Lint with the caches (and so the stat index) prints the same bytes as lint without any,
    /// after an edit, a touch that changes nothing, a rename and a same-size edit; the second
    /// warm run reads nothing it does not print.
    func testCachedLintEqualsUncachedLintThroughTouchesRenamesAndSameSizeEdits() throws {
        let root = try workspace(6)
        let cache = LintCache.location(root: root, repository: nil)
        func run(_ cached: Bool) throws -> String {
            let reader = try ArchiveReader.open(at: root, selection: .workingTree)
            let plan = try LintPlan.make(reader: reader, from: root, loadHistory: false, cache: cached ? cache : nil)
            let result = plan.lint()
            var sources: [String: SourceText] = [:]
            for postmortem in result.archive.postmortems { sources[postmortem.path] = postmortem.source }
            if let catalogue = result.archive.catalogue { sources[catalogue.path] = catalogue.source }
            return OutputFormat.allCases.map {
                DiagnosticFormatter(format: $0, sourceRoot: root).render(result.diagnostics, summary: result.summary, sources: sources)
            }.joined(separator: "\n---\n")
        }
        func check(_ message: String) throws {
            let uncached = try run(false)
            XCTAssertEqual(try run(true), uncached, "\(message): first cached run")
            try age(root)
            XCTAssertEqual(try run(true), uncached, "\(message): warm run")
        }
        try check("start")
        XCTAssertTrue(try run(false).contains("causes/recurring"), "the fixture has cross-document findings")
        let path = "postmortems/2024-03-04-incident.md"
        let original = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        try write(original.replacingOccurrences(of: "## Impact\n\n", with: "## Impact\n\nBob forgot the replica.\n\n"), to: path, in: root)
        try check("edit")
        var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, root.appendingPathComponent(path).path, &times, 0), 0)
        try check("touch without change")
        try FileManager.default.moveItem(at: root.appendingPathComponent(path), to: root.appendingPathComponent("postmortems/2024-03-24-moved.md"))
        try check("rename")
        let other = "postmortems/2024-03-05-incident.md"
        let text = try String(contentsOf: root.appendingPathComponent(other), encoding: .utf8)
        let sameSize = text.replacingOccurrences(of: "root_causes: [no-alert-on-saturation]", with: "root_causes: [no-alert-on-saturatioN]")
        XCTAssertNotEqual(sameSize, text)
        try write(sameSize, to: other, in: root)
        try check("same-size edit")
    }
}

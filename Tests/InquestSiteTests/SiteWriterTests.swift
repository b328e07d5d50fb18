import Foundation
import XCTest
@testable import InquestSite
import InquestTestSupport

/// The output tree's file writers: each folder's files are created by one writer thread, every
/// file handed over arrives with its bytes, and a failure on a writer thread fails the commit
/// and leaves the previous site as it was.
final class SiteWriterTests: XCTestCase {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-sitewriter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Paths like a site's: one big folder, a few small ones, files at the top.
    private static let paths: [String] = (0..<300).map { "postmortems/p\($0).html" } + (0..<40).map { "search/d/\($0).js" }
        + (0..<25).map { "causes/c\($0).html" } + (0..<7).map { "causes/c0/done/\($0).html" } + ["index.html", "stats.html", "search.html"]

    private static func bytes(_ path: String) -> [UInt8] {
        Array(String(repeating: path + "\n", count: path.count).utf8)
    }

    func testEveryFolderIsCreatedByOneWriterAndTheBiggestFolderHasAWriterToItself() throws {
        let output = try folder().appendingPathComponent("_site")
        let tree = try SiteWriter.OutputTree(output: output, generator: "test")
        try tree.makeFolders(for: Self.paths)
        let writers = tree.writerOfFolder
        XCTAssertEqual(Set(writers.keys), ["postmortems", "search/d", "causes", "causes/c0/done", ""])
        XCTAssertEqual(Set(writers.values), [0, 1], "two writers, both used")
        // 300 files against 75: the others share the second writer.
        let big = try XCTUnwrap(writers["postmortems"])
        XCTAssertEqual(writers.filter { $0.value == big }.map(\.key), ["postmortems"])
    }

    func testFilesWrittenFromManyThreadsArriveWithTheirBytes() throws {
        let output = try folder().appendingPathComponent("_site")
        let tree = try SiteWriter.OutputTree(output: output, generator: "test")
        try tree.makeFolders(for: Self.paths)
        let paths = Self.paths
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var paths: [String] = []
        }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for path in stride(from: thread, to: paths.count, by: 4).map({ paths[$0] }) {
                do { try tree.write(path, Self.bytes(path)) } catch {
                    failures.lock.lock()
                    failures.paths.append(path)
                    failures.lock.unlock()
                }
            }
        }
        XCTAssertEqual(failures.paths, [])
        try tree.commit(cache: BuildCache(generator: "test"))
        for path in paths {
            XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent(path).path).map(Array.init), Self.bytes(path), path)
        }
        let beside = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        XCTAssertEqual(beside, ["_site"], "no temporary folder left")
    }

    func testTheNewSiteIsBuiltUnderAFreshlyNamedFolderOfAHolderMarkedAsTopOfAHierarchy() throws {
        let parent = try folder()
        let output = parent.appendingPathComponent("_site")
        var inner: [String] = []
        for _ in 0..<2 {
            let tree = try SiteWriter.OutputTree(output: output, generator: "test")
            // `.NAME.inquest-tmp-PID/SPREAD/NAME`: the inner folder is named like the output.
            let spread = tree.temporary.deletingLastPathComponent()
            XCTAssertEqual(tree.temporary.lastPathComponent, "_site")
            XCTAssertEqual(spread.deletingLastPathComponent().path, tree.holder.path)
            XCTAssertEqual(tree.holder.lastPathComponent, "._site.inquest-tmp-\(getpid())")
            inner.append(spread.lastPathComponent)
            // Where the file system has inode flags (ext4, not tmpfs), the holder carries FS_TOPDIR_FL.
            let probe = parent.appendingPathComponent("probe-\(inner.count)")
            try FileManager.default.createDirectory(at: probe, withIntermediateDirectories: false)
            if let flags = SiteWriter.folderFlags(probe.path), SiteWriter.setFolderFlags(probe.path, flags | SiteWriter.topFolderFlag) {
                XCTAssertNotEqual((SiteWriter.folderFlags(tree.holder.path) ?? 0) & SiteWriter.topFolderFlag, 0)
            }
        }
        XCTAssertNotEqual(inner[0], inner[1], "a new random name for every build")
        let tree = try SiteWriter.OutputTree(output: output, generator: "test")
        try tree.makeFolders(for: ["index.html", "postmortems/a.html"])
        try tree.write("index.html", Array("new".utf8))
        try tree.write("postmortems/a.html", Array("a".utf8))
        try tree.commit(cache: BuildCache(generator: "test"))
        // The flag is not inherited: the site and its folders are plain folders.
        for path in [output.path, output.appendingPathComponent("postmortems").path] {
            XCTAssertEqual((SiteWriter.folderFlags(path) ?? 0) & SiteWriter.topFolderFlag, 0, path)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.contains("inquest-") }, [])
    }

    func testJournalIsFoundByTheDeviceNameItIsListedUnder() {
        XCTAssertTrue(SiteWriter.journalListed(device: "vda1", in: ["sda-8", "vda1-8"]))
        XCTAssertFalse(SiteWriter.journalListed(device: "vda", in: ["vda1-8"]), "a partition's journal is not the disk's")
        XCTAssertFalse(SiteWriter.journalListed(device: "vda1", in: ["vda1-x", "vda1"]), "not a journal entry")
        XCTAssertTrue(SiteWriter.journalListed(device: "dm-0", in: ["dm-0-8"]), "device names may hold a dash")
        XCTAssertFalse(SiteWriter.journalListed(device: "", in: ["-8"]))
    }

    func testWritersCreateFilesInStagingFoldersBesideTheSiteAndMoveThemIntoPlace() throws {
        let output = try folder().appendingPathComponent("_site")
        let tree = try SiteWriter.OutputTree(output: output, generator: "test")
        try tree.makeFolders(for: Self.paths)
        // The site's folder and, for each of the two writers, its staging folders (where the
        // file system spreads folders: ext4, not tmpfs).
        let holderEntries = try FileManager.default.contentsOfDirectory(atPath: tree.holder.path)
        let spreads = (SiteWriter.folderFlags(tree.holder.path) ?? 0) & SiteWriter.topFolderFlag != 0
            && !SiteWriter.hasJournal(tree.holder.path)
        XCTAssertEqual(holderEntries.count, 1 + (spreads ? 2 * SiteWriter.OutputTree.stagingFoldersPerWriter : 0))
        for path in Self.paths { try tree.write(path, Self.bytes(path)) }
        // Whatever a killed build would leave is inside a folder named like the output (ignored with it).
        for entry in holderEntries {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tree.holder.appendingPathComponent(entry).path), ["_site"], entry)
        }
        try tree.commit(cache: BuildCache(generator: "test"))
        for path in Self.paths {
            XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent(path).path).map(Array.init), Self.bytes(path), path)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path), ["_site"])
    }

    func testAMoveWithoutReplacingRefusesAnExistingTargetAndKeepsBothFiles() throws {
        let parent = try folder()
        let source = parent.appendingPathComponent("new").path, target = parent.appendingPathComponent("old").path
        try Data("new".utf8).write(to: URL(fileURLWithPath: source))
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        XCTAssertFalse(SiteWriter.moveWithoutReplacing(source, target))
        XCTAssertEqual(errno, EEXIST)
        XCTAssertEqual(FileManager.default.contents(atPath: target), Data("old".utf8))
        XCTAssertEqual(FileManager.default.contents(atPath: source), Data("new".utf8))
        let free = parent.appendingPathComponent("free").path
        XCTAssertTrue(SiteWriter.moveWithoutReplacing(source, free))
        XCTAssertEqual(FileManager.default.contents(atPath: free), Data("new".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: source))
    }

    func testAFailureOnAWriterThreadFailsTheCommitAndKeepsThePreviousSite() throws {
        let parent = try folder()
        let output = parent.appendingPathComponent("_site")
        let first = try SiteWriter.OutputTree(output: output, generator: "test")
        try first.makeFolders(for: ["index.html", "postmortems/a.html"])
        try first.write("index.html", Array("old".utf8))
        try first.write("postmortems/a.html", Array("old a".utf8))
        try first.commit(cache: BuildCache(generator: "test"))

        do {
            let tree = try SiteWriter.OutputTree(output: output, generator: "test", reusePrevious: false)
            try tree.makeFolders(for: Self.paths)
            // The same file twice: the writer thread's second create fails (the file exists).
            try tree.write("postmortems/p1.html", Self.bytes("postmortems/p1.html"))
            try tree.write("postmortems/p1.html", Self.bytes("postmortems/p1.html"))
            // Later writes either queue (and are dropped) or report the failure at once.
            for path in Self.paths.prefix(20) where path != "postmortems/p1.html" { _ = try? tree.write(path, Self.bytes(path)) }
            XCTAssertThrowsError(try tree.commit(cache: BuildCache(generator: "test"))) { error in
                let message = (error as? SiteError)?.message ?? ""
                XCTAssertTrue(message.hasPrefix("cannot write the site beside "), message)
                XCTAssertTrue(message.contains("File exists") && message.contains("postmortems/p1.html"), message)
                XCTAssertTrue(message.hasSuffix("was left as it was"), message)
            }
        }
        XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent("index.html").path), Data("old".utf8))
        XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent("postmortems/a.html").path), Data("old a".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("postmortems/p1.html").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["_site"], "the abandoned tree's folder is removed")
    }

    func testAWriterCreatesInOrderAndWritesOnTheCallersThreadOnceFinished() throws {
        let root = try folder()
        let writer = SiteWriter.FileWriter()
        for number in 0..<50 { try writer.enqueue(root.appendingPathComponent("f\(number)").path, Array(String(number).utf8)) }
        XCTAssertNil(writer.finish())
        XCTAssertNil(writer.finish(), "a second finish returns at once")
        try writer.enqueue(root.appendingPathComponent("late").path, Array("late".utf8))
        for number in 0..<50 {
            XCTAssertEqual(FileManager.default.contents(atPath: root.appendingPathComponent("f\(number)").path), Data(String(number).utf8))
        }
        XCTAssertEqual(FileManager.default.contents(atPath: root.appendingPathComponent("late").path), Data("late".utf8))
        // A failure is reported by the write after it, and by finish.
        let failing = SiteWriter.FileWriter()
        try failing.enqueue(root.appendingPathComponent("missing/x").path, [1])
        XCTAssertNotNil(failing.finish())
        XCTAssertThrowsError(try failing.enqueue(root.appendingPathComponent("y").path, [2]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("y").path), "nothing written after a failure")
    }
}

/// Builds into one output folder take turns (``SiteWriter/OutputLock``).
final class OutputLockTests: XCTestCase {
    /// Whether another process could lock `folder` now (a second open file, as another process has).
    private func isFree(_ folder: URL) -> Bool {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
        flock(descriptor, LOCK_UN)
        return true
    }

    func testAnOutputTreeHoldsItsFoldersLockUntilItIsReleased() throws {
        let parent = try TemporaryFolder()
        let output = parent.appending("_site")
        XCTAssertTrue(isFree(parent.url))
        var tree: SiteWriter.OutputTree? = try SiteWriter.OutputTree(output: output, generator: "test")
        XCTAssertNotNil(tree)
        XCTAssertFalse(isFree(parent.url), "another build waits while this one may write")
        tree = nil
        XCTAssertTrue(isFree(parent.url), "released with the tree")
    }

    func testATreeCommittedAndReleasedLetsTheNextBuildIn() throws {
        let parent = try TemporaryFolder()
        let output = parent.appending("_site")
        do {
            let tree = try SiteWriter.OutputTree(output: output, generator: "test")
            try tree.makeFolders(for: ["index.html"])
            try tree.write("index.html", Array("one".utf8))
            try tree.commit(cache: BuildCache(generator: "test"))
        }
        XCTAssertTrue(isFree(parent.url))
        XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent("index.html").path), Data("one".utf8))
    }

    func testACommittedTreeGivesTheLockBackWhileItLivesOn() throws {
        // A one-shot build keeps its tree until the process exits (ExitTeardown): the next build
        // must not wait for that, only for the swap. Fresh output first, then an in-place update.
        let parent = try TemporaryFolder()
        let output = parent.appending("_site")
        var kept: [SiteWriter.OutputTree] = []
        for text in ["one", "two"] {
            let tree = try SiteWriter.OutputTree(output: output, generator: "test")
            kept.append(tree)
            try tree.makeFolders(for: ["index.html"])
            try tree.write("index.html", Array(text.utf8))
            XCTAssertFalse(isFree(parent.url))
            try tree.commit(cache: BuildCache(generator: "test"))
            XCTAssertTrue(isFree(parent.url), "\(text): free once committed, the tree still alive")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent("index.html").path), Data("two".utf8))
        kept.removeAll()
        XCTAssertTrue(isFree(parent.url), "freeing a committed tree releases nothing twice")
    }

    func testACommitReleasesOnlyItsOwnShareOfTheProcesssLock() throws {
        let parent = try TemporaryFolder()
        let output = parent.appending("_site")
        let first = try SiteWriter.OutputTree(output: output, generator: "test")
        try first.makeFolders(for: ["index.html"])
        try first.write("index.html", Array("one".utf8))
        do {
            let second = try SiteWriter.OutputTree(output: parent.appending("other"), generator: "test")
            try first.commit(cache: BuildCache(generator: "test"))
            XCTAssertFalse(isFree(parent.url), "the other tree of this process still holds it")
            withExtendedLifetime(second) {}
        }
        XCTAssertTrue(isFree(parent.url), "freed with the other tree")
        withExtendedLifetime(first) {}
    }

    func testABuildBehindAnotherSaysSoThenWaitsForItsRelease() throws {
        let parent = try TemporaryFolder()
        let output = parent.appending("_site")
        // Another process's lock: a descriptor of its own, as another process has.
        let other = open(parent.path, O_RDONLY | O_DIRECTORY)
        defer { close(other) }
        XCTAssertEqual(flock(other, LOCK_EX), 0)
        let told = DispatchSemaphore(value: 0), made = DispatchSemaphore(value: 0)
        let result = Locked<SiteWriter.OutputTree?>(nil)
        Thread.detachNewThread {
            // Made outside `result`'s lock (the test reads it meanwhile), and held only by
            // `result` once made: the function's local is gone when it returns.
            func make() {
                let tree = try? SiteWriter.OutputTree(output: output, generator: "test", whileWaiting: { told.signal() })
                result.withLock { $0 = tree }
            }
            make()
            made.signal()
        }
        XCTAssertEqual(told.wait(timeout: .now() + 30), .success, "told it waits")
        XCTAssertNil(result.withLock { $0 }, "not made while the other build holds the lock")
        XCTAssertEqual(flock(other, LOCK_UN), 0)
        XCTAssertEqual(made.wait(timeout: .now() + 30), .success)
        XCTAssertNotNil(result.withLock { $0 }, "made once it was released")
        result.withLock { $0 = nil }
        XCTAssertTrue(isFree(parent.url))
    }

    func testTwoTreesOfOneProcessShareTheLockInsteadOfWaitingForEachOther() throws {
        let parent = try TemporaryFolder()
        let output = parent.appending("_site")
        var first: SiteWriter.OutputTree? = try SiteWriter.OutputTree(output: output, generator: "test")
        // Made while the first is held: returns at once (a second descriptor would wait forever).
        var second: SiteWriter.OutputTree? = try SiteWriter.OutputTree(output: output, generator: "test", reusePrevious: false)
        XCTAssertNotNil(second)
        first = nil
        XCTAssertFalse(isFree(parent.url), "held while any tree of the process holds it")
        second = nil
        XCTAssertTrue(isFree(parent.url))
        XCTAssertNil(first)
    }
}

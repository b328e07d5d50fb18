import Foundation
import XCTest
@testable import InquestCore

/// ``CacheFile``: a cache lands whole, a failed write leaves the old file, and the temporary
/// files of writers that were killed mid-write do not pile up beside the cache.
final class CacheFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-cachefile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }

    func testReplacingWritesTheBytesAndLeavesNoTemporaryFile() throws {
        let url = folder.appendingPathComponent("lint-cache")
        XCTAssertTrue(CacheFile.replace(url, with: Array("first".utf8)))
        XCTAssertTrue(CacheFile.replace(url, with: Array("second".utf8)))
        XCTAssertEqual(try Data(contentsOf: url), Data("second".utf8))
        XCTAssertEqual(try names(), ["lint-cache"])
    }

    func testAKilledWritersTemporaryFileIsRemovedButALiveOnesIsKept() throws {
        let url = folder.appendingPathComponent("site-facts")
        // A process id no process has (above the kernel's pid_max), and a live one (this test's
        // parent: the writer's own id is skipped before the liveness check is reached).
        let gone = folder.appendingPathComponent(".site-facts.2147483646.12345.tmp")
        let live = folder.appendingPathComponent(".site-facts.\(getppid()).678.tmp")
        let otherCache = folder.appendingPathComponent(".search.2147483646.9.tmp")
        let unparsed = folder.appendingPathComponent(".site-facts.notapid.tmp")
        for file in [gone, live, otherCache, unparsed] { XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))) }
        XCTAssertTrue(CacheFile.replace(url, with: Array("facts".utf8)))
        XCTAssertEqual(try names(), [".search.2147483646.9.tmp", ".site-facts.\(getppid()).678.tmp", ".site-facts.notapid.tmp", "site-facts"],
                       "only the dead writer's file of this cache goes")
    }

    func testAWriteThatCannotLandIsAFalseReturnAndLeavesNothingBehind() throws {
        // The cache's name taken by a folder: the rename fails (as a full disk or a read-only
        // folder would fail the write, which root cannot be made to see).
        let url = folder.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: url.appendingPathComponent("kept").path, contents: Data())
        XCTAssertFalse(CacheFile.replace(url, with: Array("new".utf8)))
        XCTAssertEqual(try names(), ["history"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.path), ["kept"])
    }
}

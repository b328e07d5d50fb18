import Foundation
import XCTest
@testable import InquestServe

/// The preview's change signal (inotify): a change to an entry a scan reads ends the wait, other
/// changes in the same folder (logs, swap files) do not, and stopping ends it at once.
final class ChangeSignalTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        #if !os(Linux)
        throw XCTSkip("the change signal is inotify's (Linux); elsewhere the watcher polls")
        #endif
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func write(_ name: String) throws {
        try Data("text\n".utf8).write(to: folder.appendingPathComponent(name))
    }

    private func signal(_ interest: FileScanner.Interest) throws -> ChangeSignal {
        let signal = try XCTUnwrap(ChangeSignal.make())
        signal.watch([folder.path: interest])
        return signal
    }

    func testAMarkdownFileOrAFolderWakesAPostmortemsFolderAndOtherFilesDoNot() throws {
        let signal = try signal(FileScanner.Interest(markdown: true))
        try write("build.log")
        XCTAssertFalse(signal.wait(timeout: 0.3), "a log file is not read by a scan")
        try write(".2025-03-04-draft.md.swp")
        XCTAssertFalse(signal.wait(timeout: 0.3), "nor is an editor's hidden swap file")
        try write("2025-03-04-checkout.md")
        XCTAssertTrue(signal.wait(timeout: 5))
        try write("causes.yml")
        XCTAssertTrue(signal.wait(timeout: 5))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("2027"), withIntermediateDirectories: false)
        XCTAssertTrue(signal.wait(timeout: 5), "a new folder is watched at the next look")
    }

    func testTheFolderOfAWatchedFileWakesForThatFileOnly() throws {
        let signal = try signal(FileScanner.Interest(names: ["inquest.yml"]))
        try write("README.md")
        XCTAssertFalse(signal.wait(timeout: 0.3))
        try write("inquest.yml")
        XCTAssertTrue(signal.wait(timeout: 5))
    }

    func testWakingEndsTheWaitAtOnce() throws {
        let signal = try signal(FileScanner.Interest(everyFile: true))
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { signal.wake() }
        XCTAssertFalse(signal.wait(timeout: 60))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testAScannerWatchesEachFolderForWhatItReads() throws {
        let scanner = FileScanner(root: folder, watches: [.folder("postmortems", markdownOnly: true), .folder("site", markdownOnly: false),
                                                          .file("inquest.yml"), .file("postmortems/causes.yml")])
        for path in ["postmortems/2025", "site/templates", "postmortems/.hidden"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        var folders: [String: FileScanner.Interest] = [:]
        _ = scanner.scan(folders: &folders)
        let root = folder.path
        XCTAssertEqual(Set(folders.keys), [root, root + "/postmortems", root + "/postmortems/2025", root + "/site", root + "/site/templates"])
        XCTAssertEqual(folders[root]?.names, ["inquest.yml"])
        XCTAssertEqual(folders[root + "/postmortems"], FileScanner.Interest(markdown: true, names: ["causes.yml"]))
        XCTAssertEqual(folders[root + "/site/templates"], FileScanner.Interest(everyFile: true))
    }
}

import Foundation
import XCTest
import InquestCore
@testable import InquestSite
import InquestTestSupport

/// An incremental build updates the previous site in place (``SiteWriter/OutputTree/isUpdate``):
/// only new and changed files are written and moved in, what the site no longer has is deleted,
/// nothing is written through a link, and the result is a clean build's, file for file and
/// folder for folder.
final class SiteUpdateTests: XCTestCase {
    typealias Workspace = IncrementalBuildTests.Workspace

    /// Regular files with their bytes, and every folder, relative to `folder`.
    private func tree(_ folder: URL) throws -> (files: [String: [UInt8]], folders: [String]) {
        var folders: [String] = []
        let base = folder.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(atPath: base)
        while let path = enumerator?.nextObject() as? String {
            var info = stat()
            if lstat(base + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { folders.append(path) }
        }
        return (try regularFiles(in: folder), folders.sorted())
    }

    private func assertSameAsClean(_ workspace: Workspace, _ output: URL, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let clean = workspace.folder.url.appendingPathComponent("clean-\(UUID().uuidString)/_site")
        try workspace.build(into: clean, clean: true)
        let (files, folders) = try tree(output), (cleanFiles, cleanFolders) = try tree(clean)
        XCTAssertEqual(files.keys.sorted(), cleanFiles.keys.sorted(), "\(message): the same files", file: file, line: line)
        for (path, bytes) in cleanFiles where files[path] != bytes { XCTFail("\(message): \(path) differs from a clean build", file: file, line: line) }
        XCTAssertEqual(folders, cleanFolders, "\(message): the same folders", file: file, line: line)
    }

    func testAnUpdateDeletesWhatTheSiteNoLongerHasAndLeavesNoTemporaryFolder() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("tags/search.html").path))
        // The only document with the `search` tag and service goes; a stray folder appears.
        try workspace.remove(Fixture.paths.second)
        try FileManager.default.createDirectory(at: output.appendingPathComponent("stray/deeper"), withIntermediateDirectories: true)
        let summary = try XCTUnwrap(try workspace.build(into: output))
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("tags/search.html").path))
        XCTAssertLessThan(summary.written, summary.files, "an update writes only what changed")
        try assertSameAsClean(workspace, output, "a document removed")
        let beside = try FileManager.default.contentsOfDirectory(atPath: workspace.folder.url.path).filter { $0.contains("inquest-") }
        XCTAssertEqual(beside, [], "the temporary folder is gone")
        XCTAssertNil(try workspace.build(into: output), "the updated site is recognised as current")
    }

    func testAnUpdateNeverWritesThroughALinkInTheOutput() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output)
        // The postmortems folder of the site is swapped for a link to a folder outside it.
        let outside = workspace.folder.url.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: outside.appendingPathComponent("keep.txt"))
        try FileManager.default.removeItem(at: output.appendingPathComponent("postmortems"))
        try FileManager.default.createSymbolicLink(at: output.appendingPathComponent("postmortems"), withDestinationURL: outside)
        try workspace.write(Fixture.paths.third, Fixture.third.replacingOccurrences(of: "noticed by support", with: "noticed by customer support"))
        try workspace.build(into: output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), ["keep.txt"], "nothing was written through the link")
        try assertSameAsClean(workspace, output, "a link where a folder was")
    }

    func testFilesAndFoldersInTheWayAreReplaced() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output)
        // A folder where a page goes, and a file where a folder goes.
        try FileManager.default.removeItem(at: output.appendingPathComponent("stats.html"))
        try FileManager.default.createDirectory(at: output.appendingPathComponent("stats.html/inner"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: output.appendingPathComponent("tags"))
        try Data("not a folder".utf8).write(to: output.appendingPathComponent("tags"))
        try workspace.build(into: output)
        try assertSameAsClean(workspace, output, "things in the way")
    }

    func testAnUpdateAbandonedBeforeItsCommitLeavesThePreviousSiteAsItWas() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        try workspace.build(into: output)
        let before = try tree(output)
        do {
            let tree = try SiteWriter.OutputTree(output: output, generator: "test", update: true)
            XCTAssertTrue(tree.isUpdate, "a previous build with its cache is updated in place")
            try tree.makeFolders(for: ["index.html", "postmortems/new.html"])
            try tree.write("index.html", Array("changed".utf8))
            try tree.write("postmortems/new.html", Array("new".utf8))
            // Released without a commit, as a build that fails on a later file is.
        }
        let after = try tree(output)
        XCTAssertEqual(after.files, before.files)
        XCTAssertEqual(after.folders, before.folders)
        let beside = try FileManager.default.contentsOfDirectory(atPath: workspace.folder.url.path).filter { $0.contains("inquest-") }
        XCTAssertEqual(beside, [], "the temporary folder is removed")
    }
}

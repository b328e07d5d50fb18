import Foundation
import XCTest
@testable import InquestServe

/// The preview's change detection: what counts as a change, what is watched and what is not.
final class FileScannerTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-scan-\(UUID().uuidString)")
        try write("a", to: "postmortems/2025/a.md")
        try write("b", to: "postmortems/b.markdown")
        try write("catalogue", to: "postmortems/causes.yml")
        try write("not watched", to: "postmortems/notes.txt")
        try write("swap file", to: "postmortems/.a.md.swp")
        try write("theme", to: "site/assets/site.css")
        try write("config", to: "inquest.yml")
        try write("outside", to: "README.md")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var scanner: FileScanner {
        FileScanner(root: folder, watches: [.folder("postmortems", markdownOnly: true), .folder("site", markdownOnly: false),
                                            .file("inquest.yml"), .file("missing.yml")])
    }

    private func write(_ text: String, to path: String) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func testWatchesDocumentsCatalogueThemeAndConfigurationOnly() {
        XCTAssertEqual(scanner.scan().keys.sorted(),
                       ["inquest.yml", "postmortems/2025/a.md", "postmortems/b.markdown", "postmortems/causes.yml", "site/assets/site.css"])
    }

    func testReportsAddedChangedAndRemovedFiles() throws {
        let before = scanner.scan()
        XCTAssertEqual(FileScanner.changes(from: before, to: scanner.scan()), [])
        try write("a, edited to the same length?", to: "postmortems/2025/a.md")
        try write("new", to: "postmortems/2026/c.md")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("postmortems/b.markdown"))
        try write("file that appears", to: "missing.yml")
        try write("ignored", to: "README.md")
        XCTAssertEqual(FileScanner.changes(from: before, to: scanner.scan()),
                       ["missing.yml", "postmortems/2025/a.md", "postmortems/2026/c.md", "postmortems/b.markdown"])
    }

    func testARewriteWithTheSameSizeIsAChange() throws {
        let before = scanner.scan()
        // Same size, and possibly the same modification time on a coarse clock: the inode
        // (save by rename) or the change time still differs.
        let url = folder.appendingPathComponent("postmortems/2025/a.md")
        try Data("z".utf8).write(to: url, options: .atomic)
        XCTAssertEqual(FileScanner.changes(from: before, to: scanner.scan()), ["postmortems/2025/a.md"])
    }

    func testSymbolicLinksAreNotFollowed() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-scan-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("x".utf8).write(to: outside.appendingPathComponent("linked.md"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("postmortems/elsewhere"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("postmortems/link.md"),
                                                   withDestinationURL: outside.appendingPathComponent("linked.md"))
        XCTAssertFalse(scanner.scan().keys.contains { $0.contains("link") || $0.contains("elsewhere") })
    }
}

import Foundation
import InquestTestSupport
import XCTest
@testable import InquestCore

/// What every ``DocumentSource`` answers the same way, whichever it is: the capability questions
/// the rest of the code asks instead of checking the concrete type.
final class DocumentSourceTests: XCTestCase {
    func testOnlyTheWorkingTreeIsNotASnapshot() throws {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.commitAll("Catalogue", as: .priya)
        let repository = try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
        XCTAssertFalse(try repository.source(.workingTree, root: repo.url).isSnapshot)
        XCTAssertTrue(try repository.source(.revision("HEAD"), root: repo.url).isSnapshot)
        XCTAssertTrue(try repository.source(.index, root: repo.url).isSnapshot)
    }

    func testEverySourceListsTheSameFilesUnderAFolder() throws {
        let repo = try GitTestRepository()
        try repo.write("site/templates/index.mustache", "index")
        try repo.write("site/assets/css/site.css", "body {}")
        try repo.write("site/assets/.hidden/x.css", "hidden")
        try repo.write("site/README.txt", "not a theme file")
        try FileManager.default.createSymbolicLink(atPath: repo.url.appendingPathComponent("site/assets/link.css").path,
                                                   withDestinationPath: "css/site.css")
        try repo.commitAll("Theme", as: .priya)
        let repository = try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
        let isAsset: (String) -> Bool = { $0.hasPrefix("assets/") || $0.hasPrefix("templates/") }
        var listings: [String: [String]] = [:]
        for selection in [DocumentSourceSelection.workingTree, .revision("HEAD"), .index] {
            let files = try repository.source(selection, root: repo.url).files(under: "site", where: isAsset)
            listings[selection.optionName] = files.map(\.path)
            XCTAssertEqual(files.first { $0.path == "site/assets/css/site.css" }.map { String(decoding: $0.bytes, as: UTF8.self) }, "body {}")
        }
        XCTAssertEqual(listings["the working tree"], ["site/assets/css/site.css", "site/templates/index.mustache"],
                       "filtered by the path below the folder; links and hidden names skipped")
        XCTAssertEqual(listings["--rev"], listings["the working tree"])
        XCTAssertEqual(listings["--staged"], listings["the working tree"])
        XCTAssertEqual(try repository.source(.revision("HEAD"), root: repo.url).files(under: "missing", where: { _ in true }).count, 0)
    }
}

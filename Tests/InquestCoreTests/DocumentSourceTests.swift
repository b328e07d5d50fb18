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

    /// The temporary index of `git commit -a` travels as ``DocumentSource/indexFile``: only a
    /// `--staged` source given one other than `$GIT_DIR/index` names it.
    func testOnlyAStagedSourceWithATemporaryIndexNamesItsIndexFile() throws {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.commitAll("Catalogue", as: .priya)
        let temporary = repo.url.appendingPathComponent(".git/next-index-1.lock")
        try FileManager.default.copyItem(at: repo.url.appendingPathComponent(".git/index"), to: temporary)
        let repository = try XCTUnwrap(try WorkspaceRepository.discover(root: repo.url))
        XCTAssertNil(try repository.source(.workingTree, root: repo.url, indexFile: temporary.path).indexFile)
        XCTAssertNil(try repository.source(.revision("HEAD"), root: repo.url, indexFile: temporary.path).indexFile)
        XCTAssertNil(try repository.source(.index, root: repo.url).indexFile)
        XCTAssertNil(try repository.source(.index, root: repo.url, indexFile: repo.url.appendingPathComponent(".git/index").path).indexFile,
                     "the repository's own index is the normal index")
        XCTAssertEqual(try repository.source(.index, root: repo.url, indexFile: temporary.path).indexFile, temporary.path)
    }

    /// `--staged` in a hook run by `git commit -a` judges the change in `GIT_INDEX_FILE`, not in
    /// `$GIT_DIR/index`: the two index files stage different documents here, and the one reported
    /// is the one the temporary index changed.
    func testStagedChangeIsJudgedInTheTemporaryIndex() throws {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025-03-04-a.md")
        try repo.writePostmortem("postmortems/2025-03-05-b.md")
        try repo.commitAll("Add", as: .priya)
        let temporary = repo.url.appendingPathComponent(".git/next-index-1.lock")
        try FileManager.default.copyItem(at: repo.url.appendingPathComponent(".git/index"), to: temporary)
        // The own index stages an edit of b; the temporary one (a copy of HEAD's) an edit of a.
        try repo.writePostmortem("postmortems/2025-03-05-b.md", fields: ["severity": "SEV8"])
        try repo.add("postmortems/2025-03-05-b.md")
        try repo.writePostmortem("postmortems/2025-03-04-a.md", fields: ["severity": "SEV9"])
        try repo.add(["postmortems/2025-03-04-a.md"], toIndexFile: temporary.path)

        func judged(_ indexFile: String?) throws -> (reported: Set<String>?, findings: [String]) {
            let reader = try ArchiveReader.open(at: repo.url, selection: .index, indexFile: indexFile)
            let plan = try LintPlan.make(reader: reader, from: repo.url, loadHistory: false, judgeStagedChange: true)
            return (plan.input.reportPaths, plan.lint().diagnostics.rule("schema/invalid-value").map(\.file))
        }
        let own = try judged(nil)
        XCTAssertEqual(own.reported, ["postmortems/2025-03-05-b.md"])
        XCTAssertEqual(own.findings, ["postmortems/2025-03-05-b.md"])
        let hook = try judged(temporary.path)
        XCTAssertEqual(hook.reported, ["postmortems/2025-03-04-a.md"], "the change set comes from GIT_INDEX_FILE")
        XCTAssertEqual(hook.findings, ["postmortems/2025-03-04-a.md"])
    }
}

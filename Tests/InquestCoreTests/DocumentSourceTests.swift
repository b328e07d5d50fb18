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

    /// The lint cache lists the working tree with `fstatat` on open folders instead of reading it:
    /// the same documents in the same order as reading them, whatever the names (a folder and a
    /// file sharing a prefix, hidden and template files, non-ASCII names, links, nested folders).
    func testWorkingTreeListingNamesWhatReadingReadsInTheSameOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-listing-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let files = ["postmortems/2025/2025-01-02-a.md", "postmortems/2025-x.md", "postmortems/2025/z.markdown", "postmortems/README.md",
                     "postmortems/_template.md", "postmortems/.hidden.md", "postmortems/.drafts/d.md", "postmortems/2025/notes.txt",
                     "postmortems/é-accent.md", "postmortems/e\u{301}-combining.md", "postmortems/Z-upper.md", "postmortems/a/b/c/deep.md",
                     "postmortems/2025-01/x.md", "postmortems/2025.md"]
        for path in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("postmortems/link.md").path, withDestinationPath: "2025-x.md")
        let source = WorkingTreeSource(root: root)
        let listed = try source.postmortemListing(under: "postmortems")
        let read = try source.postmortemFiles(under: "postmortems")
        XCTAssertEqual(listed.map(\.path), read.map(\.path))
        XCTAssertEqual(listed.map(\.path), listed.map(\.path).sorted(), "in path order")
        XCTAssertTrue(listed.allSatisfy { !$0.isLoaded && $0.stamp != nil })
        XCTAssertEqual(Set(listed.map(\.path)), ["postmortems/2025/2025-01-02-a.md", "postmortems/2025-x.md", "postmortems/2025/z.markdown",
                                                 "postmortems/README.md", "postmortems/é-accent.md", "postmortems/e\u{301}-combining.md",
                                                 "postmortems/Z-upper.md", "postmortems/a/b/c/deep.md", "postmortems/2025-01/x.md",
                                                 "postmortems/2025.md"])
    }

    /// The byte-level README check gives what the general rule gives, for ASCII and other paths.
    func testReadmeExclusionIsTheSameOnTheFastPath() {
        var configuration = Configuration()
        configuration.readmes = ["README.md", "Index.MD"]
        let cases: [(String, Bool)] = [("postmortems/README.md", true), ("postmortems/readme.md", true), ("postmortems/index.md", true),
                                       ("postmortems/2025/README.md", false), ("README.md", false), ("postmortems/README.markdown", false),
                                       ("postmortems//README.md", true), ("/postmortems/README.md", true), ("postmortems/RÉADME.md", false),
                                       ("postmortems/x.md", false), ("other/README.md", false)]
        for (path, excluded) in cases {
            XCTAssertEqual(PostmortemFiles.isExcluded(path, configuration: configuration), excluded, path)
        }
        XCTAssertTrue(PostmortemFiles.isPostmortemName(ArraySlice("a.md".utf8)))
        XCTAssertFalse(PostmortemFiles.isPostmortemName(ArraySlice("_a.md".utf8)))
        XCTAssertFalse(PostmortemFiles.isPostmortemName(ArraySlice(".a.md".utf8)))
        XCTAssertTrue(PostmortemFiles.isPostmortemName(ArraySlice("ü.markdown".utf8)))
        XCTAssertFalse(PostmortemFiles.isPostmortemName(ArraySlice("a.md.txt".utf8)))
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

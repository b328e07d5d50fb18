import Foundation
import XCTest
import InquestGit
@testable import InquestCore
import InquestTestSupport

/// `GitRevisionSource` and `GitIndexSource`: the same files and skip rules as the working tree,
/// read from git objects.
final class GitSourceTests: XCTestCase {
    private func sampleRepository() throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025/2025-03-04-checkout-latency.md")
        try repo.write("postmortems/_template.md", "---\ntitle: template\n---\n")
        try repo.write("postmortems/.hidden/2025-01-01-secret.md", "---\n---\n")
        try repo.write("postmortems/notes.txt", "not markdown\n")
        try repo.write("README.md", "# Incidents\n")
        try FileManager.default.createSymbolicLink(atPath: repo.url.appendingPathComponent("postmortems/link.md").path,
                                                   withDestinationPath: "2025/2025-03-04-checkout-latency.md")
        try repo.commitAll("Add the first postmortem", as: .priya)
        return repo
    }

    func testRevisionSourceReadsCommittedFilesWithTheWorkingTreeSkipRules() throws {
        let repo = try sampleRepository()
        let git = try XCTUnwrap(GitRepository.discover(from: repo.path))
        let source = try GitRevisionSource(repository: git, revision: "HEAD")
        let documents = try source.postmortemFiles(under: "postmortems")
        let working = try WorkingTreeSource(root: repo.url).postmortemFiles(under: "postmortems")
        XCTAssertEqual(documents.map(\.path), ["postmortems/2025/2025-03-04-checkout-latency.md"])
        XCTAssertEqual(documents.map(\.path), working.map(\.path), "same skip rules as the working tree")
        XCTAssertEqual(documents[0].bytes, working[0].bytes)
        let blob = try repo.blobSHA("HEAD", "postmortems/2025/2025-03-04-checkout-latency.md")
        XCTAssertEqual(documents[0].contentID, blob, "content id is the blob id")
        XCTAssertTrue(source.label.hasPrefix("HEAD ("), source.label)
        XCTAssertNotNil(try source.file("postmortems/causes.yml"))
        XCTAssertNil(try source.file("postmortems/link.md"), "symlinks are not followed")
        XCTAssertNil(try source.file("postmortems/missing.md"))
        XCTAssertNil(try source.file("postmortems"), "a folder is not a file")
    }

    func testRevisionSourceNeverReadsTheWorkingTree() throws {
        let repo = try sampleRepository()
        let committed = try repo.read("postmortems/2025/2025-03-04-checkout-latency.md")
        try repo.write("postmortems/2025/2025-03-04-checkout-latency.md", "edited on disk\n")
        try repo.writePostmortem("postmortems/2025/2025-04-01-untracked.md")
        let git = try XCTUnwrap(GitRepository.discover(from: repo.path))
        let documents = try GitRevisionSource(repository: git, revision: "main").postmortemFiles(under: "postmortems")
        XCTAssertEqual(documents.map(\.path), ["postmortems/2025/2025-03-04-checkout-latency.md"])
        XCTAssertEqual(String(decoding: documents[0].bytes, as: UTF8.self), committed)
    }

    func testUnknownRevisionIsAClearError() throws {
        let repo = try sampleRepository()
        let git = try XCTUnwrap(GitRepository.discover(from: repo.path))
        XCTAssertThrowsError(try GitRevisionSource(repository: git, revision: "no-such-branch")) { error in
            XCTAssertEqual((error as? SourceError)?.message, "unknown revision 'no-such-branch': not a branch, tag or commit in this repository")
        }
    }

    func testIndexSourceReadsStagedContent() throws {
        let repo = try sampleRepository()
        try repo.writePostmortem("postmortems/2025/2025-03-04-checkout-latency.md", fields: ["severity": "SEV1"])
        try repo.add("postmortems/2025/2025-03-04-checkout-latency.md")
        try repo.writePostmortem("postmortems/2025/2025-03-04-checkout-latency.md", fields: ["severity": "SEV3"])
        try repo.writePostmortem("postmortems/2025/2025-04-01-untracked.md")
        let git = try XCTUnwrap(GitRepository.discover(from: repo.path))
        let documents = try GitIndexSource(repository: git).postmortemFiles(under: "postmortems")
        XCTAssertEqual(documents.map(\.path), ["postmortems/2025/2025-03-04-checkout-latency.md"], "untracked files are not staged")
        XCTAssertTrue(String(decoding: documents[0].bytes, as: UTF8.self).contains("severity: SEV1"))
    }

    func testNestedWorkspaceReadsItsOwnFolder() throws {
        let repo = try GitTestRepository()
        try repo.write("incidents/inquest.yml", "postmortems: docs\n")
        try repo.write("incidents/docs/causes.yml", ExampleDocument.catalogue)
        try repo.writePostmortem("incidents/docs/2025-03-04-nested.md")
        try repo.writePostmortem("postmortems/2025-03-04-outside.md")
        try repo.commitAll("Nested archive", as: .priya)
        let reader = try ArchiveReader.open(at: repo.url.appendingPathComponent("incidents"), selection: .revision("HEAD"))
        XCTAssertEqual(reader.repository?.pathPrefix, "incidents")
        XCTAssertEqual(reader.workspace.configuration.postmortems, "docs")
        let plan = try LintPlan.make(reader: reader, from: repo.url.appendingPathComponent("incidents"))
        XCTAssertEqual(plan.input.documents.map(\.path), ["docs/2025-03-04-nested.md"])
        XCTAssertEqual(plan.input.catalogue?.path, "docs/causes.yml")
        XCTAssertEqual(plan.archive.history?.documents.keys.sorted(), ["docs/2025-03-04-nested.md"])
    }

    func testConfigurationIsReadAtTheTarget() throws {
        let repo = try GitTestRepository()
        try repo.write("inquest.yml", "rules:\n  structure/missing-section: off\n")
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025-03-04-a.md", sections: ["Resolution": nil])
        try repo.commitAll("Silence missing sections", as: .priya)
        try repo.write("inquest.yml", "rules:\n  structure/missing-section: error\n")
        let committed = try GitLint.run(repo.url, .revision("HEAD")).rule("structure/missing-section")
        let working = try GitLint.run(repo.url).rule("structure/missing-section")
        XCTAssertEqual(committed.count, 0, "the committed inquest.yml turns the rule off")
        XCTAssertEqual(working.map(\.severity), [.error], "the working tree's inquest.yml turns it on")
        try repo.add("inquest.yml")
        XCTAssertEqual(try GitLint.run(repo.url, .index).rule("structure/missing-section").count, 1, "the staged inquest.yml")
    }

    func testDirtyWorkingTreeIndexAndHeadGiveThreeDifferentResults() throws {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        // HEAD: an invalid severity.
        try repo.writePostmortem("postmortems/2025-03-04-a.md", fields: ["severity": "SEV9"])
        try repo.commitAll("Add a", as: .priya)
        // Index: severity fixed, but the status is invalid.
        try repo.writePostmortem("postmortems/2025-03-04-a.md", fields: ["status": "done"])
        try repo.addAll()
        // Working tree: both fixed, the title removed.
        try repo.writePostmortem("postmortems/2025-03-04-a.md", fields: ["title": nil])
        let rules: Set<String> = ["schema/invalid-value", "schema/missing-field"]
        func messages(_ selection: DocumentSourceSelection) throws -> [String] {
            try GitLint.run(repo.url, selection).filter { rules.contains($0.rule) }.map(\.message)
        }
        XCTAssertEqual(try messages(.revision("HEAD")), [Finding.Message.notOneOf("severity", ["SEV1", "SEV2", "SEV3", "SEV4"], found: "SEV9").text])
        let staged = try messages(.index), working = try messages(.workingTree)
        XCTAssertEqual(staged.count, 1)
        XCTAssertTrue(staged.first?.contains("'status'") == true, "\(staged)")
        XCTAssertEqual(working.count, 1)
        XCTAssertTrue(working.first?.contains("title") == true, "\(working)")
    }

    func testBareRepositoryLintsARevision() throws {
        let origin = try GitTestRepository()
        try origin.writeCatalogue()
        try origin.writePostmortem("postmortems/2025-03-04-a.md", fields: ["severity": "SEV9"])
        try origin.commitAll("Add a", as: .priya)
        let bare = try origin.clone("bare.git", bare: true)
        let plan = try GitLint.plan(bare.url, .revision("main"))
        XCTAssertEqual(plan.input.documents.map(\.path), ["postmortems/2025-03-04-a.md"])
        XCTAssertEqual(plan.lint().diagnostics.rule("schema/invalid-value").count, 1)
        XCTAssertEqual(plan.archive.history?.documents["postmortems/2025-03-04-a.md"]?.commits.count, 1)
        XCTAssertThrowsError(try GitLint.plan(bare.url)) { error in
            XCTAssertTrue((error as? SourceError)?.message.contains("bare repository") == true, "\(error)")
        }
        XCTAssertThrowsError(try GitLint.plan(bare.url, .index)) { error in
            XCTAssertEqual((error as? SourceError)?.message, "a bare repository has no index: use --rev instead of --staged")
        }
    }

    /// `git commit -a` and `git commit <paths>` stage into a temporary index named by GIT_INDEX_FILE.
    func testTemporaryIndexFileIsRead() throws {
        for version in ["2", "3", "4"] {
            let repo = try GitTestRepository()
            try repo.writeCatalogue()
            try repo.writePostmortem("postmortems/2025-03-04-a.md")
            try repo.writePostmortem("postmortems/2025/nested/2025-03-05-b.md")
            try repo.commitAll("Add", as: .priya)
            try repo.setIndexVersion(UInt32(version)!)
            try repo.writePostmortem("postmortems/2025-03-04-a.md", fields: ["severity": "SEV9"])
            // A temporary index with the edit staged, as git builds for `git commit -a`.
            let temporary = repo.url.appendingPathComponent(".git/next-index-1.lock")
            try FileManager.default.copyItem(at: repo.url.appendingPathComponent(".git/index"), to: temporary)
            try repo.add(["postmortems/2025-03-04-a.md"], toIndexFile: temporary.path)
            XCTAssertEqual(try GitLint.run(repo.url, .index).rule("schema/invalid-value").count, 0, "v\(version): own index")
            let plan = try GitLint.plan(repo.url, .index, indexFile: temporary.path)
            XCTAssertEqual(plan.input.documents.map(\.path), ["postmortems/2025-03-04-a.md", "postmortems/2025/nested/2025-03-05-b.md"], "v\(version)")
            XCTAssertEqual(plan.lint().diagnostics.rule("schema/invalid-value").count, 1, "v\(version): temporary index")
            let changed = try GitLint.plan(repo.url, .index, changedSince: "HEAD", indexFile: temporary.path)
            XCTAssertEqual(changed.input.reportPaths, ["postmortems/2025-03-04-a.md"], "v\(version)")
            // The repository's own index named explicitly reads as the normal index.
            let own = try ArchiveReader.open(at: repo.url, selection: .index,
                                             indexFile: repo.url.appendingPathComponent(".git/index").path).source
            XCTAssertNil(own.indexFile, "v\(version)")
        }
    }

    func testIndexFilesThatAreNotIndexesAreErrors() throws {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025-03-04-a.md")
        try repo.commitAll("Add", as: .priya)
        let garbage = repo.url.appendingPathComponent(".git/garbage-index")
        for bytes in [Array("not an index".utf8), Array("DIRC".utf8) + [0, 0, 0, 9, 0, 0, 0, 0]] {
            try Data(bytes).write(to: garbage)
            XCTAssertThrowsError(try GitLint.plan(repo.url, .index, indexFile: garbage.path)) { error in
                XCTAssertTrue((error as? SourceError)?.message.contains("cannot read the index") == true, "\(error)")
            }
        }
        // A missing file is not an empty index: libgit2 would read it as one.
        let missing = repo.url.appendingPathComponent(".git/no-such-index").path
        XCTAssertThrowsError(try GitLint.plan(repo.url, .index, indexFile: missing))
    }
}

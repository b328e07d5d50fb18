import Foundation
import XCTest
import InquestCore
@testable import InquestSite
import InquestTestSupport

/// The build's input digest read through the stat index, as `inquest build` reads it: the same
/// digest as hashing every file, it moves with every byte (a same-size edit, a rename) and not
/// with a touch, and a second build reads no unchanged file.
final class BuildInputsStatIndexTests: XCTestCase {
    private typealias Workspace = IncrementalBuildTests.Workspace

    private func statIndex(_ workspace: Workspace) -> StatIndex {
        StatIndex.beside(LintCache.location(root: workspace.root, repository: nil))
    }

    /// The digest with the stat index, and what the index did.
    private func digest(_ workspace: Workspace) throws -> (digest: String?, statistics: StatIndex.Statistics?) {
        let reader = try ArchiveReader.open(at: workspace.root, selection: .workingTree)
        reader.useStatIndex(statIndex(workspace))
        let digest = BuildInputs.digest(reader: reader, baseURL: nil, environment: [:], generator: "test")
        return (digest, (reader.source as? WorkingTreeSource)?.statIndexStatistics)
    }

    /// The digest hashing every file.
    private func plain(_ workspace: Workspace) throws -> String? {
        BuildInputs.digest(reader: try ArchiveReader.open(at: workspace.root, selection: .workingTree), baseURL: nil, environment: [:], generator: "test")
    }

    /// As time passing does: the index becomes older than nothing it lists (see ``StatIndex``).
    private func age(_ workspace: Workspace) {
        let path = statIndex(workspace).url.path
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        var times = [timespec(tv_sec: info.st_mtim.tv_sec + 10, tv_nsec: 0), timespec(tv_sec: info.st_mtim.tv_sec + 10, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
    }

    func testDigestThroughTheStatIndexFollowsEveryByteAndReadsNoUnchangedFile() throws {
        let workspace = try Workspace()
        let first = try digest(workspace)
        let start = try XCTUnwrap(first.digest)
        XCTAssertEqual(start, try plain(workspace), "the same digest as hashing every file")
        XCTAssertEqual(first.statistics?.hashed, Fixture.files.count, "no index yet: every file is hashed")
        age(workspace)
        let second = try digest(workspace)
        XCTAssertEqual(second.digest, start)
        XCTAssertEqual(second.statistics?.hashed, 0, "unchanged files are not read")
        XCTAssertEqual(second.statistics?.trusted, Fixture.files.count)

        // A same-size edit, straight after the index was written (racy or not, it is seen).
        let sameSize = Fixture.first.replacingOccurrences(of: "Checkout", with: "CHECKOUT")
        XCTAssertNotEqual(sameSize, Fixture.first)
        XCTAssertEqual(sameSize.utf8.count, Fixture.first.utf8.count)
        try workspace.write(Fixture.paths.first, sameSize)
        let edited = try digest(workspace)
        XCTAssertNotEqual(edited.digest, start)
        XCTAssertEqual(edited.digest, try plain(workspace))
        // The bytes back, then a touch alone: the digest is the first one again.
        try workspace.write(Fixture.paths.first, Fixture.first)
        XCTAssertEqual(try digest(workspace).digest, start)
        age(workspace)
        var times = [timespec(tv_sec: 1_500_000_000, tv_nsec: 0), timespec(tv_sec: 1_500_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, workspace.root.appendingPathComponent(Fixture.paths.first).path, &times, 0), 0)
        let touched = try digest(workspace)
        XCTAssertEqual(touched.digest, start, "a touch changes no byte")
        XCTAssertEqual(touched.statistics?.hashed, 1, "but the touched file is read again")
        // A rename.
        let renamed = Fixture.paths.first.replacingOccurrences(of: ".md", with: "-moved.md")
        try FileManager.default.moveItem(at: workspace.root.appendingPathComponent(Fixture.paths.first),
                                         to: workspace.root.appendingPathComponent(renamed))
        let moved = try digest(workspace)
        XCTAssertNotEqual(moved.digest, start)
        XCTAssertEqual(moved.digest, try plain(workspace))
    }

    /// A cached build after a touch, a rename and a same-size edit is a clean build's bytes.
    func testCachedBuildsEqualCleanBuildsAfterTouchesRenamesAndSameSizeEdits() throws {
        let workspace = try Workspace()
        let output = workspace.folder.url.appendingPathComponent("_site")
        func check(_ message: String) throws {
            // As `inquest build` does: the stat index is on before the input digest is taken.
            let reader = try ArchiveReader.open(at: workspace.root, selection: .workingTree)
            let lintCache = LintCache.location(root: workspace.root, repository: nil)
            reader.useStatIndex(StatIndex.beside(lintCache))
            let inputs = BuildInputs.digest(reader: reader, baseURL: nil, environment: [:], generator: "test")
            let linted = SiteBuild.lint(reader: reader, cache: lintCache,
                                        siteFacts: SiteFactsCache.beside(lintCache, workspace: reader.workspace, generator: "test"))
            let archive = try SiteBuild.loadArchive(reader: reader, parsed: try XCTUnwrap(linted.archive)).archive
            let settings = SiteSettings(configuration: reader.workspace.configuration, baseURL: nil, environment: [:])
            _ = try SiteBuild.build(archive: archive, settings: settings, theme: try Fixture.theme.get(), output: output, protected: [workspace.root],
                                    generator: "test", incremental: true, inputs: inputs,
                                    searchCache: SearchCache.beside(lintCache, workspace: reader.workspace, generator: "test"), stubs: linted.stubs)
            let clean = workspace.folder.url.appendingPathComponent("clean-\(UUID().uuidString)/_site")
            try workspace.build(into: clean, clean: true)
            let a = try regularFiles(in: output), b = try regularFiles(in: clean)
            XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), message)
            for (path, bytes) in b where a[path] != bytes { XCTFail("\(message): \(path) differs from a clean build") }
        }
        try check("first build")
        var times = [timespec(tv_sec: 1_500_000_000, tv_nsec: 0), timespec(tv_sec: 1_500_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, workspace.root.appendingPathComponent(Fixture.paths.third).path, &times, 0), 0)
        try check("touch without change")
        let renamed = Fixture.paths.third.replacingOccurrences(of: ".md", with: "-moved.md")
        try FileManager.default.moveItem(at: workspace.root.appendingPathComponent(Fixture.paths.third),
                                         to: workspace.root.appendingPathComponent(renamed))
        try check("rename")
        try workspace.write(renamed, Fixture.third.replacingOccurrences(of: "noticed by support", with: "NOTICED BY SUPPORT"))
        try check("same-size edit")
    }
}

import Foundation
import XCTest
@testable import InquestGit

final class GitHistoryTests: XCTestCase {
    func testHistoryAttributesCommitsAcrossRenameAndMerge() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "", from: oid(sample.c7))

        XCTAssertEqual(Set(history.keys), [
            ".mailmap", "README.md", "docs/feature.md", "docs/intro.md", "docs/link.md", "docs/manual.md", "src/main.c",
        ])
        let manual = try XCTUnwrap(history["docs/manual.md"])
        XCTAssertEqual(manual.path, "docs/manual.md")
        XCTAssertEqual(manual.commits.map(\.oid.hex), [sample.c6, sample.c4, sample.c3, sample.c1],
                       "merge (vs first parent), branch edit, rename, and the add under the old name")
        XCTAssertEqual(manual.contributors, ["Alice Archer", "Carol Chen", "Bob Builder"])
        XCTAssertEqual(manual.renames.map(\.from), ["docs/guide.md"])
        XCTAssertEqual(manual.renames.map(\.to), ["docs/manual.md"])
        XCTAssertEqual(manual.renames.first?.commit.oid.hex, sample.c3)
        XCTAssertEqual(manual.firstCommit.oid.hex, sample.c1)
        XCTAssertEqual(manual.firstCommit.summary, "Initial import")
        XCTAssertEqual(manual.lastCommit.oid.hex, sample.c6)
        XCTAssertEqual(manual.lastCommit.shortSHA, String(sample.c6.prefix(7)))

        let intro = try XCTUnwrap(history["docs/intro.md"])
        XCTAssertEqual(intro.commits.map(\.oid.hex), [sample.c5, sample.c2, sample.c1])
        XCTAssertEqual(intro.commits.map(\.authorName), ["Alice Archer", "Bob Builder", "Alice Archer"],
                       "Bobby is mailmapped to Bob Builder")
        XCTAssertEqual(intro.commits[1].authorTime, GitTime(secondsSinceEpoch: 1_700_086_400, offsetMinutes: 120))
        XCTAssertEqual(intro.contributors, ["Alice Archer", "Bob Builder"])
        XCTAssertEqual(intro.renames, [])

        let feature = try XCTUnwrap(history["docs/feature.md"])
        XCTAssertEqual(feature.commits.map(\.oid.hex), [sample.c6, sample.c4])
        XCTAssertEqual(feature.contributors, ["Bob Builder", "Alice Archer"])

        let readme = try XCTUnwrap(history["README.md"])
        XCTAssertEqual(readme.commits.map(\.oid.hex), [sample.c7, sample.c1])
        XCTAssertEqual(readme.lastCommit.authorName, "dependabot[bot]")
        XCTAssertEqual(readme.lastCommit.summary, "Bump badge")

        XCTAssertEqual(history["docs/link.md"]?.commits.map(\.oid.hex), [sample.c1])
        XCTAssertEqual(history["src/main.c"]?.commits.map(\.oid.hex), [sample.c1])
    }

    func testHistoryUnderFolderWithPredicateOnlyReturnsMatchingFiles() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "docs", from: oid(sample.c7)) { path in
            path.hasSuffix(".md") && !path.hasSuffix("link.md")
        }
        XCTAssertEqual(Set(history.keys), ["docs/feature.md", "docs/intro.md", "docs/manual.md"])
        XCTAssertEqual(history["docs/manual.md"]?.commits.count, 4)
        XCTAssertEqual(history["docs/manual.md"]?.renames.count, 1)
    }

    func testHistoryFromOlderCommitSeesOldNames() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "docs", from: oid(sample.c2))
        XCTAssertEqual(Set(history.keys), ["docs/guide.md", "docs/intro.md", "docs/link.md"])
        XCTAssertEqual(history["docs/intro.md"]?.commits.map(\.oid.hex), [sample.c2, sample.c1])
    }

    func testRenameChainAndReusedOldNameAreAttributedToTheRightCurrentFile() throws {
        let sample = try SampleRepository()
        let script = sample.script
        let body = (1...20).map { "Line \($0) of the story that moves around.\n" }.joined()
        try script.write("notes/a.md", body)
        try script.git("add", "-A")
        let r1 = try script.commit("Add a", as: .alice)
        try script.write("notes/a.md", body + "Edited.\n")
        try script.git("add", "-A")
        let r2 = try script.commit("Edit a", as: .bob)
        try script.git("mv", "notes/a.md", "notes/b.md")
        let r3 = try script.commit("Rename a to b", as: .carol)
        try script.write("notes/b.md", body + "Edited.\nAgain.\n")
        try script.git("add", "-A")
        let r4 = try script.commit("Edit b", as: .alice)
        try script.git("mv", "notes/b.md", "notes/c.md")
        let r5 = try script.commit("Rename b to c", as: .bob)
        try script.write("notes/a.md", "A brand new file that reuses the old name.\n")
        try script.git("add", "-A")
        let r6 = try script.commit("New a", as: .carol)
        try script.write("notes/a.md", "A brand new file that reuses the old name, edited.\n")
        try script.git("add", "-A")
        let r7 = try script.commit("Edit new a", as: .carol)

        let repo = try GitRepository.open(path: sample.path)
        let history = try repo.history(under: "notes", from: oid(r7))
        XCTAssertEqual(Set(history.keys), ["notes/a.md", "notes/c.md"])
        let c = try XCTUnwrap(history["notes/c.md"])
        XCTAssertEqual(c.commits.map(\.oid.hex), [r5, r4, r3, r2, r1])
        XCTAssertEqual(c.renames.map { "\($0.from) -> \($0.to) @\($0.commit.oid.hex)" },
                       ["notes/b.md -> notes/c.md @\(r5)", "notes/a.md -> notes/b.md @\(r3)"])
        XCTAssertEqual(c.contributors, ["Alice Archer", "Bob Builder", "Carol Chen"])
        XCTAssertEqual(history["notes/a.md"]?.commits.map(\.oid.hex), [r7, r6])
        XCTAssertEqual(history["notes/a.md"]?.contributors, ["Carol Chen"])
    }

    func testFileMovedIntoFolderFromOutsideStartsItsHistoryThereUnlessWholeTreeIsWalked() throws {
        let sample = try SampleRepository()
        try sample.script.git("mv", "src/main.c", "docs/main.c")
        let move = try sample.script.commit("Move main.c into docs", as: .carol)
        let repo = try GitRepository.open(path: sample.path)

        let docs = try repo.history(under: "docs", from: oid(move))
        XCTAssertEqual(docs["docs/main.c"]?.commits.map(\.oid.hex), [move])
        XCTAssertEqual(docs["docs/main.c"]?.renames, [])

        let all = try repo.history(under: "", from: oid(move))
        XCTAssertEqual(all["docs/main.c"]?.commits.map(\.oid.hex), [move, sample.c1])
        XCTAssertEqual(all["docs/main.c"]?.renames.map(\.from), ["src/main.c"])
    }

    func testShallowCloneHistoryStopsAtBoundaryWithoutError() throws {
        let sample = try SampleRepository()
        let clonePath = sample.folder.subpath("shallow")
        try sample.script.git("clone", "-q", "--depth", "1", "file://" + sample.path, clonePath, in: sample.folder.path)
        let repo = try GitRepository.open(path: clonePath)
        XCTAssertTrue(repo.isShallow)
        let head = try XCTUnwrap(try repo.headCommit())
        XCTAssertEqual(head.hex, sample.c7)
        XCTAssertEqual(try repo.commitInfo(head).parents.map(\.hex), [sample.c6], "the parent id is recorded, the object is absent")

        let history = try repo.history(under: "", from: head)
        XCTAssertEqual(history.count, 7)
        for (path, file) in history {
            XCTAssertEqual(file.commits.map(\.oid.hex), [sample.c7], path)
        }
        XCTAssertEqual(try repo.authorNames(), [], "only the bot's commit is present")
    }

    func testShallowCloneOfDepthTwoTreatsMergeAtBoundaryAsAddingEverything() throws {
        let sample = try SampleRepository()
        let clonePath = sample.folder.subpath("shallow2")
        try sample.script.git("clone", "-q", "--depth", "2", "file://" + sample.path, clonePath, in: sample.folder.path)
        let repo = try GitRepository.open(path: clonePath)
        XCTAssertTrue(repo.isShallow)
        let history = try repo.history(under: "", from: try repo.resolve("HEAD"))
        XCTAssertEqual(history["README.md"]?.commits.map(\.oid.hex), [sample.c7, sample.c6])
        XCTAssertEqual(history["docs/manual.md"]?.commits.map(\.oid.hex), [sample.c6])
        XCTAssertEqual(history["docs/manual.md"]?.renames, [])
        XCTAssertEqual(try repo.authorNames(), ["Alice Archer"])
        XCTAssertEqual(try repo.resolve("HEAD~1").hex, sample.c6)
    }

    func testHistoryOfMissingFolderIsEmpty() throws {
        let sample = try SampleRepository()
        let repo = try GitRepository.open(path: sample.path)
        XCTAssertEqual(try repo.history(under: "nowhere", from: oid(sample.c7)), [:])
    }

    /// 1,000 files in 20 folders and 5,000 commits (two edits each, a pure rename every
    /// 100th commit), written with `git fast-import`; one walk must take seconds.
    func testHistoryOfThousandFilesAndFiveThousandCommitsIsFast() throws {
        let folder = try TemporaryFolder()
        let script = try GitScript.initialise(folder.subpath("big"), home: folder.path)
        let generated = PerformanceFixture(fileCount: 1_000, commitCount: 5_000)
        let streamPath = folder.subpath("stream")
        try Data(generated.stream.utf8).write(to: URL(fileURLWithPath: streamPath))
        try script.run(["fast-import", "--quiet"], standardInput: streamPath)

        let repo = try GitRepository.open(path: script.directory)
        let head = try repo.resolve("main")
        let start = Date()
        let history = try repo.history(under: "", from: head)
        let elapsed = Date().timeIntervalSince(start)
        print("history of \(generated.fileCount) files × \(generated.commitCount) commits took \(String(format: "%.2f", elapsed)) s")

        XCTAssertEqual(history.count, generated.fileCount)
        XCTAssertEqual(Set(history.keys), Set(generated.currentPaths))
        XCTAssertEqual(history.values.reduce(0) { $0 + $1.commits.count }, generated.expectedAttributions)
        XCTAssertEqual(history.values.reduce(0) { $0 + $1.renames.count }, generated.renameCount)
        for (path, expected) in generated.expectedCommitCounts {
            XCTAssertEqual(history[path]?.commits.count, expected, path)
        }
        XCTAssertLessThan(elapsed, 30, "one walk over 5,000 commits should take seconds")
    }
}

/// Builds a `git fast-import` stream and the counts the history walk must reproduce.
struct PerformanceFixture {
    let fileCount: Int
    let commitCount: Int
    private(set) var stream = ""
    private(set) var currentPaths: [String] = []
    private(set) var expectedCommitCounts: [String: Int] = [:]
    private(set) var expectedAttributions = 0
    private(set) var renameCount = 0

    init(fileCount: Int, commitCount: Int) {
        self.fileCount = fileCount
        self.commitCount = commitCount
        let authors = ["Ada", "Ben", "Cy", "Di", "Ed"]
        var paths = (0..<fileCount).map { String(format: "dir%02d/file%04d.md", $0 % 20, $0) }
        var counts = Array(repeating: 1, count: fileCount) // the initial commit touches every file
        var generator = SplitMix64(seed: 42)
        var out = ""
        out.reserveCapacity(commitCount * 300 + fileCount * 120)

        func data(_ text: String) -> String { "data \(text.utf8.count)\n\(text)\n" }

        for number in 0..<commitCount {
            let author = authors[number % authors.count]
            let time = 1_600_000_000 + number * 60
            out += "commit refs/heads/main\nmark :\(number + 1)\n"
            out += "author \(author) <\(author.lowercased())@example.com> \(time) +0000\n"
            out += "committer \(author) <\(author.lowercased())@example.com> \(time) +0000\n"
            out += data("Commit \(number)")
            if number > 0 { out += "from :\(number)\n" }
            if number == 0 {
                for (index, path) in paths.enumerated() {
                    out += "M 100644 inline \(path)\n" + data("File \(index)\nversion 0\n")
                }
            } else if number % 100 == 0 {
                let index = Int(generator.next() % UInt64(fileCount))
                let old = paths[index]
                let new = old.replacingOccurrences(of: ".md", with: "-r\(number).md")
                out += "R \(old) \(new)\n"
                paths[index] = new
                counts[index] += 1
                renameCount += 1
            } else {
                let first = Int(generator.next() % UInt64(fileCount))
                var second = Int(generator.next() % UInt64(fileCount))
                if second == first { second = (first + 1) % fileCount }
                for index in [first, second] {
                    out += "M 100644 inline \(paths[index])\n" + data("File \(index)\nversion \(number)\n")
                    counts[index] += 1
                }
            }
        }
        stream = out
        currentPaths = paths
        expectedAttributions = counts.reduce(0, +)
        expectedCommitCounts = Dictionary(uniqueKeysWithValues: zip(paths, counts))
    }
}

/// A tiny deterministic random generator so the fixture is the same on every run.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

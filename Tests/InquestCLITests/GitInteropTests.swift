import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

/// InquestGit against git itself: what GitWriter writes passes `git fsck --strict`, and a history
/// made by `git fast-import` (5,000 commits, too many to script one by one) walks correctly and in
/// seconds. The only tests outside the CLI's that need the real git, so they live with the other
/// process-starting tests.
final class GitInteropTests: XCTestCase {
    func testGitAcceptsWhatGitWriterWrites() throws {
        let repository = try GitTestRepository()
        try repository.writePostmortem("postmortems/a.md")
        try repository.commitAll("Add a", as: .priya)
        let repo = try GitRepository.open(path: repository.path)
        let files: [(path: String, contents: [UInt8])] = [
            (path: "index.html", contents: Array("<h1>Archive</h1>\n".utf8)),
            (path: "css/site.css", contents: Array("body { margin: 0 }\n".utf8)),
            (path: ".nojekyll", contents: []),
        ]
        let author = GitSignature(name: "Inquest Publisher", email: "publisher@example.com",
                                  time: GitTime(secondsSinceEpoch: 1_710_000_000, offsetMinutes: -300))
        _ = try repo.commit(tree: try repo.writeTree(files: files), parents: [], message: "Publish archive\n",
                            updateRef: "refs/heads/gh-pages", author: author)
        XCTAssertEqual(try repository.git(["ls-tree", "-r", "--name-only", "gh-pages"]), ".nojekyll\ncss/site.css\nindex.html")
        XCTAssertEqual(try repository.git(["fsck", "--no-progress", "--strict"]), "")
        XCTAssertEqual(try repository.git(["log", "-1", "--format=%an <%ae> %ad", "--date=raw", "gh-pages"]),
                       "Inquest Publisher <publisher@example.com> 1710000000 -0500")
        XCTAssertEqual(try repository.git(["status", "--porcelain"]), "")
    }

    /// 1,000 files in 20 folders and 5,000 commits (two edits each, a pure rename every
    /// 100th commit), written with `git fast-import`; one walk must take seconds.
    func testHistoryOfThousandFilesAndFiveThousandCommitsIsFast() throws {
        let folder = try TemporaryFolder()
        let big = folder.url.appendingPathComponent("big")
        try FileManager.default.createDirectory(at: big, withIntermediateDirectories: true)
        let generated = PerformanceFixture(fileCount: 1_000, commitCount: 5_000)
        let streamPath = folder.subpath("stream")
        try Data(generated.stream.utf8).write(to: URL(fileURLWithPath: streamPath))
        // MALLOC_TOP_PAD_: glibc grows fast-import's heap in large steps instead of one brk call per
        // object (120,000 system calls, over a second of system time); git's output is the same.
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path, "GIT_CONFIG_NOSYSTEM": "1",
                           "MALLOC_TOP_PAD_": "268435456"]
        try Subprocess.run(["git", "init", "-q", "-b", "main"], in: big, environment: environment)
        try Subprocess.run(["/bin/sh", "-c", "git fast-import --quiet < '\(streamPath)'"], in: big, environment: environment)

        let repo = try GitRepository.open(path: big.path)
        let head = try repo.resolve("main")
        var history: [String: GitFileHistory] = [:]
        // CPU time, not wall-clock time: a loaded machine stretches the latter arbitrarily.
        let elapsed = try cpuSeconds { history = try repo.history(under: "", from: head) }
        print("history of \(generated.fileCount) files × \(generated.commitCount) commits took \(String(format: "%.2f", elapsed)) CPU s")

        XCTAssertEqual(history.count, generated.fileCount)
        XCTAssertEqual(Set(history.keys), Set(generated.currentPaths))
        XCTAssertEqual(history.values.reduce(0) { $0 + $1.commits.count }, generated.expectedAttributions)
        XCTAssertEqual(history.values.reduce(0) { $0 + $1.renames.count }, generated.renameCount)
        for (path, expected) in generated.expectedCommitCounts {
            XCTAssertEqual(history[path]?.commits.count, expected, path)
        }
        XCTAssertLessThan(elapsed, 30, "one walk over 5,000 commits should take seconds of CPU")
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


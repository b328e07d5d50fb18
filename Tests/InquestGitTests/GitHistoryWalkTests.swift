import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

/// A history walk that takes an earlier walk's commits (``GitRepository/historyWalk(under:from:matching:reusing:at:twoThreadsFrom:)``),
/// and one whose diffs are read on two threads, equal the full walk, over random sequences of commits (edits, renames, deletions,
/// paths that come back, merges), and diff only the commits the earlier walk did not: new ones, a merged branch's, none when
/// HEAD moves back.
final class GitHistoryWalkTests: XCTestCase {
    /// Text long enough that a rename with a small edit is still detected as one.
    static func text(_ name: String, _ version: Int) -> String {
        (0..<30).map { "Line \($0) of \(name): the service answered slowly while the cache warmed.\n" }.joined() + "Version \(version).\n"
    }

    func testAWalkReusingTheLastOneEqualsTheFullWalkOverRandomCommits() throws {
        let repo = try GitTestRepository()
        let git = try GitRepository.open(path: repo.url.path)
        var random = SplitMix64(seed: 42)
        var files: Set<String> = []
        var gone: [String] = []
        var version = 0
        for number in 0..<6 {
            let path = "docs/file\(number).md"
            try repo.write(path, Self.text(path, 0))
            files.insert(path)
        }
        try repo.write("src/other.c", "int main(void) { return 0; }\n")
        try repo.commitAll("Initial import", as: .priya)
        let matching: (String) -> Bool = { $0.hasSuffix(".md") }
        var previousHead = try XCTUnwrap(GitOID(hex: try repo.sha("HEAD")))
        var previous = try git.historyWalk(under: "docs", from: previousHead, matching: matching)
        var expected: [String: Int] = [:]
        for step in 0..<70 {
            version += 1
            let kind = random.int(0..<10)
            var description = ""
            switch kind {
            case 0, 1, 2:
                // Edits, one or several commits.
                for _ in 0..<random.int(1..<4) {
                    let path = random.pick(files.sorted())
                    try repo.write(path, Self.text(path, version) + "Edit \(random.next()).\n")
                    try repo.commitAll("Edit \(path)", as: random.pick([.priya, .marcus, .lena, .bot]))
                }
                description = "edit"
            case 3:
                let path = "docs/new\(version).md"
                try repo.write(path, Self.text(path, version))
                files.insert(path)
                try repo.commitAll("Add \(path)", as: .marcus)
                description = "add"
            case 4:
                // A rename, with or without an edit (and a file outside the folder).
                let path = random.pick(files.sorted())
                let renamed = "docs/\(random.int(0..<2) == 0 ? "sub/" : "")renamed\(version).md"
                try repo.move(path, renamed)
                if random.int(0..<2) == 0 { try repo.write(renamed, try repo.read(renamed) + "Renamed.\n") }
                try repo.write("src/other.c", "int main(void) { return \(version); }\n")
                try repo.commitAll("Rename \(path)", as: .lena)
                files.remove(path)
                files.insert(renamed)
                description = "rename"
            case 5:
                guard files.count > 3 else { continue }
                let path = random.pick(files.sorted())
                try repo.remove(path)
                try repo.commitAll("Delete \(path)", as: .priya)
                files.remove(path)
                gone.append(path)
                description = "delete"
            case 6:
                // A deleted path comes back (its old commits join its history again).
                guard let path = gone.popLast() else { continue }
                try repo.write(path, Self.text(path, version))
                try repo.commitAll("Restore \(path)", as: .priya)
                files.insert(path)
                description = "restore"
            case 7:
                // A branch merged back.
                try repo.checkout(newBranch: "topic\(version)")
                let path = random.pick(files.sorted())
                try repo.write(path, Self.text(path, version) + "On a branch.\n")
                try repo.commitAll("Branch edit", as: .marcus)
                try repo.checkout("main")
                let other = random.pick(files.sorted())
                if other != path {
                    try repo.write(other, Self.text(other, version) + "On main.\n")
                    try repo.commitAll("Main edit", as: .lena)
                }
                try repo.merge("topic\(version)", as: .priya)
                description = "merge"
            case 8:
                // Only files outside the folder, or nothing the walk matches.
                try repo.write("src/other.c", "int main(void) { return -\(version); }\n")
                try repo.write("docs/notes.txt", "version \(version)\n")
                try repo.commitAll("Outside", as: .marcus)
                description = "outside"
            default:
                // No new commit.
                description = "same"
            }
            let head = try XCTUnwrap(GitOID(hex: try repo.sha("HEAD")))
            let full = try git.historyWalk(under: "docs", from: head, matching: matching, twoThreadsFrom: .max)
            // Read on two threads (two repositories), the diffs give the same walk.
            XCTAssertEqual(try git.historyWalk(under: "docs", from: head, matching: matching, twoThreadsFrom: 2), full, "step \(step): \(description)")
            // Each step goes on from the previous step's reusing walk, as builds do.
            let next = try git.historyWalk(under: "docs", from: head, matching: matching, reusing: previous, at: previousHead)
            XCTAssertEqual(next, full, "step \(step): \(description)")
            let new = Set(full.commits.map(\.oid)).subtracting(previous.commits.map(\.oid))
            XCTAssertEqual(next.diffedCommits, new.count, "step \(step): \(description): only the new commits are diffed")
            XCTAssertEqual(full.diffedCommits, full.commits.count)
            if description == "merge" { XCTAssertLessThanOrEqual(next.diffedCommits, 3, "step \(step): the merge and its branch") }
            expected[description, default: 0] += 1
            previous = next
            previousHead = head
        }
        XCTAssertGreaterThan(expected["merge", default: 0], 3, "\(expected)")
        XCTAssertGreaterThan(expected["rename", default: 0], 2, "\(expected)")
        XCTAssertGreaterThan(expected["restore", default: 0], 1, "\(expected)")
    }

    /// Any earlier walk helps: HEAD moved back diffs nothing, another branch diffs only its own
    /// commits, and a walk without commits or under another folder diffs everything; each equals
    /// the full walk.
    func testAnEarlierWalkOfAnyCommitSavesItsDiffs() throws {
        let repo = try GitTestRepository()
        let git = try GitRepository.open(path: repo.url.path)
        try repo.write("docs/a.md", Self.text("a", 0))
        try repo.write("other/b.md", Self.text("b", 0))
        let first = try XCTUnwrap(GitOID(hex: try repo.commitAll("One", as: .priya)))
        try repo.write("docs/a.md", Self.text("a", 1))
        let second = try XCTUnwrap(GitOID(hex: try repo.commitAll("Two", as: .priya)))
        try repo.checkout(newBranch: "topic", at: "HEAD~1")
        try repo.write("docs/c.md", Self.text("c", 0))
        try repo.commitAll("Three", as: .marcus)
        try repo.write("docs/a.md", Self.text("a", 2))
        let sibling = try XCTUnwrap(GitOID(hex: try repo.commitAll("Four", as: .marcus)))

        let later = try git.historyWalk(under: "docs", from: second)
        let back = try git.historyWalk(under: "docs", from: first, reusing: later, at: second)
        XCTAssertEqual(back, try git.historyWalk(under: "docs", from: first), "HEAD moved back")
        XCTAssertEqual(back.diffedCommits, 0)
        let branch = try git.historyWalk(under: "docs", from: sibling, reusing: later, at: second)
        XCTAssertEqual(branch, try git.historyWalk(under: "docs", from: sibling), "another branch")
        XCTAssertEqual(branch.diffedCommits, 2, "its own two commits")
        let same = try git.historyWalk(under: "docs", from: second, reusing: later, at: second)
        XCTAssertEqual(same, later)
        XCTAssertEqual(same.diffedCommits, 0, "no new commit")
        let bare = try git.historyWalk(under: "docs", from: second, reusing: GitHistoryWalk(prefix: "docs", histories: [:], commits: []), at: first)
        XCTAssertEqual(bare, later)
        XCTAssertEqual(bare.diffedCommits, 2, "a walk without its commits")
        let elsewhere = try git.historyWalk(under: "other", from: second, reusing: later, at: second)
        XCTAssertEqual(elsewhere, try git.historyWalk(under: "other", from: second))
        XCTAssertEqual(elsewhere.diffedCommits, 2, "another folder's changes are other changes")
    }
}

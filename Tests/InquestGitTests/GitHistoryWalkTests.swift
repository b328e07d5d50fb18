import Foundation
import XCTest
@testable import InquestGit
import InquestTestSupport

/// A history walk continued from an earlier one (``GitRepository/historyWalk(under:from:matching:continuing:at:limit:)``),
/// and one whose diffs are read on two threads, equal the full walk, over random sequences of commits; where it cannot show that (a deleted
/// file, a path that comes back, a merge, a commit that is not a descendant) it declines.
final class GitHistoryWalkTests: XCTestCase {
    /// Text long enough that a rename with a small edit is still detected as one.
    static func text(_ name: String, _ version: Int) -> String {
        (0..<30).map { "Line \($0) of \(name): the service answered slowly while the cache warmed.\n" }.joined() + "Version \(version).\n"
    }

    func testContinuedWalkEqualsTheFullWalkOverRandomCommits() throws {
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
        var continued = 0, declined = 0
        var expected: [String: Int] = [:]
        for step in 0..<70 {
            version += 1
            let kind = random.int(0..<10)
            var mustContinue = false
            var description = ""
            switch kind {
            case 0, 1, 2:
                // Edits, one or several commits.
                for _ in 0..<random.int(1..<4) {
                    let path = random.pick(files.sorted())
                    try repo.write(path, Self.text(path, version) + "Edit \(random.next()).\n")
                    try repo.commitAll("Edit \(path)", as: random.pick([.priya, .marcus, .lena, .bot]))
                }
                mustContinue = true
                description = "edit"
            case 3:
                let path = "docs/new\(version).md"
                try repo.write(path, Self.text(path, version))
                files.insert(path)
                try repo.commitAll("Add \(path)", as: .marcus)
                mustContinue = true
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
                mustContinue = !gone.contains(renamed)
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
                mustContinue = true
                description = "outside"
            default:
                // No new commit.
                description = "same"
                mustContinue = true
            }
            let head = try XCTUnwrap(GitOID(hex: try repo.sha("HEAD")))
            let full = try git.historyWalk(under: "docs", from: head, matching: matching, twoThreadsFrom: .max)
            // Read on two threads (two repositories), the diffs give the same walk.
            XCTAssertEqual(try git.historyWalk(under: "docs", from: head, matching: matching, twoThreadsFrom: 2), full, "step \(step): \(description)")
            let next = try git.historyWalk(under: "docs", from: head, matching: matching, continuing: previous, at: previousHead)
            if let next {
                continued += 1
                XCTAssertEqual(next, full, "step \(step): \(description)")
                expected[description, default: 0] += 1
            } else {
                declined += 1
                XCTAssertFalse(mustContinue, "step \(step): \(description) should continue")
            }
            previous = full
            previousHead = head
        }
        XCTAssertGreaterThan(continued, 30, "\(expected)")
        XCTAssertGreaterThan(declined, 5)
        XCTAssertGreaterThan(expected["rename", default: 0], 2, "renames continue")
    }

    func testAWalkFromACommitThatIsNotADescendantIsNotContinued() throws {
        let repo = try GitTestRepository()
        let git = try GitRepository.open(path: repo.url.path)
        try repo.write("docs/a.md", Self.text("a", 0))
        let first = try XCTUnwrap(GitOID(hex: try repo.commitAll("One", as: .priya)))
        try repo.write("docs/a.md", Self.text("a", 1))
        let second = try XCTUnwrap(GitOID(hex: try repo.commitAll("Two", as: .priya)))
        let later = try git.historyWalk(under: "docs", from: second)
        XCTAssertNil(try git.historyWalk(under: "docs", from: first, continuing: later, at: second), "HEAD moved back")
        let earlier = try git.historyWalk(under: "docs", from: first)
        XCTAssertEqual(try git.historyWalk(under: "docs", from: second, continuing: earlier, at: first), later)
        XCTAssertEqual(try git.historyWalk(under: "docs", from: second, continuing: later, at: second), later, "no new commit")
        XCTAssertNil(try git.historyWalk(under: "docs", from: second, continuing: GitHistoryWalk(histories: [:], touched: nil), at: first),
                     "a walk without its paths")
        XCTAssertNil(try git.historyWalk(under: "docs", from: second, continuing: earlier, at: first, limit: 0), "too many commits")
    }
}

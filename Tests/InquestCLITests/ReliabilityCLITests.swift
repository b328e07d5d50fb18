import Foundation
import XCTest
import InquestTestSupport

/// Hostile repositories and environments end to end: every failure is `inquest: error: …` with
/// exit 2, never a crash, a hang or a damaged output folder.
final class ReliabilityCLITests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Killed by a signal (`status` is then its number) rather than exited.
        var signalled = false

        /// Fails with what the run printed and how it ended: a one-off crash in a long suite
        /// (e.g. under `make sanitize`) can be diagnosed from the log alone.
        func assertSucceeded(file: StaticString = #filePath, line: UInt = #line) {
            guard status != 0 || signalled else { return }
            XCTFail("\(signalled ? "killed by signal" : "exited with status") \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)",
                    file: file, line: line)
        }
    }

    /// Runs the binary with a watchdog: a hang fails the test instead of stalling the suite.
    @discardableResult
    func inquest(_ arguments: [String], in directory: URL, timeout: TimeInterval = 120,
                 shellSetup: String = "", unprivileged: Bool = false) throws -> Run {
        let process = Process()
        if !shellSetup.isEmpty || unprivileged {
            // e.g. `ulimit -f 64;` — a limit only this child inherits; and as root, permissions
            // only bind an unprivileged user, so the child drops to `nobody`.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let wrapper = unprivileged && getuid() == 0 ? ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"] : []
            let quoted = (wrapper + [CLITests.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.arguments = ["-c", shellSetup + " exec " + quoted.joined(separator: " ")]
        } else {
            process.executableURL = CLITests.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        // `make sanitize` checks the binary for leaks (a leak turns the exit code into 23) while
        // the test process itself runs without leak checking.
        if let options = environment["INQUEST_CHILD_ASAN_OPTIONS"] { environment["ASAN_OPTIONS"] = options }
        process.environment = environment
        let out = ScratchSpace.url.appendingPathComponent("inquest-out-\(UUID().uuidString)")
        let err = out.appendingPathExtension("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        // Woken when the child exits (polling every 20 ms cost 10 ms per run on average).
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            XCTFail("inquest \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                   signalled: process.terminationReason == .uncaughtSignal)
    }

    /// ``CLI/git(_:in:)`` (the suite's one git runner), output trimmed for comparisons.
    @discardableResult
    func git(_ arguments: String..., in directory: URL) throws -> String {
        try CLI.git(arguments, in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A committed archive of one postmortem.
    func committedArchive() throws -> URL {
        let url = ScratchSpace.url.appendingPathComponent("inquest-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("postmortems"), withIntermediateDirectories: true)
        addTeardownBlock {
            Self.makeWritable(url)
            try? FileManager.default.removeItem(at: url)
        }
        try "".write(to: url.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let document = """
        ---
        id: PM-1
        title: Queue backlog after a config push
        date: 2026-01-05
        severity: SEV2
        status: published
        ---

        ## Summary

        A configuration push halved the consumer pool and the queue backed up for an hour.

        """
        try document.write(to: url.appendingPathComponent("postmortems/queue.md"), atomically: true, encoding: .utf8)
        try git("init", "-q", in: url)
        try git("add", "-A", in: url)
        try git("commit", "-qm", "first", in: url)
        return url
    }

    static func makeWritable(_ url: URL) {
        guard let walker = FileManager.default.enumerator(atPath: url.path) else { return }
        chmod(url.path, 0o755)
        for case let relative as String in walker {
            chmod(url.appendingPathComponent(relative).path, 0o755)
        }
    }

    func objectFile(_ sha: String, in repository: URL) -> URL {
        repository.appendingPathComponent(".git/objects/\(sha.prefix(2))/\(sha.dropFirst(2))")
    }

    func truncate(_ sha: String, in repository: URL) throws {
        let file = objectFile(sha, in: repository)
        let bytes = try Data(contentsOf: file)
        chmod(file.path, 0o644)
        try bytes.prefix(bytes.count / 2).write(to: file)
    }

    // MARK: Broken git objects

    func testTruncatedCommitIsAnErrorForEveryCommandThatReadsGit() throws {
        let repository = try committedArchive()
        let head = try git("rev-parse", "HEAD", in: repository)
        try truncate(head, in: repository)
        for arguments in [["lint"], ["lint", "--rev", "HEAD"], ["lint", "--staged"], ["build", "--output", "out"]] {
            let run = try inquest(arguments, in: repository)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("inquest: error: corrupt git object \(head) ("), "\(arguments): \(run.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent("out").path))
    }

    func testTruncatedBlobIsAnErrorNotAHang() throws {
        let repository = try committedArchive()
        let blob = try git("rev-parse", "HEAD:postmortems/queue.md", in: repository)
        try truncate(blob, in: repository)
        for arguments in [["lint", "--rev", "HEAD"], ["lint", "--staged"], ["build", "--rev", "HEAD", "--output", "out"]] {
            let run = try inquest(arguments, in: repository)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("inquest: error: corrupt git object \(blob) ("), "\(arguments): \(run.stderr)")
        }
    }

    /// Packs every object (`git repack -ad`, loose copies gone) and returns the pack's path.
    func packEverything(in repository: URL) throws -> URL {
        try git("repack", "-adq", in: repository)
        try git("prune-packed", in: repository)
        let folder = repository.appendingPathComponent(".git/objects/pack")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".pack") })
        return folder.appendingPathComponent(name)
    }

    func testDamagedPackIsAnErrorForEveryCommandThatReadsGit() throws {
        let repository = try committedArchive()
        let pack = try packEverything(in: repository)
        let original = try Data(contentsOf: pack)
        let idx = pack.deletingPathExtension().appendingPathExtension("idx")
        let originalIdx = try Data(contentsOf: idx)
        // Flipped bytes in the middle of the objects, a truncated pack, a truncated index.
        var flipped = original
        for index in 16..<(original.count - 20) { flipped[index] ^= 0x5A }
        // Every offset of the (version 2) index past the end of the pack: after magic, version and
        // the fan-out table come n ids (20 bytes each) and n CRCs (4 each), then the n offsets.
        var pastTheEnd = originalIdx
        let count = originalIdx[(8 + 1_020)..<(8 + 1_024)].reduce(0) { $0 << 8 | Int($1) }
        for entry in 0..<count {
            let at = 8 + 1_024 + count * 24 + entry * 4
            pastTheEnd.replaceSubrange(at..<(at + 4), with: [0x7F, 0xFF, 0x00, 0x00])
        }
        let damages: [(String, URL, Data)] = [
            ("flipped", pack, flipped), ("truncated pack", pack, original.prefix(original.count / 2)),
            ("truncated idx", idx, originalIdx.prefix(originalIdx.count / 2)), ("offsets past the end", idx, pastTheEnd),
        ]
        for (damage, file, bytes) in damages {
            chmod(pack.path, 0o644)
            chmod(idx.path, 0o644)
            try original.write(to: pack)
            try originalIdx.write(to: idx)
            try bytes.write(to: file)
            for arguments in [["lint"], ["lint", "--rev", "HEAD"], ["lint", "--staged"], ["build", "--output", "out"]] {
                let run = try inquest(arguments, in: repository)
                XCTAssertEqual(run.status, 2, "\(damage) \(arguments): \(run.stderr)")
                XCTAssertTrue(run.stderr.hasPrefix("inquest: error: "), "\(damage) \(arguments): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("corrupt git object "), "\(damage) \(arguments): \(run.stderr)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent("out").path))
        }
    }

    /// A real submodule (with `.gitmodules`) inside the postmortems folder, with local edits: the
    /// working-tree diff of `--changed-since` skips it. Under `make sanitize` this also proves the
    /// run leaks nothing (libgit2 1.5.1 leaks when it checks a submodule's status).
    func testSubmoduleInsideThePostmortemsFolderIsSkippedByChangeDetection() throws {
        let repository = try committedArchive()
        let library = repository.deletingLastPathComponent().appendingPathComponent("inquest-submodule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: library) }
        try "old notes\n".write(to: library.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try git("init", "-q", in: library)
        try git("add", "-A", in: library)
        try git("commit", "-qm", "notes", in: library)
        try git("-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path, "postmortems/archive", in: repository)
        try git("commit", "-qm", "archive", in: repository)
        try "edited\n".write(to: repository.appendingPathComponent("postmortems/archive/notes.txt"), atomically: true, encoding: .utf8)
        let run = try inquest(["lint", "--changed-since", "HEAD", "--format", "json"], in: repository)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains("archive"), run.stdout)
        XCTAssertEqual(run.stderr, "")
    }

    // MARK: Resource faults

    /// Permission tests need an unprivileged child: as root, `setpriv` must be there to drop to `nobody`.
    private func requireUnprivilegedRuns() throws {
        if getuid() == 0, !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            throw XCTSkip("running as root without setpriv: permissions cannot be tested")
        }
    }

    /// A working tree (no git) of two postmortems that `nobody` may write into.
    private func openArchive() throws -> URL {
        let url = ScratchSpace.url.appendingPathComponent("inquest-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("postmortems"), withIntermediateDirectories: true)
        addTeardownBlock {
            Self.makeWritable(url)
            try? FileManager.default.removeItem(at: url)
        }
        try "".write(to: url.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        for name in ["a", "b"] {
            try "---\ntitle: Outage \(name)\ndate: 2025-01-0\(name == "a" ? 1 : 2)\n---\n\n## Summary\n\nThe \(name) service stopped.\n"
                .write(to: url.appendingPathComponent("postmortems/\(name).md"), atomically: true, encoding: .utf8)
        }
        chmod(url.path, 0o777)
        return url
    }

    /// Every file of a folder with its bytes, to prove a failed build left it whole.
    private func snapshot(_ folder: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder.path) ?? FileManager.default.enumerator(atPath: "/nonexistent")! {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) { out[path] = data }
        }
        return out
    }

    func testUnreadablePostmortemIsAnErrorNamingTheFile() throws {
        try requireUnprivilegedRuns()
        let archive = try openArchive()
        chmod(archive.appendingPathComponent("postmortems/b.md").path, 0)
        let run = try inquest(["lint"], in: archive, unprivileged: true)
        XCTAssertEqual(run.status, 2, run.stdout)
        XCTAssertEqual(run.stderr, "inquest: error: postmortems/b.md: cannot open file: Permission denied\n")
    }

    func testUnreadableConfigFileIsAnErrorWithItsReason() throws {
        try requireUnprivilegedRuns()
        let archive = try openArchive()
        try "rules: {}\n".write(to: archive.appendingPathComponent("other.yml"), atomically: true, encoding: .utf8)
        chmod(archive.appendingPathComponent("other.yml").path, 0)
        let run = try inquest(["lint", "--config", "other.yml"], in: archive, unprivileged: true)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.hasPrefix("inquest: error: "), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("other.yml: cannot read configuration: Permission denied\n"), run.stderr)
    }

    func testUnreadableFolderIsAnErrorNotASilentlySmallerArchive() throws {
        try requireUnprivilegedRuns()
        let archive = try openArchive()
        chmod(archive.appendingPathComponent("postmortems").path, 0)
        for arguments in [["lint"], ["build", "--output", "out"]] {
            let run = try inquest(arguments, in: archive, unprivileged: true)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stdout)")
            XCTAssertEqual(run.stderr, "inquest: error: postmortems: cannot read the folder: Permission denied\n", "\(arguments)")
        }
    }

    func testReadOnlyOutputLocationKeepsThePreviousSiteWhole() throws {
        try requireUnprivilegedRuns()
        let archive = try openArchive()
        try inquest(["build", "--quiet", "--output", "out"], in: archive, unprivileged: true).assertSucceeded()
        let before = snapshot(archive.appendingPathComponent("out"))
        XCTAssertNotNil(before["index.html"])
        let edited = archive.appendingPathComponent("postmortems/a.md")
        try (String(contentsOf: edited, encoding: .utf8) + "\nA later edit.\n").write(to: edited, atomically: false, encoding: .utf8)
        chmod(archive.path, 0o555)
        let run = try inquest(["build", "--output", "out"], in: archive, unprivileged: true)
        chmod(archive.path, 0o777)
        XCTAssertEqual(run.status, 2)
        // The fixture archive has lint errors, so `build` warns first; the error is the last line.
        XCTAssertTrue(run.stderr.split(separator: "\n").last?.hasPrefix("inquest: error: cannot write the site beside ") == true, run.stderr)
        XCTAssertTrue(run.stderr.contains("Permission denied"), run.stderr)
        XCTAssertEqual(snapshot(archive.appendingPathComponent("out")), before)
    }

    func testFullDiskKeepsThePreviousSiteWholeAndLeavesNoTemporaryFolder() throws {
        let archive = try openArchive()
        try inquest(["build", "--quiet", "--output", "out"], in: archive).assertSucceeded()
        let before = snapshot(archive.appendingPathComponent("out"))
        // A file-size limit makes writes fail like a full disk (EFBIG instead of ENOSPC); the
        // signal the kernel sends first is ignored, as a full disk sends none.
        // `--clean`: the inputs did not change, and a rebuild with nothing to do writes nothing.
        let run = try inquest(["build", "--clean", "--output", "out"], in: archive, shellSetup: "trap '' XFSZ; ulimit -f 8;")
        XCTAssertEqual(run.status, 2, run.stdout)
        // The fixture archive has lint errors, so `build` warns first; the error is the last line.
        XCTAssertTrue(run.stderr.split(separator: "\n").last?.hasPrefix("inquest: error: cannot write the site beside ") == true, run.stderr)
        XCTAssertTrue(run.stderr.contains("File too large"), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("was left as it was\n"), run.stderr)
        XCTAssertEqual(snapshot(archive.appendingPathComponent("out")), before)
        // `.inquest-cache/` is the lint and search caches' folder (outside git), not a build's leftover.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: archive.path).filter { $0.contains("inquest-") && $0 != ".inquest-cache" }
        XCTAssertEqual(leftovers, [])
        let cacheTemporaries = (try? FileManager.default.contentsOfDirectory(atPath: archive.appendingPathComponent(".inquest-cache").path))?
            .filter { $0.hasSuffix(".tmp") } ?? []
        XCTAssertEqual(cacheTemporaries, [], "a failed cache write leaves no temporary file")
    }

    func testStaleTemporaryFoldersOfKilledBuildsAreRemovedAndLiveOnesKept() throws {
        let archive = try openArchive()
        // A build killed mid-way (SIGKILL) leaves its folder; pid 2147483646 runs nowhere.
        for stale in [".out.inquest-tmp-2147483646/out", ".out.inquest-old-2147483646/out"] {
            try FileManager.default.createDirectory(at: archive.appendingPathComponent(stale), withIntermediateDirectories: true)
            try Data("partial".utf8).write(to: archive.appendingPathComponent(stale + "/index.html"))
        }
        // A concurrent build's folder (this test process is alive) is left alone.
        let live = ".out.inquest-tmp-\(getpid())"
        try FileManager.default.createDirectory(at: archive.appendingPathComponent(live), withIntermediateDirectories: true)
        try inquest(["build", "--quiet", "--output", "out"], in: archive).assertSucceeded()
        let names = try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted()
        // `.inquest-cache/`: the lint and search caches (the archive is not in a git repository).
        XCTAssertEqual(names, [live, ".inquest-cache", "inquest.yml", "out", "postmortems"].sorted())
    }

    func testInterruptedBuildFolderIsCoveredByTheOutputsIgnoreRule() throws {
        // git sees the holder only through its inner folder, named like the output (the folder
        // between them has a random name: see SiteWriter.spreadSubfolders).
        let repository = try committedArchive()
        try "_site/\n".write(to: repository.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        try git("add", ".gitignore", in: repository)
        try git("commit", "-qm", "ignore", in: repository)
        let holder = repository.appendingPathComponent("._site.inquest-tmp-2147483646/5e0c3f9a1d2b4c67/_site")
        try FileManager.default.createDirectory(at: holder, withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: holder.appendingPathComponent("index.html"))
        XCTAssertEqual(try git("status", "--porcelain", in: repository), "")
    }

    // MARK: Site safety end to end

    func testPublishRefusesBranchNamesGitRefuses() throws {
        let repository = try committedArchive()
        for branch in ["HEAD", "refs/heads/HEAD", "a..b", "x.lock", "-x", "with space", "@", "a/.b"] {
            let run = try inquest(["publish", "--branch=\(branch)"], in: repository)
            XCTAssertEqual(run.status, 2, "\(branch): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("is not a valid branch name"), "\(branch): \(run.stderr)")
        }
        XCTAssertEqual(try git("for-each-ref", "refs/heads/HEAD", in: repository), "")
    }

    func testProtocolRelativeBaseURLIsAConfigurationError() throws {
        let archive = try openArchive()
        try "site:\n  base_url: //evil.example/\n".write(to: archive.appendingPathComponent("inquest.yml"), atomically: true, encoding: .utf8)
        let run = try inquest(["build", "--output", "out"], in: archive)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.hasPrefix("inquest.yml:2:13: error: 'site.base_url' is protocol-relative"), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("[config/invalid]\n"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: archive.appendingPathComponent("out").path))
    }
}

import Foundation
import XCTest

/// A temporary folder, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("inquest-git-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve symlinks (e.g. /tmp → /private/tmp on macOS) so paths compare equal to libgit2's.
        path = base.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func subpath(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// An author identity used to script commits.
struct Person {
    let name: String
    let email: String

    static let alice = Person(name: "Alice Archer", email: "alice@example.com")
    /// Bob's old identity, mapped to `bob` by the fixture's `.mailmap`.
    static let bobby = Person(name: "Bobby", email: "bob@old.example")
    static let bob = Person(name: "Bob Builder", email: "bob@example.com")
    static let carol = Person(name: "Carol Chen", email: "carol@example.com")
    static let bot = Person(name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com")
}

struct GitCommandError: Error, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let output: String
    var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(output)" }
}

/// Scripts a repository with the `git` CLI, with a clean environment (no user or system
/// config) and fixed, increasing commit dates so results are reproducible.
final class GitScript {
    let directory: String
    private let home: String
    /// Seconds since epoch of the next scripted commit; each commit advances it by a day.
    private(set) var nextTime: Int64
    static let timeZone = "+0200"

    init(directory: String, home: String, nextTime: Int64 = 1_700_000_000) {
        self.directory = directory
        self.home = home
        self.nextTime = nextTime
    }

    /// Runs `git` in `directory` and returns its standard output without the final newline.
    @discardableResult
    func git(_ arguments: String..., as person: Person = .alice, at time: Int64? = nil, in folder: String? = nil) throws -> String {
        try run(arguments, as: person, at: time, in: folder)
    }

    @discardableResult
    func run(
        _ arguments: [String], as person: Person = .alice, at time: Int64? = nil, in folder: String? = nil,
        standardInput: String? = nil
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder ?? directory)
        let date = "\(time ?? nextTime) \(Self.timeZone)"
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": person.name,
            "GIT_AUTHOR_EMAIL": person.email,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": person.name,
            "GIT_COMMITTER_EMAIL": person.email,
            "GIT_COMMITTER_DATE": date,
        ]
        if let standardInput {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: standardInput))
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw GitCommandError(arguments: arguments, status: process.terminationStatus, output: text)
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// Commits what is staged as `person` at the next fixed time; returns the new commit's sha.
    @discardableResult
    func commit(_ message: String, as person: Person) throws -> String {
        try run(["commit", "-q", "-m", message], as: person, at: nextTime)
        nextTime += 86_400
        return try git("rev-parse", "HEAD")
    }

    /// Merges `branch` into the current branch with a merge commit; returns its sha.
    @discardableResult
    func merge(_ branch: String, message: String, as person: Person) throws -> String {
        try run(["merge", "-q", "--no-ff", "-m", message, branch], as: person, at: nextTime)
        nextTime += 86_400
        return try git("rev-parse", "HEAD")
    }

    func write(_ relativePath: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    func symlink(_ relativePath: String, to target: String) throws {
        let path = (directory as NSString).appendingPathComponent(relativePath)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(relativePath))
    }

    /// `git init` with `main` as the initial branch.
    static func initialise(_ directory: String, home: String, bare: Bool = false) throws -> GitScript {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = GitScript(directory: directory, home: home)
        try script.run(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []))
        return script
    }
}

/// The shared fixture history (dates one day apart, all +0200):
///
///     c1 Alice   add .mailmap, README.md, docs/intro.md, docs/guide.md, docs/link.md → intro.md,
///                src/main.c, and gitlink vendor/lib
///     c2 Bobby   edit docs/intro.md                        (mailmapped to Bob Builder)
///     c3 Carol   git mv docs/guide.md docs/manual.md       (tags: v1.0 annotated, light)
///     c4 Bob     on branch feature: edit docs/manual.md, add docs/feature.md
///     c5 Alice   on main: edit docs/intro.md
///     c6 Alice   merge feature (--no-ff)
///     c7 bot     dependabot[bot] edits README.md
struct SampleRepository {
    let folder: TemporaryFolder
    let script: GitScript
    let c1, c2, c3, c4, c5, c6, c7: String

    var path: String { script.directory }

    /// A fresh private copy of the sample, so tests may change it freely. Scripting the
    /// history costs about a second and a half, so it is built once per test process.
    init() throws {
        let template = try SampleTemplate.shared.get()
        folder = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: template.script.directory, toPath: folder.subpath("repo"))
        try FileManager.default.createDirectory(atPath: folder.subpath("home"), withIntermediateDirectories: true)
        script = GitScript(directory: folder.subpath("repo"), home: folder.subpath("home"), nextTime: template.script.nextTime)
        (c1, c2, c3, c4, c5, c6, c7) = (template.c1, template.c2, template.c3, template.c4, template.c5, template.c6, template.c7)
    }
}

/// The scripted sample history, built once per process and copied by `SampleRepository`.
/// Its fields are written only in `init`, so sharing it between tests is safe.
private final class SampleTemplate: @unchecked Sendable {
    static let shared = Result { try SampleTemplate() }

    let folder: TemporaryFolder
    let script: GitScript
    let c1, c2, c3, c4, c5, c6, c7: String

    private init() throws {
        folder = try TemporaryFolder()
        // A static is never released, so remove the folder when the test process exits.
        atexit {
            if case .success(let template) = SampleTemplate.shared {
                try? FileManager.default.removeItem(atPath: template.folder.path)
            }
        }
        let script = try GitScript.initialise(folder.subpath("repo"), home: folder.subpath("home"))
        self.script = script
        try FileManager.default.createDirectory(atPath: folder.subpath("home"), withIntermediateDirectories: true)

        try script.write(".mailmap", "Bob Builder <bob@example.com> <bob@old.example>\n")
        try script.write("README.md", "# Sample\n")
        try script.write("docs/intro.md", "Intro\n\nFirst version.\n")
        try script.write("docs/guide.md", "Guide\n\nA long enough body so that rename detection is sure.\nLine two.\nLine three.\n")
        try script.symlink("docs/link.md", to: "intro.md")
        try script.write("src/main.c", "int main(void) { return 0; }\n")
        // An embedded repository is recorded as a gitlink (submodule entry), which must be skipped.
        let vendor = GitScript(directory: script.directory + "/vendor/lib", home: folder.subpath("home"))
        try vendor.write("lib.c", "int lib;\n")
        try vendor.run(["init", "-q", "-b", "main"])
        try vendor.git("add", "-A")
        try vendor.commit("Vendor", as: .alice)
        try script.git("add", "-A")
        c1 = try script.commit("Initial import", as: .alice)

        try script.write("docs/intro.md", "Intro\n\nSecond version.\n")
        try script.git("add", "-A")
        c2 = try script.commit("Reword intro", as: .bobby)

        try script.git("mv", "docs/guide.md", "docs/manual.md")
        c3 = try script.commit("Rename guide to manual", as: .carol)
        try script.git("tag", "-a", "v1.0", "-m", "Version 1.0", as: .carol)
        try script.git("tag", "light")

        try script.git("checkout", "-q", "-b", "feature")
        try script.write("docs/manual.md", "Guide\n\nA long enough body so that rename detection is sure.\nLine two.\nLine three.\nLine four.\n")
        try script.write("docs/feature.md", "Feature\n")
        try script.git("add", "-A")
        c4 = try script.commit("Document the feature", as: .bob)

        try script.git("checkout", "-q", "main")
        try script.write("docs/intro.md", "Intro\n\nThird version.\n")
        try script.git("add", "-A")
        c5 = try script.commit("Polish intro", as: .alice)

        c6 = try script.merge("feature", message: "Merge branch 'feature'", as: .alice)

        try script.write("README.md", "# Sample\n\nBadge.\n")
        try script.git("add", "-A")
        c7 = try script.commit("Bump badge", as: .bot)
    }
}

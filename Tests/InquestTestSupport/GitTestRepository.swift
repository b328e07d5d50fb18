import Foundation
import XCTest
@testable import InquestCore

/// An author identity for scripted commits.
struct GitPerson: Sendable {
    let name: String
    let email: String

    static let priya = GitPerson(name: "Priya Raman", email: "priya@example.com")
    /// Priya's old identity, mapped to `priya` by a `.mailmap` where a test writes one.
    static let priyaOld = GitPerson(name: "P. Raman", email: "praman@old.example")
    static let marcus = GitPerson(name: "Marcus Webb", email: "marcus@example.com")
    static let lena = GitPerson(name: "Lena Fischer", email: "lena@example.com")
    static let bot = GitPerson(name: "renovate[bot]", email: "29139614+renovate[bot]@users.noreply.github.com")
}

struct GitTestCommandError: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    let output: String
    var description: String { "\(command) exited \(status): \(output)" }
}

/// A scratch repository in a temporary folder, scripted with the `git` CLI in a clean environment
/// (own HOME, no system config) with fixed, increasing dates, so histories are reproducible.
/// The folder is removed when the value is released.
final class GitTestRepository {
    /// The temporary folder holding `repo/`, `home/` and any clones.
    let base: URL
    /// The working tree (or the bare repository).
    let url: URL
    let home: URL
    /// True for the instance that created the temporary folder: it removes it when released.
    private let ownsFolder: Bool
    /// A clone keeps the repository that owns the folder alive as long as it is used.
    private let parent: GitTestRepository?
    /// Seconds since the epoch of the next commit; each commit advances it by a day.
    private(set) var nextTime: Int64 = 1_735_725_600 // 2025-01-01T10:00:00Z
    static let timeZone = "+0100"

    var path: String { url.path }

    /// `git init -b main` (or `--bare`) in a fresh folder; `plain` makes a folder that is no repository.
    init(bare: Bool = false, plain: Bool = false) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inquest-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        base = folder.resolvingSymlinksInPath()
        url = base.appendingPathComponent(bare ? "repo.git" : "repo")
        home = base.appendingPathComponent("home")
        ownsFolder = true
        parent = nil
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        if !plain { try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : [])) }
    }

    /// Wraps an existing folder (a clone) sharing this repository's HOME and clock.
    private init(url: URL, parent: GitTestRepository) {
        self.url = url
        self.base = parent.base
        self.home = parent.home
        self.nextTime = parent.nextTime
        self.parent = parent
        ownsFolder = false
    }

    deinit {
        if ownsFolder { try? FileManager.default.removeItem(at: base) }
    }

    /// `git clone ARGS file://repo NAME` next to this repository; the clone is removed with it.
    func clone(_ name: String, _ arguments: [String] = []) throws -> GitTestRepository {
        try git(["clone", "-q"] + arguments + ["file://" + path, base.appendingPathComponent(name).path], in: base)
        return GitTestRepository(url: base.appendingPathComponent(name), parent: self)
    }

    // MARK: Scripting

    /// Runs `git` with a fixed environment; returns standard output without the final newline.
    @discardableResult
    func git(_ arguments: [String], as person: GitPerson = .priya, in folder: URL? = nil,
             environment: [String: String] = [:]) throws -> String {
        let base = self.environment(for: person)
        return try Self.run(["git"] + arguments, in: folder ?? url, environment: base.merging(environment) { $1 })
    }

    @discardableResult
    func git(_ arguments: String..., as person: GitPerson = .priya) throws -> String {
        try git(arguments, as: person)
    }

    /// The fixed environment: the commit date is the next scripted time.
    func environment(for person: GitPerson) -> [String: String] {
        let date = "\(nextTime) \(Self.timeZone)"
        return [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": person.email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": person.name, "GIT_COMMITTER_EMAIL": person.email, "GIT_COMMITTER_DATE": date,
        ]
    }

    /// Stages everything and commits as `person` at the next fixed time; returns the sha.
    @discardableResult
    func commitAll(_ message: String, as person: GitPerson) throws -> String {
        try git(["add", "-A"], as: person)
        return try commit(message, as: person)
    }

    /// Commits what is staged; returns the sha.
    @discardableResult
    func commit(_ message: String, as person: GitPerson) throws -> String {
        try git(["commit", "-q", "--allow-empty", "-m", message], as: person)
        nextTime += 86_400
        return try git("rev-parse", "HEAD")
    }

    /// `git merge --no-ff BRANCH`; returns the merge commit's sha.
    @discardableResult
    func merge(_ branch: String, as person: GitPerson) throws -> String {
        try git(["merge", "-q", "--no-ff", "-m", "Merge branch '\(branch)'", branch], as: person)
        nextTime += 86_400
        return try git("rev-parse", "HEAD")
    }

    func write(_ relativePath: String, _ contents: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relativePath), encoding: .utf8)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relativePath))
    }

    /// A postmortem file: the clean example document with front-matter changes.
    func writePostmortem(_ relativePath: String, fields: [String: String?] = [:], sections: [String: String?] = [:]) throws {
        try write(relativePath, ExampleDocument.make(fields: fields, sections: sections))
    }

    /// The catalogue every example archive uses.
    func writeCatalogue() throws {
        try write("postmortems/causes.yml", ExampleDocument.catalogue)
    }

    /// Runs a command line (`["git", …]`, `["/bin/sh", "-c", …]`), throwing on a non-zero exit.
    @discardableResult
    static func run(_ command: [String], in folder: URL, environment: [String: String]) throws -> String {
        let result = try execute(command, in: folder, environment: environment)
        guard result.status == 0 else {
            throw GitTestCommandError(command: command.joined(separator: " "), status: result.status, output: result.output + result.error)
        }
        return result.output.hasSuffix("\n") ? String(result.output.dropLast()) : result.output
    }

    /// Runs a command line and returns its exit status and outputs.
    static func execute(_ command: [String], in folder: URL, environment: [String: String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = folder
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes before waiting, on separate threads, so a full pipe cannot block the child.
        let errorData = ErrorReader(error.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Drains a pipe on a background thread.
private final class ErrorReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Lints a scripted repository through the Core API, as `inquest lint` does.
enum GitLint {
    /// Opens the archive at `selection` from `directory` and prepares the run.
    static func plan(_ directory: URL, _ selection: DocumentSourceSelection = .workingTree, paths: [String] = [],
                     changedSince: String? = nil, indexFile: String? = nil) throws -> LintPlan {
        let reader = try ArchiveReader.open(at: directory, selection: selection, indexFile: indexFile)
        return try LintPlan.make(reader: reader, paths: paths, from: directory, changedSince: changedSince)
    }

    /// The diagnostics of a run.
    static func run(_ directory: URL, _ selection: DocumentSourceSelection = .workingTree, paths: [String] = [],
                    changedSince: String? = nil, indexFile: String? = nil) throws -> [Diagnostic] {
        try plan(directory, selection, paths: paths, changedSince: changedSince, indexFile: indexFile).lint().diagnostics
    }
}

extension Array where Element == Diagnostic {
    /// `path rule` pairs, for compact assertions.
    func pairs(_ rules: Set<String>? = nil) -> [String] {
        filter { rules?.contains($0.rule) ?? true }.map { "\($0.file) \($0.rule)" }
    }

    func rule(_ id: String) -> [Diagnostic] { filter { $0.rule == id } }
}

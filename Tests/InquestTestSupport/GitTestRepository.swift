import CLibGit2
import Foundation
import InquestCore
import InquestGit

/// An author identity for scripted commits.
public struct GitPerson: Sendable {
    public let name: String
    public let email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public static let priya = GitPerson(name: "Priya Raman", email: "priya@example.com")
    /// Priya's old identity, mapped to `priya` by a `.mailmap` where a test writes one.
    public static let priyaOld = GitPerson(name: "P. Raman", email: "praman@old.example")
    public static let marcus = GitPerson(name: "Marcus Webb", email: "marcus@example.com")
    public static let lena = GitPerson(name: "Lena Fischer", email: "lena@example.com")
    public static let bot = GitPerson(name: "renovate[bot]", email: "29139614+renovate[bot]@users.noreply.github.com")
}

/// A libgit2 call made by the fixture failed.
public struct GitFixtureError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public let message: String
    public var description: String { "\(operation) failed (\(code)): \(message)" }
}

/// A scratch repository in a temporary folder, scripted in-process with libgit2 (commits through
/// InquestGit's `GitRepository.commit`) with fixed, increasing dates, so histories are
/// reproducible and no `git` process is started. The folder is removed when the value is released.
///
/// The operations mirror the git commands the tests used to run (`add -A`, `mv`, `checkout -b`,
/// `merge --no-ff`, `clone --depth`, …), each with the same effect on the repository, the index
/// and the working tree for the clean, conflict-free states the tests build.
public final class GitTestRepository {
    /// The temporary folder holding `repo/`, `home/` and any clones.
    public let base: URL
    /// The working tree (or the bare repository).
    public let url: URL
    /// An empty folder to pass as the home directory (hooks with `~/…` paths).
    public let home: URL
    /// True for a bare repository.
    public let isBare: Bool
    /// True for the instance that created the temporary folder: it removes it when released.
    private let ownsFolder: Bool
    /// A clone keeps the repository that owns the folder alive as long as it is used.
    private let parent: GitTestRepository?
    /// Seconds since the epoch of the next commit; each commit advances it by a day.
    public var nextTime: Int64 = 1_735_725_600 // 2025-01-01T10:00:00Z
    /// The UTC offset scripted commits record (+01:00 unless a test sets another).
    public var offsetMinutes = 60

    public var path: String { url.path }

    /// `git init -b main` (or `--bare`) in a fresh folder; `plain` makes a folder that is no repository.
    public init(bare: Bool = false, plain: Bool = false) throws {
        Self.initialiseLibgit2
        let folder = ScratchSpace.url.appendingPathComponent("inquest-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        base = folder.resolvingSymlinksInPath()
        url = base.appendingPathComponent(bare ? "repo.git" : "repo")
        home = base.appendingPathComponent("home")
        isBare = bare
        ownsFolder = true
        parent = nil
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        if !plain { try Self.initialise(url.path, bare: bare) }
    }

    /// The repository in `folder`, which the caller owns (it is not removed); with
    /// `initialising`, `git init -b main` there first, keeping the files already in it.
    public init(existing folder: URL, initialising: Bool = false) throws {
        Self.initialiseLibgit2
        url = folder
        base = folder
        home = folder
        isBare = false
        ownsFolder = false
        parent = nil
        if initialising { try Self.initialise(folder.path, bare: false) }
    }

    /// Wraps an existing folder (a clone) sharing this repository's folder and clock.
    private init(url: URL, bare: Bool, parent: GitTestRepository) {
        self.url = url
        self.base = parent.base
        self.home = parent.home
        self.isBare = bare
        self.nextTime = parent.nextTime
        self.offsetMinutes = parent.offsetMinutes
        self.parent = parent
        ownsFolder = false
    }

    deinit {
        if ownsFolder { try? FileManager.default.removeItem(at: base) }
    }

    private static let initialiseLibgit2: Void = { _ = git_libgit2_init() }()

    private static func initialise(_ path: String, bare: Bool) throws {
        var repository: OpaquePointer?
        try check(git_repository_init(&repository, path, bare ? 1 : 0), "git_repository_init")
        defer { git_repository_free(repository) }
        try check(git_repository_set_head(repository, "refs/heads/main"), "git_repository_set_head(main)")
    }

    // MARK: Files

    public func write(_ relativePath: String, _ contents: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    public func read(_ relativePath: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relativePath), encoding: .utf8)
    }

    public func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relativePath))
    }

    public func symlink(_ relativePath: String, to target: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: target)
    }

    /// A postmortem file: the clean example document with front-matter changes.
    public func writePostmortem(_ relativePath: String, fields: [String: String?] = [:], sections: [String: String?] = [:]) throws {
        try write(relativePath, ExampleDocument.make(fields: fields, sections: sections))
    }

    /// The catalogue every example archive uses.
    public func writeCatalogue() throws {
        try write("postmortems/causes.yml", ExampleDocument.catalogue)
    }

    /// A fresh repository with the catalogue and one clean postmortem (`postmortems/2025-01-10-a.md`)
    /// committed: where the hook tests start.
    public static func withOnePostmortem() throws -> GitTestRepository {
        let repo = try GitTestRepository()
        try repo.writeCatalogue()
        try repo.writePostmortem("postmortems/2025-01-10-a.md")
        try repo.commitAll("Add a", as: .priya)
        return repo
    }

    // MARK: The index

    /// `git add -A`: stages every change of the working tree, deletions included.
    public func addAll() throws {
        try withIndex { index in
            try check(git_index_add_all(index, nil, 0, nil, nil), "git_index_add_all")
            try check(git_index_update_all(index, nil, nil, nil), "git_index_update_all")
        }
    }

    /// `git add PATH…`: stages each file as it is in the working tree (a deleted file is unstaged).
    public func add(_ paths: String...) throws {
        try withIndex { index in
            for path in paths {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path) {
                    try check(git_index_add_bypath(index, path), "git_index_add_bypath(\(path))")
                } else {
                    try check(git_index_remove_bypath(index, path), "git_index_remove_bypath(\(path))")
                }
            }
        }
    }

    /// `git mv FROM TO`: renames the file in the working tree and the index.
    public func move(_ from: String, _ to: String) throws {
        let destination = url.appendingPathComponent(to)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: url.appendingPathComponent(from), to: destination)
        try withIndex { index in
            try check(git_index_remove_bypath(index, from), "git_index_remove_bypath(\(from))")
            try check(git_index_add_bypath(index, to), "git_index_add_bypath(\(to))")
        }
    }

    /// `git commit -a`'s staging: every tracked file as it is in the working tree (deletions
    /// included, untracked files not).
    public func stageTracked() throws {
        try withIndex { index in try check(git_index_update_all(index, nil, nil, nil), "git_index_update_all") }
    }

    /// `git rm -r --cached .`: an empty index, files left alone.
    public func clearIndex() throws {
        try withIndex { index in try check(git_index_clear(index), "git_index_clear") }
    }

    /// An embedded repository at `relativePath` with one commit of `files`, staged in this
    /// repository as a gitlink (what `git add` does with a nested repository that is not a
    /// registered submodule). Returns the embedded commit's sha; the clock does not move.
    @discardableResult
    public func embedRepository(_ relativePath: String, files: [String: String], as person: GitPerson) throws -> String {
        let folder = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.initialise(folder.path, bare: false)
        for (name, contents) in files { try Data(contents.utf8).write(to: folder.appendingPathComponent(name)) }
        let nested = try GitRepository.open(path: folder.path)
        let tree = try nested.writeTree(files: files.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) })
        let signature = GitSignature(name: person.name, email: person.email,
                                     time: GitTime(secondsSinceEpoch: nextTime, offsetMinutes: offsetMinutes))
        let commit = try nested.commit(tree: tree, parents: [], message: "Vendor\n", updateRef: "HEAD", author: signature)
        // Its index matches the commit, so the embedded repository is clean (else diffs call it modified).
        var raw: OpaquePointer?
        try check(git_repository_open(&raw, folder.path), "git_repository_open(\(relativePath))")
        defer { git_repository_free(raw) }
        var nestedIndex: OpaquePointer?
        try check(git_repository_index(&nestedIndex, raw), "git_repository_index(\(relativePath))")
        defer { git_index_free(nestedIndex) }
        try check(git_index_add_all(nestedIndex, nil, 0, nil, nil), "git_index_add_all(\(relativePath))")
        try check(git_index_write(nestedIndex), "git_index_write(\(relativePath))")
        try withIndex { index in
            var entry = git_index_entry()
            entry.mode = 0o160000
            entry.id = try rawOID(commit)
            try relativePath.withCString { cPath in
                entry.path = cPath
                try check(git_index_add(index, &entry), "git_index_add(\(relativePath))")
            }
        }
        return commit.hex
    }

    /// The mode of `relativePath` in the tree of `revision` (`0o160000` for a gitlink), nil when absent.
    public func mode(at revision: String, _ relativePath: String) throws -> UInt32? {
        let commit = try GitRepository.open(path: path).resolve(revision)
        return try withRepository { repository in
            var treeID = try treeID(of: commit, in: repository)
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, repository, &treeID), "git_tree_lookup")
            defer { git_tree_free(tree) }
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, tree, relativePath) == 0 else { return nil }
            defer { git_tree_entry_free(entry) }
            return git_tree_entry_filemode(entry).rawValue
        }
    }

    /// `git update-index --index-version N`.
    public func setIndexVersion(_ version: UInt32) throws {
        try withIndex { index in try check(git_index_set_version(index, version), "git_index_set_version(\(version))") }
    }

    /// Stages `paths` into the index file at `indexFile` (as `GIT_INDEX_FILE=… git add` does),
    /// starting from that file's entries.
    public func add(_ paths: [String], toIndexFile indexFile: String) throws {
        var index: OpaquePointer?
        try check(git_index_open(&index, indexFile), "git_index_open(\(indexFile))")
        defer { git_index_free(index) }
        try withRepository { repository in
            for path in paths {
                // The index file belongs to no repository, so the blob is written first and
                // entered by id (as git does for a file staged into GIT_INDEX_FILE).
                var blob = git_oid()
                try check(git_blob_create_from_workdir(&blob, repository, path), "git_blob_create_from_workdir(\(path))")
                var entry = git_index_entry()
                entry.mode = 0o100644
                entry.id = blob
                let size = try FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(path).path)[.size] as? Int ?? 0
                entry.file_size = UInt32(truncatingIfNeeded: size)
                try path.withCString { cPath in
                    entry.path = cPath
                    try check(git_index_add(index, &entry), "git_index_add(\(path))")
                }
            }
        }
        try check(git_index_write(index), "git_index_write(\(indexFile))")
    }

    // MARK: Commits

    /// Stages everything and commits as `person` at the next fixed time; returns the sha.
    @discardableResult
    public func commitAll(_ message: String, as person: GitPerson) throws -> String {
        try addAll()
        return try commit(message, as: person)
    }

    /// `git commit -a`: stages every tracked file's change and commits; returns the sha.
    @discardableResult
    public func commitTracked(_ message: String, as person: GitPerson) throws -> String {
        try stageTracked()
        return try commit(message, as: person)
    }

    /// Commits what is staged (empty commits allowed) onto HEAD; returns the sha.
    @discardableResult
    public func commit(_ message: String, as person: GitPerson) throws -> String {
        let tree = try withIndex(write: false) { index in
            var tree = git_oid()
            try withRepository { repository in
                try check(git_index_write_tree_to(&tree, index, repository), "git_index_write_tree_to")
            }
            return try oid(tree)
        }
        let writer = try GitRepository.open(path: path)
        let parents = try writer.headCommit().map { [$0] } ?? []
        return try commit(tree: tree, parents: parents, message: message, as: person, writer: writer)
    }

    /// `git merge --no-ff -m MESSAGE BRANCH`: a merge commit of HEAD and `branch`, with the
    /// working tree and index updated; throws on a conflict. Returns the merge commit's sha.
    @discardableResult
    public func merge(_ branch: String, message: String? = nil, as person: GitPerson) throws -> String {
        let writer = try GitRepository.open(path: path)
        guard let ours = try writer.headCommit() else { throw GitFixtureError(operation: "merge", code: -1, message: "HEAD is unborn") }
        let theirs = try writer.resolve(branch)
        let tree: GitOID = try withRepository { repository in
            var left = try rawOID(ours), right = try rawOID(theirs)
            var ourCommit: OpaquePointer?, theirCommit: OpaquePointer?
            try check(git_commit_lookup(&ourCommit, repository, &left), "git_commit_lookup(HEAD)")
            defer { git_commit_free(ourCommit) }
            try check(git_commit_lookup(&theirCommit, repository, &right), "git_commit_lookup(\(branch))")
            defer { git_commit_free(theirCommit) }
            var merged: OpaquePointer?
            try check(git_merge_commits(&merged, repository, ourCommit, theirCommit, nil), "git_merge_commits")
            defer { git_index_free(merged) }
            guard git_index_has_conflicts(merged) == 0 else {
                // As git leaves it: conflict stages in the index, markers in the files.
                var annotated: OpaquePointer?
                try check(git_annotated_commit_lookup(&annotated, repository, &right), "git_annotated_commit_lookup(\(branch))")
                defer { git_annotated_commit_free(annotated) }
                var mergeOptions = git_merge_options()
                try check(git_merge_options_init(&mergeOptions, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
                var checkoutOptions = git_checkout_options()
                try check(git_checkout_options_init(&checkoutOptions, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
                checkoutOptions.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_ALLOW_CONFLICTS.rawValue
                var heads: [OpaquePointer?] = [annotated]
                try heads.withUnsafeMutableBufferPointer { buffer in
                    try check(git_merge(repository, buffer.baseAddress, 1, &mergeOptions, &checkoutOptions), "git_merge(\(branch))")
                }
                throw GitFixtureError(operation: "merge \(branch)", code: -1, message: "conflict")
            }
            var tree = git_oid()
            try check(git_index_write_tree_to(&tree, merged, repository), "git_index_write_tree_to")
            try checkout(tree: &tree, in: repository)
            return try oid(tree)
        }
        return try commit(tree: tree, parents: [ours, theirs], message: message ?? "Merge branch '\(branch)'", as: person, writer: writer)
    }

    private func commit(tree: GitOID, parents: [GitOID], message: String, as person: GitPerson, writer: GitRepository) throws -> String {
        let signature = GitSignature(name: person.name, email: person.email,
                                     time: GitTime(secondsSinceEpoch: nextTime, offsetMinutes: offsetMinutes))
        let sha = try writer.commit(tree: tree, parents: parents, message: message + "\n", updateRef: "HEAD", author: signature)
        nextTime += 86_400
        return sha.hex
    }

    /// An annotated tag (`git tag -a NAME -m MESSAGE`) or, without a message, a lightweight one, on HEAD.
    public func tag(_ name: String, message: String? = nil, as person: GitPerson = .priya) throws {
        try withRepository { repository in
            var head: OpaquePointer?
            try check(git_revparse_single(&head, repository, "HEAD"), "git_revparse_single(HEAD)")
            defer { git_object_free(head) }
            var out = git_oid()
            if let message {
                var signature: UnsafeMutablePointer<git_signature>?
                try check(git_signature_new(&signature, person.name, person.email, nextTime, Int32(offsetMinutes)), "git_signature_new")
                defer { git_signature_free(signature) }
                try check(git_tag_create(&out, repository, name, head, signature, message + "\n", 0), "git_tag_create(\(name))")
            } else {
                try check(git_tag_create_lightweight(&out, repository, name, head, 0), "git_tag_create_lightweight(\(name))")
            }
        }
    }

    // MARK: Branches and checkouts

    /// `git checkout -b NAME [START]`: a new branch at `start` (default HEAD), checked out.
    public func checkout(newBranch name: String, at start: String = "HEAD") throws {
        let target = try GitRepository.open(path: path).resolve(start)
        try withRepository { repository in
            var commit: OpaquePointer?
            var id = try rawOID(target)
            try check(git_commit_lookup(&commit, repository, &id), "git_commit_lookup(\(start))")
            defer { git_commit_free(commit) }
            var branch: OpaquePointer?
            try check(git_branch_create(&branch, repository, name, commit, 0), "git_branch_create(\(name))")
            git_reference_free(branch)
        }
        try checkout(name)
    }

    /// `git checkout NAME`: switches to an existing branch, updating the working tree and index
    /// (local changes that do not conflict are kept, as git keeps them).
    public func checkout(_ branch: String) throws {
        let target = try GitRepository.open(path: path).resolve(branch)
        try withRepository { repository in
            var tree = try treeID(of: target, in: repository)
            try checkout(tree: &tree, in: repository)
            try check(git_repository_set_head(repository, "refs/heads/" + branch), "git_repository_set_head(\(branch))")
        }
    }

    /// `git checkout --detach REVISION`.
    public func checkout(detached revision: String) throws {
        let target = try GitRepository.open(path: path).resolve(revision)
        try withRepository { repository in
            var tree = try treeID(of: target, in: repository)
            try checkout(tree: &tree, in: repository)
            var id = try rawOID(target)
            try check(git_repository_set_head_detached(repository, &id), "git_repository_set_head_detached")
        }
    }

    /// `git checkout --orphan NAME`: HEAD on a branch with no commit yet; index and files stay.
    public func checkout(orphan name: String) throws {
        try withRepository { repository in
            try check(git_repository_set_head(repository, "refs/heads/" + name), "git_repository_set_head(\(name))")
        }
    }

    /// `git checkout -- PATH`: the file as it is in the index.
    public func restore(_ relativePath: String) throws {
        try withRepository { repository in
            var options = git_checkout_options()
            try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
            options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
            try relativePath.withCString { cPath in
                var paths: [UnsafeMutablePointer<CChar>?] = [UnsafeMutablePointer(mutating: cPath)]
                try paths.withUnsafeMutableBufferPointer { buffer in
                    options.paths = git_strarray(strings: buffer.baseAddress, count: 1)
                    try check(git_checkout_index(repository, nil, &options), "git_checkout_index(\(relativePath))")
                }
            }
        }
    }

    /// `git rev-parse REVISION` for a commit-ish, full sha.
    public func sha(_ revision: String) throws -> String {
        try GitRepository.open(path: path).resolve(revision).hex
    }

    /// The blob id of `path` at `revision` (`git rev-parse REVISION:PATH`).
    public func blobSHA(_ revision: String, _ relativePath: String) throws -> String {
        try withRepository { repository in
            var object: OpaquePointer?
            try check(git_revparse_single(&object, repository, "\(revision):\(relativePath)"), "git_revparse_single")
            defer { git_object_free(object) }
            return try oid(git_object_id(object)!.pointee).hex
        }
    }

    /// `git merge-base A B`.
    public func mergeBase(_ a: String, _ b: String) throws -> String? {
        let repository = try GitRepository.open(path: path)
        return try repository.mergeBase(repository.resolve(a), repository.resolve(b))?.hex
    }

    /// `git config KEY VALUE` in the repository's own config.
    public func setConfig(_ key: String, _ value: String) throws {
        try withRepository { repository in
            var config: OpaquePointer?
            try check(git_repository_config(&config, repository), "git_repository_config")
            defer { git_config_free(config) }
            var local: OpaquePointer?
            try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "git_config_open_level")
            defer { git_config_free(local) }
            try check(git_config_set_string(local, key, value), "git_config_set_string(\(key))")
        }
    }

    /// `git worktree add PATH`: a linked worktree on a new branch named after the folder.
    public func addWorktree(at folder: URL) throws {
        try withRepository { repository in
            var worktree: OpaquePointer?
            try check(git_worktree_add(&worktree, repository, folder.lastPathComponent, folder.path, nil), "git_worktree_add")
            git_worktree_free(worktree)
        }
    }

    // MARK: Inspecting

    /// The branch HEAD is on (`git rev-parse --abbrev-ref HEAD`), nil when detached.
    public func headBranch() throws -> String? {
        try GitRepository.open(path: path).headBranchReference.map { String($0.dropFirst("refs/heads/".count)) }
    }

    /// `git status --porcelain`-like lines (`status-flags path`), sorted; empty when clean. Untracked
    /// files are listed, ignored ones are not.
    public func status() throws -> [String] {
        try withRepository { repository in
            var options = git_status_options()
            try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
            options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            var list: OpaquePointer?
            try check(git_status_list_new(&list, repository, &options), "git_status_list_new")
            defer { git_status_list_free(list) }
            return (0..<git_status_list_entrycount(list)).compactMap { index -> String? in
                guard let entry = git_status_byindex(list, index)?.pointee else { return nil }
                let delta = entry.head_to_index ?? entry.index_to_workdir
                guard let file = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path else { return nil }
                return "\(entry.status.rawValue) \(String(cString: file))"
            }.sorted()
        }
    }

    /// Every file path in the tree of `revision` (`git ls-tree -r --name-only`), sorted.
    public func files(at revision: String) throws -> [String] {
        let commit = try GitRepository.open(path: path).resolve(revision)
        return try withRepository { repository in
            var treeID = try treeID(of: commit, in: repository)
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, repository, &treeID), "git_tree_lookup")
            defer { git_tree_free(tree) }
            final class Paths { var all: [String] = [] }
            let paths = Paths()
            let callback: git_treewalk_cb = { root, entry, payload in
                guard let root, let entry, let payload else { return 0 }
                if git_tree_entry_type(entry) != GIT_OBJECT_TREE {
                    Unmanaged<Paths>.fromOpaque(payload).takeUnretainedValue().all.append(String(cString: root) + String(cString: git_tree_entry_name(entry)))
                }
                return 0
            }
            try check(git_tree_walk(tree, GIT_TREEWALK_PRE, callback, Unmanaged.passUnretained(paths).toOpaque()), "git_tree_walk")
            return paths.all.sorted()
        }
    }

    /// The contents of `relativePath` at `revision` (`git show REVISION:PATH`).
    public func contents(at revision: String, _ relativePath: String) throws -> String {
        let repository = try GitRepository.open(path: path)
        let blob = try GitOID(hex: blobSHA(revision, relativePath))!
        return String(decoding: try repository.blob(blob), as: UTF8.self)
    }

    /// How many commits `revision` reaches (`git rev-list --count`).
    public func commitCount(_ revision: String) throws -> Int {
        let repository = try GitRepository.open(path: path)
        var queue = [try repository.resolve(revision)]
        var seen: Set<GitOID> = []
        while let commit = queue.popLast() {
            guard seen.insert(commit).inserted else { continue }
            var index = 1
            while let parent = try? repository.resolve("\(commit.hex)^\(index)") {
                queue.append(parent)
                index += 1
            }
        }
        return seen.count
    }

    /// The first line of a commit's message (`git log -1 --format=%s`).
    public func summary(_ revision: String) throws -> String {
        let commit = try GitRepository.open(path: path).resolve(revision)
        return try withRepository { repository in
            var id = try rawOID(commit)
            var object: OpaquePointer?
            try check(git_commit_lookup(&object, repository, &id), "git_commit_lookup")
            defer { git_commit_free(object) }
            return git_commit_summary(object).map { String(cString: $0) } ?? ""
        }
    }

    // MARK: Clones

    /// `git clone [--bare] file://REPO NAME` next to this repository; the clone is removed with it.
    /// With `depth`, a shallow clone as `--depth N` makes one: the commits more than `depth - 1`
    /// first-parent steps from HEAD are missing and `.git/shallow` lists the boundary. (libgit2 1.5
    /// cannot fetch shallow, so the clone is made whole and then cut; that is what a shallow clone
    /// looks like to a reader.)
    public func clone(_ name: String, bare: Bool = false, depth: Int? = nil) throws -> GitTestRepository {
        let destination = base.appendingPathComponent(name)
        var options = git_clone_options()
        try check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), "git_clone_options_init")
        options.bare = bare ? 1 : 0
        // Copy the object files as they are (loose, not packed) so a shallow cut can remove commits.
        options.local = GIT_CLONE_LOCAL_NO_LINKS
        var repository: OpaquePointer?
        try check(git_clone(&repository, "file://" + path, destination.path, &options), "git_clone")
        git_repository_free(repository)
        let clone = GitTestRepository(url: destination, bare: bare, parent: self)
        if let depth { try clone.cut(depth: depth) }
        return clone
    }

    private func cut(depth: Int) throws {
        let repository = try GitRepository.open(path: path)
        var boundary = try repository.resolve("HEAD")
        for _ in 1..<depth { boundary = try repository.resolve(boundary.hex + "^") }
        // Every ancestor of the boundary (all parents, not only the first).
        func parents(_ commit: GitOID) -> [GitOID] {
            var found: [GitOID] = []
            while let parent = try? repository.resolve("\(commit.hex)^\(found.count + 1)") { found.append(parent) }
            return found
        }
        var dropped: [GitOID] = []
        var queue = parents(boundary)
        var seen: Set<GitOID> = []
        while let commit = queue.popLast() {
            guard seen.insert(commit).inserted else { continue }
            dropped.append(commit)
            queue += parents(commit)
        }
        let gitDir = URL(fileURLWithPath: repository.gitDir)
        for commit in dropped {
            let hex = commit.hex
            let object = gitDir.appendingPathComponent("objects/\(hex.prefix(2))/\(hex.dropFirst(2))")
            if FileManager.default.fileExists(atPath: object.path) {
                try FileManager.default.removeItem(at: object)
            } else {
                throw GitFixtureError(operation: "shallow clone", code: -1, message: "commit \(hex) is not a loose object")
            }
        }
        try Data((boundary.hex + "\n").utf8).write(to: gitDir.appendingPathComponent("shallow"))
    }

    // MARK: libgit2 plumbing

    private func open() throws -> OpaquePointer {
        var repository: OpaquePointer?
        try check(git_repository_open(&repository, path), "git_repository_open(\(path))")
        return repository!
    }

    private func withRepository<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        let repository = try open()
        defer { git_repository_free(repository) }
        return try body(repository)
    }

    /// Runs `body` on the repository's index and writes the index back unless `write` is false.
    private func withIndex<T>(write: Bool = true, _ body: (OpaquePointer) throws -> T) throws -> T {
        try withRepository { repository in
            var index: OpaquePointer?
            try check(git_repository_index(&index, repository), "git_repository_index")
            defer { git_index_free(index) }
            let result = try body(index!)
            if write { try check(git_index_write(index), "git_index_write") }
            return result
        }
    }

    /// Checks out `tree` over the current HEAD safely (git's rules: untouched files follow, local
    /// changes stay unless they conflict), updating the index.
    private func checkout(tree: inout git_oid, in repository: OpaquePointer) throws {
        var object: OpaquePointer?
        try check(git_object_lookup(&object, repository, &tree, GIT_OBJECT_TREE), "git_object_lookup(tree)")
        defer { git_object_free(object) }
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        try check(git_checkout_tree(repository, object, &options), "git_checkout_tree")
    }

    private func treeID(of commit: GitOID, in repository: OpaquePointer) throws -> git_oid {
        var id = try rawOID(commit)
        var object: OpaquePointer?
        try check(git_commit_lookup(&object, repository, &id), "git_commit_lookup(\(commit.short))")
        defer { git_commit_free(object) }
        return git_commit_tree_id(object)!.pointee
    }

    private func rawOID(_ oid: GitOID) throws -> git_oid {
        var raw = git_oid()
        try check(git_oid_fromstr(&raw, oid.hex), "git_oid_fromstr")
        return raw
    }

    private func oid(_ raw: git_oid) throws -> GitOID {
        var raw = raw
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, 41, &raw)
        guard let oid = GitOID(hex: String(cString: buffer)) else {
            throw GitFixtureError(operation: "git_oid_tostr", code: -1, message: "not an object id")
        }
        return oid
    }
}

private func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
    guard code < 0 else { return }
    let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "unknown error"
    throw GitFixtureError(operation: operation(), code: code, message: message)
}

/// Lints a scripted repository through the Core API, as `inquest lint` does.
public enum GitLint {
    /// Opens the archive at `selection` from `directory` and prepares the run.
    public static func plan(_ directory: URL, _ selection: DocumentSourceSelection = .workingTree, paths: [String] = [],
                            changedSince: String? = nil, indexFile: String? = nil) throws -> LintPlan {
        let reader = try ArchiveReader.open(at: directory, selection: selection, indexFile: indexFile)
        return try LintPlan.make(reader: reader, paths: paths, from: directory, changedSince: changedSince)
    }

    /// The diagnostics of a run.
    public static func run(_ directory: URL, _ selection: DocumentSourceSelection = .workingTree, paths: [String] = [],
                           changedSince: String? = nil, indexFile: String? = nil) throws -> [Diagnostic] {
        try plan(directory, selection, paths: paths, changedSince: changedSince, indexFile: indexFile).lint().diagnostics
    }
}

extension Array where Element == Diagnostic {
    /// `path rule` pairs, for compact assertions.
    public func pairs(_ rules: Set<String>? = nil) -> [String] {
        filter { rules?.contains($0.rule) ?? true }.map { "\($0.file) \($0.rule)" }
    }

    public func rule(_ id: String) -> [Diagnostic] { filter { $0.rule == id } }
}

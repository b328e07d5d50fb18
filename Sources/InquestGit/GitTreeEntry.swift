import Foundation
import CLibGit2

/// The kind of file a tree or index entry records.
public enum GitFileMode: UInt32, Hashable, Sendable {
    /// A regular file (0100644).
    case regular = 0o100644
    /// An executable file (0100755).
    case executable = 0o100755
    /// A symbolic link (0120000); the blob holds the link target, which is never followed.
    case symlink = 0o120000

    /// Maps a raw git mode to a file kind; nil for trees, submodules and unknown modes.
    init?(gitMode: UInt32) {
        switch gitMode {
        case 0o100644, 0o100664: self = .regular // 0100664 appears in some very old repositories
        case 0o100755: self = .executable
        case 0o120000: self = .symlink
        default: return nil
        }
    }
}

/// A file in a tree or in the index: repository-relative path and blob id.
public struct GitTreeEntry: Hashable, Sendable {
    /// Path relative to the repository root, with `/` separators.
    public let path: String
    /// The blob holding the contents (for a symlink: the link target).
    public let oid: GitOID
    /// Regular, executable or symlink.
    public let mode: GitFileMode

    /// An entry with the given path, blob id and mode.
    public init(path: String, oid: GitOID, mode: GitFileMode) {
        self.path = path
        self.oid = oid
        self.mode = mode
    }

    /// True for a symbolic link, whose blob holds the target path rather than content.
    public var isSymlink: Bool { mode == .symlink }
}

extension GitRepository {
    /// Lists every file (blob) of a commit's tree below `path`, recursively, sorted by path.
    ///
    /// `path` is repository-relative; "" lists the whole tree and a file path lists that
    /// file. Symlinks are listed (flagged by `isSymlink`) but not followed; submodules are
    /// skipped because their content lives in another repository. A missing path yields
    /// an empty list.
    public func files(at commit: GitOID, under path: String) throws -> [GitTreeEntry] {
        let root = try lookupTree(ofCommit: commit)
        defer { git_tree_free(root) }
        let prefix = Self.normalisedRelativePath(path)
        var entries: [GitTreeEntry] = []
        if prefix.isEmpty {
            try collectBlobs(in: root, prefix: "", into: &entries)
            return entries
        }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, root, prefix)
        if code == GIT_ENOTFOUND.rawValue { return [] }
        try check(code, "git_tree_entry_bypath(\(prefix))")
        defer { git_tree_entry_free(entry) }
        let mode = git_tree_entry_filemode(entry).rawValue
        if mode == GIT_FILEMODE_TREE.rawValue {
            var subtree: OpaquePointer?
            try checkObject(git_tree_lookup(&subtree, pointer, git_tree_entry_id(entry)), GitOID(git_tree_entry_id(entry)!),
                            "git_tree_lookup(\(prefix))")
            defer { git_tree_free(subtree) }
            try collectBlobs(in: subtree!, prefix: prefix + "/", into: &entries)
        } else if let fileMode = GitFileMode(gitMode: mode) {
            entries.append(GitTreeEntry(path: prefix, oid: GitOID(git_tree_entry_id(entry)!), mode: fileMode))
        }
        return entries
    }

    /// Depth-first walk; tree entries are sorted by git, so the output is sorted too
    /// (git sorts a folder as if its name ended in `/`, matching path order).
    private func collectBlobs(in tree: OpaquePointer, prefix: String, into entries: inout [GitTreeEntry]) throws {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let mode = git_tree_entry_filemode(entry).rawValue
            let id = git_tree_entry_id(entry)!
            if mode == GIT_FILEMODE_TREE.rawValue {
                var subtree: OpaquePointer?
                try checkObject(git_tree_lookup(&subtree, pointer, id), GitOID(id), "git_tree_lookup(\(prefix)\(name))")
                defer { git_tree_free(subtree) }
                try collectBlobs(in: subtree!, prefix: prefix + name + "/", into: &entries)
            } else if let fileMode = GitFileMode(gitMode: mode) {
                entries.append(GitTreeEntry(path: prefix + name, oid: GitOID(id), mode: fileMode))
            }
            // GIT_FILEMODE_COMMIT (submodule) and unknown modes are skipped.
        }
    }

    /// The staged files (stage 0 of the index) below `path`, sorted by path. Conflicted
    /// entries (stages 1–3) and submodules are skipped. Read contents with `blob(_:)`.
    /// The index is re-read from disk when it changed since the last call.
    public func indexEntries(under path: String) throws -> [GitTreeEntry] {
        let index = try repositoryIndex()
        defer { git_index_free(index) }
        return Self.stagedEntries(of: index, under: path)
    }

    /// The staged files of an index file other than the repository's own — the temporary index
    /// that `git commit -a` and `git commit <paths>` name in `GIT_INDEX_FILE` while the pre-commit
    /// hook runs — read by libgit2 (`git_index_open`, index versions 2–4) like ``indexEntries(under:)``.
    public func indexEntries(under path: String, indexFile: String) throws -> [GitTreeEntry] {
        // libgit2 opens a missing file as an empty index; a hook must not lint "nothing staged".
        guard FileManager.default.isReadableFile(atPath: indexFile) else {
            throw GitError(code: -1, message: "cannot read the index file \(indexFile)", operation: "git_index_open")
        }
        var index: OpaquePointer?
        try check(git_index_open(&index, indexFile), "git_index_open(\(indexFile))")
        defer { git_index_free(index) }
        return Self.stagedEntries(of: index!, under: path)
    }

    /// Stage-0 file entries of `index` below `path`; conflicted, intent-to-add and submodule entries are skipped.
    private static func stagedEntries(of index: OpaquePointer, under path: String) -> [GitTreeEntry] {
        var entries: [GitTreeEntry] = []
        forEachStagedEntry(of: index, under: path, where: { GitFileMode(gitMode: $0) != nil }) { entry, entryPath in
            guard let fileMode = GitFileMode(gitMode: entry.pointee.mode) else { return }
            entries.append(GitTreeEntry(path: entryPath, oid: GitOID(entry.pointee.id), mode: fileMode))
        }
        return entries
    }

    /// Calls `body` with each stage-0 entry of `index` below `path` (repository-relative, "" for
    /// all) whose mode `mode` accepts, and its path; conflicted and intent-to-add entries are skipped.
    static func forEachStagedEntry(of index: OpaquePointer, under path: String, where mode: (UInt32) -> Bool,
                                   _ body: (UnsafePointer<git_index_entry>, String) -> Void) {
        let prefix = Self.normalisedRelativePath(path)
        // An ASCII prefix rules most entries out on their bytes, before a String is made of each
        // of the index's paths (the index source is asked for single files several times a run).
        let prefixBytes = Array(prefix.utf8)
        let asciiPrefix = !prefixBytes.isEmpty && prefixBytes.allSatisfy { $0 < 0x80 }
        let count = git_index_entrycount(index)
        for position in 0..<count {
            guard let entry = git_index_get_byindex(index, position) else { continue }
            let stage = (UInt32(entry.pointee.flags) & UInt32(GIT_INDEX_ENTRY_STAGEMASK)) >> UInt32(GIT_INDEX_ENTRY_STAGESHIFT)
            let intentToAdd = UInt32(entry.pointee.flags_extended) & UInt32(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue) != 0
            guard stage == 0, !intentToAdd, mode(entry.pointee.mode) else { continue }
            if asciiPrefix, Self.isSurelyOutside(entry.pointee.path, prefix: prefixBytes) { continue }
            let entryPath = String(cString: entry.pointee.path)
            guard Self.path(entryPath, isUnder: prefix) else { continue }
            body(entry, entryPath)
        }
    }

    /// True when the NUL-terminated `path` is certainly neither the ASCII `prefix` nor below it:
    /// it differs from the prefix at an ASCII byte, ends inside it, or goes on with something
    /// other than `/`. False (undecided) when a non-ASCII byte comes first; ``path(_:isUnder:)`` decides.
    static func isSurelyOutside(_ path: UnsafePointer<CChar>, prefix: [UInt8]) -> Bool {
        let bytes = UnsafeRawPointer(path).assumingMemoryBound(to: UInt8.self)
        for index in prefix.indices {
            let byte = bytes[index]
            if byte == 0 { return true }
            if byte >= 0x80 { return false }
            if byte != prefix[index] { return true }
        }
        let next = bytes[prefix.count]
        return next != 0 && next != UInt8(ascii: "/")
    }

    /// The repository's index, refreshed from disk; the caller frees it with `git_index_free`.
    func repositoryIndex() throws -> OpaquePointer {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        // force = 0: only re-reads when the file on disk changed, keeping repeated calls cheap.
        let code = git_index_read(index, 0)
        if code < 0 {
            git_index_free(index)
            try check(code, "git_index_read")
        }
        return index!
    }
}

import CLibGit2
import Foundation

/// What git recorded about a working-tree file when it last hashed it: the index entry's blob id
/// with the file's stat data at that moment (`git ls-files --debug` prints the same fields).
public struct GitIndexStat: Sendable, Equatable {
    public var oid: GitOID
    /// Modification time, nanoseconds since the epoch (0 ns when the writer stored seconds only).
    public var modified: Int64
    /// Inode change time, nanoseconds since the epoch.
    public var changed: Int64
    /// The low 32 bits of the inode number, as the index stores it.
    public var inode: UInt32
    /// The low 32 bits of the file size, as the index stores it.
    public var size: UInt32
}

/// The stage-0 regular files of a repository's index with their stat data, and the time the
/// index file was last written: an entry whose file still has the same stat data and is older than
/// the index holds the entry's blob — git's own test for an unchanged file (`git status`).
public struct GitIndexStats: Sendable {
    /// Repository-relative path → its entry.
    public var entries: [String: GitIndexStat]
    /// The index file's modification time (nanoseconds since the epoch), taken before it was read:
    /// an entry modified at or after it is racy (the file may have changed within the same tick).
    public var written: Int64
}

extension GitRepository {
    /// The index's regular files below `path` (repository-relative, "" for all) with their stat
    /// data; see ``GitIndexStats``. Conflicted, intent-to-add, symbolic-link, gitlink and sparse
    /// directory entries are left out. An empty result (no entries) when there is no index file.
    public func indexStats(under path: String) throws(GitError) -> GitIndexStats {
        let indexFile = gitDir + "/index"
        var info = stat()
        // The time is taken before the read: an index rewritten in between is judged by the older
        // time, which only distrusts more entries.
        guard lstat(indexFile, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return GitIndexStats(entries: [:], written: 0)
        }
        let written = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        var index: OpaquePointer?
        try check(git_index_open(&index, indexFile), "git_index_open(\(indexFile))")
        defer { git_index_free(index) }
        var entries: [String: GitIndexStat] = [:]
        entries.reserveCapacity(git_index_entrycount(index))
        let time = { (time: git_index_time) in Int64(time.seconds) * 1_000_000_000 + Int64(time.nanoseconds) }
        let regular = { (mode: UInt32) in mode == GIT_FILEMODE_BLOB.rawValue || mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue }
        Self.forEachStagedEntry(of: index!, under: path, where: regular) { entry, entryPath in
            entries[entryPath] = GitIndexStat(oid: GitOID(entry.pointee.id), modified: time(entry.pointee.mtime),
                                              changed: time(entry.pointee.ctime), inode: entry.pointee.ino,
                                              size: entry.pointee.file_size)
        }
        return GitIndexStats(entries: entries, written: written)
    }

    /// True when git would change the bytes of the working-tree file `path` (repository-relative)
    /// on their way into a blob — an end-of-line conversion, `ident`, a `filter=` driver such as
    /// Git LFS — so its blob id is not the hash of the file's bytes; also true when libgit2 cannot
    /// tell. False only when no filter applies.
    public func filtersWorkingTreeBytes(of path: String) -> Bool {
        var filters: OpaquePointer?
        let code = git_filter_list_load(&filters, pointer, nil, path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT.rawValue)
        if let filters { git_filter_list_free(filters) }
        return code != 0 || filters != nil
    }
}

extension GitRepository {
    /// False when no file below `folder` (repository-relative) can have a filter: git's
    /// `core.autocrlf` converts nothing, and no attributes file exists that could give one — no
    /// `.gitattributes` in the working tree's folders from the top down to and below `folder`,
    /// no `info/attributes`, no `core.attributesFile`, and no global (XDG) or system attributes
    /// file. True means some might: ask ``filtersWorkingTreeBytes(of:)`` file by file.
    ///
    /// Asking libgit2 file by file costs several `stat` calls per file (it checks each
    /// attributes file it caches), as much as hashing the file; this answers for a whole folder
    /// with a few, and errs on the side of "might".
    public func mayFilterWorkingTreeBytes(under folder: String) -> Bool {
        guard let workdir else { return true }
        if let autocrlf = configString("core.autocrlf")?.lowercased(), !["false", "no", "off", "0", ""].contains(autocrlf) { return true }
        if configString("core.attributesFile") != nil { return true }
        var candidates = [gitDir + "/info/attributes", commonDir + "/info/attributes", "/etc/gitattributes"]
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { candidates.append(xdg + "/git/attributes") }
        if let home = environment["HOME"], !home.isEmpty { candidates.append(home + "/.config/git/attributes") }
        // Beside the system and global configuration files libgit2 reads, where it looks for
        // the attributes files too.
        for (find, name) in [(git_config_find_system, "gitattributes"), (git_config_find_xdg, "attributes")] {
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            if find(&buffer) == 0, let path = buffer.ptr {
                candidates.append(URL(fileURLWithPath: String(cString: path)).deletingLastPathComponent().path + "/" + name)
            }
        }
        // The folders from the top of the working tree down to `folder`.
        var folderPath = workdir
        candidates.append(folderPath + "/.gitattributes")
        let parts = Self.normalisedRelativePath(folder).split(separator: "/")
        for part in parts {
            folderPath += "/" + part
            candidates.append(folderPath + "/.gitattributes")
        }
        var info = stat()
        if candidates.contains(where: { lstat($0, &info) == 0 }) { return true }
        return Self.hasAttributesFile(below: folderPath, depth: 0)
    }

    /// True when a `.gitattributes` exists in a folder below `path` (symbolic links not followed).
    private static func hasAttributesFile(below path: String, depth: Int) -> Bool {
        guard depth < 32, let directory = opendir(path) else { return depth >= 32 }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            if name == ".gitattributes" { return true }
            let child = path + "/" + name
            // The entry's type from the listing (10,000 postmortems are not a `stat` each); asked
            // with `lstat` only where the file system does not say.
            var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = lstat(child, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            if isFolder, hasAttributesFile(below: child, depth: depth + 1) { return true }
        }
        return false
    }
}

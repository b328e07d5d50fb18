import Foundation
internal import InquestGit

extension WorkspaceRepository {
    /// The git index as a witness of working-tree files' blob ids (``StatIndex/Vouching``), for
    /// the files Inquest's own stat index does not know: after a clone, a checkout of another
    /// branch, or a restored CI cache, every file's stamp is new to it, yet `git checkout` has just
    /// recorded each one's stat data and blob id in the index.
    ///
    /// A file is vouched for as git's `status` would take it as unchanged, and more strictly:
    /// - its index entry (stage 0, a regular file) has the file's modification and change times
    ///   to the nanosecond, the low 32 bits of its inode number and of its size;
    /// - it is older than the index file (else it is racy: it may have changed within the clock
    ///   tick the index was written in);
    /// - no filter applies to it (end-of-line conversion, `ident`, a `filter=` driver such as
    ///   Git LFS), since the blob id is then not the hash of the file's bytes.
    ///
    /// Anything else (no index, an unreadable one, no working tree) leaves the file to be hashed.
    /// The closure opens a repository of its own, so it may run on any thread.
    func workingTreeVouching() -> StatIndex.Vouching? {
        guard let workdir = repository.workdir else { return nil }
        let prefix = pathPrefix
        return { folder, documents in
            let unknown = [Digest20?](repeating: nil, count: documents.count)
            guard !documents.isEmpty, let repository = try? GitRepository.open(path: workdir),
                  let index = try? repository.indexStats(under: GitPaths.join(prefix, folder)), !index.entries.isEmpty else {
                return unknown
            }
            let askEachFile = repository.mayFilterWorkingTreeBytes(under: GitPaths.join(prefix, folder))
            return documents.map { document in
                let path = GitPaths.join(prefix, document.path)
                guard let stamp = document.stamp, let entry = index.entries[path],
                      entry.modified == stamp.modified, entry.changed == stamp.changed,
                      entry.inode == UInt32(truncatingIfNeeded: stamp.inode), entry.size == UInt32(truncatingIfNeeded: stamp.size),
                      stamp.modified < index.written, stamp.changed < index.written,
                      !(askEachFile && repository.filtersWorkingTreeBytes(of: path)) else { return nil }
                let words = entry.oid.words
                return Digest20(high: words.0, middle: words.1, low: words.2)
            }
        }
    }
}

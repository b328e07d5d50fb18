import CLibGit2

extension GitOID {
    /// The id git gives `bytes` as a blob (SHA-1 of `blob <size>\0` + bytes), without a
    /// repository: what `git hash-object` prints. Lets a working-tree file and the same content
    /// in the index or a commit share one cache entry.
    public static func blobID(of bytes: [UInt8]) -> GitOID {
        _ = try? ensureLibgit2()
        var oid = git_oid()
        bytes.withUnsafeBytes { buffer in
            // git_odb_hash only fails on an invalid object type; GIT_OBJECT_BLOB is valid.
            _ = git_odb_hash(&oid, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, buffer.count, GIT_OBJECT_BLOB)
        }
        return GitOID(oid)
    }
}

internal import InquestGit

/// Content ids as git computes them (the blob id of the bytes), so a working-tree file, its staged
/// copy and its committed blob share one key. The lint cache and the configuration digest use it;
/// it lives in the git adapter because it is libgit2's hash.
enum ContentID {
    /// The 40-hex git blob id of `bytes`.
    static func of(_ bytes: [UInt8]) -> String { GitOID.blobID(of: bytes).hex }

    /// The git blob id of `bytes` as three big-endian words (see `GitOID.words`): no hex
    /// written and parsed back for the cache's many digests.
    static func words(of bytes: [UInt8]) -> (UInt64, UInt64, UInt32) { GitOID.blobID(of: bytes).words }

    /// The 40-hex git blob id of `text`'s UTF-8 bytes.
    static func of(_ text: String) -> String { of(Array(text.utf8)) }
}

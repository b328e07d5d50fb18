import Foundation
import InquestGit

/// Reads a git index file other than the repository's own, such as the temporary index that
/// `git commit -a` and `git commit <paths>` build and name in `GIT_INDEX_FILE` while the
/// pre-commit hook runs. libgit2 only opens `$GIT_DIR/index`, so without this a hook would lint
/// the wrong snapshot. Supports index versions 2, 3 and 4; a split index is refused.
enum GitIndexFile {
    /// Stage-0 file entries (regular, executable, symlink) below `folder` (repository-relative, "" = all),
    /// sorted by path. Conflicted, intent-to-add, submodule and sparse-directory entries are skipped.
    static func entries(at path: String, under folder: String) throws(SourceError) -> [GitTreeEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceError("cannot read the index file \(path) (GIT_INDEX_FILE)")
        }
        return try parse([UInt8](data), path: path).filter { entry in
            folder.isEmpty || entry.path == folder || entry.path.hasPrefix(folder + "/")
        }
    }

    static func parse(_ bytes: [UInt8], path: String) throws(SourceError) -> [GitTreeEntry] {
        func fail(_ what: String) -> SourceError { SourceError("cannot read the index file \(path): \(what)") }
        func uint32(_ offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        func uint16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]) }

        guard bytes.count >= 12, bytes[0..<4].elementsEqual("DIRC".utf8) else { throw fail("not a git index") }
        let version = uint32(4)
        guard (2...4).contains(version) else { throw fail("unsupported index version \(version)") }
        let count = Int(uint32(8))
        var offset = 12
        var previousPath: [UInt8] = []
        var entries: [GitTreeEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let start = offset
            guard offset + 62 <= bytes.count else { throw fail("truncated entry") }
            let mode = uint32(offset + 24)
            let oidBytes = bytes[offset + 40..<offset + 60]
            let flags = uint16(offset + 60)
            offset += 62
            var extended: UInt16 = 0
            if flags & 0x4000 != 0 {
                guard version >= 3, offset + 2 <= bytes.count else { throw fail("bad extended flags") }
                extended = uint16(offset)
                offset += 2
            }
            var pathBytes: [UInt8]
            if version == 4 {
                // Prefix compression: drop N bytes from the previous path's end, then append a NUL-terminated suffix.
                var drop = 0
                guard offset < bytes.count else { throw fail("truncated path") }
                var byte = bytes[offset]; offset += 1
                drop = Int(byte & 0x7F)
                while byte & 0x80 != 0 {
                    guard offset < bytes.count else { throw fail("truncated path") }
                    byte = bytes[offset]; offset += 1
                    drop = ((drop + 1) << 7) | Int(byte & 0x7F)
                }
                guard drop <= previousPath.count, let end = bytes[offset...].firstIndex(of: 0) else { throw fail("bad path") }
                pathBytes = Array(previousPath.dropLast(drop)) + bytes[offset..<end]
                offset = end + 1
            } else {
                guard let end = bytes[offset...].firstIndex(of: 0) else { throw fail("bad path") }
                pathBytes = Array(bytes[offset..<end])
                // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
                offset = start + ((end - start + 8) / 8) * 8
            }
            previousPath = pathBytes
            let stage = (flags >> 12) & 0x3
            let intentToAdd = extended & 0x2000 != 0
            guard stage == 0, !intentToAdd, let fileMode = GitFileMode(rawValue: mode == 0o100664 ? 0o100644 : mode),
                  let oid = GitOID(hex: oidBytes.map { String(format: "%02x", $0) }.joined())
            else { continue }
            entries.append(GitTreeEntry(path: String(decoding: pathBytes, as: UTF8.self), oid: oid, mode: fileMode))
        }
        // Extensions follow the entries; a split index keeps most entries in another file.
        while offset + 8 <= bytes.count - 20 {
            let signature = bytes[offset..<offset + 4]
            let size = Int(uint32(offset + 4))
            if signature.elementsEqual("link".utf8) { throw fail("split index (core.splitIndex) is not supported") }
            offset += 8 + size
        }
        return entries.sorted { $0.path < $1.path }
    }
}

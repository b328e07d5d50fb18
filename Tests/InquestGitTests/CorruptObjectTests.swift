import CLibGit2
import Foundation
import InquestTestSupport
import XCTest
@testable import InquestGit

/// A repository scripted in-process with libgit2 (no `git` subprocess): one commit holding
/// `postmortems/a.md` and `postmortems/b.md`, whose loose object files the tests then damage.
private struct BrokenRepository {
    let folder: TemporaryFolder
    let commit: GitOID
    let blob: GitOID
    let tree: GitOID

    static let content = Array("---\ntitle: Disk filled up\n---\n\n## Summary\n\nThe queue backed up.\n".utf8)

    init() throws {
        folder = try TemporaryFolder()
        try ensureLibgit2()
        var raw: OpaquePointer?
        XCTAssertEqual(git_repository_init(&raw, folder.path, 0), 0)
        git_repository_free(raw)
        let repository = try GitRepository.open(path: folder.path)
        tree = try repository.writeTree(files: [("postmortems/a.md", Self.content), ("postmortems/b.md", Array("b\n".utf8))])
        let author = GitSignature(name: "Alice", email: "alice@example.com", time: GitTime(secondsSinceEpoch: 1_700_000_000))
        commit = try repository.commit(tree: tree, parents: [], message: "first\n", updateRef: "HEAD", author: author)
        blob = try XCTUnwrap(repository.files(at: commit, under: "postmortems/a.md").first).oid
    }

    func objectPath(_ oid: GitOID) -> String {
        folder.subpath(".git/objects/\(oid.hex.prefix(2))/\(oid.hex.dropFirst(2))")
    }

    /// Replaces an object's file (libgit2 writes them read-only).
    func overwrite(_ oid: GitOID, with bytes: [UInt8]) throws {
        let path = objectPath(oid)
        try? FileManager.default.removeItem(atPath: path)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    func bytes(_ oid: GitOID) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: objectPath(oid))))
    }

    /// A fresh handle, so nothing read before the damage is served from libgit2's cache.
    func open() throws -> GitRepository { try GitRepository.open(path: folder.path) }
}

/// A zlib stream of one stored (uncompressed) deflate block: lets a test write any header and
/// content, lies included, without a compressor.
private func zlibStored(_ payload: [UInt8]) -> [UInt8] {
    precondition(payload.count < 65_536)
    let length = UInt16(payload.count)
    var out: [UInt8] = [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
    out += payload
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in payload { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
    let adler = (b << 16) | a
    out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    return out
}

private func loose(_ header: String, _ content: [UInt8]) -> [UInt8] {
    zlibStored(Array(header.utf8) + [0] + content)
}

/// ``BrokenRepository`` with its objects moved into one pack (libgit2's pack builder) and the
/// loose copies removed, plus readers and writers for the `.pack` and its version 2 `.idx`.
private struct PackedRepository {
    let packPath: String
    let idxPath: String

    init(_ repo: BrokenRepository) throws {
        let git = try repo.open()
        var builder: OpaquePointer?
        XCTAssertEqual(git_packbuilder_new(&builder, git.pointer), 0)
        var id = repo.commit.raw
        XCTAssertEqual(git_packbuilder_insert_commit(builder, &id), 0)
        XCTAssertEqual(git_packbuilder_write(builder, nil, 0, nil, nil), 0)
        git_packbuilder_free(builder)
        for oid in [repo.commit, repo.tree, repo.blob] { try FileManager.default.removeItem(atPath: repo.objectPath(oid)) }
        let folder = repo.folder.subpath(".git/objects/pack")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let pack = try XCTUnwrap(names.first { $0.hasSuffix(".pack") })
        packPath = folder + "/" + pack
        idxPath = folder + "/" + pack.dropLast(".pack".count) + ".idx"
        XCTAssertEqual(try repo.open().blob(repo.blob), BrokenRepository.content, "the pack alone serves the objects")
    }

    func packBytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: packPath))) }
    func idxBytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: idxPath))) }
    func writePack(_ bytes: [UInt8]) throws { try replace(packPath, bytes) }
    func writeIdx(_ bytes: [UInt8]) throws { try replace(idxPath, bytes) }

    private func replace(_ path: String, _ bytes: [UInt8]) throws {
        try? FileManager.default.removeItem(atPath: path)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    /// Position of the 4-byte offset entry of `oid` in a version 2 index: magic and version
    /// (8), fan-out (256 × 4), ids (n × 20), CRCs (n × 4), then offsets (n × 4).
    private func offsetEntry(of oid: GitOID, in idx: [UInt8]) throws -> Int {
        func word(_ at: Int) -> Int { idx[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let count = word(8 + 255 * 4)
        let ids = 8 + 1_024
        let raw = Array(oid.hex.utf8)
        let position = try XCTUnwrap((0..<count).first { index in
            let id = idx[(ids + index * 20)..<(ids + index * 20 + 20)]
            return id.map { String(format: "%02x", $0) }.joined() == String(decoding: raw, as: UTF8.self)
        })
        return ids + count * 24 + position * 4
    }

    func offset(of oid: GitOID) throws -> Int {
        let idx = try idxBytes()
        let at = try offsetEntry(of: oid, in: idx)
        return idx[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
    }

    func setOffset(of oid: GitOID, to value: UInt32, in idx: inout [UInt8]) throws {
        let at = try offsetEntry(of: oid, in: idx)
        for index in 0..<4 { idx[at + index] = UInt8((value >> (24 - 8 * UInt32(index))) & 0xFF) }
    }
}

final class CorruptObjectTests: XCTestCase {
    /// Asserts the error names the object and says it is corrupt, as the CLI prints it.
    private func assertCorrupt(_ oid: GitOID, _ reason: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                               _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)", file: file, line: line) }
            XCTAssertTrue(error.isCorruptObject, error.message, file: file, line: line)
            XCTAssertTrue(error.message.hasPrefix("corrupt git object \(oid.hex) ("), error.message, file: file, line: line)
            if let reason { XCTAssertTrue(error.message.contains(reason), error.message, file: file, line: line) }
        }
    }

    func testIntactLooseObjectsReadThroughTheValidatingBackend() throws {
        let repo = try BrokenRepository()
        let git = try repo.open()
        XCTAssertEqual(try git.blob(repo.blob), BrokenRepository.content)
        XCTAssertEqual(try git.resolve("HEAD"), repo.commit)
        XCTAssertEqual(try git.resolve(String(repo.commit.hex.prefix(8))), repo.commit)
        XCTAssertEqual(try git.files(at: repo.commit, under: "").map(\.path), ["postmortems/a.md", "postmortems/b.md"])
    }

    func testTruncatedBlobIsCorruptNotAHang() throws {
        let repo = try BrokenRepository()
        let bytes = try repo.bytes(repo.blob)
        try repo.overwrite(repo.blob, with: Array(bytes.prefix(bytes.count / 2)))
        assertCorrupt(repo.blob) { _ = try repo.open().blob(repo.blob) }
    }

    func testTruncatedCommitFailsRevparseAsCorrupt() throws {
        let repo = try BrokenRepository()
        let bytes = try repo.bytes(repo.commit)
        try repo.overwrite(repo.commit, with: Array(bytes.prefix(bytes.count - 9)))
        assertCorrupt(repo.commit) { _ = try repo.open().resolve("HEAD") }
        assertCorrupt(repo.commit) { _ = try repo.open().headCommit() }
        assertCorrupt(repo.commit) { _ = try repo.open().authorNames() }
    }

    func testHeaderStatingFewerBytesThanTheContentIsCorrupt() throws {
        let repo = try BrokenRepository()
        try repo.overwrite(repo.blob, with: loose("blob 3", BrokenRepository.content))
        assertCorrupt(repo.blob, "longer than") { _ = try repo.open().blob(repo.blob) }
    }

    func testHeaderStatingMoreBytesThanTheContentIsCorrupt() throws {
        let repo = try BrokenRepository()
        try repo.overwrite(repo.blob, with: loose("blob 4000", BrokenRepository.content))
        assertCorrupt(repo.blob, "truncated") { _ = try repo.open().blob(repo.blob) }
        // A size no zlib stream of this length can hold is refused before anything is allocated.
        try repo.overwrite(repo.blob, with: loose("blob 9999999999999", BrokenRepository.content))
        assertCorrupt(repo.blob, "more than the compressed data can hold") { _ = try repo.open().blob(repo.blob) }
    }

    func testBadZlibDataIsCorrupt() throws {
        let repo = try BrokenRepository()
        var bytes = try repo.bytes(repo.blob)
        for index in 2..<bytes.count { bytes[index] ^= 0x5A }
        try repo.overwrite(repo.blob, with: bytes)
        assertCorrupt(repo.blob) { _ = try repo.open().blob(repo.blob) }
        try repo.overwrite(repo.blob, with: Array("not zlib at all".utf8))
        assertCorrupt(repo.blob, "bad zlib data") { _ = try repo.open().blob(repo.blob) }
    }

    func testWrongOrUnknownTypeInHeaderIsCorrupt() throws {
        let repo = try BrokenRepository()
        // The blob's bytes under a tree header: the id no longer matches.
        try repo.overwrite(repo.blob, with: loose("tree \(BrokenRepository.content.count)", BrokenRepository.content))
        assertCorrupt(repo.blob, "does not match its id") { _ = try repo.open().blob(repo.blob) }
        try repo.overwrite(repo.blob, with: loose("blub \(BrokenRepository.content.count)", BrokenRepository.content))
        assertCorrupt(repo.blob, "unknown object type") { _ = try repo.open().blob(repo.blob) }
        // A tree id that holds a well-formed blob: libgit2 refuses the type, and we name the tree.
        let treeContent = Array("just text\n".utf8)
        try repo.overwrite(repo.tree, with: loose("blob \(treeContent.count)", treeContent))
        assertCorrupt(repo.tree) { _ = try repo.open().files(at: repo.commit, under: "") }
    }

    func testMissingObjectReferencedByATreeIsCorrupt() throws {
        let repo = try BrokenRepository()
        try FileManager.default.removeItem(atPath: repo.objectPath(repo.blob))
        assertCorrupt(repo.blob, "missing") { _ = try repo.open().blob(repo.blob) }
    }

    func testMissingPackIsCorruptNotACrash() throws {
        let repo = try BrokenRepository()
        let git = try repo.open()
        // Pack everything with libgit2's pack builder, drop the loose copies, then lose the .pack
        // (keeping its .idx, as an interrupted copy or a partial backup would).
        var builder: OpaquePointer?
        XCTAssertEqual(git_packbuilder_new(&builder, git.pointer), 0)
        var id = repo.commit.raw
        XCTAssertEqual(git_packbuilder_insert_commit(builder, &id), 0)
        XCTAssertEqual(git_packbuilder_write(builder, nil, 0, nil, nil), 0)
        git_packbuilder_free(builder)
        for oid in [repo.commit, repo.tree, repo.blob] { try FileManager.default.removeItem(atPath: repo.objectPath(oid)) }
        let packFolder = repo.folder.subpath(".git/objects/pack")
        XCTAssertEqual(try repo.open().blob(repo.blob), BrokenRepository.content, "the pack alone serves the objects")
        for name in try FileManager.default.contentsOfDirectory(atPath: packFolder) where name.hasSuffix(".pack") {
            try FileManager.default.removeItem(atPath: packFolder + "/" + name)
        }
        XCTAssertThrowsError(try repo.open().blob(repo.blob)) { error in
            let message = (error as? GitError)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("corrupt git object \(repo.blob.hex) ("), message)
        }
    }

    // MARK: Damaged packs

    /// Every read a command makes of a damaged repository: each must throw (a corrupt-object
    /// error naming an object, or another clear libgit2 error), never crash or hang.
    private func assertEveryReadFails(_ repo: BrokenRepository, file: StaticString = #filePath, line: UInt = #line) {
        let reads: [(String, (GitRepository) throws -> Void)] = [
            ("blob", { _ = try $0.blob(repo.blob) }),
            ("files at HEAD", { _ = try $0.files(at: try $0.resolve("HEAD"), under: "") }),
            ("blobs at HEAD", { git in for entry in try git.files(at: repo.commit, under: "") { _ = try git.blob(entry.oid) } }),
            ("commit info", { _ = try $0.commitInfo(repo.commit) }),
            ("diff to index", { _ = try $0.diffToIndex(from: repo.commit, under: "") }),
        ]
        var failures = 0
        for (name, read) in reads {
            do {
                let git = try repo.open()
                try read(git)
            } catch let error as GitError {
                failures += 1
                XCTAssertFalse(error.message.isEmpty, name, file: file, line: line)
                if error.isCorruptObject {
                    XCTAssertTrue(error.message.range(of: #"^corrupt git object [0-9a-f]{40} \(.+\)$"#, options: .regularExpression) != nil,
                                  error.message, file: file, line: line)
                }
            } catch {
                XCTFail("\(name): not a GitError: \(error)", file: file, line: line)
            }
        }
        XCTAssertGreaterThan(failures, 0, "some read must notice the damage", file: file, line: line)
    }

    func testFlippedBytesInsideAPackedObjectAreCorrupt() throws {
        let repo = try BrokenRepository()
        let pack = try PackedRepository(repo)
        var bytes = try pack.packBytes()
        let offset = try pack.offset(of: repo.blob)
        // Past the object's type-and-size varint, inside its zlib stream.
        for index in (offset + 4)..<min(offset + 24, bytes.count - 20) { bytes[index] ^= 0xA5 }
        try pack.writePack(bytes)
        assertCorrupt(repo.blob) { _ = try repo.open().blob(repo.blob) }
        assertEveryReadFails(repo)
    }

    func testTruncatedPackIsAnErrorNotACrash() throws {
        let repo = try BrokenRepository()
        let pack = try PackedRepository(repo)
        let bytes = try pack.packBytes()
        for length in [bytes.count - 1, bytes.count / 2, 12, 3, 0] {
            try pack.writePack(Array(bytes.prefix(length)))
            assertCorrupt(repo.blob) { _ = try repo.open().blob(repo.blob) }
            assertEveryReadFails(repo)
        }
    }

    func testTruncatedOrDamagedIndexIsAnErrorNotACrash() throws {
        let repo = try BrokenRepository()
        let pack = try PackedRepository(repo)
        let idx = try pack.idxBytes()
        for length in [idx.count - 1, idx.count / 2, 1_032, 8, 0] {
            try pack.writeIdx(Array(idx.prefix(length)))
            assertCorrupt(repo.blob) { _ = try repo.open().blob(repo.blob) }
            assertEveryReadFails(repo)
        }
        // A fan-out table that is not monotonic, and a wrong version.
        var fanout = idx
        for index in 8..<(8 + 512) { fanout[index] = 0xFF }
        try pack.writeIdx(fanout)
        assertEveryReadFails(repo)
        var version = idx
        version[7] = 9
        try pack.writeIdx(version)
        assertEveryReadFails(repo)
    }

    func testIndexOffsetPastTheEndOfThePackIsAnErrorNotACrash() throws {
        // A repository of its own for each damage: libgit2 keeps opened packs in a process-wide
        // cache keyed by path, so rewriting one index in place several times within a second
        // could let a later case read an earlier case's index.
        for damage in 0..<6 {
            let repo = try BrokenRepository()
            let pack = try PackedRepository(repo)
            let packSize = try pack.packBytes().count
            let target = [UInt32(packSize), UInt32(packSize - 10), UInt32(packSize + 4_096), 0x7FFF_FFFF, 0x8000_0000, 5][damage]
            var idx = try pack.idxBytes()
            try pack.setOffset(of: repo.blob, to: target, in: &idx)
            try pack.writeIdx(idx)
            assertCorrupt(repo.blob) { _ = try repo.open().blob(repo.blob) }
            assertEveryReadFails(repo)
        }
    }

    func testDecoderBoundsEveryShapeWithoutLibgit2() throws {
        let content = Array("hello\n".utf8)
        XCTAssertEqual(try LooseObjectDecoder.decode(loose("blob 6", content)).content, content)
        XCTAssertEqual(try LooseObjectDecoder.decode(loose("blob 0", [])).content, [])
        let cases: [([UInt8], String)] = [
            ([], "truncated header"),
            (Array(loose("blob 6", content).prefix(9)), "truncated"),
            (loose("blob 5", content), "longer than"),
            (loose("blob 7", content), "truncated"),
            (loose("blob -1", content), "malformed size"),
            (loose("blob", content), "malformed header"),
            (loose("blob 123456789012345678901", content), "malformed"),
            (zlibStored(Array(repeating: UInt8(ascii: "a"), count: 200)), "malformed header"),
        ]
        for (bytes, reason) in cases {
            XCTAssertThrowsError(try LooseObjectDecoder.decode(bytes), reason) { error in
                let fault = error as? LooseObjectFault
                XCTAssertTrue(fault?.reason.contains(reason) ?? false, "\(fault?.reason ?? "?") should contain \(reason)")
            }
        }
    }
}

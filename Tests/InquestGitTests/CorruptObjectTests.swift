import CLibGit2
import Foundation
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

@testable import InquestCore
import XCTest

/// The linter parses Markdown with cmark's memory taken from a per-thread arena
/// (`CmarkArena`); the trees must be the ones the default allocator gives, for any document,
/// on any thread, one parse after another in the same arena.
final class CmarkArenaTests: XCTestCase {
    /// Every field of every node, in order (MarkdownNode is not Equatable).
    private static func describe(_ node: MarkdownNode, into out: inout [String], depth: Int = 0) {
        out.append("\(depth) \(node.kind) \(node.bytes) \(node.literal.map { $0.debugDescription } ?? "nil") \(node.children.count)")
        for child in node.children { describe(child, into: &out, depth: depth + 1) }
    }

    private static func described(_ node: MarkdownNode) -> [String] {
        var out: [String] = []
        describe(node, into: &out)
        return out
    }

    private static func both(_ text: String, bodyStart: Int = 0) -> (arena: [String], plain: [String]) {
        let source = SourceText(bytes: Array(text.utf8))
        let arena = CmarkDocument.tree(parsing: source.bytes[bodyStart...], in: source, bodyStart: bodyStart)
        let plain = CmarkDocument(bytes: source.bytes[bodyStart...]).tree(in: source, bodyStart: bodyStart)
        return (described(arena), described(plain))
    }

    func testArenaTreesAgreeWithTheDefaultAllocator() {
        var nodes = 0
        for text in ColdPathOracleTests.texts(count: 2_000, seed: 53, pieces: ColdPathOracleTests.markdownPieces, maxPieces: 40) {
            let (arena, plain) = Self.both(text)
            XCTAssertEqual(arena, plain, text.debugDescription)
            nodes += plain.count
        }
        XCTAssertGreaterThan(nodes, 40_000)
    }

    func testBodyAfterFrontMatterKeepsItsPositions() {
        let text = "---\ntitle: x\n---\n\n## Summary\n\nThe *cache* host [failed](https://x.example).\n\n- [ ] fix it — @sam\n"
        let (arena, plain) = Self.both(text, bodyStart: 17)
        XCTAssertEqual(arena, plain)
        XCTAssertGreaterThan(arena.count, 8)
    }

    /// Documents whose parse outgrows a chunk (many chunks, blocks larger than a quarter of a
    /// chunk: a long code block, one paragraph of a megabyte), then small ones in the same arena.
    func testLargeDocumentsThenSmallOnesInTheSameArena() {
        let long = String(repeating: "A line of a very long paragraph with *emphasis* and `code`.\n", count: 20_000)
        let code = "```\n" + String(repeating: "let x = 1 // a code line\n", count: 30_000) + "```\n"
        let table = "| a | b |\n| --- | --- |\n" + String(repeating: "| cell | ~~old~~ www.example.com |\n", count: 5_000)
        let list = String(repeating: "- [x] item with [a link](http://l.example) and **bold**\n", count: 8_000)
        for text in [long, code, "## Small\n\nText.\n", table, list, "Tiny.", long + code, ""] {
            let (arena, plain) = Self.both(text)
            XCTAssertEqual(arena, plain, String(text.prefix(60)))
        }
    }

    /// A body over the arena's limit takes cmark's default allocator (a table's freed rows would
    /// otherwise stay taken until the parse ends) and still gives the same tree; one at the limit
    /// is parsed in the arena.
    func testBodiesOverTheLimitTakeTheDefaultAllocator() {
        XCTAssertTrue(CmarkArena.suits(bodyBytes: CmarkArena.largestBody))
        XCTAssertFalse(CmarkArena.suits(bodyBytes: CmarkArena.largestBody + 1))
        let row = "| cell | ~~old~~ www.example.com |\n"
        let table = "| a | b |\n| --- | --- |\n" + String(repeating: row, count: CmarkArena.largestBody / row.utf8.count + 10)
        XCTAssertGreaterThan(table.utf8.count, CmarkArena.largestBody)
        let (arena, plain) = Self.both(table)
        XCTAssertEqual(arena, plain)
    }

    /// Parses on every core at once (each thread its own arena), agreeing with one at a time.
    func testParsesOnManyThreadsAgree() {
        let texts = ColdPathOracleTests.texts(count: 3_000, seed: 59, pieces: ColdPathOracleTests.markdownPieces, maxPieces: 30)
        let alone = texts.prefix(200).map { Self.both($0).plain }
        let together = parallelMap(texts) { text -> [String] in
            let source = SourceText(bytes: Array(text.utf8))
            var out: [String] = []
            var tree = CmarkDocument.tree(parsing: source.bytes[...], in: source, bodyStart: 0)
            // A parse inside a parse on the same thread (the arena is busy) takes the default allocator.
            CmarkArena.withArena { arena in
                XCTAssertTrue(arena)
                tree = CmarkDocument.tree(parsing: source.bytes[...], in: source, bodyStart: 0)
                CmarkArena.withArena { nested in XCTAssertFalse(nested) }
            }
            Self.describe(tree, into: &out)
            return out
        }
        XCTAssertEqual(Array(together.prefix(200)), alone)
    }

    /// The allocator's own contract, as cmark uses it: zeroed `calloc`, `realloc` keeping the
    /// contents (in place for the latest block, moved otherwise), `free` of the latest block
    /// reusing its memory.
    func testAllocatorKeepsContentsAcrossReallocations() {
        CmarkArena.withArena { arena in
            XCTAssertTrue(arena)
            let memory = CmarkArena.memory.pointee
            let a = memory.calloc(10, 8)!.assumingMemoryBound(to: UInt8.self)
            XCTAssertTrue((0..<80).allSatisfy { a[$0] == 0 })
            for k in 0..<80 { a[k] = UInt8(k) }
            let grown = memory.realloc(a, 4_000)!.assumingMemoryBound(to: UInt8.self)
            XCTAssertEqual(grown, a, "the latest block grows in place")
            XCTAssertTrue((0..<80).allSatisfy { grown[$0] == UInt8($0) })
            let b = memory.calloc(1, 16)!.assumingMemoryBound(to: UInt8.self)
            b[0] = 7
            let moved = memory.realloc(grown, 100_000)!.assumingMemoryBound(to: UInt8.self)
            XCTAssertNotEqual(moved, grown, "a block that is not the latest moves")
            XCTAssertTrue((0..<80).allSatisfy { moved[$0] == UInt8($0) })
            XCTAssertEqual(b[0], 7)
            let c = memory.calloc(1, 64)!
            memory.free(c)
            let d = memory.calloc(1, 64)!
            XCTAssertEqual(c, d, "the latest block freed is reused")
            XCTAssertNil(memory.calloc(Int.max, 2), "an overflowing size fails")
            // Many blocks over several chunks stay intact.
            var blocks: [UnsafeMutablePointer<UInt32>] = []
            for k in 0..<20_000 {
                let block = memory.calloc(1, 4 * (1 + k % 40))!.assumingMemoryBound(to: UInt32.self)
                block[0] = UInt32(k)
                blocks.append(block)
            }
            XCTAssertTrue(blocks.indices.allSatisfy { blocks[$0][0] == UInt32($0) })
        }
    }
}

import Foundation
import InquestCore
import XCTest

/// cmark-gfm edits one process-wide table of special inline characters on every parse (an
/// extension's characters are added when a document's inlines are parsed and removed after), so
/// documents parsed on several threads at once must not change each other's result.
final class CmarkConcurrencyTests: XCTestCase {
    func testDocumentsParsedOnManyThreadsAreAutolinkedLikeOneAtATime() {
        let documents = (0..<4000).map { "Item \($0) — see https://tickets.example.com/OPS-\($0) and ~~old~~ text\n" }
        let alone = documents.prefix(20).map { CmarkDocument(bytes: Array($0.utf8)).renderHTML() }
        let together = parallelMap(documents) { CmarkDocument(bytes: Array($0.utf8)).renderHTML() }
        XCTAssertEqual(Array(together.prefix(20)), alone)
        let missed = together.enumerated().filter { !$0.element.contains("<a href=\"https://tickets.example.com/OPS-\($0.offset)\">")
            || !$0.element.contains("<del>old</del>") }
        XCTAssertEqual(missed.count, 0, "documents parsed concurrently lost autolinks or strikethrough: \(missed.prefix(3).map(\.element))")
    }
}

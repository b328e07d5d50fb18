import InquestCore
import XCTest

/// Fails unless two archives index the same documents the same way: every lookup table, the
/// chronological ranks, the incident labels and the open action items (line and ticket). For
/// archives built by different routes (a light archive, stubs with their documents swapped in)
/// that must answer every page's questions alike.
public func assertSameIndexes(_ actual: Archive, _ expected: Archive, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.postmortems.map(\.path), expected.postmortems.map(\.path), "paths", file: file, line: line)
    XCTAssertEqual(actual.byID, expected.byID, "byID", file: file, line: line)
    XCTAssertEqual(actual.byCause, expected.byCause, "byCause", file: file, line: line)
    XCTAssertEqual(actual.byService, expected.byService, "byService", file: file, line: line)
    XCTAssertEqual(actual.byTag, expected.byTag, "byTag", file: file, line: line)
    XCTAssertEqual(actual.relatedBy, expected.relatedBy, "relatedBy", file: file, line: line)
    XCTAssertEqual(actual.chronologicalRank, expected.chronologicalRank, "chronologicalRank", file: file, line: line)
    XCTAssertEqual(actual.openItemsByCause, expected.openItemsByCause, "openItemsByCause", file: file, line: line)
    XCTAssertEqual(actual.incidentLabels, expected.incidentLabels, "incidentLabels", file: file, line: line)
    XCTAssertEqual(actual.openActionItems.map { $0.map(\.line) }, expected.openActionItems.map { $0.map(\.line) },
                   "open action items' lines", file: file, line: line)
    XCTAssertEqual(actual.openActionItems.map { $0.map(\.ticket) }, expected.openActionItems.map { $0.map(\.ticket) },
                   "open action items' tickets", file: file, line: line)
}

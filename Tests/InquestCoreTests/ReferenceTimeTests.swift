import InquestTestSupport
import XCTest
@testable import InquestCore

/// ``Archive/referenceTime(history:environment:)``: the one "now" of lint reports and the site.
final class ReferenceTimeTests: XCTestCase {
    func testTheReferenceTimeIsTheCommitElseSourceDateEpochNeverTheClock() {
        let commit = Timestamp(seconds: 1_740_000_000, offsetMinutes: 120)
        let history = ArchiveHistory(documents: [:], idChanges: [], isShallow: false, commitTime: commit)
        XCTAssertEqual(Archive.referenceTime(history: history, environment: ["SOURCE_DATE_EPOCH": "1"]), commit)
        XCTAssertEqual(Archive.referenceTime(history: nil, environment: ["SOURCE_DATE_EPOCH": "1750000000"]),
                       Timestamp(seconds: 1_750_000_000, offsetMinutes: 0))
        XCTAssertNil(Archive.referenceTime(history: nil, environment: [:]))
        XCTAssertEqual(Archive.referenceDate(history: history, environment: [:]), commit.localDate)
    }
}

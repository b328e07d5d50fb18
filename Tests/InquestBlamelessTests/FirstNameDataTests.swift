import XCTest
@testable import InquestBlameless

final class FirstNameDataTests: XCTestCase {
    func testCensusFirstNamesAreTheGeneratedListOfLowercaseNames() {
        // The count is the one Scripts/make-first-names.py writes in the file's header.
        XCTAssertEqual(WordClass.censusFirstNames.count, 4785)
        XCTAssertTrue(WordClass.censusFirstNames.isSuperset(of: ["aaron", "adela", "zulma"]))
        XCTAssertTrue(WordClass.censusFirstNames.allSatisfy { name in !name.isEmpty && name.utf8.allSatisfy { (0x61...0x7A).contains($0) } })
    }
}

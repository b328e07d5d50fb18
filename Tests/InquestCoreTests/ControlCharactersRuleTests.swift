import XCTest
@testable import InquestCore
import InquestTestSupport

final class ControlCharactersRuleTests: XCTestCase {
    func testEscapeSequenceRunsAreUnderlinedOneFindingPerRun() {
        assertRule("syntax/control-characters", ExampleDocument.make(fields: ["title": "Pager ⟦\u{1B}⟧[31mred⟦\u{1B}⟧[0m alert"]))
        assertRule("syntax/control-characters", ExampleDocument.make(sections: ["Summary": "Bell ⟦\u{7}\u{8}⟧ then text."]))
    }

    func testTabsLineBreaksAndUnicodeAreFine() {
        assertRule("syntax/control-characters", ExampleDocument.make(sections: ["Summary": "Tab\there,\r\nCRLF, café ✓ and “quotes”."]))
    }

    func testNULIsLeftToTheEncodingRule() {
        XCTAssertFalse(ControlCharactersRule.isControl(0))
        XCTAssertTrue(ControlCharactersRule.isControl(0x7F))
    }
}

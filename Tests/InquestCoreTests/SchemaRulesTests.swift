import XCTest
@testable import InquestCore
import InquestTestSupport

final class SchemaRulesTests: XCTestCase {
    func testMissingRequiredFieldIsReportedAtTheOpeningFence() {
        assertRule("schema/missing-field", ExampleDocument.make(fields: ["severity": nil]).replacingFirst("---", with: "⟦---⟧"))
    }

    func testFinalPostmortemRequiresRootCausesAtTheStatusKey() {
        assertRule("schema/missing-field", ExampleDocument.make(fields: ["root_causes": nil]).replacingFirst("status:", with: "⟦status⟧:"))
    }

    func testDraftWithoutRootCausesIsFine() {
        assertRule("schema/missing-field", ExampleDocument.make(fields: ["status": "draft", "root_causes": nil]))
    }

    func testNullValueCountsAsMissing() {
        assertRule("schema/missing-field", ExampleDocument.make(fields: ["authors": "~"]).replacingFirst("---", with: "⟦---⟧"))
    }

    func testSeverityOutsideTheConfiguredListUnderlinesTheValue() {
        assertRule("schema/invalid-value", ExampleDocument.make(fields: ["severity": "⟦SEV9⟧"]))
    }

    func testConfiguredSeveritiesAreAccepted() {
        var configuration = Configuration()
        configuration.schema.severities = ["P1", "P2"]
        assertRule("schema/invalid-value", ExampleDocument.make(fields: ["severity": "P2"]), configuration: configuration)
    }

    func testServiceThatIsNotASlugIsReportedPerEntry() {
        assertRule("schema/invalid-value", ExampleDocument.make(fields: ["services": "[checkout, ⟦Checkout API⟧]"]))
    }

    func testScalarWhereAListIsExpectedSuggestsAList() {
        let diagnostics = Lint.run(ExampleDocument.make(fields: ["services": "Checkout API"])).filter { $0.rule == "schema/invalid-value" }
        XCTAssertEqual(diagnostics.map(\.typedMessage), [.notAList("services", found: "a scalar")])
        XCTAssertEqual(diagnostics.first?.suggestion, "write 'services: [checkout-api]'")
    }

    func testTitleLongerThan120CharactersIsInvalid() {
        let long = String(repeating: "x", count: 121)
        assertRule("schema/invalid-value", ExampleDocument.make(fields: ["title": "⟦\(long)⟧"]))
    }

    func testStatusTypoGetsADidYouMean() {
        let diagnostic = Lint.run(ExampleDocument.make(fields: ["status": "finall"])).first { $0.rule == "schema/invalid-value" }
        XCTAssertEqual(diagnostic?.suggestion, "did you mean 'final'?")
    }

    func testDuplicateListEntryIsReported() {
        assertRule("schema/invalid-value", ExampleDocument.make(fields: ["tags": "[cache, ⟦cache⟧]"]))
    }

    func testDateMustBeYearMonthDayAndKeepsTheAuthorsText() {
        let diagnostics = Lint.run(ExampleDocument.make(fields: ["date": "04/03/2025"])).filter { $0.rule == "schema/invalid-date" }
        XCTAssertEqual(diagnostics.map(\.typedMessage), [.invalidDate(found: "04/03/2025")])
        assertRule("schema/invalid-date", ExampleDocument.make(fields: ["date": "⟦2025-02-30⟧"]))
    }

    func testTimestampWithoutZoneIsInvalidWithAFix() {
        assertRule("schema/invalid-date", ExampleDocument.make(fields: ["detected": "⟦2025-03-04 09:10⟧"]))
        let diagnostic = Lint.run(ExampleDocument.make(fields: ["detected": "2025-03-04 09:10"])).first { $0.rule == "schema/invalid-date" }
        XCTAssertEqual(diagnostic?.suggestion, "add 'Z' or an offset such as +01:00, e.g. '2025-03-04T09:10:00Z'")
    }

    func testUnquotedTimestampIsReadAsWritten() {
        // YAML would turn this into a date object; Inquest keeps the text and accepts it.
        assertRule("schema/invalid-date", ExampleDocument.make(fields: ["detected": "2025-03-04T09:10:00Z"]))
    }

    func testTimestampsOutOfOrderAreReportedAtTheLaterField() {
        assertRule("schema/time-order", ExampleDocument.make(fields: ["mitigated": "⟦\"2025-03-04T09:05:00Z\"⟧"]))
    }

    func testDateMustBeStartedsLocalDate() {
        assertRule("schema/time-order", ExampleDocument.make(fields: ["date": "⟦2025-03-05⟧"]))
        // 23:30 at -02:00 is 01:30Z the next day, but the author's date is the 4th.
        assertRule("schema/time-order", ExampleDocument.make(fields: [
            "started": "\"2025-03-04T23:30:00-02:00\"", "detected": "\"2025-03-05T01:40:00Z\"",
            "mitigated": "\"2025-03-05T02:00:00Z\"", "resolved": "\"2025-03-05T02:30:00Z\"",
        ], sections: ["Timeline": "- 2025-03-05 01:30 UTC — Latency rises."]))
    }

    func testUnknownFieldWarnsWithASuggestion() {
        let text = ExampleDocument.make(fields: ["status": "draft", "root_causes": nil, "root_cause": "[x]"])
        assertRule("schema/unknown-field", text.replacingFirst("root_cause:", with: "⟦root_cause⟧:"))
        XCTAssertEqual(Lint.run(text).first { $0.rule == "schema/unknown-field" }?.suggestion, "did you mean 'root_causes'?")
    }

    func testDuplicateIDsAreReportedInBothFiles() {
        let first = ExampleDocument.make(fields: ["id": "shared"])
        let second = ExampleDocument.make(fields: ["id": "shared"])
        let diagnostics = Lint.run(files: ["postmortems/a.md": first, "postmortems/b.md": second].merging(ExampleDocument.catalogueFiles) { $1 })
            .filter { $0.rule == "schema/duplicate-id" }
        XCTAssertEqual(diagnostics.map(\.file), ["postmortems/a.md", "postmortems/b.md"])
        XCTAssertEqual(diagnostics.first?.typedMessage, .duplicateID("shared", alsoUsedBy: ["postmortems/b.md"]))
    }

    func testFileNameMustMakeAValidIDUnlessIDIsSet() {
        let text = ExampleDocument.make()
        let bad = Lint.run(text, path: "postmortems/2025-03-04 Cache Outage.md").filter { $0.rule == "schema/invalid-value" }
        XCTAssertEqual(bad.map(\.typedMessage), [.fileNameIsNoID("2025-03-04 Cache Outage")])
        XCTAssertEqual(bad.first?.suggestion, "rename the file to '2025-03-04-cache-outage.md' or set 'id:'")
        XCTAssertEqual(Lint.run(ExampleDocument.make(fields: ["id": "cache-outage"]), path: "postmortems/2025-03-04 Cache Outage.md")
            .filter { $0.rule == "schema/invalid-value" }.count, 0)
    }

    func testFileStemIsTheDefaultID() {
        let diagnostics = Lint.run(files: [
            "postmortems/2024/outage.md": ExampleDocument.make(),
            "postmortems/2025/outage.md": ExampleDocument.make(),
        ].merging(ExampleDocument.catalogueFiles) { $1 }).filter { $0.rule == "schema/duplicate-id" }
        XCTAssertEqual(diagnostics.count, 2)
    }
}

extension String {
    /// The string with its first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

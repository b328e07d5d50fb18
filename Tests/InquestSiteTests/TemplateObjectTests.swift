import XCTest
@testable import InquestSite

/// The fields of a template object behave as the `[String: TemplateValue]` they replaced:
/// names compare as `String`s, setting replaces, nil removes, copies are independent.
final class TemplateObjectTests: XCTestCase {
    func testSettingANameAgainReplacesItsValueInPlace() {
        var object: TemplateObject = ["a": 1, "b": 2]
        object["a"] = "one"
        object["c"] = 3
        XCTAssertEqual(object.count, 3)
        XCTAssertEqual(object.keys, ["a", "b", "c"], "a replaced value keeps its place")
        XCTAssertEqual(object["a"]?.encoding(), TemplateValue.string("one").encoding())
        XCTAssertNil(object["missing"])
    }

    func testSettingNilRemovesTheField() {
        var object: TemplateObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = nil
        object["missing"] = nil
        XCTAssertEqual(object.keys, ["a", "c"])
        XCTAssertNil(object["b"])
        XCTAssertNotNil(object["c"])
    }

    func testCanonicallyEquivalentNamesAreOneName() {
        var object = TemplateObject()
        object["caf\u{E9}"] = 1
        object["cafe\u{301}"] = 2
        XCTAssertEqual(object.count, 1, "as in a dictionary keyed by String")
        XCTAssertEqual(object["caf\u{E9}"]?.encoding(), TemplateValue.int(2).encoding())
        XCTAssertEqual(object.value(named: "cafe\u{301}", hash: TemplateObject.hash("cafe\u{301}"))?.encoding(), TemplateValue.int(2).encoding())
    }

    func testManyFieldsAreAllFoundAndMissesAreNot() {
        var object = TemplateObject()
        for number in 0..<300 { object["field\(number)"] = .int(number) }
        XCTAssertEqual(object.count, 300)
        for number in 0..<300 {
            XCTAssertEqual(object.value(named: "field\(number)", hash: TemplateObject.hash("field\(number)"))?.encoding(),
                           TemplateValue.int(number).encoding())
        }
        for number in 300..<400 { XCTAssertNil(object["field\(number)"]) }
    }

    func testCopiesAreIndependent() {
        let original: TemplateObject = ["a": 1]
        var copy = original
        copy["a"] = 2
        copy["b"] = 3
        XCTAssertEqual(original.count, 1)
        XCTAssertEqual(original["a"]?.encoding(), TemplateValue.int(1).encoding())
        XCTAssertEqual(copy["a"]?.encoding(), TemplateValue.int(2).encoding())
    }

    func testMergingLetsTheOtherObjectWin() {
        let base: TemplateObject = ["a": 1, "b": 2]
        let merged = base.merging(["b": "two", "c": 3])
        XCTAssertEqual(merged.keys, ["a", "b", "c"])
        XCTAssertEqual(merged["b"]?.encoding(), TemplateValue.string("two").encoding())
        XCTAssertEqual(base["b"]?.encoding(), TemplateValue.int(2).encoding(), "the base is untouched")
        XCTAssertEqual(TemplateObject().merging(base).keys, ["a", "b"])
        XCTAssertEqual(base.merging(TemplateObject()).keys, ["a", "b"])
    }

    func testFieldsAreVisitedInStringOrderForTheEncoding() {
        let names = ["b", "a", "B", "é", "e\u{301}z", "Z", "10", "9", "a_b", "ab"]
        var object = TemplateObject()
        for (position, name) in names.enumerated() { object[name] = .int(position) }
        var visited: [String] = []
        object.forEachSorted { name, _ in visited.append(name) }
        XCTAssertEqual(visited, object.keys.sorted())
        XCTAssertEqual(Set(object.keys), Set(names))
    }

    func testMapValuesKeepsNamesAndOrder() {
        let object: TemplateObject = ["x": 1, "y": 2]
        let mapped = object.mapValues { _ in .bool(true) }
        XCTAssertEqual(mapped.keys, ["x", "y"])
        XCTAssertEqual(mapped["y"]?.encoding(), TemplateValue.bool(true).encoding())
    }

    /// A keyed summary merged with a page's own fields stays keyed: the same fields as a plain
    /// merge, and a key that follows both the summary and the fields set over it.
    func testMergingAKeyedObjectKeepsItKeyed() {
        let summary = TemplateValue.keyed(.object(["title": "t", "url": "u"]))
        let merged = summary.merging(["extra": 1, "title": "own"])
        guard case .keyed(let key, let value, _) = merged else { return XCTFail("not keyed") }
        XCTAssertEqual(value.encoding(), TemplateValue.object(["title": "own", "url": "u", "extra": 1]).encoding())
        guard case .keyed(let same, _, _) = summary.merging(["extra": 1, "title": "own"]),
              case .keyed(let other, _, _) = summary.merging(["extra": 2, "title": "own"]),
              case .keyed(let otherBase, _, _) = TemplateValue.keyed(.object(["title": "t", "url": "v"])).merging(["extra": 1, "title": "own"])
        else { return XCTFail("not keyed") }
        XCTAssertEqual(key, same)
        XCTAssertNotEqual(key, other)
        XCTAssertNotEqual(key, otherBase)
    }
}

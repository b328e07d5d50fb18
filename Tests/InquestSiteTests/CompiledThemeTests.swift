import Foundation
import InquestCore
import InquestTestSupport
import XCTest
@testable import InquestSite

/// The compiled templates (``CompiledTheme``, ``TemplateRenderer``) print exactly what
/// swift-mustache prints for the same templates and values, and whatever they do not compile is
/// left to swift-mustache.
final class CompiledThemeTests: XCTestCase {
    func testEveryTemplateOfTheEmbeddedThemeCompiles() throws {
        let theme = try Theme.load()
        XCTAssertEqual(theme.compiled.templates.keys.sorted(), theme.templates.keys.sorted())
    }

    func testFixtureSiteIsByteIdenticalToSwiftMustacheRendering() throws {
        // The fixture's site as every other site test reads it (rendered once, with the embedded theme's compiled templates).
        let compiled = try Fixture.render()
        let mustache = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: try Fixture.theme.get().withoutCompiledTemplates()).render()
        XCTAssertGreaterThan(compiled.files.count, 40)
        XCTAssertEqual(compiled.files.keys.sorted(), mustache.files.keys.sorted())
        for (path, bytes) in compiled.files where mustache.files[path] != bytes {
            XCTFail("\(path) differs:\n\(String(decoding: bytes, as: UTF8.self))\n---- swift-mustache:\n\(mustache.text(path))")
        }
    }

    func testSampleSiteIsByteIdenticalToSwiftMustacheRendering() throws {
        // The sample site under a base URL, as SampleSiteTests built it (with the compiled templates).
        let (builder, compiled) = try SampleSiteTests.withBaseURL.get()
        let mustache = SiteBuilder(archive: builder.archive, settings: builder.settings, theme: builder.theme.withoutCompiledTemplates()).render()
        XCTAssertEqual(compiled.files.keys.sorted(), mustache.files.keys.sorted())
        let differing = compiled.files.keys.filter { compiled.files[$0] != mustache.files[$0] }.sorted()
        XCTAssertEqual(differing, [])
    }

    func testTransformsDynamicPartialsAndOtherContentTypesAreLeftToSwiftMustache() throws {
        let theme = try Theme.load(overrides: [
            "templates/shout.mustache": Array("{{uppercased(name)}}\n".utf8),
            "templates/uses-shout.mustache": Array("<b>\n  {{>shout}}\n</b>\n".utf8),
            "templates/uses-uses-shout.mustache": Array("{{>uses-shout}}".utf8),
            "templates/sequence.mustache": Array("{{#items}}{{#first()}}first {{/first()}}{{.}} {{/items}}".utf8),
            "templates/dynamic.mustache": Array("{{>*name}}".utf8),
            "templates/text.mustache": Array("{{%CONTENT_TYPE: TEXT}}{{name}}".utf8),
            "templates/plain.mustache": Array("<i>{{name}}</i> {{>missing}}".utf8),
        ])
        for name in ["shout", "uses-shout", "uses-uses-shout", "sequence", "dynamic", "text"] {
            XCTAssertNil(theme.compiled.templates[name], name)
        }
        XCTAssertNotNil(theme.compiled.templates["plain"])
        let context: TemplateValue = .object(["name": "a<b", "items": .list(["x", "y"])])
        XCTAssertEqual(theme.render("uses-uses-shout", context), "<b>\n  A&lt;B\n</b>\n")
        XCTAssertEqual(theme.render("sequence", context), "first x y ")
        XCTAssertEqual(theme.render("text", context), "a<b")
        XCTAssertEqual(theme.render("plain", context), "<i>a&lt;b</i> ")
    }

    func testValuesRenderAsSwiftMustacheRendersThem() throws {
        let templates = [
            "values": """
                [{{text}}|{{{text}}}|{{&text}}|{{number}}|{{zero}}|{{yes}}|{{no}}|{{missing}}|{{.missing}}]
                {{#text}}text pushed: {{.}} {{number}}{{/text}}
                {{#zero}}zero is true: {{.}}{{/zero}}{{^zero}}never{{/zero}}
                {{#no}}never{{/no}}{{^no}}no is false{{/no}} {{^missing}}missing is false{{/missing}}
                {{#empty}}never{{/empty}}{{^empty}}empty list: {{.}} {{text}}{{/empty}}
                {{#items}}<{{name}} {{text}} {{.text}}>{{/items}}
                {{#object}}{{name}} {{inner.name}} {{#inner}}{{name}}/{{text}}{{/inner}}{{/object}}
                {{object.inner.name}} {{object.nope.name}} {{#object.name}}{{.}}{{/object.name}}
                {{#shadow}}{{name}}{{/shadow}} {{#object}}{{#shadow}}{{object.name}}{{/shadow}}{{/object}}
                {{#keyed}}{{name}} {{#list}}{{.}},{{/list}}{{/keyed}} {{keyed.name}}
                {{#lazy}}{{html}}{{/lazy}} {{{lazy.html}}} {{lazy.html}}
                {{#strings}}{{.}};{{/strings}} {{#flags}}f{{/flags}}
                """,
        ]
        let context: TemplateValue = .object([
            "text": "<a href=\"x\">'&'</a> e\u{301}", "number": -42, "zero": 0, "yes": true, "no": false,
            "empty": .list([]), "strings": .list(["a&b", "", "c"]), "flags": .list([true, false]),
            "items": .list([.object(["name": "one"]), .object(["name": "two", "text": "own"]), .string("s")]),
            "object": .object(["name": "outer", "inner": .object(["name": "inner"])]),
            "shadow": .object(["name": "shadowed"]),
            "keyed": .keyed(.object(["name": "k", "list": .list([1, 2])])),
            "lazy": .deferred(key: "lazy") { .object(["html": "<p>deferred</p>"]) },
        ])
        try assertSameOutput(templates, root: "values", context)
    }

    func testWhitespacePartialsAndInheritanceRenderAsSwiftMustacheRendersThem() throws {
        let templates = [
            "root": """
                <ul>
                  {{#items}}
                  <li>{{name}}</li>
                  {{/items}}
                </ul>
                  {{>item}}
                \t{{>lines}}
                  {{>tail}}
                after tail
                  {{! a comment on its own line }}
                {{=<% %>=}}
                <%#items%>(<%name%>)<%/items%>
                <%={{ }}=%>
                  {{^empty}}
                    inverted {{name}}
                  {{/empty}}
                {{<parent}}
                  {{$title}}Overridden {{name}}{{/title}}
                  {{$body}}
                    line one
                      line two
                  {{/body}}
                {{/parent}}
                end\r
                  {{>lines}}\r
                  {{#items}}\r
                  {{name}}\r
                  {{/items}}\r
                """,
            "item": "<p>{{name}}</p>\n{{#items}}\n<i>{{name}}</i>\n{{/items}}\n",
            "lines": "one\n{{#items}}\n  - {{name}}\n{{/items}}\ntwo\n{{>item}}\n",
            "parent": """
                <h1>{{$title}}Default title{{/title}}</h1>
                  {{$body}}
                  default body
                  {{/body}}
                {{<grandparent}}{{$footer}}parent's footer{{/footer}}{{/grandparent}}
                """,
            "tail": "a\n{{#missing}}x{{/missing}}{{^items}}y{{/items}}",
            "grandparent": "<footer>\n  {{$footer}}default footer{{/footer}}\n</footer>\n",
        ]
        let context: TemplateValue = .object(["name": "top", "empty": .list([]),
                                              "items": .list([.object(["name": "a"]), .object(["name": "b\nc"])])])
        try assertSameOutput(templates, root: "root", context)
        try assertSameOutput(templates, root: "lines", context)
    }

    /// Keyed rows are rendered once and replayed on later pages with the page's own `root`
    /// in their holes; a row is replayed only where the other values it reads outside its item
    /// are the same, and a row reading an object, a block or a deferred value is never kept.
    func testKeyedRowsAreReplayedOnlyWhereWhatTheyReadOutsideIsTheSame() throws {
        let templates = [
            "list": "{{#rows}}<a href=\"{{root}}{{url}}\">{{title}}</a>{{#flag}} F{{/flag}} {{outer}} {{{raw}}}\n{{/rows}}",
            "objects": "{{#rows}}{{title}} {{page.title}}\n{{/rows}}",
            "lazy": "{{#rows}}{{title}} {{later}}\n{{/rows}}",
            "parent": "[{{$slot}}default{{/slot}}]",
            "blocks": "{{#rows}}{{<parent}}{{$slot}}{{title}}{{/slot}}{{/parent}}\n{{/rows}}",
        ]
        let plain = try Self.theme(templates)
        let theme = plain.withRowMemo()
        let rows: TemplateValue = .list([
            .keyed(.object(["url": "a.html", "title": "A & B", "flag": true])),
            .keyed(.object(["url": "b.html", "title": "B", "outer": "own"])),
        ])
        var pages: [TemplateValue] = []
        for (root, outer, raw, flag) in [("", "x", "<i>", false), ("../", "x", "<i>", false), ("../../", "y", "<b>", true), ("../", "x", "<i>", false)] {
            pages.append(.object(["rows": rows, "root": .string(root), "outer": .string(outer), "raw": .string(raw), "flag": .bool(flag),
                                  "page": .object(["title": .string(root)]), "later": .deferred(key: root) { .string("later " + root) }]))
        }
        for name in templates.keys.sorted() where name != "parent" {
            for page in pages {
                XCTAssertEqual(theme.render(name, page), plain.renderWithMustache(name, page), name)
            }
        }
        let memo = try XCTUnwrap(theme.compiled.rowMemo)
        // "list" keeps rows A and B: `root`, `outer` and `raw` found outside a row are holes, so A
        // is replayed on every later page; B reads the page's `flag` (it has none), which the
        // third page changes, so B is rendered again there. The other templates keep nothing.
        XCTAssertEqual(memo.count, 2)
        XCTAssertEqual(memo.replayCount, 5, "A on pages 2, 3 and 4, B on pages 2 and 4")
        XCTAssertNil(plain.compiled.rowMemo)
    }

    /// A value read outside the row through a section is a guard, compared by its bytes: two
    /// pages whose texts are the same in Unicode terms but spelled differently ("é" and "e" +
    /// U+0301) each get their own bytes, not the row recorded on the other page.
    func testARowGuardedOnTextIsNotReplayedForAnotherSpellingOfIt() throws {
        let templates = ["list": "{{#rows}}{{title}} {{#description}}<span>{{.}}</span>{{/description}}\n{{/rows}}"]
        let plain = try Self.theme(templates)
        let theme = plain.withRowMemo()
        let rows: TemplateValue = .list([.keyed(.object(["title": "A"]))])
        for description in ["Caf\u{E9} tier", "Cafe\u{301} tier", "Caf\u{E9} tier"] {
            let page: TemplateValue = .object(["rows": rows, "description": .string(description)])
            let rendered = theme.render("list", page)
            XCTAssertEqual(rendered, plain.renderWithMustache("list", page))
            XCTAssertTrue(Array(rendered.utf8).starts(with: Array("A <span>".utf8))
                          && rendered.utf8.elementsEqual(("A <span>" + description + "</span>\n").utf8), rendered.debugDescription)
        }
    }

    /// Random templates (a grammar over every construct the compiler takes, with standalone
    /// lines, indentation, CRLF and nesting) and random values, seeded: both renderers agree.
    func testGeneratedTemplatesRenderAsSwiftMustacheRendersThem() throws {
        var random = SplitMix64(seed: 0x5EED_2026)
        var compared = 0
        for round in 0..<400 {
            var generator = TemplateGenerator(random: random)
            let templates = [
                "root": generator.template(depth: 3, partials: ["p", "q", "missing"], parents: ["parent"]),
                "p": generator.template(depth: 2, partials: ["q"], parents: []),
                "q": generator.template(depth: 2, partials: [], parents: []),
                "parent": generator.template(depth: 2, partials: ["q"], parents: [], blocks: true),
            ]
            let context = generator.value(depth: 3, object: true)
            random = generator.random
            guard let theme = try? Self.theme(templates) else { continue }
            guard theme.compiled.templates["root"] != nil else {
                XCTFail("round \(round): generated template did not compile:\n\(templates["root"]!)")
                continue
            }
            let fast = theme.render("root", context)
            let reference = theme.renderWithMustache("root", context)
            // With a row memo, rendered twice (the second time from whatever rows were kept).
            let memoized = theme.withRowMemo()
            XCTAssertEqual(memoized.render("root", context), reference, "round \(round), rows recorded")
            XCTAssertEqual(memoized.render("root", context), reference, "round \(round), rows replayed")
            if fast != reference {
                XCTFail("round \(round) differs\n\(templates)\n---- compiled:\n\(fast.debugDescription)\n---- swift-mustache:\n\(reference.debugDescription)")
                return
            }
            compared += 1
        }
        XCTAssertGreaterThan(compared, 120, "enough generated templates parse")
    }

    // MARK: Helpers

    private static func theme(_ templates: [String: String]) throws -> Theme {
        let (library, compiled) = try Theme.compile(templates)
        return Theme(templates: templates, assets: [:], overridden: [], fingerprint: "", library: library, compiled: compiled)
    }

    private func assertSameOutput(_ templates: [String: String], root: String, _ context: TemplateValue,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let theme = try Self.theme(templates)
        XCTAssertNotNil(theme.compiled.templates[root], "\(root) compiles", file: file, line: line)
        let fast = theme.render(root, context)
        let reference = theme.renderWithMustache(root, context)
        XCTAssertFalse(reference.isEmpty, file: file, line: line)
        XCTAssertEqual(fast, reference, file: file, line: line)
    }
}

/// Random Mustache templates and values for differential tests.
private struct TemplateGenerator {
    var random: SplitMix64
    private let names = ["a", "b", "n", "flag", "items", "obj", "obj.a", "obj.items", ".", ".a", "missing", "empty", "keyed", "lazy"]
    private let texts = ["x", " ", "  ", "\t", "<&>", "\"'", "é", "e\u{301}", "{", "}", "text", "\u{2028}"]

    /// Deferred values get distinct keys (a key stands for one value).
    private var deferredCount = 0

    init(random: SplitMix64) { self.random = random }

    private mutating func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    private mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    mutating func template(depth: Int, partials: [String], parents: [String], blocks: Bool = false) -> String {
        var out = ""
        let lines = 1 + Int(random.next() % 6)
        for _ in 0..<lines {
            if chance(40) { out += pick(["", " ", "  ", "\t", "    "]) }
            out += line(depth: depth, partials: partials, parents: parents, blocks: blocks)
            out += pick(["\n", "\n", "\n", "\r\n", ""])
        }
        return out
    }

    private mutating func line(depth: Int, partials: [String], parents: [String], blocks: Bool) -> String {
        var out = ""
        for _ in 0..<(1 + Int(random.next() % 3)) {
            switch random.next() % 12 {
            case 0, 1: out += pick(texts)
            case 2: out += "{{\(pick(names))}}"
            case 3: out += pick(["{{{\(pick(names))}}}", "{{&\(pick(names))}}"])
            case 4, 5 where depth > 0:
                let name = pick(names.filter { $0 != "." && $0 != ".a" })
                let open = pick(["#", "^"])
                let inner = chance(50) ? "\n" + template(depth: depth - 1, partials: partials, parents: parents, blocks: blocks) : line(depth: depth - 1, partials: partials, parents: parents, blocks: blocks)
                out += "{{\(open)\(name)}}\(inner){{/\(name)}}"
            case 6 where !partials.isEmpty: out += "{{>\(pick(partials))}}"
            case 7 where blocks && depth > 0:
                let name = pick(["b1", "b2"])
                out += "{{$\(name)}}\(line(depth: depth - 1, partials: partials, parents: [], blocks: false)){{/\(name)}}"
            case 8 where !parents.isEmpty && depth > 0:
                let parent = pick(parents)
                let name = pick(["b1", "b2"])
                let body = chance(50) ? "\n  " : ""
                let override = line(depth: depth - 1, partials: partials, parents: [], blocks: false)
                out += "{{<\(parent)}}\(body){{$\(name)}}\(chance(50) ? "\n" : "")\(override)\(chance(50) ? "\n" : ""){{/\(name)}}\(body){{/\(parent)}}"
            case 9: out += "{{! comment }}"
            default: out += pick(texts)
            }
        }
        return out
    }

    private mutating func deferred(_ value: TemplateValue) -> TemplateValue {
        deferredCount += 1
        return .deferred(key: "lazy\(deferredCount)") { value }
    }

    mutating func value(depth: Int, object: Bool = false) -> TemplateValue {
        if object || (depth > 0 && chance(30)) {
            var fields = TemplateObject()
            for name in ["a", "b", "n", "flag", "items", "obj", "empty", "keyed", "lazy"] where chance(70) {
                switch name {
                case "items": fields[name] = .list((0..<Int(random.next() % 3)).map { _ in value(depth: depth - 1) })
                case "obj", "keyed", "lazy":
                    guard depth > 0 else { fields[name] = value(depth: 0); continue }
                    let inner = value(depth: depth - 1, object: true)
                    fields[name] = name == "keyed" ? .keyed(inner) : name == "lazy" ? deferred(inner) : inner
                case "empty": fields[name] = .list([])
                default: fields[name] = value(depth: 0)
                }
            }
            return .object(fields)
        }
        switch random.next() % 5 {
        case 0: return .bool(chance(50))
        case 1: return .int(Int(random.next() % 5) - 1)
        case 2 where depth > 0: return .list((0..<Int(random.next() % 3)).map { _ in value(depth: depth - 1) })
        default: return .string(pick(texts) + pick(texts))
        }
    }
}

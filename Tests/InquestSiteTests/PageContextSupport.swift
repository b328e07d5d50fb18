import Foundation
import InquestCore
import XCTest
@testable import InquestSite

/// Reads a page's template context (the typed values its template receives) for tests that
/// check what a page shows without comparing its HTML, so a layout change does not rewrite them.
struct PageContexts {
    let model: SiteModel
    let theme: Theme
    let pages: [String: any Page]

    init(files: [String: String] = Fixture.files, settings: SiteSettings = Fixture.settings, history: ArchiveHistory? = Fixture.history) throws {
        model = SiteModel(archive: Fixture.archive(files: files, history: history), settings: settings)
        theme = try Fixture.theme.get()
        var pages: [String: any Page] = [:]
        for page in Pages.all(model) { pages[page.path] = page }
        self.pages = pages
    }

    /// The full context of the page at `path` (with the layout's variables), or nil when the
    /// build has no such page.
    func context(_ path: String) -> TemplateValue? {
        pages[path].map { SiteBuilder.fullContext($0, model: model, theme: theme) }
    }
}

extension TemplateValue {
    /// The value at a dotted path: object fields by name, list items by 0-based number
    /// (`postmortem.causes.0.url`); deferred values are computed, keyed ones unwrapped.
    func at(_ path: String) -> TemplateValue? {
        var current: TemplateValue? = self
        for part in path.split(separator: ".") {
            guard let value = current?.resolved else { return nil }
            if case .list(let items) = value, let index = Int(part) {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = value[String(part)]
            }
        }
        return current?.resolved
    }

    /// Deferred values computed, keyed values unwrapped.
    var resolved: TemplateValue {
        switch self {
        case .deferred(_, let compute): compute().resolved
        case .keyed(_, let value, _): value.resolved
        default: self
        }
    }

    var stringValue: String? { if case .string(let text) = resolved { text } else { nil } }
    var boolValue: Bool? { if case .bool(let flag) = resolved { flag } else { nil } }
    var intValue: Int? { if case .int(let number) = resolved { number } else { nil } }
    var listValue: [TemplateValue]? { if case .list(let items) = resolved { items } else { nil } }
}

/// Compares two HTML documents by structure: tags with their attributes, and text with runs of
/// white space collapsed, so indentation and line breaks do not matter but every element,
/// attribute and word does.
enum HTMLStructure {
    enum Token: Equatable, CustomStringConvertible {
        case tag(String)
        case text(String)

        var description: String {
            switch self {
            case .tag(let tag): tag
            case .text(let text): "text \"\(text)\""
            }
        }
    }

    static func tokens(_ html: String) -> [Token] {
        var out: [Token] = []
        var text = ""
        func flushText() {
            let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !collapsed.isEmpty { out.append(.text(collapsed)) }
            text = ""
        }
        var index = html.startIndex
        while index < html.endIndex {
            if html[index] == "<", let close = html[index...].firstIndex(of: ">") {
                flushText()
                let inside = html[html.index(after: index)..<close]
                // `<pre>` content keeps its white space in the browser, but a tag's own spacing does not matter.
                out.append(.tag("<" + inside.split(whereSeparator: \.isWhitespace).joined(separator: " ") + ">"))
                index = html.index(after: close)
            } else {
                text.append(html[index])
                index = html.index(after: index)
            }
        }
        flushText()
        return out
    }

    /// Fails with the first token that differs and a little context around it.
    static func assertEqual(_ actual: String, _ expected: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = tokens(actual), e = tokens(expected)
        guard a != e else { return }
        let first = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let around = { (list: [Token]) in list[max(0, first - 3)..<min(list.count, first + 3)].map(\.description).joined(separator: " ") }
        XCTFail("\(name): structure differs at token \(first): expected …\(around(e))… got …\(around(a))…", file: file, line: line)
    }
}

import Foundation
import InquestTestSupport
import XCTest
@testable import InquestSite

/// The embedded theme matches site/, and a repository's site/ overrides it file by file.
final class ThemeTests: XCTestCase {
    /// The templates whose pages are keyed by the commit's date: those naming `now` or
    /// `generated` in a tag, themselves or through a partial or parent they name; a dynamic
    /// partial or new delimiters count; a word in the text does not.
    func testDatedTemplatesNameTheDateThemselvesOrThroughWhatTheyName() throws {
        let dated = Theme.datedTemplates([
            "a": "{{#site.generated}}{{.}}{{/site.generated}}",
            "b": "<p>{{> a}}</p>",
            "c": "{{<b}}{{$main}}x{{/main}}{{/b}}",
            "d": "known and unknown {{title}} {{{body.html}}} {{#nowhere}}{{/nowhere}}",
            "e": "{{>*dynamic}}",
            "f": "{{=<% %>=}}<% now %>",
            "g": "{{#now}}{{.}}{{/now}}",
            "h": "{{ site.generated_datetime }}",
            "i": "{{> d}}",
        ])
        XCTAssertEqual(dated, ["a", "b", "c", "e", "f", "g", "h"])
        XCTAssertEqual(try Theme.load().datedTemplates, ["actions", "index", "stats"], "the built-in theme's")
    }

    func testEmbeddedThemeIsUpToDateWithSiteFolder() throws {
        let onDisk = SiteBuild.themeOverrides(folder: Repository.root.appendingPathComponent("site"))
        let embedded = EmbeddedTheme.files.mapValues { Array($0.utf8) }
        XCTAssertEqual(onDisk.keys.sorted(), embedded.keys.sorted(),
                       "site/ and the embedded theme list different files: run `make theme` (Scripts/embed-theme.py)")
        for (path, bytes) in onDisk where embedded[path] != bytes {
            XCTFail("site/\(path) changed since the theme was embedded: run `make theme` (Scripts/embed-theme.py)")
        }
    }

    func testEveryTemplateVariableIsDocumented() throws {
        // docs/theme.md documents the variables; a template using an undocumented name fails here.
        let doc = try String(contentsOf: Repository.root.appendingPathComponent("docs/theme.md"), encoding: .utf8)
        var missing: Set<String> = []
        for (name, source) in EmbeddedTheme.files where name.hasPrefix("templates/") {
            // Documented as `name`, or as part of a dotted path such as `charts.per_month`.
            for variable in Self.variables(in: source)
            where !doc.contains("`\(variable)`") && !doc.contains(".\(variable)`") && !doc.contains("`\(variable).") {
                missing.insert("\(variable) (\(name))")
            }
        }
        XCTAssertEqual(missing.sorted(), [], "undocumented template variables")
    }

    /// Names used in `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}` (not partials, blocks, or `.`).
    static func variables(in template: String) -> Set<String> {
        var out: Set<String> = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag.removeFirst() }
            if let first = tag.first, "#^&".contains(first) { tag.removeFirst() }
            guard let first = tag.first, !"/!><$%=".contains(first), tag != "." else { continue }
            for part in tag.trimmingCharacters(in: .whitespaces).split(separator: ".") { out.insert(String(part)) }
        }
        return out
    }

    func testOverridesReplaceFilesOneByOne() throws {
        let theme = try Theme.load(overrides: [
            "templates/404.mustache": Array("{{page.title}} — custom".utf8),
            "assets/site.css": Array("body{}".utf8),
            "assets/logo.png": [0x89, 0x50, 0x4e, 0x47],
            "README.md": Array("ignored".utf8),
            "templates/../../escape.mustache": Array("ignored".utf8),
        ])
        XCTAssertEqual(theme.overridden, ["assets/logo.png", "assets/site.css", "templates/404.mustache"])
        let site = SiteBuilder(archive: Fixture.archive(), settings: Fixture.settings, theme: theme).render()
        XCTAssertEqual(site.text("404.html"), "Page not found — custom")
        XCTAssertEqual(site.text("assets/site.css"), "body{}")
        XCTAssertEqual(site.files["assets/logo.png"], [0x89, 0x50, 0x4e, 0x47])
        XCTAssertTrue(site.text("index.html").contains("<table class=\"postmortems\">"), "other templates stay embedded")
    }

    func testBrokenTemplateIsAnErrorWithItsLocation() {
        XCTAssertThrowsError(try Theme.load(overrides: ["templates/index.mustache": Array("line\n{{#open}}never closed".utf8)])) { error in
            let message = (error as? SiteError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("site/templates/index.mustache:"), message)
        }
    }

    func testThemeFilePathsAreRestricted() {
        XCTAssertTrue(Theme.isThemeFile("templates/index.mustache"))
        XCTAssertTrue(Theme.isThemeFile("assets/img/logo.svg"))
        XCTAssertFalse(Theme.isThemeFile("templates/sub/index.mustache"))
        XCTAssertFalse(Theme.isThemeFile("assets/../x"))
        XCTAssertFalse(Theme.isThemeFile("assets/.hidden"))
        XCTAssertFalse(Theme.isThemeFile("other/file"))
    }
}

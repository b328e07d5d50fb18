import Foundation
import XCTest
import InquestCore
@testable import InquestSite
import InquestTestSupport

/// Page keys from declared dependencies (``PageInputs``) are exact: over many kinds of edits,
/// every page whose full template context changed also changed its declared inputs key (a
/// missed dependency would leave that page stale), and an edit that shows on few pages changes
/// few declared keys (the declarations are not "everything").
final class PageInputsTests: XCTestCase {
    /// For every page: its declared inputs key and the key of its whole context.
    struct Keys {
        var declared: [String: String] = [:]
        var context: [String: String] = [:]
    }

    /// A fixture archive large enough for paged lists (a cause, a service, a tag and the index
    /// have more than ``Paging/size`` incidents).
    struct Inputs {
        var files = Fixture.files
        var catalogue = Fixture.catalogue
        var settings = Fixture.settings
        var history: ArchiveHistory? = Fixture.history

        /// Built once: the blame-language analyzer costs more than a small archive's lint.
        static let linter = Linter().prepared()

        init() {
            for number in 1...(Paging.size + 5) {
                let month = String(format: "%02d", 1 + number % 12), day = String(format: "%02d", 1 + number % 28)
                let year = 2020 + number % 3
                files["postmortems/extra/\(year)-\(month)-\(day)-extra-\(number).md"] = Fixture.third
                    .replacingOccurrences(of: "Web hosts served an old banner", with: "Extra incident number \(number)")
                    .replacingOccurrences(of: "2024-11-20", with: "\(year)-\(month)-\(day)")
                    .replacingOccurrences(of: "@web, WEB-4", with: number % 2 == 0 ? "@web, WEB-\(number), due: 2024-01-01" : "@dba-team")
            }
        }

        func keys() throws -> Keys {
            let documents = files.keys.sorted().map { RawDocument(path: $0, bytes: Array(files[$0]!.utf8)) }
            let input = LintInput(documents: documents, catalogue: RawDocument(path: "postmortems/causes.yml", bytes: Array(catalogue.utf8)))
            var archive = Self.linter.buildArchive(input)
            archive.history = history
            let model = SiteModel(archive: archive, settings: settings)
            let theme = try Fixture.theme.get()
            let inputs = PageInputs(model: model, theme: theme, generator: "test")
            var keys = Keys()
            for page in Pages.all(model) {
                keys.declared[page.path] = inputs.key(for: page, model: model) ?? "undeclared \(UUID())"
                keys.context[page.path] = SiteBuilder.key(page, context: SiteBuilder.fullContext(page, model: model, theme: theme),
                                                          theme: theme, generator: "test")
            }
            return keys
        }

        mutating func edit(_ path: String, _ from: String, _ to: String, file: StaticString = #filePath, line: UInt = #line) {
            let text = files[path]!
            XCTAssertTrue(text.contains(from), "the fixture has '\(from)'", file: file, line: line)
            files[path] = text.replacingOccurrences(of: from, with: to)
        }
    }

    /// Pages whose context changed between `before` and `after` must have changed declared keys;
    /// returns the paths whose declared key changed.
    @discardableResult
    func assertDeclaredKeysCover(_ name: String, _ before: Keys, _ after: Keys, file: StaticString = #filePath, line: UInt = #line) -> Set<String> {
        var changed: Set<String> = []
        var contextChanged = 0
        for (path, key) in after.context {
            guard let old = before.context[path] else { continue }
            if before.declared[path] != after.declared[path] { changed.insert(path) }
            if old != key {
                contextChanged += 1
                XCTAssertNotEqual(before.declared[path], after.declared[path],
                                  "\(name): the context of \(path) changed but its declared inputs did not", file: file, line: line)
            }
        }
        XCTAssertGreaterThan(contextChanged + (after.context.count != before.context.count ? 1 : 0), 0,
                             "\(name): the edit changes something", file: file, line: line)
        return changed
    }

    func testDeclaredKeysChangeWheneverAPageContextChanges() throws {
        let base = Inputs()
        let before = try base.keys()
        let first = Fixture.paths.first, second = Fixture.paths.second, third = Fixture.paths.third
        let edits: [(String, (inout Inputs) -> Void)] = [
            ("body edit", { $0.edit(first, "Expiry now has jitter.", "Expiry now has jitter and a cap.") }),
            ("edit above the action items", { $0.edit(first, "All times in UTC.", "All times in UTC, from the load balancer logs.") }),
            ("summary section", { $0.edit(second, "Search timed out around midnight.", "Search timed out just after midnight.") }),
            ("title", { $0.edit(third, "served an old banner", "served a stale banner") }),
            ("root_causes", { $0.edit(third, "root_causes: [config-drift]", "root_causes: [cache-stampede]") }),
            ("contributing factor", { $0.edit(first, "contributing_factors: [missing-alert]", "contributing_factors: [config-drift]") }),
            ("services", { $0.edit(second, "services: [search, api]", "services: [search]") }),
            ("tags", { $0.edit(second, "tags: [search]", "tags: [search, cache]") }),
            ("date", { $0.edit(second, "date: 2025-04-10", "date: 2025-04-12") }),
            ("severity", { $0.edit(third, "severity: SEV3", "severity: SEV2") }),
            ("status", { $0.edit(third, "status: in-review", "status: final") }),
            ("authors", { $0.edit(third, "authors: [Di Example]", "authors: [Di Example, Fy Example]") }),
            ("resolved time", { $0.edit(first, "resolved: \"2025-02-03T11:05:00Z\"", "resolved: \"2025-02-03T12:05:00Z\"") }),
            ("action item ticked", { $0.edit(first, "- [ ] Alert on cache hit ratio", "- [x] Alert on cache hit ratio") }),
            ("action item owner", { $0.edit(first, "@sre, SHOP-2", "@sre-team, SHOP-2") }),
            ("action item ticket", { $0.edit(second, "@search, SRCH-9", "@search, SRCH-10") }),
            ("action item due", { $0.edit(first, "due: 2025-03-01", "due: 2025-09-01") }),
            ("action item text", { $0.edit(third, "Compare host configuration nightly", "Compare host configuration hourly") }),
            ("related link", { $0.edit(third, "tags: [cache]", "tags: [cache]\nrelated: [2025-04-10-search-timeouts]") }),
            ("timeline", { $0.edit(third, "Afternoon — noticed by support.", "Afternoon — noticed by a customer.") }),
            ("add", { $0.files["postmortems/2025/2025-05-01-queue-lag.md"] = Fixture.third
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Queue lag").replacingOccurrences(of: "2024-11-20", with: "2025-05-01") }),
            ("delete", { $0.files[Fixture.paths.draft] = nil }),
            ("rename", { $0.files["postmortems/2024/2024-11-20-banner.md"] = $0.files[third]; $0.files[third] = nil }),
            ("catalogue title", { $0.catalogue = $0.catalogue.replacingOccurrences(of: "Configuration drift", with: "Config drift") }),
            ("catalogue description", { $0.catalogue = $0.catalogue.replacingOccurrences(of: "Hosts that should match did not.", with: "Hosts differed.") }),
            ("site title", { $0.settings.title = "Other Incidents" }),
            ("teams", { $0.settings.teams = ["@web"] }),
            ("ticket URL", { $0.settings.ticketURL = "https://tickets.example.com/{ticket}" }),
            ("repository URL", { $0.settings.repoURL = "https://git.example.com/org/other" }),
            ("severities", { $0.settings.schema.severities = ["SEV2", "SEV1", "SEV3", "SEV4"] }),
            ("now", { $0.history?.commitTime = Timestamp(seconds: 1_760_000_000, offsetMinutes: 0) }),
            ("a document's history", { $0.history?.documents[second]?.commits.insert(Fixture.commit(String(repeating: "d", count: 40), "Dee Example", 1_745_000_000, "Fix a typo"), at: 0) }),
            ("action item history", { $0.history?.actionItems[first] = [ArchiveHistory.ActionItemEvents(added: Fixture.commit(String(repeating: "e", count: 40), "Ada Example", 1_738_700_000, "Add"), ticked: nil), nil, nil] }),
            ("id change in history", { $0.history?.idChanges.append(ArchiveHistory.IDChange(oldID: "banner", newID: "2024-11-20-old-banner")) }),
            ("no history", { $0.history = nil }),
        ]
        let edited = edits.map { name, edit in
            var inputs = base
            edit(&inputs)
            return (name, inputs)
        }
        // Each edit's keys are a pure function of its inputs: worked out on all cores, checked in order.
        let keys = parallelMap(edited) { _, inputs in Result { try inputs.keys() } }
        for ((name, _), after) in zip(edited, keys) {
            assertDeclaredKeysCover(name, before, try after.get())
        }
    }

    /// A body edit changes the declared keys of the document's own page and of the search
    /// files only; every list, cause, service and tag page keeps its key (its context is not built).
    func testABodyEditChangesOnlyItsOwnPageAndTheSearchFiles() throws {
        var inputs = Inputs()
        let before = try inputs.keys()
        inputs.edit(Fixture.paths.first, "Expiry now has jitter.", "Expiry now has jitter and a cap.")
        let changed = assertDeclaredKeysCover("body edit", before, try inputs.keys())
        let own = "postmortems/2025-02-03-price-cache-expiry.html"
        XCTAssertTrue(changed.contains(own))
        XCTAssertEqual(changed.filter { $0 != own && !$0.hasPrefix("search/") }, [], "only the page and the search index")
        XCTAssertGreaterThan(before.declared.count, 300, "the fixture has paged lists")
    }

    /// A `root_causes` edit re-keys the pages that can show the document's causes, not every page.
    func testARootCausesEditLeavesUnrelatedPagesAlone() throws {
        var inputs = Inputs()
        let before = try inputs.keys()
        inputs.edit(Fixture.paths.second, "root_causes: [cache-stampede]", "root_causes: [missing-alert]")
        let changed = assertDeclaredKeysCover("root_causes edit", before, try inputs.keys())
        XCTAssertLessThan(changed.count, before.declared.count / 2, "most pages keep their declared key")
        XCTAssertNotNil(before.declared["archive/2020.html"])
        XCTAssertFalse(changed.contains("archive/2020.html"), "a list page whose rows are other incidents")
    }

    func testKeyWriterSeparatesFields() {
        var a = KeyWriter(), b = KeyWriter(), c = KeyWriter(), d = KeyWriter()
        a.add("ab", "c")
        b.add("a", "bc")
        c.list(["a", "b"])
        d.list(["a"]); d.list(["b"])
        XCTAssertNotEqual(a.digest(), b.digest())
        XCTAssertNotEqual(c.digest(), d.digest())
    }

    func testStableDumpSortsSetsAndDictionaries() {
        let one = StableDump.of(["b": 1, "a": 2] as [String: Int])
        let two = StableDump.of(["a": 2, "b": 1] as [String: Int])
        XCTAssertEqual(one, two)
        XCTAssertEqual(StableDump.of(Set(["x", "y", "z"])), StableDump.of(Set(["z", "y", "x"])))
        XCTAssertNotEqual(StableDump.of(Schema()), StableDump.of({ var schema = Schema(); schema.severities.append("SEV5"); return schema }()))
    }
}

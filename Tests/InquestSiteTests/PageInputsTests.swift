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
    /// One site variant: every page with its declared inputs key. Contexts are worked out on
    /// demand: the check needs the context of every page whose declared key did *not* change.
    struct Site: Sendable {
        let model: SiteModel
        let theme: Theme
        let inputs: PageInputs
        var pages: [String: any Page] = [:]
        var declared: [String: String] = [:]

        /// The page's whole context, as a build renders it.
        func context(_ path: String) -> TemplateValue { SiteBuilder.fullContext(pages[path]!, model: model, theme: theme) }
    }

    /// The unedited fixture's declared keys, templates and whole contexts, worked out once for
    /// every test of the class (the fixture is an immutable value).
    struct Base: Sendable {
        var declared: [String: String] = [:]
        var templates: [String: String] = [:]
        var contexts: [String: TemplateValue] = [:]
        /// The search index's per-document data, by document key (``SearchCache``).
        var searchEntries: [String: SearchCache.Entry] = [:]
    }

    static let base = Result { () throws -> Base in
        let site = try Inputs.standard.site(searchCache: [:])
        var base = Base(declared: site.declared, searchEntries: site.model.search.entries)
        for (path, page) in site.pages {
            base.templates[path] = page.template
            base.contexts[path] = site.context(path)
        }
        return base
    }

    /// A fixture archive large enough for paged lists (a cause, a service, a tag and the index
    /// have more than ``Paging/size`` incidents).
    struct Inputs: Sendable {
        var files = Fixture.files
        var catalogue = Fixture.catalogue
        var settings = Fixture.settings
        var history: ArchiveHistory? = Fixture.history
        var generator = "test"
        var themeOverrides: [String: [UInt8]] = [:]

        /// The unedited inputs and their archive, as `Linter.buildArchive` builds it. An edit of
        /// the settings or the history reuses that archive, and an edited archive reuses every
        /// document the edit left alone: an archive is its parsed documents and catalogue, and a
        /// parse is a pure function of one file's path and bytes.
        static let standard = Inputs()
        static let standardArchive = Linter().buildArchive(standard.lintInput())
        static let standardParsed = Dictionary(uniqueKeysWithValues: standardArchive.postmortems.map { ($0.path, $0) })
        static let parser = PostmortemParser(schema: Linter().configuration.schema)

        init() {
            for number in 1...(Paging.size + 5) {
                let month = String(format: "%02d", 1 + number % 12), day = String(format: "%02d", 1 + number % 28)
                let year = 2020 + number % 3
                files["postmortems/extra/\(year)-\(month)-\(day)-extra-\(number).md"] = Fixture.third
                    .replacingOccurrences(of: "Web hosts served an old banner", with: "Extra incident number \(number)")
                    .replacingOccurrences(of: "2024-11-20", with: "\(year)-\(month)-\(day)")
                    .replacingOccurrences(of: "@web, WEB-4", with: number % 2 == 0 ? "@web, WEB-\(number), due: 2024-01-01" : "@dba-team")
            }
            // One body links to a file that the "add" edit creates and to one that "rename" moves:
            // its page depends on those paths through its links alone.
            files["postmortems/extra/2021-02-02-extra-1.md"] = files["postmortems/extra/2021-02-02-extra-1.md"]!.replacingOccurrences(
                of: "## Timeline\n",
                with: "See [the queue lag](../2025/2025-05-01-queue-lag.md) and [the banner](../2024/2024-11-20-old-banner.md).\n\n## Timeline\n")
        }

        func lintInput() -> LintInput {
            let documents = files.keys.sorted().map { RawDocument(path: $0, bytes: Array(files[$0]!.utf8)) }
            return LintInput(documents: documents, catalogue: RawDocument(path: "postmortems/causes.yml", bytes: Array(catalogue.utf8)))
        }

        /// What `Linter.buildArchive` builds from these files and catalogue (parse each document,
        /// then index them), parsing only the documents that differ from the unedited ones.
        func buildArchive() -> Archive {
            let input = lintInput()
            let postmortems = input.documents.map { document in
                files[document.path] == Self.standard.files[document.path] ? Self.standardParsed[document.path]! : Self.parser.parse(document)
            }
            return Archive(postmortems: postmortems, catalogue: input.catalogue.map(CauseCatalogue.parse))
        }

        /// - Parameter searchCache: the search index's per-document data to reuse, as a cached
        ///   build does (nil: the unedited site's). Only the search data pages read the index, and
        ///   their declared key holds the script, the one part of their context the index gives.
        func site(searchCache: [String: SearchCache.Entry]? = nil) throws -> Site {
            var archive = files == Self.standard.files && catalogue == Self.standard.catalogue ? Self.standardArchive : buildArchive()
            archive.history = history
            let model = SiteModel(archive: archive, settings: settings, searchCache: try searchCache ?? PageInputsTests.base.get().searchEntries)
            let theme = themeOverrides.isEmpty ? try Fixture.theme.get() : try Theme.load(overrides: themeOverrides)
            let inputs = PageInputs(model: model, theme: theme, generator: generator)
            var site = Site(model: model, theme: theme, inputs: inputs)
            for page in Pages.all(model) {
                site.pages[page.path] = page
                site.declared[page.path] = inputs.key(for: page, model: model) ?? "undeclared \(UUID())"
            }
            return site
        }

        mutating func edit(_ path: String, _ from: String, _ to: String, file: StaticString = #filePath, line: UInt = #line) {
            let text = files[path]!
            XCTAssertTrue(text.contains(from), "the fixture has '\(from)'", file: file, line: line)
            files[path] = text.replacingOccurrences(of: from, with: to)
        }
    }

    /// Whether two contexts are the same as a page's cache key sees them (``SiteBuilder/key``
    /// hashes a canonical encoding of the context): deferred and keyed values by their keys,
    /// strings by their UTF-8 bytes, everything else by value. Comparing the values is exact
    /// where the keys compare SHA-256 digests, and skips encoding every context with sorted keys.
    static func same(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        // Plain loops: closures cost much more than the comparisons in a debug build.
        switch (a, b) {
        case (.string(let x), .string(let y)): return sameBytes(x, y)
        case (.int(let x), .int(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for index in x.indices where !same(x[index], y[index]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], same(value, other) else { return false }
            }
            return true
        case (.deferred(let x, _), .deferred(let y, _)): return sameBytes(x, y)
        case (.keyed(let x, _, _), .keyed(let y, _, _)): return sameBytes(x, y)
        default: return false
        }
    }

    static func sameBytes(_ x: String, _ y: String) -> Bool {
        var x = x, y = y
        return x.withUTF8 { a in y.withUTF8 { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) } }
    }

    /// How an edited site's pages compare with the unedited one's.
    struct Comparison: Sendable {
        /// Pages (in both sites) whose declared key changed.
        var changed: Set<String> = []
        /// Pages whose context changed although their declared key did not: each would be stale.
        var stale: [String] = []
        /// Some page's context changed, or a page was added or removed.
        var changesSomething = false
    }

    /// Compares `after` with the unedited site. A page whose declared key changed needs no
    /// context (whatever it is, the page is rebuilt); every other page's context must be equal.
    static func compare(_ after: Site) throws -> Comparison {
        let before = try base.get()
        var comparison = Comparison()
        comparison.changesSomething = after.pages.count != before.contexts.count
        for path in after.pages.keys.sorted() {
            guard let old = before.contexts[path] else { continue }
            if before.declared[path] != after.declared[path] {
                comparison.changed.insert(path)
            } else if after.pages[path]!.template != before.templates[path] || !same(after.context(path), old) {
                comparison.stale.append(path)
                comparison.changesSomething = true
            }
        }
        if !comparison.changesSomething {
            comparison.changesSomething = comparison.changed.sorted().contains { path in
                after.pages[path]!.template != before.templates[path] || !same(after.context(path), before.contexts[path]!)
            }
        }
        return comparison
    }

    /// Pages whose context changed between the unedited site and `after` must have changed
    /// declared keys; returns the paths whose declared key changed.
    @discardableResult
    func assertDeclaredKeysCover(_ name: String, _ comparison: Comparison, file: StaticString = #filePath, line: UInt = #line) -> Set<String> {
        for path in comparison.stale {
            XCTFail("\(name): the context of \(path) changed but its declared inputs did not", file: file, line: line)
        }
        XCTAssertTrue(comparison.changesSomething, "\(name): the edit changes something", file: file, line: line)
        return comparison.changed
    }

    /// Edits of every kind a page can show: each document field, action items, adding, deleting
    /// and renaming documents, the catalogue, the settings and git history.
    static let edits: [(String, @Sendable (inout Inputs) -> Void)] = {
        let first = Fixture.paths.first, second = Fixture.paths.second, third = Fixture.paths.third
        return [
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
            ("rename a linked document", { $0.files["postmortems/2025/2025-04-10-search-slow.md"] = $0.files[second]; $0.files[second] = nil }),
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
    }()

    func testDeclaredKeysChangeWheneverAPageContextChanges() throws {
        let base = Inputs.standard
        let edited = Self.edits.map { name, edit in
            var inputs = base
            edit(&inputs)
            return (name, inputs)
        }
        // Each edit's comparison is a pure function of its inputs: worked out on all cores, checked in order.
        let comparisons = parallelMap(edited) { _, inputs in Result { try Self.compare(inputs.site()) } }
        for ((name, _), comparison) in zip(edited, comparisons) {
            assertDeclaredKeysCover(name, try comparison.get())
        }
    }

    /// A body edit changes the declared keys of the document's own page and of the search
    /// files only; every list, cause, service and tag page keeps its key (its context is not built).
    func testABodyEditChangesOnlyItsOwnPageAndTheSearchFiles() throws {
        var inputs = Inputs.standard
        let before = try Self.base.get()
        inputs.edit(Fixture.paths.first, "Expiry now has jitter.", "Expiry now has jitter and a cap.")
        let changed = assertDeclaredKeysCover("body edit", try Self.compare(inputs.site()))
        let own = "postmortems/2025-02-03-price-cache-expiry.html"
        XCTAssertTrue(changed.contains(own))
        XCTAssertEqual(changed.filter { $0 != own && !$0.hasPrefix("search/") }, [], "only the page and the search index")
        XCTAssertGreaterThan(before.declared.count, 200, "the fixture has paged lists")
    }

    /// An edit of the Summary section (the one authors edit most) re-keys the document's own
    /// page, the feed (the only page that shows the section's text) and the search files: not
    /// the pages of the incidents that share its causes, services or tags, nor any list.
    func testASummaryEditChangesOnlyItsOwnPageTheFeedAndTheSearchFiles() throws {
        var inputs = Inputs.standard
        inputs.edit(Fixture.paths.second, "Search timed out around midnight.", "Search timed out just after midnight.")
        let changed = assertDeclaredKeysCover("summary section", try Self.compare(inputs.site()))
        let own = "postmortems/2025-04-10-search-timeouts.html"
        XCTAssertTrue(changed.contains(own))
        XCTAssertTrue(changed.contains("feed.xml"), "the feed shows the summary")
        XCTAssertEqual(changed.filter { $0 != own && $0 != "feed.xml" && !$0.hasPrefix("search/") }, [])
    }

    /// The fixture's commit an hour later: "now" (a date) is the same.
    static let sameDayLater = Timestamp(seconds: Fixture.commitTime.seconds + 3_600, offsetMinutes: 0)

    /// A commit that touches no document, the same day, changes no page's context: it keeps
    /// every page's key but the feed's (an empty feed is dated by the commit). Each page used to
    /// be keyed by the commit's time, so every commit rendered the whole site again.
    func testACommitTheSameDayKeepsEveryPageKeyButTheFeeds() throws {
        var inputs = Inputs.standard
        inputs.history?.commitTime = Self.sameDayLater
        let comparison = try Self.compare(inputs.site())
        XCTAssertEqual(comparison.stale, [])
        XCTAssertFalse(comparison.changesSomething, "no context changes")
        XCTAssertEqual(comparison.changed, ["feed.xml"])
    }

    /// A commit the next day re-keys the pages that read the date ("now"): archive-wide and group
    /// pages, action item lists. No postmortem page: none shows by how many days an item is
    /// overdue, and no item became overdue (every page used to be keyed by the date).
    func testACommitTheNextDayReKeysOnlyThePagesThatReadTheDate() throws {
        var inputs = Inputs.standard
        inputs.history?.commitTime = Timestamp(seconds: Fixture.commitTime.seconds + 86_400, offsetMinutes: 0)
        let site = try inputs.site()
        let changed = assertDeclaredKeysCover("a commit the next day", try Self.compare(site))
        func listsPostmortems(_ page: (any Page)?) -> Bool {
            guard let part = page as? ListPartPage, case .postmortems = part.rows else { return false }
            return true
        }
        XCTAssertEqual(changed.filter { site.pages[$0] is PostmortemPage || listsPostmortems(site.pages[$0]) }.sorted(), [])
        XCTAssertTrue(site.pages.values.contains { listsPostmortems($0) })
        XCTAssertTrue(changed.contains("actions.html") && changed.contains("index.html"))
        XCTAssertTrue(site.model.views.contains { $0.actionItems.contains { $0.daysOverdue != nil } }, "the fixture has overdue items")
    }

    /// A theme that shows the commit's time (`site.generated_datetime`) gets it, and then every
    /// page whose context changes with the commit changes its key.
    func testAThemeShowingTheCommitTimeIsKeyedByIt() throws {
        let layout = try XCTUnwrap(EmbeddedTheme.files["templates/layout.mustache"])
        XCTAssertFalse(EmbeddedTheme.files.values.contains { $0.contains(Theme.generationTimeName) }, "the built-in theme does not show it")
        var inputs = Inputs.standard
        inputs.themeOverrides = ["templates/layout.mustache": Array(layout.replacingOccurrences(of: "</body>", with: "<!-- {{site.generated_datetime}} --></body>").utf8)]
        let before = try inputs.site()
        XCTAssertTrue(before.theme.readsGenerationTime)
        inputs.history?.commitTime = Self.sameDayLater
        let after = try inputs.site()
        var changedContexts = 0
        for path in after.pages.keys.sorted() where !Self.same(after.context(path), before.context(path)) {
            changedContexts += 1
            XCTAssertNotEqual(after.declared[path], before.declared[path], "\(path): its context shows the commit's time")
        }
        XCTAssertEqual(changedContexts, after.pages.count, "every page shows it")
        let html = try XCTUnwrap(String(bytes: SiteBuilder(archive: after.model.archive, settings: after.model.settings, theme: after.theme)
            .renderPages(where: { $0 == "index.html" })["index.html"] ?? [], encoding: .utf8))
        XCTAssertTrue(html.contains("<!-- 2025-06-01T13:00:00Z -->"), "the theme shows it")
    }

    /// A `root_causes` edit re-keys the pages that can show the document's causes, not every page.
    func testARootCausesEditLeavesUnrelatedPagesAlone() throws {
        var inputs = Inputs.standard
        let before = try Self.base.get()
        inputs.edit(Fixture.paths.second, "root_causes: [cache-stampede]", "root_causes: [missing-alert]")
        let changed = assertDeclaredKeysCover("root_causes edit", try Self.compare(inputs.site()))
        // (Three quarters: one search file per document, all unchanged, used to be most of the
        // pages that kept their key; they are four documents to a file now.)
        XCTAssertLessThan(changed.count, before.declared.count * 3 / 4, "many pages keep their declared key")
        XCTAssertNotNil(before.declared["archive/2020.html"])
        XCTAssertFalse(changed.contains("archive/2020.html"), "a list page whose rows are other incidents")
    }

    /// A postmortem page chooses its earlier incidents and related list among incidents before
    /// it, and declares only those: a services edit of the newest dated incident re-keys its own
    /// page and the page that links to it (the fixture's first incident), and no other postmortem
    /// page (every other one is earlier, or shares nothing). (A `root_causes` edit also re-keys
    /// the pages of causes whose "recurring" mark it flips.)
    func testAnEditOfTheNewestIncidentLeavesEveryOtherPostmortemPageAlone() throws {
        var inputs = Inputs.standard
        inputs.edit(Fixture.paths.second, "services: [search, api]", "services: [search]")
        let site = try inputs.site()
        let changed = assertDeclaredKeysCover("services edit of the newest incident", try Self.compare(site))
        XCTAssertEqual(changed.filter { site.pages[$0] is PostmortemPage }.sorted(),
                       ["postmortems/2025-02-03-price-cache-expiry.html", "postmortems/2025-04-10-search-timeouts.html"])
        // An older incident's edit does re-key the later pages that can list it (checked exact above).
        var older = Inputs.standard
        older.edit(Fixture.paths.third, "root_causes: [config-drift]", "root_causes: [cache-stampede]")
        let later = assertDeclaredKeysCover("root_causes edit of an older incident", try Self.compare(older.site()))
        XCTAssertTrue(later.contains("postmortems/2025-02-03-price-cache-expiry.html"), "a later incident of the new cause")
    }

    /// A new postmortem re-keys no other postmortem page whose body cannot link to it (before,
    /// every body depended on every path: a new incident rendered every postmortem page again,
    /// 10,911 pages at 10,000 postmortems), and does re-key the page whose body links to its file
    /// before it exists (the link then leads to its page instead of the repository).
    func testANewPostmortemReKeysOnlyTheBodiesThatLinkToItsFile() throws {
        var before = Inputs.standard
        before.settings.repoURL = "https://git.example.com/org/incidents"
        let linking = "postmortems/2023/2023-03-03-linking.md"
        before.files[linking] = Fixture.third
            .replacingOccurrences(of: "Web hosts served an old banner", with: "A page that links ahead")
            .replacingOccurrences(of: "2024-11-20", with: "2023-03-03")
            .replacingOccurrences(of: "## Timeline\n", with: "See [the later one](../2025/2025-09-09-queue-lag.md).\n\n## Timeline\n")
        XCTAssertTrue(before.files[linking]!.contains("2025-09-09-queue-lag.md"), "the fixture's Timeline heading was found")
        var after = before
        after.files["postmortems/2025/2025-09-09-queue-lag.md"] = Fixture.third
            .replacingOccurrences(of: "Web hosts served an old banner", with: "Queue lag").replacingOccurrences(of: "2024-11-20", with: "2025-09-09")
        let old = try before.site(), new = try after.site()
        var changed: [String] = []
        for (path, page) in old.pages where page is PostmortemPage {
            guard let key = new.declared[path] else { continue }
            if key != old.declared[path] {
                changed.append(path)
            } else {
                XCTAssertTrue(Self.same(old.context(path), new.context(path)), "\(path) kept its key, so its context is the same")
            }
        }
        // (And the undated draft's: it comes after every dated incident, so its lists may show the new one.)
        XCTAssertEqual(Set(changed), ["postmortems/2023-03-03-linking.html", "postmortems/untitled-draft.html"],
                       "only the page that links to the new file")
        func html(_ site: Site) -> String {
            let path = "postmortems/2023-03-03-linking.html"
            return String(decoding: SiteBuilder.renderPage(site.pages[path]!, context: site.context(path), theme: site.theme), as: UTF8.self)
        }
        XCTAssertTrue(html(old).contains("https://git.example.com/org/incidents/blob/HEAD/postmortems/2025/2025-09-09-queue-lag.md"),
                      "before, the link leads to the repository")
        XCTAssertTrue(html(new).contains("href=\"2025-09-09-queue-lag.html\""), "then to the new page")
    }

    /// A new incident joins one year part of each list it is on: the parts of the other years
    /// keep their keys and contexts (their pagers name the parts, not how many rows each holds).
    func testANewIncidentReKeysOnlyTheYearPartsItJoins() throws {
        let before = Inputs.standard
        var after = before
        let added = "postmortems/extra/2021-12-30-extra-new.md"
        after.files[added] = before.files["postmortems/extra/2021-02-02-extra-1.md"]!
            .replacingOccurrences(of: "Extra incident number 1", with: "A new incident").replacingOccurrences(of: "2021-02-02", with: "2021-12-30")
        let old = try before.site(), new = try after.site()
        let parts = old.pages.values.filter { $0 is ListPartPage }.map(\.path)
        XCTAssertTrue(parts.contains("archive/2020.html") && parts.contains("archive/2021.html"), "the index is split by year: \(parts.sorted())")
        var changed: Set<String> = []
        for path in parts {
            guard let key = new.declared[path] else { continue }
            if key != old.declared[path] {
                changed.insert(path)
            } else {
                XCTAssertTrue(Self.same(old.context(path), new.context(path)), "\(path) kept its key, so its context is the same")
            }
        }
        XCTAssertTrue(changed.contains("archive/2021.html"), "the part it joins shows it")
        XCTAssertEqual(changed.filter { !$0.contains("2021") }, [], "no part of another year")
        XCTAssertLessThan(changed.count, parts.count / 2)
    }

    /// A new incident of a cause that other services' pages list changes those pages only when
    /// it is the cause's first incident outside them ("also elsewhere"), never for a count.
    func testANewIncidentOfACauseReKeysOtherServicePagesOnlyWhenItFirstStrikesElsewhere() throws {
        func adding(_ cause: String) -> Inputs {
            var inputs = Inputs.standard
            inputs.files["postmortems/2025/2025-06-01-web-cause.md"] = Fixture.third
                .replacingOccurrences(of: "Web hosts served an old banner", with: "Web hosts again")
                .replacingOccurrences(of: "2024-11-20", with: "2025-06-01")
                .replacingOccurrences(of: "root_causes: [config-drift]", with: "root_causes: [\(cause)]")
            return inputs
        }
        let old = try Inputs.standard.site()
        // cache-stampede struck twice, both times in api, once in checkout and once in search.
        let again = try adding("cache-stampede").site()
        for path in ["services/search.html", "services/checkout.html"] {
            XCTAssertEqual(again.declared[path], old.declared[path], "\(path): a third incident of a cause it lists, elsewhere")
            XCTAssertTrue(Self.same(old.context(path), again.context(path)), path)
        }
        XCTAssertNotEqual(again.declared["services/api.html"], old.declared["services/api.html"], "its first incident outside api")
        XCTAssertNotEqual(again.declared["services/web.html"], old.declared["services/web.html"], "the service of the new incident")
        // missing-alert struck only in checkout's incident: now it struck elsewhere too.
        let first = try adding("missing-alert").site()
        XCTAssertNotEqual(first.declared["services/checkout.html"], old.declared["services/checkout.html"])
        func html(_ site: Site) -> String {
            String(decoding: SiteBuilder.renderPage(site.pages["services/checkout.html"]!, context: site.context("services/checkout.html"),
                                                    theme: site.theme), as: UTF8.self)
        }
        XCTAssertEqual(html(old).components(separatedBy: "also elsewhere").count - 1, 1, "cache-stampede")
        XCTAssertEqual(html(first).components(separatedBy: "also elsewhere").count - 1, 2, "and missing-alert")
    }

    /// A title edit of an old incident re-keys the postmortem pages that show it (under a cause
    /// or as related), not every later page of its cause, service and tag.
    func testATitleEditOfAnOldIncidentReKeysOnlyThePagesThatShowIt() throws {
        let old = try Inputs.standard.site()
        let oldest = old.model.archive.chronological.first { old.model.archive.postmortems[$0].path.contains("/extra/") }!
        let path = old.model.archive.postmortems[oldest].path
        var edited = Inputs.standard
        edited.edit(path, "Extra incident number", "Renamed extra incident number")
        let new = try edited.site()
        let pages = old.pages.values.filter { $0 is PostmortemPage }.map(\.path)
        let changed = pages.filter { new.declared[$0] != old.declared[$0] }
        let showing = pages.filter { page in
            String(decoding: SiteBuilder.renderPage(new.pages[page]!, context: new.context(page), theme: new.theme), as: UTF8.self)
                .contains("Renamed extra incident number")
        }.filter { $0 != old.model.postmortemURL(oldest) }
        XCTAssertFalse(showing.isEmpty, "some later page shows it")
        XCTAssertEqual(Set(changed), Set(showing + [old.model.postmortemURL(oldest)]), "its own page and the pages that show it")
        XCTAssertGreaterThan(pages.count, 3 * changed.count, "far fewer than the later pages of its groups")
    }

    /// Keys kept from the previous build (``PageInputs/reusedKey(for:model:)``) are exactly the
    /// keys a computation gives, for every page, after every kind of edit: besides the edits
    /// above, edits of old and paged incidents (their causes, dates, deletion), and a new
    /// generator or theme (which keep nothing). The previous state goes through the cache's
    /// encoding, as a build stores it.
    func testKeptKeysEqualComputedKeysAfterEveryKindOfEdit() throws {
        let stored = try Self.storedCache()
        let extra = Inputs.standard.files.keys.filter { $0.contains("/extra/") }.sorted()
        let old = extra[0], paged = extra[extra.count / 2]
        let more: [(String, @Sendable (inout Inputs) -> Void)] = [
            ("old incident's cause", { $0.edit(old, "root_causes: [config-drift]", "root_causes: [missing-alert]") }),
            ("old incident's body", { $0.edit(old, "Afternoon — noticed by support.", "Afternoon — noticed by the on-call.") }),
            ("paged incident's date", { $0.files[paged] = $0.files[paged]!.replacingOccurrences(of: "date: 202", with: "date: 201") }),
            ("paged incident's service", { $0.files[paged] = $0.files[paged]!.replacingOccurrences(of: "services: [web]", with: "services: [web, api]") }),
            ("paged incident deleted", { $0.files[paged] = nil }),
            ("paged incident's owner", { $0.files[paged] = $0.files[paged]!.replacingOccurrences(of: "— @", with: "— @ops") }),
            ("two edits", {
                $0.edit(Fixture.paths.second, "root_causes: [cache-stampede]", "root_causes: [missing-alert]")
                $0.files[old] = $0.files[old]!.replacingOccurrences(of: "tags: [cache]", with: "tags: [cache, web]")
            }),
            ("generator", { $0.generator = "other" }),
            ("theme", { $0.themeOverrides = ["templates/404.mustache": Array("changed".utf8)] }),
            ("a commit the same day", { $0.history?.commitTime = Self.sameDayLater }),
        ]
        let edited = (Self.edits + more).map { name, edit in
            var inputs = Inputs.standard
            edit(&inputs)
            return (name, inputs)
        }
        let results = parallelMap(edited) { name, inputs in
            Result { () throws -> [String] in
                let site = try inputs.site()
                let kept = PageInputs(model: site.model, theme: site.theme, generator: inputs.generator, previous: stored)
                var wrong: [String] = []
                for path in site.pages.keys.sorted() {
                    let page = site.pages[path]!
                    let computed = site.inputs.key(for: page, model: site.model)
                    if kept.key(for: page, model: site.model) != computed { wrong.append("\(name): \(path)") }
                }
                return wrong
            }
        }
        for result in results {
            for wrong in try result.get() { XCTFail("kept key differs from the computed one: \(wrong)") }
        }
        // The fixture does exercise the shortcut: most pages keep their key after a body edit.
        var inputs = Inputs.standard
        inputs.edit(Fixture.paths.first, "Expiry now has jitter.", "Expiry now has jitter and a cap.")
        let site = try inputs.site()
        let kept = PageInputs(model: site.model, theme: site.theme, generator: "test", previous: stored)
        let hashed = site.pages.values.filter { kept.reusedKey(for: $0, model: site.model) == nil }
        XCTAssertEqual(kept.digested, 1, "only the edited document's listing digest is computed")
        // Archive-wide pages, search files and redirects are always hashed (few, and cheap).
        let own = "postmortems/2025-02-03-price-cache-expiry.html"
        for page in hashed where page.path != own {
            XCTAssertFalse(page is PostmortemPage || page is ListPartPage || page is CausePage || page is ServicePage || page is TagPage
                           || page is OwnerPage, "\(page.path) is keyed again after a body edit elsewhere")
        }
        XCTAssertTrue(hashed.contains { $0.path == own })
    }

    /// A `root_causes` edit of the newest incident keys again only the pages that can show it:
    /// its own page, its causes' pages, the lists it is in, the archive-wide pages, and (since the
    /// edit changes cause counts) the service and tag pages; not the other postmortem pages
    /// (but one whose cause link changes), nor the lists it is not in.
    func testARootCausesEditOfTheNewestIncidentKeysFewPagesAgain() throws {
        let stored = try Self.storedCache()
        var inputs = Inputs.standard
        inputs.edit(Fixture.paths.second, "root_causes: [cache-stampede]", "root_causes: [missing-alert]")
        let site = try inputs.site()
        let kept = PageInputs(model: site.model, theme: site.theme, generator: "test", previous: stored)
        let hashed = Set(site.pages.values.filter { kept.reusedKey(for: $0, model: site.model) == nil }.map(\.path))
        // The edit flips whether both causes recur: the one other incident of the old cause shows it.
        XCTAssertEqual(kept.digested, 2)
        XCTAssertEqual(hashed.filter { site.pages[$0] is PostmortemPage }.sorted(),
                       ["postmortems/2025-02-03-price-cache-expiry.html", "postmortems/2025-04-10-search-timeouts.html"])
        XCTAssertFalse(hashed.contains("archive/2020.html"), "a list part of other incidents")
        XCTAssertLessThanOrEqual(hashed.filter { site.pages[$0] is ListPartPage }.count, 3, "only the parts listing the incident")
        XCTAssertLessThan(hashed.filter { !$0.hasPrefix("search/") }.count, site.pages.count / 4)
    }

    /// The unedited site's keys and key state, stored and read back as a build's cache.
    static func storedCache() throws -> BuildCache {
        let base = try Inputs.standard.site()
        var previous = BuildCache(generator: "test")
        for (path, page) in base.pages {
            previous.pages[path] = BuildCache.Entry(key: "k", sha256: "s", size: 1, inputs: base.inputs.key(for: page, model: base.model) ?? "-")
        }
        previous.pageKeys = base.inputs.state
        let stored = try XCTUnwrap(BuildCache.decode(previous.encoded(), generator: "test"))
        XCTAssertEqual(stored, previous, "the key state survives the cache's encoding")
        return stored
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

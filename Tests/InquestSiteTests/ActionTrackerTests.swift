import XCTest
@testable import InquestCore
@testable import InquestSite

/// The action-item tracker: owner, team and service fields, days overdue from the core's
/// reference date, owner pages, tickets linked through `site.ticket_url`.
final class ActionTrackerTests: XCTestCase {
    /// The follow-through index finds every item's history by position, as matching the items'
    /// bytes does, for every action item of the fixture (with history, and an item whose events
    /// are known).
    func testFollowThroughIndexAgreesWithMatchingItemsByTheirBytes() {
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings, searchIndex: false)
        let items = model.followThrough.items
        XCTAssertFalse(model.allActionRefs.isEmpty)
        XCTAssertEqual(items.count, model.allActionRefs.count)
        for ref in model.allActionRefs {
            let bytes = model.actionItem(ref).item.bytes
            let expected = items.indices.first { items[$0].entry.postmortem == ref.postmortem && items[$0].entry.item.bytes == bytes }
            XCTAssertEqual(model.followThroughIndex[ref], expected)
        }
        XCTAssertNil(model.followThroughIndex[ActionRef(postmortem: 0, position: 99)], "no such item")
    }

    /// The tracker's follow-through section, grouped by item position, equals the core's groups
    /// (``FollowThrough/groups(by:)``, ``FollowThrough/byService``, ``FollowThrough/byQuarter``)
    /// value for value, on the fixture with history.
    func testFollowThroughSectionAgreesWithTheCoresGroups() throws {
        // Every item added on a day of its own, done ones ticked some days later; one team.
        var archive = Fixture.archive()
        var history = try XCTUnwrap(archive.history)
        for (number, postmortem) in archive.postmortems.enumerated() where !postmortem.actionItems.isEmpty {
            history.actionItems[postmortem.path] = postmortem.actionItems.enumerated().map { position, item in
                let added = Fixture.commit(String(repeating: "a", count: 40), "Ada Example", 1_730_000_000 + (number * 7 + position) * 86_400, "Add")
                let ticked = Fixture.commit(String(repeating: "b", count: 40), "Bo Example", 1_735_000_000 + position * 86_400, "Tick")
                return ArchiveHistory.ActionItemEvents(added: added, ticked: item.state == .done ? ticked : nil)
            }
        }
        archive.history = history
        var settings = Fixture.settings
        settings.teams = ["@sre"]
        let model = SiteModel(archive: archive, settings: settings, searchIndex: false)
        let followThrough = model.followThrough
        XCTAssertTrue(followThrough.hasHistory)
        XCTAssertTrue(followThrough.items.contains { $0.daysToClose != nil } && followThrough.items.contains { $0.openDays != nil })
        func days(_ value: Int?) -> TemplateValue { value.map { .string(Format.count($0, "day")) } ?? .string("—") }
        func rows(_ groups: [FollowThrough.Group], url: (String) -> String? = { _ in nil }) -> TemplateValue {
            .list(groups.map { group in
                .object(["name": .string(group.key), "url": url(group.key).template ?? .bool(false),
                         "total": .int(group.total), "done": .int(group.done), "open": .int(group.open),
                         "closure": .string("\(group.closurePercent)%"),
                         "close_median": days(group.daysToClose?.median), "close_p90": days(group.daysToClose?.p90),
                         "open_age_median": days(group.openAge?.median), "open_age_p90": days(group.openAge?.p90)])
            })
        }
        let teams = followThrough.groups { item in model.team(ofOwner: item.entry.item.owner).map { [$0] } ?? [] }
        let closed = Distribution(followThrough.items.compactMap(\.daysToClose))
        let expected: TemplateValue = .object([
            "shallow": .bool(followThrough.isShallow),
            "quarters": rows(followThrough.byQuarter.reversed()),
            "teams": rows(teams), "has_teams": .bool(!teams.isEmpty),
            "services": rows(followThrough.byService, url: model.serviceURL), "has_services": .bool(!followThrough.byService.isEmpty),
            "no_ticket_count": .int(followThrough.tickedWithoutTicket.count),
            "closed_count": .int(closed?.count ?? 0), "has_closed": .bool(closed != nil),
            "has_no_ticket": .bool(!followThrough.tickedWithoutTicket.isEmpty),
            "close_median": days(closed?.median), "close_p90": days(closed?.p90),
        ])
        XCTAssertTrue(PageInputsTests.same(model.followThroughValue(), expected))
        XCTAssertFalse(teams.isEmpty, "the fixture has team owners")
    }

    func testTicketsBecomeLinksThroughTheConfiguredTemplate() throws {
        var settings = Fixture.settings
        settings.ticketURL = "https://tracker.example/browse/{ticket}"
        let site = try Fixture.render(settings: settings)
        let actions = site.text("actions.html")
        XCTAssertTrue(actions.contains("<a href=\"https://tracker.example/browse/SHOP-2\">SHOP-2</a>"))
        XCTAssertTrue(actions.contains("<a href=\"https://tickets.example.com/SHOP-3\">"), "a URL ticket stays as written")
        let plain = try Fixture.render().text("actions.html")
        XCTAssertFalse(plain.contains("tracker.example"), "no template, no link")
    }

    func testTrackerRowsShowTheActionWithoutTheFieldsInTheirColumns() throws {
        let site = try Fixture.render()
        let actions = site.text("actions.html")
        XCTAssertTrue(actions.contains("<div class=\"action-text\">Add jitter to cache expiry</div>"))
        XCTAssertTrue(actions.contains("<div class=\"action-text\">Load test cache warm-up</div>"), "a URL ticket is a field too")
        let rows = actions.components(separatedBy: "<div class=\"action-text\">").dropFirst()
        XCTAssertFalse(rows.isEmpty)
        for row in rows {
            let text = row.components(separatedBy: "</div>")[0]
            XCTAssertFalse(text.contains("due:") || text.contains("@platform") || text.contains("@sre"), text)
        }
        // The postmortem page has no columns: its list keeps the whole item.
        XCTAssertTrue(site.files.keys.contains { site.text($0).contains("Add jitter to cache expiry — @platform, SHOP-1, due: 2025-02-10") })
    }

    func testTrailingFieldsAreCutOnlyWhenEveryPartIsAParsedField() {
        func cut(_ text: String, owner: String? = "@sre", ticket: String? = "OPS-7", due: String? = "2025-03-01") -> String {
            String(decoding: InlineMarkdown.trimTrailingFields(Array(text.utf8)[...], owner: owner, ticket: ticket, due: due), as: UTF8.self)
        }
        XCTAssertEqual(cut("Alert on lag — @sre, OPS-7, due: 2025-03-01"), "Alert on lag")
        XCTAssertEqual(cut("Alert on lag – owner: @sre; due: 2025-03-01"), "Alert on lag")
        XCTAssertEqual(cut("Roll back — then page — @sre"), "Roll back — then page", "only the last separator's tail")
        XCTAssertEqual(cut("Alert — [OPS-7](https://t.example/OPS-7)", ticket: "https://t.example/OPS-7"), "Alert")
        XCTAssertEqual(cut("Alert on lag — @sre, see the runbook"), "Alert on lag — @sre, see the runbook", "an unknown part keeps the text whole")
        XCTAssertEqual(cut("Alert on lag — @ops", owner: "@sre"), "Alert on lag — @ops")
        XCTAssertEqual(cut("Alert on lag @sre"), "Alert on lag @sre", "no separator, nothing cut")
        XCTAssertEqual(cut("— @sre"), "— @sre", "never cut to nothing")
        XCTAssertEqual(cut("Alert on lag"), "Alert on lag")
    }

    func testOverdueItemsShowDaysOverdueFromTheReferenceDate() throws {
        let site = try Fixture.render()
        let model = SiteModel(archive: Fixture.archive(), settings: Fixture.settings)
        let now = try XCTUnwrap(model.now)
        let overdue = try XCTUnwrap(model.actionRefs.map(model.actionItem).first { $0.isOverdue })
        let days = now.daysSinceEpoch - overdue.item.due!.daysSinceEpoch
        XCTAssertEqual(overdue.daysOverdue, days)
        XCTAssertTrue(site.text("actions.html").contains(Format.count(days, "day")))
    }

    func testEveryOwnerHasAPageWithTheirItems() throws {
        let site = try Fixture.render()
        let page = site.text("actions/owners/platform.html")
        XCTAssertTrue(page.contains("Add jitter to cache expiry") && page.contains("Load test cache warm-up"))
        XCTAssertFalse(page.contains("Alert on cache hit ratio"), "another owner's item")
        XCTAssertTrue(site.text("actions.html").contains("href=\"actions/owners/platform.html\""))
    }

    func testTeamsComeFromConfiguredAndTeamShapedHandles() {
        var settings = Fixture.settings
        settings.teams = ["@sre"]
        let model = SiteModel(archive: Fixture.archive(), settings: settings)
        XCTAssertEqual(model.team(ofOwner: "@sre"), "@sre")
        XCTAssertEqual(model.team(ofOwner: "@dba-team"), "@dba-team")
        XCTAssertEqual(model.team(ofOwner: "@org/payments"), "@org/payments")
        XCTAssertNil(model.team(ofOwner: "@alice"))
    }

    /// With item events in the history: added and ticked dates on rows, the follow-through tables,
    /// a shallow-clone note, and on the cause page the incident that struck while an item was open.
    func testFollowThroughFromHistoryOnTheTrackerAndCausePages() throws {
        var history = Fixture.history
        let added = Fixture.commit(String(repeating: "a", count: 40), "Ada Example", 1_738_700_000, "Postmortem")
        let ticked = Fixture.commit(String(repeating: "c", count: 40), "Bo Example", 1_740_000_000, "Close the jitter action item")
        history.actionItems[Fixture.paths.first] = [.init(added: added, ticked: ticked), .init(added: added, ticked: nil), .init(added: added, ticked: nil)]
        history.isShallow = true
        let site = try Fixture.render(history: history)
        let actions = site.text("actions.html")
        let days = ticked.time.localDate.daysSinceEpoch - added.time.localDate.daysSinceEpoch
        XCTAssertTrue(actions.contains("closed in \(Format.count(days, "day"))"), "time to close on the row")
        XCTAssertTrue(actions.contains("<h2 id=\"follow-through\">Follow-through</h2>"))
        XCTAssertTrue(actions.contains("2025 Q1"), "per quarter of the incident")
        XCTAssertTrue(actions.contains("This is a shallow clone"))
        XCTAssertFalse(try Fixture.render().text("actions.html").contains("id=\"follow-through\""), "no item history, no section")
        // The search-timeouts incident (April) shares the cache-stampede cause with price-cache
        // expiry (February), whose alert item was still open.
        let cause = site.text("causes/cache-stampede.html")
        XCTAssertTrue(cause.contains("Struck again while an action item was open"), cause)
    }

    func testTrailingFieldsCutOnBytesAsOnStrings() {
        // The byte version takes plain text (ASCII, dashes, curly quotes, ellipsis); the rest,
        // and values outside that set, go to the String version: both give the same cut.
        let pieces = ["Alert on lag", " — ", " – ", " -- ", " - ", "-", "@sre", "OPS-7", "due: 2025-03-01", "Due:\t2025-03-01", "owner: @sre",
                      "OWNER:@sre", ", ", ";", ",", "  ", "\t", "\r\n", "<OPS-7>", "[OPS-7](OPS-7)", "[x](OPS-7)", "“q”", "…", "é", "e\u{301}",
                      " \u{301}", "\u{A0}", "\u{212A}", ";\u{301}", "@SRE", "see the runbook", "—", "x"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let owners: [String?] = ["@sre", nil, "@\u{212A}", "", "@sré"], tickets: [String?] = ["OPS-7", nil, "x"], dues: [String?] = ["2025-03-01", nil]
        var plain = 0
        for _ in 0..<4000 {
            var text = (0..<(1 + next(7))).map { _ in pieces[next(pieces.count)] }.joined()
            if next(2) == 0 {
                // Shaped like a real item: text, a separator, then fields (sometimes with a stray piece).
                let fields = ["@sre", "OPS-7", "due: 2025-03-01", "owner: @sre", "<OPS-7>", pieces[next(pieces.count)]]
                text += [" — ", " – ", " -- ", " - "][next(4)] + (0..<(1 + next(3))).map { _ in fields[next(fields.count)] }.joined(separator: [", ", ";", " , "][next(3)])
            }
            let bytes = Array(text.utf8)[...]
            let owner = owners[next(owners.count)], ticket = tickets[next(tickets.count)], due = dues[next(dues.count)]
            let fast = InlineMarkdown.trimTrailingFields(bytes, owner: owner, ticket: ticket, due: due)
            let reference = InlineMarkdown.trimTrailingFieldsOnText(bytes, owner: owner, ticket: ticket, due: due)
            XCTAssertEqual(Array(fast), Array(reference), "\(text.debugDescription) owner \(owner.debugDescription)")
            if fast.count != bytes.count { plain += 1 }
        }
        XCTAssertGreaterThan(plain, 100, "the samples cut fields")
    }
}

import InquestCore

/// The action-item tracker's facts: who owns what, which team, which service, and the links.
extension SiteModel {
    /// A ticket as a link: an http(s) URL as written, else `site.ticket_url` with `{ticket}`
    /// replaced (percent-encoded); nil when neither applies.
    func ticketURL(_ ticket: String) -> String? {
        if ticket.hasPrefix("http"), HTMLText.isSafeURL(ticket) { return ticket }
        guard let template = settings.ticketURL else { return nil }
        let url = template.replacingOccurrences(of: "{ticket}", with: URLPath.encode(ticket))
        return HTMLText.isSafeURL(url) ? url : nil
    }

    /// The team an owner handle names: a handle listed in `blameless.teams`, or one that reads as
    /// a team (`@dba-team`, `@team-dba`, `@org/dba`); nil for a person's handle.
    func team(ofOwner owner: String?) -> String? {
        guard let owner, !owner.isEmpty else { return nil }
        // Every owner of the archive was judged once when the model was made: the tracker asks
        // for each of its 40,000 items, several times.
        if let known = teamByOwner[owner] { return known }
        return Self.team(ofOwner: owner, teams: settings.teams)
    }

    /// ``team(ofOwner:)``, worked out.
    static func team(ofOwner owner: String, teams: [String]) -> String? {
        guard !owner.isEmpty else { return nil }
        if teams.contains(owner) { return owner }
        let name = owner.hasPrefix("@") ? owner.dropFirst() : Substring(owner)
        if name.contains("/") { return owner }
        let lower = name.lowercased()
        if lower.hasSuffix("-team") || lower.hasPrefix("team-") || lower.hasSuffix("-squad") || lower == "team" { return owner }
        return nil
    }

    func actionItem(_ ref: ActionRef) -> ActionItemView { views[ref.postmortem].actionItems[ref.position] }

    /// Every action item in display order: by incident, oldest first, then position.
    var allActionRefs: [ActionRef] { actionRefs }

    /// An action item as the tracker's table row: the action-item fields plus `team`, `services`,
    /// `days_overdue`, `owner_url` and the sort and filter keys.
    func actionItemRow(_ ref: ActionRef) -> TemplateValue {
        if let known = actionRows.rows.withLock({ $0[ref] }) { return known }
        // Keyed: a page's cache key hashes the row's fingerprint, not the row again.
        let row = TemplateValue.keyed(makeActionItemRow(ref))
        actionRows.rows.withLock { $0[ref] = row }
        return row
    }

    private func makeActionItemRow(_ ref: ActionRef) -> TemplateValue {
        let view = actionItem(ref)
        let postmortem = archive.postmortems[ref.postmortem]
        let team = team(ofOwner: view.item.owner)
        let services = postmortem.services.uniqued().sorted()
        return view.value(in: self, withPostmortem: true).merging([
            // The row shows owner, ticket and due in columns: the action text without them.
            "action_html": .string(view.htmlWithoutFields),
            "team": team.template ?? .bool(false),
            "owner_url": view.item.owner.map { .string(ownerURL($0)) } ?? .bool(false),
            "services": .list(services.map { .object(["name": .string($0), "url": .string(serviceURL($0))]) }),
            "days_overdue": view.daysOverdue.map { .int($0) } ?? .bool(false),
            "days_overdue_label": view.daysOverdue.map { .string(Format.count($0, "day")) } ?? .bool(false),
            "filter_owner": .string(view.item.owner ?? ""),
            "filter_team": .string(team ?? ""),
            "filter_services": .string(services.compactMap { serviceSlugs[$0] }.joined(separator: " ")),
            "sort_due": .string(view.item.due?.description ?? ""),
            "sort_overdue": .int(view.daysOverdue ?? -1),
            "sort_date": .string(postmortem.date?.description ?? ""),
        ]).merging(historyFields(ref))
    }

    /// What git history says about an item: `added`, `ticked` (dates, or false), `days_to_close`,
    /// `open_days`, `written_done`, `done_without_ticket`.
    func historyFields(_ ref: ActionRef) -> TemplateObject {
        guard followThrough.hasHistory, let position = followThroughIndex[ref] else {
            return ["added": false, "ticked": false, "days_to_close": false, "open_days": false, "written_done": false, "done_without_ticket": false]
        }
        let item = followThrough.items[position]
        return [
            "added": item.added.map { .string($0.time.localDate.description) } ?? .bool(false),
            "ticked": item.ticked.map { .string($0.time.localDate.description) } ?? .bool(false),
            "days_to_close": item.daysToClose.map { .string(Format.count($0, "day")) } ?? .bool(false),
            "open_days": item.openDays.map { .string(Format.count($0, "day")) } ?? .bool(false),
            "written_done": .bool(item.ticked != nil && item.daysToClose == nil),
            "done_without_ticket": .bool(item.tickedWithoutTicket),
        ]
    }

    /// The tracker's follow-through section: closure and time to close per quarter, team and
    /// service (false without history).
    func followThroughValue() -> TemplateValue {
        guard followThrough.hasHistory else { return .bool(false) }
        func days(_ value: Int?) -> TemplateValue { value.map { .string(Format.count($0, "day")) } ?? .string("—") }
        // Items are grouped by position, not copied into groups (``FollowThrough/groups(by:)``
        // copies every item, with its commits, into a list per key: most of the tracker's cost),
        // and each document's services and quarter are worked out once for all its items.
        let items = followThrough.items
        var teamOfOwner: [String: String?] = [:]
        func team(_ owner: String?) -> String? {
            guard let owner else { return nil }
            if let known = teamOfOwner[owner] { return known }
            let made = self.team(ofOwner: owner)
            teamOfOwner[owner] = made
            return made
        }
        var servicesOf: [Int: [String]] = [:]
        var quarterOf: [Int: String?] = [:]
        for item in items where servicesOf[item.entry.postmortem] == nil {
            let postmortem = archive.postmortems[item.entry.postmortem]
            servicesOf[item.entry.postmortem] = Array(Set(postmortem.services))
            quarterOf[item.entry.postmortem] = postmortem.date.map { Quarter($0).description }
        }
        struct Tally {
            var total = 0, done = 0
            var close: [Int] = [], open: [Int] = []
        }
        func rows(_ keys: (FollowThrough.Item) -> [String], url: (String) -> String? = { _ in nil }) -> (value: TemplateValue, count: Int) {
            var tallies: [String: Tally] = [:]
            for item in items {
                for key in keys(item) {
                    var tally = tallies[key] ?? Tally()
                    tally.total += 1
                    if item.entry.item.state == .done { tally.done += 1 }
                    if let close = item.daysToClose { tally.close.append(close) }
                    if let open = item.openDays { tally.open.append(open) }
                    tallies[key] = tally
                }
            }
            let value = TemplateValue.list(tallies.keys.sorted().map { key in
                let tally = tallies[key]!
                let close = Distribution(tally.close), open = Distribution(tally.open)
                return .object(["name": .string(key), "url": url(key).template ?? .bool(false),
                                "total": .int(tally.total), "done": .int(tally.done), "open": .int(tally.total - tally.done),
                                "closure": .string("\(tally.total == 0 ? 0 : tally.done * 100 / tally.total)%"),
                                "close_median": days(close?.median), "close_p90": days(close?.p90),
                                "open_age_median": days(open?.median), "open_age_p90": days(open?.p90)])
            })
            return (value, tallies.count)
        }
        let teams = rows { item in team(item.entry.item.owner).map { [$0] } ?? [] }
        let services = rows({ item in servicesOf[item.entry.postmortem] ?? [] }, url: serviceURL)
        let quarters = rows { item in (quarterOf[item.entry.postmortem] ?? nil).map { [$0] } ?? [] }
        let withoutTicket = items.count { $0.tickedWithoutTicket }
        let closed = Distribution(items.compactMap(\.daysToClose))
        let newestQuarterFirst: TemplateValue = if case .list(let rows) = quarters.value { .list(rows.reversed()) } else { quarters.value }
        return .object([
            "shallow": .bool(followThrough.isShallow),
            "quarters": newestQuarterFirst,
            "teams": teams.value, "has_teams": .bool(teams.count > 0),
            "services": services.value, "has_services": .bool(services.count > 0),
            "no_ticket_count": .int(withoutTicket),
            "closed_count": .int(closed?.count ?? 0), "has_closed": .bool(closed != nil),
            "has_no_ticket": .bool(withoutTicket > 0),
            "close_median": days(closed?.median), "close_p90": days(closed?.p90),
        ])
    }

    func ownerURL(_ owner: String) -> String { "actions/owners/\(ownerSlugByName[owner] ?? Slug.make(from: owner)).html" }
}

/// Action-item rows already made for a model: the tracker, its year pages, owner pages and
/// cause and service pages show the same row, built once. Two threads may both make a row
/// the first time; they store the same value.
final class ActionRowMemo: Sendable {
    let rows = Locked<[ActionRef: TemplateValue]>([:])
}

/// Where each action item's follow-through facts are in ``FollowThrough/items``, by
/// ``ActionRef``. The items are every document's action items in chronological order, as
/// ``SiteModel/actionRefs`` are: an item's index is its document's first index plus its
/// position, checked once per item here instead of hashing 50,000 refs into a dictionary.
struct FollowThroughIndex: Sendable {
    /// Index of each document's first item (-1: none), and how many it has there.
    private var first: [Int] = []
    private var counts: [Int] = []
    /// Items matched by their bytes, as a dictionary, when the lists are not in that order
    /// (they always are; kept so that a surprise costs time, never a wrong row).
    private var matched: [ActionRef: Int]?

    init() {}

    init(_ followThrough: FollowThrough, archive: Archive, refs: [ActionRef], views: [PostmortemView]) {
        let items = followThrough.items
        var first = [Int](repeating: -1, count: archive.postmortems.count)
        var counts = [Int](repeating: 0, count: archive.postmortems.count)
        var aligned = items.count == refs.count
        if aligned {
            for (index, ref) in refs.enumerated() {
                let item = items[index].entry
                guard item.postmortem == ref.postmortem, item.item.bytes == views[ref.postmortem].actionItems[ref.position].item.bytes,
                      first[ref.postmortem] == -1 ? ref.position == 0 : first[ref.postmortem] + ref.position == index else {
                    aligned = false
                    break
                }
                if first[ref.postmortem] == -1 { first[ref.postmortem] = index }
                counts[ref.postmortem] += 1
            }
        }
        if aligned {
            self.first = first
            self.counts = counts
            return
        }
        var positions: [Int: [Range<Int>: Int]] = [:]
        for (index, item) in items.enumerated() { positions[item.entry.postmortem, default: [:]][item.entry.item.bytes] = index }
        var matched: [ActionRef: Int] = [:]
        for ref in refs {
            if let found = positions[ref.postmortem]?[views[ref.postmortem].actionItems[ref.position].item.bytes] { matched[ref] = found }
        }
        self.matched = matched
    }

    subscript(ref: ActionRef) -> Int? {
        if let matched { return matched[ref] }
        guard first.indices.contains(ref.postmortem), first[ref.postmortem] >= 0, ref.position >= 0, ref.position < counts[ref.postmortem] else {
            return nil
        }
        return first[ref.postmortem] + ref.position
    }
}

import InquestCore

/// `actions.html`: the action-item tracker. Overdue items (most days overdue first), open and
/// done items, each as a table with owner, team, services, ticket, due date and days overdue;
/// owners and services with their counts. Long lists continue on year pages
/// (`actions/overdue/2024.html` …) and every owner has a page (`actions/owners/SLUG.html`).
/// "Now" is the commit time or SOURCE_DATE_EPOCH (``Archive/referenceDate(history:environment:)``),
/// never the clock.
struct ActionItemsPage: Page {
    let path = "actions.html"
    let template = "actions"
    var title: String { "Action items" }
    var section: String? { "actions" }

    /// Overdue, open-not-overdue and done items. Overdue ones by days overdue (most first), the
    /// others newest incident first.
    static func groups(_ site: SiteModel, _ refs: [ActionRef]) -> (overdue: [ActionRef], open: [ActionRef], done: [ActionRef]) {
        let newestFirst = refs.reversed()
        let overdue = newestFirst.filter { site.actionItem($0).isOverdue }
            .sorted { (site.actionItem($0).daysOverdue ?? 0) > (site.actionItem($1).daysOverdue ?? 0) }
        let open = newestFirst.filter { site.actionItem($0).item.state == .open && !site.actionItem($0).isOverdue }
        let done = newestFirst.filter { site.actionItem($0).item.state == .done }
        return (overdue, open, done)
    }

    /// The three groups as template values, with year pages under `folder`.
    static func groupValues(_ site: SiteModel, refs: [ActionRef], page: String, folder: String, label: String) -> [TemplateValue] {
        let (overdue, open, done) = groups(site, refs)
        func group(_ key: String, _ label: String, _ list: [ActionRef], collapsed: Bool = false) -> TemplateValue {
            site.pagedActionItems(list, page: page, folder: folder + "/" + key, label: label).merging([
                "key": .string(key), "label": .string(label), "label_lower": .string(label.lowercased()), "collapsed": .bool(collapsed),
            ])
        }
        return [group("overdue", "Overdue", overdue), group("open", "Open, not overdue", open), group("done", "Done", done, collapsed: true)]
    }

    static func groupParts(_ site: SiteModel, refs: [ActionRef], page: String, folder: String, label: String) -> [ListPartPage] {
        let (overdue, open, done) = groups(site, refs)
        return site.actionItemParts(overdue, page: page, folder: folder + "/overdue", label: label + " — overdue", section: "actions", lede: "Overdue action items")
            + site.actionItemParts(open, page: page, folder: folder + "/open", label: label + " — open", section: "actions", lede: "Open action items (not overdue)")
            + site.actionItemParts(done, page: page, folder: folder + "/done", label: label + " — done", section: "actions", lede: "Done action items")
    }

    /// Open, overdue and done counts per key (owner, team, service), most open first.
    static func tally(_ site: SiteModel, _ refs: [ActionRef], keys: (ActionRef) -> [String], url: (String) -> String?) -> [TemplateValue] {
        var counts: [String: (open: Int, overdue: Int, done: Int)] = [:]
        for ref in refs {
            let view = site.actionItem(ref)
            for key in keys(ref) {
                var entry = counts[key] ?? (0, 0, 0)
                if view.item.state == .done { entry.done += 1 } else { entry.open += 1 }
                if view.isOverdue { entry.overdue += 1 }
                counts[key] = entry
            }
        }
        return counts.sorted { ($1.value.open, $1.value.overdue, $0.key) < ($0.value.open, $0.value.overdue, $1.key) }.map { key, value in
            .object(["name": .string(key), "url": url(key).template ?? .bool(false), "open": .int(value.open), "overdue": .int(value.overdue),
                     "done": .int(value.done), "total": .int(value.open + value.done)])
        }
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let refs = site.allActionRefs
        let items = refs.map(site.actionItem)
        let overdue = items.count(where: \.isOverdue)
        let done = items.count { $0.item.state == .done }
        let owners = Self.tally(site, refs, keys: { site.actionItem($0).item.owner.map { [$0] } ?? [] }, url: site.ownerURL)
        let teams = Self.tally(site, refs, keys: { site.team(ofOwner: site.actionItem($0).item.owner).map { [$0] } ?? [] }, url: { _ in nil })
        let services = Self.tally(site, refs, keys: { site.archive.postmortems[$0.postmortem].services.uniqued() }, url: site.serviceURL)
        let unowned = items.count { $0.item.owner == nil && $0.item.state == .open }
        return .object([
            "now": site.now.map { .string($0.description) } ?? .bool(false),
            "total": .int(items.count),
            "overdue_count": .int(overdue),
            "has_overdue": .bool(overdue > 0),
            "open_count": .int(items.count - done),
            "done_count": .int(done),
            "unowned_open_count": .int(unowned),
            "owners": .list(owners), "has_owners": .bool(!owners.isEmpty),
            "teams": .list(teams), "has_teams": .bool(!teams.isEmpty),
            "services": .list(services), "has_services": .bool(!services.isEmpty),
            "filters": Self.filters(site, refs),
            "groups": .list(Self.groupValues(site, refs: refs, page: path, folder: "actions", label: title)),
            "follow_through": site.followThroughValue(),
            "no_ticket": site.followThrough.hasHistory
                ? site.pagedActionItems(Self.noTicket(site), page: path, folder: "actions/no-ticket", label: "Done without a ticket") : .bool(false),
        ])
    }

    /// Options of the tracker's filter selects (owner, team, service, state), for site.js.
    static func filters(_ site: SiteModel, _ refs: [ActionRef]) -> TemplateValue {
        let option = { (value: String, label: String) -> TemplateValue in .object(["value": .string(value), "label": .string(label)]) }
        let owners = Set(refs.compactMap { site.actionItem($0).item.owner }).sorted()
        let teams = Set(refs.compactMap { site.team(ofOwner: site.actionItem($0).item.owner) }).sorted()
        let services = Set(refs.flatMap { site.archive.postmortems[$0.postmortem].services }).sorted()
        return .object([
            "owners": .list(owners.map { option($0, $0) }),
            "teams": .list(teams.map { option($0, $0) }),
            "services": .list(services.map { option(site.serviceSlugs[$0] ?? $0, $0) }),
            "states": .list([option("overdue", "Overdue"), option("open", "Open"), option("done", "Done")]),
        ])
    }

    /// Done items without a ticket (newest incident first), known from history.
    static func noTicket(_ site: SiteModel) -> [ActionRef] {
        site.allActionRefs.reversed().filter { ref in site.followThroughIndex[ref].map { site.followThrough.items[$0].tickedWithoutTicket } ?? false }
    }

    static func parts(_ site: SiteModel) -> [ListPartPage] {
        groupParts(site, refs: site.allActionRefs, page: "actions.html", folder: "actions", label: "Action items")
            + (site.followThrough.hasHistory ? site.actionItemParts(noTicket(site), page: "actions.html", folder: "actions/no-ticket",
                                                                   label: "Done without a ticket", section: "actions", lede: "Action items done without a ticket") : [])
    }
}

/// `actions/owners/SLUG.html`: one owner's action items (overdue, open, done), with their team.
struct OwnerPage: Page {
    let owner: String
    let path: String
    let title: String
    let template = "owner"
    var section: String? { "actions" }

    init(owner: String, site: SiteModel) {
        self.owner = owner
        path = site.ownerURL(owner)
        title = "Action items: \(owner)"
    }

    static func all(_ site: SiteModel) -> [OwnerPage] {
        site.ownerSlugByName.keys.sorted().map { OwnerPage(owner: $0, site: site) }
    }

    func refs(_ site: SiteModel) -> [ActionRef] { site.actionRefsByOwner[owner] ?? [] }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let refs = refs(site)
        let items = refs.map(site.actionItem)
        let overdue = items.count(where: \.isOverdue)
        let done = items.count { $0.item.state == .done }
        return .object([
            "owner": .string(owner),
            "team": site.team(ofOwner: owner).template ?? .bool(false),
            "total": .int(items.count), "open_count": .int(items.count - done), "overdue_count": .int(overdue), "done_count": .int(done),
            "has_overdue": .bool(overdue > 0),
            "now": site.now.map { .string($0.description) } ?? .bool(false),
            "groups": .list(ActionItemsPage.groupValues(site, refs: refs, page: path, folder: SiteModel.partsFolder(of: path), label: title)),
        ])
    }

    func parts(_ site: SiteModel) -> [ListPartPage] {
        ActionItemsPage.groupParts(site, refs: refs(site), page: path, folder: SiteModel.partsFolder(of: path), label: title)
    }
}

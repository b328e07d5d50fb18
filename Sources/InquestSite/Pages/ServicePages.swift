import InquestCore

/// `services/index.html`: every service with its incident count.
struct ServicesPage: Page {
    let path = "services/index.html"
    let template = "services"
    var title: String { "Services" }
    var section: String? { "services" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        .object(["services": .list(site.archive.byService.keys.sorted().map { groupSummary(site, indexes: site.archive.byService[$0] ?? [], name: $0, url: site.serviceURL($0)) })])
    }
}

/// `services/NAME.html`: a service's postmortems, the causes behind them and open action items.
struct ServicePage: Page {
    let service: String
    let path: String
    let title: String
    let template = "service"
    var section: String? { "services" }

    init(service: String, site: SiteModel) {
        self.service = service
        path = site.serviceURL(service)
        title = service
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let indexes = site.archive.byService[service] ?? []
        let folder = String(SiteModel.partsFolder(of: path).split(separator: "/").last ?? "")
        let paged = indexes.count > Paging.size
        // The reliability view: incidents per quarter, severity mix, time to resolve; the
        // group adds the top causes and open action items.
        let reliability: TemplateValue = .object([
            "per_quarter": site.perQuarter(indexes, page: path),
            "severity_mix": site.severityMixByYear(indexes, title: service) { paged ? "\(folder)/\($0).html" : "#incidents" },
            "resolve": site.resolveDistribution(indexes, title: service),
        ])
        return .object(["service": groupDetails(site, indexes: indexes, name: service, url: path)
            .merging(["index_url": "services/index.html", "index_label": "Services", "reliability": reliability])])
    }

    static func parts(_ site: SiteModel) -> [ListPartPage] {
        site.archive.byService.keys.sorted().flatMap { name in
            groupParts(site, indexes: site.archive.byService[name] ?? [], name: name, url: site.serviceURL(name), section: "services")
        }
    }
}

/// `tags/index.html`: every tag with its incident count.
struct TagsPage: Page {
    let path = "tags/index.html"
    let template = "tags"
    var title: String { "Tags" }
    var section: String? { "tags" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        .object(["tags": .list(site.archive.byTag.keys.sorted().map { groupSummary(site, indexes: site.archive.byTag[$0] ?? [], name: $0, url: site.tagURL($0)) })])
    }
}

/// `tags/NAME.html`: the postmortems with a tag.
struct TagPage: Page {
    let tag: String
    let path: String
    let title: String
    let template = "tag"
    var section: String? { "tags" }

    init(tag: String, site: SiteModel) {
        self.tag = tag
        path = site.tagURL(tag)
        title = tag
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        .object(["tag": groupDetails(site, indexes: site.archive.byTag[tag] ?? [], name: tag, url: path)
            .merging(["index_url": "tags/index.html", "index_label": "Tags"])])
    }

    static func parts(_ site: SiteModel) -> [ListPartPage] {
        site.archive.byTag.keys.sorted().flatMap { name in
            groupParts(site, indexes: site.archive.byTag[name] ?? [], name: name, url: site.tagURL(name), section: "tags")
        }
    }
}

/// A service or tag in a list: name, link, how many incidents, the latest one.
private func groupSummary(_ site: SiteModel, indexes: [Int], name: String, url: String) -> TemplateValue {
    let latest = site.newestFirst(indexes).first
    let severities = Dictionary(grouping: indexes.compactMap { site.archive.postmortems[$0].severity }, by: { $0 })
    return .object([
        "name": .string(name), "url": .string(url), "count": .int(indexes.count),
        "count_label": .string(Format.count(indexes.count, "incident")),
        "latest": latest.map { site.summary($0) } ?? .bool(false),
        "severities": .list(severities.keys.sorted { (site.severities.firstIndex(of: $0) ?? 99, $0) < (site.severities.firstIndex(of: $1) ?? 99, $1) }.map {
            .object(["severity": .string($0), "severity_class": .string(site.severityClass($0)), "count": .int(severities[$0]!.count)])
        }),
    ])
}

extension SiteModel {
    /// Whether a cause that struck `here` times in a group struck outside it too.
    func struckElsewhere(_ cause: String, here: Int) -> Bool { (recurrenceByCause[cause]?.count ?? 0) > here }

    /// A service's or tag's causes, each with how many of its incidents it struck (most first).
    func causeTally(_ indexes: [Int]) -> [(id: String, count: Int)] {
        Dictionary(grouping: indexes.flatMap { archive.postmortems[$0].allCauses.uniqued() }, by: { $0 })
            .map { (id: $0.key, count: $0.value.count) }
            .sorted { ($1.count, $0.id) < ($0.count, $1.id) }
    }
}

/// A service or tag page: its newest postmortems (every one on the year pages), the causes
/// behind them, open action items.
private func groupDetails(_ site: SiteModel, indexes: [Int], name: String, url: String) -> TemplateValue {
    let causes = site.causeTally(indexes)
    let open = openItems(site, indexes)
    var fields: TemplateObject = [
        // How often each cause struck in the whole archive is on its own page: shown here, it
        // changed every service and tag page of a common cause at each new incident.
        "causes": .list(causes.map { cause in
            site.causeLink(cause.id).merging(["here": .int(cause.count), "elsewhere": .bool(site.struckElsewhere(cause.id, here: cause.count))])
        }),
        "has_causes": .bool(!causes.isEmpty),
        "open_list": site.pagedActionItems(open, page: url, folder: SiteModel.partsFolder(of: url) + "/open", label: name),
        "has_open_action_items": .bool(!open.isEmpty),
    ]
    for (key, value) in site.pagedPostmortems(indexes, page: url, label: name) { fields[key] = value }
    return groupSummary(site, indexes: indexes, name: name, url: url).merging(fields)
}

/// Open action items of a group's incidents, newest incident first.
private func openItems(_ site: SiteModel, _ indexes: [Int]) -> [ActionRef] {
    // By position: no copy of each item's view (a service's list reads every item of its incidents).
    var out: [ActionRef] = []
    for index in indexes.reversed() {
        let items = site.views[index].actionItems
        for position in items.indices where items[position].item.state == .open { out.append(ActionRef(postmortem: index, position: position)) }
    }
    return out
}

private func groupParts(_ site: SiteModel, indexes: [Int], name: String, url: String, section: String) -> [ListPartPage] {
    site.postmortemParts(indexes, page: url, label: name, section: section, lede: "Incidents")
        + site.actionItemParts(openItems(site, indexes), page: url, folder: SiteModel.partsFolder(of: url) + "/open",
                               label: name + " — open action items", section: section, lede: "Open action items")
}

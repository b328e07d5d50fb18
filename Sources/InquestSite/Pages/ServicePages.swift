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
        .object(["service": groupDetails(site, indexes: site.archive.byService[service] ?? [], name: service, url: path)
            .merging(["index_url": "services/index.html", "index_label": "Services"])])
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

/// A service or tag page: its postmortems newest first, the causes behind them, open action items.
private func groupDetails(_ site: SiteModel, indexes: [Int], name: String, url: String) -> TemplateValue {
    let causes = Dictionary(grouping: indexes.flatMap { site.archive.postmortems[$0].allCauses.uniqued() }, by: { $0 })
        .map { (id: $0.key, count: $0.value.count) }
        .sorted { ($1.count, $0.id) < ($0.count, $1.id) }
    let open = indexes.flatMap { site.views[$0].actionItems }.filter { $0.item.state == .open }
    return groupSummary(site, indexes: indexes, name: name, url: url).merging([
        "postmortems": site.summaries(site.newestFirst(indexes)),
        "causes": .list(causes.map { site.causeRef($0.id).merging(["here": .int($0.count)]) }),
        "has_causes": .bool(!causes.isEmpty),
        "open_list": .object(["items": .list(open.map { $0.value(in: site, withPostmortem: true) })]),
        "has_open_action_items": .bool(!open.isEmpty),
    ])
}

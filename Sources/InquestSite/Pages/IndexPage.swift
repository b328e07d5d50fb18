import InquestCore

/// `index.html`: the newest postmortems with filters and sorting added by site.js, and links to
/// every year's page (`archive/YEAR.html`) when the archive is longer than a page.
struct IndexPage: Page {
    let path = "index.html"
    let template = "index"
    var title: String { "All postmortems" }
    var section: String? { "index" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let archive = site.archive
        let years = Set(archive.postmortems.compactMap { $0.date?.year }).sorted(by: >)
        let statuses = Postmortem.Status.allCases.filter { status in archive.postmortems.contains { $0.status == status } }
        let presentSeverities = Set(archive.postmortems.compactMap(\.severity))
        let severities = site.severities.filter(presentSeverities.contains) + presentSeverities.subtracting(site.severities).sorted()
        let causes = site.recurrence.filter { $0.count > 0 }.map(\.cause).sorted { site.causeTitle($0) < site.causeTitle($1) }
        let openItems = site.views.reduce(0) { $0 + $1.actionItems.count { $0.item.state == .open } }
        let overdueItems = site.views.reduce(0) { $0 + $1.actionItems.count { $0.isOverdue } }
        let dates = archive.postmortems.compactMap(\.date).sorted()
        let option = { (value: String, label: String) -> TemplateValue in .object(["value": .string(value), "label": .string(label)]) }
        var fields: TemplateObject = [
            "count": .int(archive.postmortems.count),
            "count_label": .string(Format.count(archive.postmortems.count, "postmortem")),
            "first_year": dates.first.map { .string(String($0.year)) } ?? .bool(false),
            "last_year": dates.last.map { .string(String($0.year)) } ?? .bool(false),
            "open_action_items": .int(openItems),
            "overdue_action_items": .int(overdueItems),
            "has_overdue": .bool(overdueItems > 0),
            "top_cause": site.recurrence.first(where: { $0.count > 1 }).map { site.causeRef($0.cause) } ?? .bool(false),
            "filters": .object([
                "severities": .list(severities.map { option($0, $0) }),
                "services": .list(archive.byService.keys.sorted().map { option(site.serviceSlugs[$0] ?? $0, $0) }),
                "causes": .list(causes.map { option(site.causeSlugs[$0] ?? $0, site.causeTitle($0)) }),
                "years": .list(years.map { option(String($0), String($0)) }),
                "statuses": .list(statuses.map { option($0.rawValue, PostmortemView.statusLabel($0)) }),
            ]),
        ]
        for (key, value) in site.pagedPostmortems(archive.chronological, page: path, folder: Self.folder, label: title) { fields[key] = value }
        return .object(fields)
    }

    /// Where the index's year pages live (`archive/2024.html`).
    static let folder = "archive"

    static func parts(_ site: SiteModel) -> [ListPartPage] {
        site.postmortemParts(site.archive.chronological, page: "index.html", folder: folder, label: "All postmortems", section: "index",
                             lede: "Postmortems of incidents")
    }
}

import InquestCore

/// `actions.html`: action items across the archive: overdue, open and done. "Now" is the commit
/// time or SOURCE_DATE_EPOCH (``Archive/referenceDate(history:environment:)``), never the clock.
struct ActionItemsPage: Page {
    let path = "actions.html"
    let template = "actions"
    var title: String { "Action items" }
    var section: String? { "actions" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        // Newest incident first: recent commitments are the ones people look for.
        let items = site.newestFirst.flatMap { site.views[$0].actionItems }
        let overdue = items.filter(\.isOverdue)
        let open = items.filter { $0.item.state == .open && !$0.isOverdue }
        let done = items.filter { $0.item.state == .done }
        func group(_ key: String, _ label: String, _ list: [ActionItemView], collapsed: Bool = false) -> TemplateValue {
            .object(["key": .string(key), "label": .string(label), "label_lower": .string(label.lowercased()),
                     "count": .int(list.count), "has_items": .bool(!list.isEmpty), "collapsed": .bool(collapsed),
                     "items": .list(list.map { $0.value(in: site, withPostmortem: true) })])
        }
        return .object([
            "now": site.now.map { .string($0.description) } ?? .bool(false),
            "total": .int(items.count),
            "overdue_count": .int(overdue.count),
            "has_overdue": .bool(!overdue.isEmpty),
            "open_count": .int(open.count + overdue.count),
            "done_count": .int(done.count),
            "groups": .list([group("overdue", "Overdue", overdue), group("open", "Open, not overdue", open), group("done", "Done", done, collapsed: true)]),
        ])
    }
}

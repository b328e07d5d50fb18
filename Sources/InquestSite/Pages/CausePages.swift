import InquestCore

extension SiteModel {
    /// Quarters from the archive's first incident to its last: the x axis of every cause's and
    /// service's chart, so they compare at a glance (and a range never names a quarter with no
    /// incident yet).
    var quarters: [(year: Int, quarter: Int)] {
        let dates = archive.postmortems.compactMap(\.date)
        guard var first = dates.min(), let last = dates.max() else { return [] }
        if last.year - first.year > 50 { first = CalendarDate(year: last.year - 50, month: 1, day: 1)! }
        var out: [(Int, Int)] = []
        for year in first.year...last.year {
            for quarter in 1...4 {
                if year == first.year, quarter < (first.month + 2) / 3 { continue }
                if year == last.year, quarter > (last.month + 2) / 3 { continue }
                out.append((year, quarter))
            }
        }
        return out
    }

    /// Incidents per quarter of `indexes`, on the archive's quarters.
    func quarterCounts(_ indexes: [Int]) -> [Int] {
        let quarters = self.quarters
        guard let first = quarters.first else { return [] }
        var counts = Array(repeating: 0, count: quarters.count)
        for index in indexes {
            guard let date = archive.postmortems[index].date else { continue }
            let slot = (date.year - first.year) * 4 + (date.month + 2) / 3 - first.quarter
            if counts.indices.contains(slot) { counts[slot] += 1 }
        }
        return counts
    }

    /// A list's incidents over time: counts per quarter, a sparkline (on `scaleMax` when cards are
    /// compared), a bar chart whose bars link to the year pages of the list on `page` (or its
    /// incidents section), and the text alternative.
    func perQuarter(_ indexes: [Int], page: String, scaleMax: Int? = nil) -> TemplateValue {
        let quarters = self.quarters
        let counts = quarterCounts(indexes)
        guard let first = quarters.first, let last = quarters.last else { return .object(TemplateObject()) }
        let periods = zip(quarters, counts).filter { $0.1 > 0 }.map { "\($0.0.year) Q\($0.0.quarter): \($0.1)" }
        let label = "Incidents per quarter, \(first.year) Q\(first.quarter) to \(last.year) Q\(last.quarter)"
            + (periods.isEmpty ? ": none" : ": " + periods.joined(separator: ", "))
        let paged = indexes.count > Paging.size
        let folder = String(SiteModel.partsFolder(of: page).split(separator: "/").last ?? "")
        // Links are relative to the page the chart is on (a list page one folder deep).
        let link: (Int) -> String? = { slot in paged ? "\(folder)/\(quarters[slot].year).html" : "#incidents" }
        return .object([
            "svg": .string(Charts.sparkline(counts: counts, label: label, scaleMax: scaleMax)),
            "chart": .string(Charts.quarterBars(counts: counts, quarters: quarters, label: label, link: link)),
            "label": .string(label),
            "rows": .list(zip(quarters, counts).filter { $0.1 > 0 }.map { .object(["label": .string("\($0.0.year) Q\($0.0.quarter)"), "count": .int($0.1)]) }),
            "from": .string("\(first.year) Q\(first.quarter)"),
            "to": .string("\(last.year) Q\(last.quarter)"),
        ])
    }

    /// A cause's occurrences over time (``perQuarter(_:page:scaleMax:)``).
    func occurrences(of cause: String, scaleMax: Int? = nil) -> TemplateValue {
        perQuarter(recurrenceByCause[cause]?.occurrences ?? [], page: causeURL(cause), scaleMax: scaleMax)
    }

    /// Everything a causes list shows about one cause.
    func causeDetails(_ cause: String, scaleMax: Int? = nil) -> TemplateValue {
        let recurrence = recurrenceByCause[cause]
        let entry = archive.catalogue?.entry(cause)
        // Open items of the cause's incidents, each incident once (not a pass over every view per cause).
        var openCount = 0
        for index in Set(recurrence?.occurrences ?? []) {
            let items = views[index].actionItems
            for position in items.indices where items[position].item.state == .open { openCount += 1 }
        }
        return causeRef(cause).merging([
            "description": .string(entry?.description ?? ""),
            "category": entry?.category.template ?? .bool(false),
            "aliases": .list((entry?.aliases ?? []).map { .string($0) }),
            "has_aliases": .bool(!(entry?.aliases ?? []).isEmpty),
            "in_catalogue": .bool(entry != nil),
            "first": recurrence?.first.map { .string($0.description) } ?? .bool(false),
            "last": recurrence?.last.map { .string($0.description) } ?? .bool(false),
            "never": .bool((recurrence?.count ?? 0) == 0),
            "once": .bool(recurrence?.count == 1),
            "open_action_items_count": .int(openCount),
            "has_open_action_items": .bool(openCount > 0),
            "occurrences": self.occurrences(of: cause, scaleMax: scaleMax),
        ])
    }
}

/// `causes/index.html`: every cause, the most recurrent first.
struct CausesPage: Page {
    let path = "causes/index.html"
    let template = "causes"
    var title: String { "Causes" }
    var section: String? { "causes" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        // One scale for every card's sparkline, so cards compare at a glance.
        let shared = site.recurrence.map { site.quarterCounts($0.occurrences).max() ?? 0 }.max() ?? 0
        let causes = site.recurrence.map { site.causeDetails($0.cause, scaleMax: max(1, shared)) }
        let recurring = site.recurrence.count { $0.count > 1 }
        return .object([
            "causes": .list(causes),
            "count": .int(causes.count),
            "recurring_count": .int(recurring),
            "quarters_from": site.quarters.first.map { .string("\($0.year) Q\($0.quarter)") } ?? .bool(false),
            "quarters_to": site.quarters.last.map { .string("\($0.year) Q\($0.quarter)") } ?? .bool(false),
        ])
    }
}

/// `causes/ID.html`: a cause's description, occurrences over time, incidents and open action items.
struct CausePage: Page {
    let cause: String
    let path: String
    let title: String
    let template = "cause"
    var section: String? { "causes" }

    init(cause: String, site: SiteModel) {
        self.cause = cause
        path = site.causeURL(cause)
        title = site.causeTitle(cause)
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let occurrences = site.recurrenceByCause[cause]?.occurrences ?? []
        let (open, done) = Self.items(site, occurrences)
        let folder = SiteModel.partsFolder(of: path)
        let services = Dictionary(grouping: occurrences.flatMap { site.archive.postmortems[$0].services.uniqued() }, by: { $0 })
            .map { (name: $0.key, count: $0.value.count) }
            .sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        var fields: TemplateObject = [
            "open_list": site.pagedActionItems(open, page: path, folder: folder + "/open", label: title),
            // Done items are the history, folded on the page: the newest 25, the rest on year pages.
            "done_list": site.pagedActionItems(done, page: path, folder: folder + "/done", label: title, limit: 25),
            "has_done_action_items": .bool(!done.isEmpty),
            "done_count": .int(done.count),
            "services": .list(services.map { .object(["name": .string($0.name), "url": .string(site.serviceURL($0.name)), "count": .int($0.count)]) }),
            "has_services": .bool(!services.isEmpty),
        ]
        // Incidents that struck while an earlier incident's action item for this cause was open
        // (history says when items were ticked; without it, open means open today). Newest first.
        let recurrences = site.followThrough.recurrencesWhileOpen(cause: cause).reversed()
        let shown = recurrences.prefix(Paging.size)
        fields["recurred_while_open"] = .list(shown.map { recurrence in
            site.summary(recurrence.postmortem).merging([
                "earlier": site.summaries(Array(recurrence.earlier.prefix(3))),
                "earlier_more": .int(max(0, recurrence.earlier.count - 3)), "has_earlier_more": .bool(recurrence.earlier.count > 3),
                "open_items": .string(Format.count(recurrence.openItems, "open action item")),
            ])
        })
        fields["recurred_while_open_count"] = .int(recurrences.count)
        fields["has_recurred_while_open"] = .bool(!recurrences.isEmpty)
        fields["recurred_while_open_more"] = .bool(recurrences.count > shown.count)
        fields["follow_through_history"] = .bool(site.followThrough.hasHistory)
        fields["follow_through_shallow"] = .bool(site.followThrough.isShallow)
        for (key, value) in site.pagedPostmortems(occurrences, page: path, label: title) { fields[key] = value }
        return .object(["cause": site.causeDetails(cause).merging(fields)])
    }

    /// The cause's action items, newest incident first: open ones, then done ones.
    static func items(_ site: SiteModel, _ occurrences: [Int]) -> (open: [ActionRef], done: [ActionRef]) {
        var open: [ActionRef] = [], done: [ActionRef] = []
        for index in occurrences.reversed() {
            let items = site.views[index].actionItems
            for position in items.indices {
                let ref = ActionRef(postmortem: index, position: position)
                if items[position].item.state == .open { open.append(ref) } else { done.append(ref) }
            }
        }
        return (open, done)
    }

    /// Year pages of the cause's incidents and of its open and done action items.
    static func parts(_ site: SiteModel) -> [ListPartPage] {
        site.recurrence.flatMap { recurrence -> [ListPartPage] in
            let page = site.causeURL(recurrence.cause)
            let title = site.causeTitle(recurrence.cause)
            let folder = SiteModel.partsFolder(of: page)
            let (open, done) = items(site, recurrence.occurrences)
            return site.postmortemParts(recurrence.occurrences, page: page, label: title, section: "causes", lede: "Incidents with this cause")
                + site.actionItemParts(open, page: page, folder: folder + "/open", label: title + " — open action items", section: "causes",
                                       lede: "Open action items")
                + site.actionItemParts(done, page: page, folder: folder + "/done", label: title + " — done action items", section: "causes",
                                       lede: "Done action items")
        }
    }
}

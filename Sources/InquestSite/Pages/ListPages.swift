import InquestCore

/// Long lists on list pages (the index, a cause, a service, a tag, an owner, the tracker): the
/// landing page shows the newest ``Paging/size`` rows and a pager; every row is also on a part
/// page of its year (``Paging``), so nothing is lost without JavaScript and no page grows with
/// the archive.
extension SiteModel {
    /// `causes/dns.html` → `causes/dns`: the folder of a page's parts.
    static func partsFolder(of page: String) -> String { page.hasSuffix(".html") ? String(page.dropLast(5)) : page }

    func year(of index: Int) -> Int? { incidentYears[index] }

    /// Landing-page fields for a postmortem list: `postmortems` (the newest rows), `pager`,
    /// `shown_count`, `is_paged`.
    func pagedPostmortems(_ oldestFirst: [Int], page: String, folder: String? = nil, label: String) -> TemplateObject {
        let parts = Paging.split(oldestFirst, folder: folder ?? Self.partsFolder(of: page), year: year(of:))
        let shown = Array(oldestFirst.suffix(Paging.size).reversed())
        return [
            "postmortems": summaries(shown),
            "shown_count": .int(shown.count),
            "is_paged": .bool(!parts.isEmpty),
            "pager": Paging.pager(parts, current: nil, home: page, homeLabel: label, total: oldestFirst.count),
        ]
    }

    /// The part pages of a postmortem list.
    func postmortemParts(_ oldestFirst: [Int], page: String, folder: String? = nil, label: String, section: String?,
                         lede: String) -> [ListPartPage] {
        let years = incidentYears
        let parts = Paging.split(oldestFirst, folder: folder ?? Self.partsFolder(of: page)) { years[$0] }
        let pager = PagerOutline(parts, home: page, homeLabel: label, total: oldestFirst.count)
        return parts.map { part in
            ListPartPage(path: part.path, title: "\(label): \(part.label)", section: section, parentURL: page, parentLabel: label,
                         rows: .postmortems(part.rows.reversed()),
                         pager: pager,
                         lede: "\(lede) in \(part.year == "undated" ? "no recorded year" : part.year)"
                            + (part.number > 1 || parts.contains { $0.year == part.year && $0.number > 1 } ? ", part \(part.number)" : "")
                            + ": \(Format.count(part.rows.count, "postmortem")), newest first.")
        }
    }

    /// Landing-page fields for an action-item list (`items` as tracker rows, `count`,
    /// `has_items`, `shown_count`, `is_paged`, `pager`). `refs` are in display order; parts
    /// are by incident year.
    func pagedActionItems(_ refs: [ActionRef], page: String, folder: String, label: String, limit: Int = Paging.size) -> TemplateValue {
        let parts = actionParts(refs, folder: folder)
        // `limit` keeps a secondary list short on a page that already shows a long one.
        let shown = Array(refs.prefix(parts.isEmpty ? refs.count : limit))
        return .object([
            "items": .list(shown.map(actionItemRow)),
            "count": .int(refs.count), "has_items": .bool(!refs.isEmpty), "shown_count": .int(shown.count),
            "is_paged": .bool(!parts.isEmpty),
            "pager": Paging.pager(parts, current: nil, home: page, homeLabel: label, total: refs.count),
        ])
    }

    func actionItemParts(_ refs: [ActionRef], page: String, folder: String, label: String, section: String?, lede: String) -> [ListPartPage] {
        let parts = actionParts(refs, folder: folder)
        let pager = PagerOutline(parts, home: page, homeLabel: label, total: refs.count)
        return parts.map { part in
            ListPartPage(path: part.path, title: "\(label): \(part.label)", section: section, parentURL: page, parentLabel: label,
                         rows: .actionItems(part.rows),
                         pager: pager,
                         lede: "\(lede) from incidents in \(part.year == "undated" ? "no recorded year" : part.year)"
                            + (part.number > 1 || parts.contains { $0.year == part.year && $0.number > 1 } ? ", part \(part.number)" : "")
                            + ": \(Format.count(part.rows.count, "action item")).")
        }
    }

    /// Parts by incident year, in the order of `refs` within a year.
    /// `refs` stably sorted by their incident's chronological rank (`rank`, one per document).
    /// Lists are almost always oldest incident first already (``actionRefs``) or newest first
    /// (group pages): each is recognised in one pass and put in order without a sort (newest
    /// first: each incident's run of items, last run first), which is what the stable sort
    /// returns for them.
    static func oldestIncidentFirst(_ refs: [ActionRef], rank: [Int]) -> [ActionRef] {
        var ascending = true, descending = true
        for index in refs.indices.dropFirst() {
            let before = rank[refs[index - 1].postmortem], here = rank[refs[index].postmortem]
            if before > here { ascending = false }
            if before < here { descending = false }
        }
        if ascending { return refs }
        if descending {
            var out: [ActionRef] = []
            out.reserveCapacity(refs.count)
            var end = refs.count
            while end > 0 {
                var start = end - 1
                while start > 0, rank[refs[start - 1].postmortem] == rank[refs[end - 1].postmortem] { start -= 1 }
                out.append(contentsOf: refs[start..<end])
                end = start
            }
            return out
        }
        return refs.enumerated().sorted { a, b in
            let x = rank[a.element.postmortem], y = rank[b.element.postmortem]
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    private func actionParts(_ refs: [ActionRef], folder: String) -> [Paging.Part<ActionRef>] {
        // Split wants oldest first for stable numbering: order by incident, keep each year's own order.
        let ordered = Self.oldestIncidentFirst(refs, rank: archive.chronologicalRank)
        let years = incidentYears
        return Paging.split(ordered, folder: folder) { years[$0.postmortem] }
    }
}

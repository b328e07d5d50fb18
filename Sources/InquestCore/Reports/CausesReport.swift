/// `inquest causes`: the catalogue with how often each cause struck, sorted by recurrence.
public struct CausesReport: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var title: String
        public var category: String?
        public var inCatalogue: Bool
        public var recurrence: CauseRecurrence
        public var openActionItems: [ArchiveActionItem]
    }

    public var rows: [Row]
    /// The reference date for overdue action items (commit time or SOURCE_DATE_EPOCH).
    public var now: CalendarDate?
    private let archive: Archive

    public init(archive: Archive, now: CalendarDate? = nil) {
        self.archive = archive
        self.now = now
        let open = archive.actionItems.filter { $0.item.state == .open }
        rows = archive.recurrence.map { recurrence in
            let entry = archive.catalogue?.entry(recurrence.cause)
            let occurrences = Set(recurrence.occurrences)
            return Row(id: recurrence.cause, title: entry?.title ?? "", category: entry?.category, inCatalogue: entry != nil,
                       recurrence: recurrence, openActionItems: open.filter { occurrences.contains($0.postmortem) })
        }
    }

    public func text() -> String {
        guard !rows.isEmpty else { return "no causes: the catalogue is empty and no postmortem cites a cause\n" }
        var out = ""
        for row in rows {
            let span = row.recurrence.first.map { first in
                row.recurrence.last.map { $0 == first ? " on \(first)" : " from \(first) to \($0)" } ?? ""
            } ?? ""
            let title = row.title.isEmpty ? (row.inCatalogue ? "" : " (not in the catalogue)") : " — \(row.title)"
            out += "\(row.id)\(title)\n"
            out += "  \(row.recurrence.count) incident\(row.recurrence.count == 1 ? "" : "s")\(span)"
            out += row.openActionItems.isEmpty ? "\n" : ", \(row.openActionItems.count) open action item\(row.openActionItems.count == 1 ? "" : "s")\n"
            for index in row.recurrence.occurrences {
                let postmortem = archive.postmortems[index]
                out += "    \(postmortem.date.map(String.init(describing:)) ?? "undated   ")  \(postmortem.id)\n"
            }
            for item in row.openActionItems {
                out += "    [ ] \(archive.postmortems[item.postmortem].path):\(item.line)  \(item.item.text)\n"
            }
        }
        return out
    }

    public func json() -> String {
        var out = "{\"version\":1,\"causes\":["
        for (index, row) in rows.enumerated() {
            out += index == 0 ? "\n  " : ",\n  "
            out += "{\"id\":\(JSON.string(row.id)),\"title\":\(JSON.string(row.title)),"
            out += "\"category\":\(row.category.map { JSON.string($0) } ?? "null"),\"inCatalogue\":\(row.inCatalogue),"
            out += "\"occurrences\":\(row.recurrence.count),"
            out += "\"first\":\(row.recurrence.first.map { JSON.string($0.description) } ?? "null"),"
            out += "\"last\":\(row.recurrence.last.map { JSON.string($0.description) } ?? "null"),"
            out += "\"postmortems\":[" + row.recurrence.occurrences.map { i -> String in
                let p = archive.postmortems[i]
                let role = p.rootCauses.contains { $0.value == row.id } ? "root" : "contributing"
                return "{\"id\":\(JSON.string(p.id)),\"date\":\(p.date.map { JSON.string($0.description) } ?? "null"),\"path\":\(JSON.string(p.path)),\"role\":\"\(role)\"}"
            }.joined(separator: ",") + "],"
            out += "\"openActionItems\":[" + row.openActionItems.map { ActionsReport.json($0, archive: archive) }.joined(separator: ",") + "]}"
        }
        out += rows.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    /// Open action items of every listed cause that are past their due date (each item once).
    public var overdueCount: Int {
        var seen = Set<String>()
        for row in rows {
            for item in row.openActionItems where item.isOverdue(now: now) { seen.insert("\(item.postmortem):\(item.line)") }
        }
        return seen.count
    }

    /// A Markdown table of causes by recurrence.
    public func markdown() -> String {
        guard !rows.isEmpty else { return "No causes.\n" }
        var out = "| Cause | Title | Incidents | First | Last | Open action items | Overdue |\n| --- | --- | ---: | --- | --- | ---: | ---: |\n"
        for row in rows {
            let title = row.title.isEmpty && !row.inCatalogue ? "(not in the catalogue)" : row.title
            out += "| `\(Markdown.cell(row.id))` | \(Markdown.cell(title)) | \(row.recurrence.count) | "
                + "\(row.recurrence.first.map(String.init(describing:)) ?? "") | \(row.recurrence.last.map(String.init(describing:)) ?? "") | "
                + "\(row.openActionItems.count) | \(row.openActionItems.count { $0.isOverdue(now: now) }) |\n"
        }
        return out
    }

    /// RFC 4180 CSV, one row per cause.
    public func csv() -> String {
        var out = "cause,title,category,in_catalogue,incidents,first,last,open_action_items,overdue_action_items,postmortems\r\n"
        for row in rows {
            out += [row.id, row.title, row.category ?? "", row.inCatalogue ? "true" : "false", String(row.recurrence.count),
                    row.recurrence.first.map(String.init(describing:)) ?? "", row.recurrence.last.map(String.init(describing:)) ?? "",
                    String(row.openActionItems.count), String(row.openActionItems.count { $0.isOverdue(now: now) }),
                    row.recurrence.occurrences.map { archive.postmortems[$0].id }.joined(separator: " ")].map(CSV.field).joined(separator: ",") + "\r\n"
        }
        return out
    }
}

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

    /// One cause per line, keys in a fixed order (``JSONRow``).
    public func json() -> String {
        var out = "{\"version\":1,\"causes\":["
        out += rows.map { "\n  " + OrderedJSONEncoder.encode(JSONRow(row: $0, archive: archive)) }.joined(separator: ",")
        out += rows.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    /// A cause in `causes --format json`; absent values are `null`, so every row has every key.
    struct JSONRow: Encodable {
        struct Occurrence: Encodable {
            let id: String
            let date: String?
            let path: String
            /// `root` or `contributing`.
            let role: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(date, forKey: .date)
                try container.encode(path, forKey: .path)
                try container.encode(role, forKey: .role)
            }

            enum CodingKeys: String, CodingKey { case id, date, path, role }
        }

        let row: Row
        let archive: Archive

        enum CodingKeys: String, CodingKey { case id, title, category, inCatalogue, occurrences, first, last, postmortems, openActionItems }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(row.id, forKey: .id)
            try container.encode(row.title, forKey: .title)
            try container.encode(row.category, forKey: .category)
            try container.encode(row.inCatalogue, forKey: .inCatalogue)
            try container.encode(row.recurrence.count, forKey: .occurrences)
            try container.encode(row.recurrence.first?.description, forKey: .first)
            try container.encode(row.recurrence.last?.description, forKey: .last)
            try container.encode(row.recurrence.occurrences.map { index -> Occurrence in
                let p = archive.postmortems[index]
                return Occurrence(id: p.id, date: p.date?.description, path: p.path,
                                  role: p.rootCauses.contains { $0.value == row.id } ? "root" : "contributing")
            }, forKey: .postmortems)
            // A cause's items carry no reference date here (overdue false, daysOverdue null), as before.
            try container.encode(row.openActionItems.map { ActionsReport.JSONItem(entry: $0, archive: archive, now: nil) }, forKey: .openActionItems)
        }
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

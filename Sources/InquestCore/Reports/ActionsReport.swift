/// `inquest report actions`: action items across the archive, oldest incident first.
public struct ActionsReport: Sendable {
    public enum Filter: Sendable { case all, open, overdue }

    public var items: [ArchiveActionItem]
    /// The reference date used for "overdue" (commit time or SOURCE_DATE_EPOCH).
    public var now: CalendarDate?
    /// Text and Markdown print one group per owner (items without one last); JSON and CSV sort by owner.
    public var groupByOwner: Bool
    private let archive: Archive
    /// History facts (added, ticked, time to close) of the listed items, when git history is known.
    public let followThrough: FollowThrough
    private let historyByLine: [String: FollowThrough.Item]

    public init(archive: Archive, filter: Filter, now: CalendarDate?, groupByOwner: Bool = false) {
        self.archive = archive
        self.now = now
        self.groupByOwner = groupByOwner
        followThrough = FollowThrough(archive: archive, now: now)
        var byLine: [String: FollowThrough.Item] = [:]
        for item in followThrough.items { byLine["\(item.entry.postmortem):\(item.entry.line)"] = item }
        historyByLine = byLine
        let filtered = archive.actionItems.filter { entry in
            switch filter {
            case .all: true
            case .open: entry.item.state == .open
            case .overdue: entry.isOverdue(now: now)
            }
        }
        items = groupByOwner ? Self.byOwner(filtered).flatMap(\.items) : filtered
    }

    /// Items grouped by owner, owners alphabetically (case-insensitive), unowned last; the order
    /// within a group is kept.
    static func byOwner(_ items: [ArchiveActionItem]) -> [(owner: String?, items: [ArchiveActionItem])] {
        let groups = Dictionary(grouping: items) { $0.item.owner }
        return groups.keys.sorted { a, b in
            switch (a, b) {
            case let (x?, y?): return (x.lowercased(), x) < (y.lowercased(), y)
            case (.some, nil): return true
            default: return false
            }
        }.map { ($0, groups[$0] ?? []) }
    }

    /// Whole days an open item is past its due date; nil when it is not overdue.
    public static func daysOverdue(_ entry: ArchiveActionItem, now: CalendarDate?) -> Int? {
        guard entry.isOverdue(now: now), let due = entry.item.due, let now else { return nil }
        return now.daysSinceEpoch - due.daysSinceEpoch
    }

    /// How many of the items are overdue.
    public var overdueCount: Int { items.count { $0.isOverdue(now: now) } }

    public func text() -> String {
        guard !items.isEmpty else { return "no action items\n" }
        var out = ""
        var owner: String?? = .none
        for entry in items {
            if groupByOwner, owner != .some(entry.item.owner) {
                owner = .some(entry.item.owner)
                out += (out.isEmpty ? "" : "\n") + "\(entry.item.owner ?? "(no owner)")\n"
            }
            let item = entry.item
            let box = item.state == .done ? "[x]" : (entry.isOverdue(now: now) ? "[!]" : "[ ]")
            var details: [String] = []
            if let owner = item.owner { details.append(owner) }
            if let ticket = item.ticket { details.append(ticket) }
            if let due = item.due {
                details.append("due \(due)" + (Self.daysOverdue(entry, now: now).map { " (overdue by \(plural($0, "day")))" } ?? ""))
            }
            out += "\(box) \(archive.postmortems[entry.postmortem].path):\(entry.line)  \(item.text)\n"
            if !details.isEmpty { out += "      \(details.joined(separator: " · "))\n" }
            if followThrough.hasHistory, let history = historyByLine["\(entry.postmortem):\(entry.line)"] {
                out += "      " + Self.historyText(history) + "\n"
            }
        }
        if followThrough.hasHistory { out += summaryText() }
        let open = items.count { $0.item.state == .open }
        let overdue = items.count { $0.isOverdue(now: now) }
        out += "\(items.count) action item\(items.count == 1 ? "" : "s"): \(open) open, \(overdue) overdue" + (now.map { " as of \($0)" } ?? "") + "\n"
        return out
    }

    /// `added 2025-01-03 (abc1234) · ticked 2025-02-01 (def5678), closed in 29 days`.
    static func historyText(_ item: FollowThrough.Item) -> String {
        var parts: [String] = []
        if let added = item.added { parts.append("added \(added.time.localDate) (\(added.shortSHA))") } else { parts.append("not committed yet") }
        if let ticked = item.ticked {
            if item.daysToClose == nil { parts.append("written done") } else {
                parts.append("ticked \(ticked.time.localDate) (\(ticked.shortSHA)), closed in \(item.daysToClose!) day\(item.daysToClose == 1 ? "" : "s")")
            }
        } else if let days = item.openDays {
            parts.append("open for \(days) day\(days == 1 ? "" : "s")")
        }
        if item.tickedWithoutTicket { parts.append("done without a ticket") }
        return parts.joined(separator: " · ")
    }

    /// Closure and time to close of the listed items, per quarter of the incident.
    func summaryText() -> String {
        let listed = Set(items.map { "\($0.postmortem):\($0.line)" })
        let history = followThrough.items.filter { listed.contains("\($0.entry.postmortem):\($0.entry.line)") }
        var out = ""
        if followThrough.isShallow {
            out += "note: shallow clone: items added before its oldest commit show that commit, times to close may be too short\n"
        }
        let closed = Distribution(history.compactMap(\.daysToClose))
        let openAge = Distribution(history.compactMap(\.openDays))
        out += "follow-through: \(closed?.count ?? 0) ticked after they were added"
        if let closed { out += ", time to close median \(closed.median) d, p90 \(closed.p90) d" }
        if let openAge { out += "; \(openAge.count) open, age median \(openAge.median) d, p90 \(openAge.p90) d" }
        let noTicket = history.count(where: \.tickedWithoutTicket)
        if noTicket > 0 { out += "; \(noTicket) done without a ticket" }
        return out + "\n"
    }

    /// One object per line, keys in a fixed order (``JSONItem``); with git history each item also
    /// carries when it was added and ticked.
    public func json() -> String {
        var out = "{\"version\":1,\"now\":\(OrderedJSONEncoder.encode(now?.description)),\"actionItems\":["
        out += items.map { entry in
            let history = followThrough.hasHistory ? historyByLine["\(entry.postmortem):\(entry.line)"] : nil
            return "\n  " + OrderedJSONEncoder.encode(JSONItem(entry: entry, archive: archive, now: now, history: history))
        }.joined(separator: ",")
        out += items.isEmpty ? "]" : "\n]"
        out += ",\"history\":\(followThrough.hasHistory),\"shallow\":\(followThrough.isShallow)}\n"
        return out
    }

    /// An action item in `report actions` and `causes` JSON: absent values are `null`, not left
    /// out, so every object has the same keys (hence the hand-written `encode(to:)`).
    struct JSONItem: Encodable {
        let entry: ArchiveActionItem
        let archive: Archive
        let now: CalendarDate?
        /// Present only when the archive's git history is known.
        var history: FollowThrough.Item? = nil

        enum CodingKeys: String, CodingKey {
            case postmortem, file, line, text, state, owner, ticket, due, overdue, daysOverdue
            case added, addedCommit, ticked, tickedCommit, daysToClose, openDays, tickedWithoutTicket
        }

        func encode(to encoder: any Encoder) throws {
            let item = entry.item
            let postmortem = archive.postmortems[entry.postmortem]
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(postmortem.id, forKey: .postmortem)
            try container.encode(postmortem.path, forKey: .file)
            try container.encode(entry.line, forKey: .line)
            try container.encode(item.text, forKey: .text)
            try container.encode(item.state.rawValue, forKey: .state)
            try container.encode(item.owner, forKey: .owner)
            try container.encode(item.ticket, forKey: .ticket)
            try container.encode(item.due?.description, forKey: .due)
            try container.encode(entry.isOverdue(now: now), forKey: .overdue)
            try container.encode(ActionsReport.daysOverdue(entry, now: now), forKey: .daysOverdue)
            guard let history else { return }
            try container.encode(history.added?.time.localDate.description, forKey: .added)
            try container.encode(history.added?.sha, forKey: .addedCommit)
            try container.encode(history.ticked?.time.localDate.description, forKey: .ticked)
            try container.encode(history.ticked?.sha, forKey: .tickedCommit)
            try container.encode(history.daysToClose, forKey: .daysToClose)
            try container.encode(history.openDays, forKey: .openDays)
            try container.encode(history.tickedWithoutTicket, forKey: .tickedWithoutTicket)
        }
    }

    /// A Markdown table (one per owner with grouping), for issues, wikis and pull-request comments.
    public func markdown() -> String {
        guard !items.isEmpty else { return "No action items.\n" }
        let groups: [(owner: String?, items: [ArchiveActionItem])] = groupByOwner ? Self.byOwner(items) : [(nil, items)]
        var out = ""
        for group in groups {
            if groupByOwner { out += (out.isEmpty ? "" : "\n") + "## \(Markdown.cell(group.owner ?? "(no owner)"))\n\n" }
            out += "| State | Action item | Owner | Ticket | Due | Days overdue | Postmortem |\n| --- | --- | --- | --- | --- | ---: | --- |\n"
            for entry in group.items {
                let item = entry.item
                let state = item.state == .done ? "done" : (entry.isOverdue(now: now) ? "**overdue**" : "open")
                let postmortem = archive.postmortems[entry.postmortem]
                out += "| \(state) | \(Markdown.cell(item.text)) | \(Markdown.cell(item.owner ?? "")) | \(Markdown.cell(item.ticket ?? "")) | "
                    + "\(item.due.map(String.init(describing:)) ?? "") | \(Self.daysOverdue(entry, now: now).map(String.init) ?? "") | "
                    + "\(Markdown.cell(postmortem.path)):\(entry.line) |\n"
            }
        }
        let open = items.count { $0.item.state == .open }
        out += "\n\(plural(items.count, "action item")): \(open) open, \(overdueCount) overdue" + (now.map { " as of \($0)" } ?? "") + "\n"
        return out
    }

    /// RFC 4180 CSV with a header row, for spreadsheets.
    public func csv() -> String {
        var out = "postmortem,file,line,state,owner,ticket,due,overdue,days_overdue,text\r\n"
        for entry in items {
            let item = entry.item
            let postmortem = archive.postmortems[entry.postmortem]
            out += [postmortem.id, postmortem.path, String(entry.line), item.state.rawValue, item.owner ?? "", item.ticket ?? "",
                    item.due.map(String.init(describing:)) ?? "", entry.isOverdue(now: now) ? "true" : "false",
                    Self.daysOverdue(entry, now: now).map(String.init) ?? "", item.text].map(CSV.field).joined(separator: ",") + "\r\n"
        }
        return out
    }
}

/// RFC 4180 fields: quoted when they hold a comma, quote or line break; spreadsheet formulas defused.
enum CSV {
    static func field(_ text: String) -> String {
        var value = text
        // A cell starting with =, + or - (or @ with a call in it) is run as a formula by spreadsheets;
        // an `@handle` owner is not.
        if let first = value.first, "=+-".contains(first) || (first == "@" && value.contains("(")), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Markdown table cells: pipes escaped, line breaks flattened.
enum Markdown {
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}

func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }

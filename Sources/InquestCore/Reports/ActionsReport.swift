/// `inquest report actions`: action items across the archive, oldest incident first.
public struct ActionsReport: Sendable {
    public enum Filter: Sendable { case all, open, overdue }

    public var items: [ArchiveActionItem]
    /// The reference date used for "overdue" (commit time or SOURCE_DATE_EPOCH).
    public var now: CalendarDate?
    private let archive: Archive
    /// History facts (added, ticked, time to close) of the listed items, when git history is known.
    public let followThrough: FollowThrough
    private let historyByLine: [String: FollowThrough.Item]

    public init(archive: Archive, filter: Filter, now: CalendarDate?) {
        self.archive = archive
        self.now = now
        followThrough = FollowThrough(archive: archive, now: now)
        var byLine: [String: FollowThrough.Item] = [:]
        for item in followThrough.items { byLine["\(item.entry.postmortem):\(item.entry.line)"] = item }
        historyByLine = byLine
        items = archive.actionItems.filter { entry in
            switch filter {
            case .all: true
            case .open: entry.item.state == .open
            case .overdue: entry.isOverdue(now: now)
            }
        }
    }

    public func text() -> String {
        guard !items.isEmpty else { return "no action items\n" }
        var out = ""
        for entry in items {
            let item = entry.item
            let box = item.state == .done ? "[x]" : (entry.isOverdue(now: now) ? "[!]" : "[ ]")
            var details: [String] = []
            if let owner = item.owner { details.append(owner) }
            if let ticket = item.ticket { details.append(ticket) }
            if let due = item.due { details.append("due \(due)" + (entry.isOverdue(now: now) ? " (overdue)" : "")) }
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

    public func json() -> String {
        var out = "{\"version\":1,\"now\":\(now.map { JSON.string($0.description) } ?? "null"),\"actionItems\":["
        out += items.map { entry in
            var line = Self.json(entry, archive: archive, now: now)
            if followThrough.hasHistory, let history = historyByLine["\(entry.postmortem):\(entry.line)"] {
                line.removeLast()
                line += ",\"added\":\(history.added.map { JSON.string($0.time.localDate.description) } ?? "null")"
                    + ",\"addedCommit\":\(history.added.map { JSON.string($0.sha) } ?? "null")"
                    + ",\"ticked\":\(history.ticked.map { JSON.string($0.time.localDate.description) } ?? "null")"
                    + ",\"tickedCommit\":\(history.ticked.map { JSON.string($0.sha) } ?? "null")"
                    + ",\"daysToClose\":\(history.daysToClose.map(String.init) ?? "null")"
                    + ",\"openDays\":\(history.openDays.map(String.init) ?? "null")"
                    + ",\"tickedWithoutTicket\":\(history.tickedWithoutTicket)}"
            }
            return "\n  " + line
        }.joined(separator: ",")
        out += items.isEmpty ? "]" : "\n]"
        out += ",\"history\":\(followThrough.hasHistory),\"shallow\":\(followThrough.isShallow)}\n"
        return out
    }

    static func json(_ entry: ArchiveActionItem, archive: Archive, now: CalendarDate? = nil) -> String {
        let item = entry.item
        let postmortem = archive.postmortems[entry.postmortem]
        return "{\"postmortem\":\(JSON.string(postmortem.id)),\"file\":\(JSON.string(postmortem.path)),\"line\":\(entry.line),"
            + "\"text\":\(JSON.string(item.text)),\"state\":\"\(item.state.rawValue)\","
            + "\"owner\":\(item.owner.map { JSON.string($0) } ?? "null"),\"ticket\":\(item.ticket.map { JSON.string($0) } ?? "null"),"
            + "\"due\":\(item.due.map { JSON.string($0.description) } ?? "null"),\"overdue\":\(entry.isOverdue(now: now))}"
    }
}

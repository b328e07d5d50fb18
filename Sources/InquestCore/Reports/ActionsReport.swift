/// `inquest report actions`: action items across the archive, oldest incident first.
public struct ActionsReport: Sendable {
    public enum Filter: Sendable { case all, open, overdue }

    public var items: [ArchiveActionItem]
    /// The reference date used for "overdue" (commit time or SOURCE_DATE_EPOCH).
    public var now: CalendarDate?
    private let archive: Archive

    public init(archive: Archive, filter: Filter, now: CalendarDate?) {
        self.archive = archive
        self.now = now
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
        }
        let open = items.count { $0.item.state == .open }
        let overdue = items.count { $0.isOverdue(now: now) }
        out += "\(items.count) action item\(items.count == 1 ? "" : "s"): \(open) open, \(overdue) overdue" + (now.map { " as of \($0)" } ?? "") + "\n"
        return out
    }

    public func json() -> String {
        var out = "{\"version\":1,\"now\":\(now.map { JSON.string($0.description) } ?? "null"),\"actionItems\":["
        out += items.map { "\n  " + Self.json($0, archive: archive, now: now) }.joined(separator: ",")
        out += items.isEmpty ? "]}\n" : "\n]}\n"
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

/// `causes/open-action-items`: a cause recurred while earlier fixes for it are still open.
public struct OpenActionItemsRule: DocumentRule {
    public let id = "causes/open-action-items"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "a recurring cause still has open action items from earlier postmortems",
        rationale: "When a cause strikes again while the fixes promised last time are still open, the new postmortem should say so, and the open items are the first thing to prioritise. Each item is listed with its file and line so it can be closed or re-planned.",
        triggering: [ExampleDocument.example("root_causes: [no-alert-on-saturation]\n# postmortems/2024/queue.md (earlier, same cause):\n- [ ] Alert on queue depth — @platform-team, LRK-7",
                                             otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(
                                                fields: ExampleDocument.earlierIncident,
                                                sections: ["Action Items": "- [ ] Alert on queue depth — @platform-team, LRK-7"])])],
        passing: [ExampleDocument.example("# postmortems/2024/queue.md (earlier, same cause):\n- [x] Alert on queue depth — @platform-team, LRK-7",
                                          otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(
                                             fields: ExampleDocument.earlierIncident,
                                             sections: ["Action Items": "- [x] Alert on queue depth — @platform-team, LRK-7"])])])

    /// At most this many items are listed in one message; the count says how many there are.
    static let listLimit = 5

    public init() {}

    /// Strictly earlier in time: by `started` when both have one, else by `date`. An incident that
    /// started at the same instant (or, without times, on the same day) is not "earlier", whatever
    /// its file name; undated ones cannot be placed.
    static func isEarlier(_ other: Postmortem, than me: Postmortem) -> Bool {
        isEarlier(started: other.started, date: other.date, than: me)
    }

    /// ``isEarlier(_:than:)`` for a document known by its start and date.
    static func isEarlier(started: Timestamp?, date: CalendarDate?, than me: Postmortem) -> Bool {
        if let a = started, let b = me.started { return a < b }
        if let a = date, let b = me.date { return a < b }
        return false
    }

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for found in Self.found(in: postmortem, archive: context.archive) {
            findings.add(postmortem, found.bytes, found.message, suggestion: Self.suggestion)
        }
    }

    static let suggestion = "close or re-plan those items, and say in this postmortem why they had not landed"

    /// What the rule finds in `postmortem`, at its causes' bytes. Reads only the document's
    /// path, id, dates and causes and the archive's indexes (the open items of every document
    /// are among them): the lint cache runs it on documents it holds as stubs (``CachedLint``).
    static func found(in postmortem: Postmortem, archive: Archive) -> [(bytes: Range<Int>, message: Finding.Message)] {
        let mine = archive.indexes(ofPath: postmortem.path)
        guard archive.byID[postmortem.id]?.contains(where: mine.contains) == true else { return [] }
        var out: [(bytes: Range<Int>, message: Finding.Message)] = []
        for cause in RecurringCauseRule.unique(postmortem.rootCauses + postmortem.contributingFactors) {
            // How many items earlier incidents hold comes from running totals (two binary
            // searches); the few listed are the oldest, found from the start of the cause's
            // incidents with open items (oldest first) until they are all there.
            let total = archive.openItemsBefore(cause: cause.value, started: postmortem.started, date: postmortem.date)
            guard total > 0, let members = archive.openItemsByCause[cause.value] else { continue }
            let wanted = min(total, listLimit)
            var shown: [String] = []
            archive.postmortems.withUnsafeBufferPointer { postmortems in
                for index in members {
                    guard shown.count < wanted else { break }
                    let other = postmortems.baseAddress! + index
                    guard isEarlier(started: other.pointee.started, date: other.pointee.date, than: postmortem) else { continue }
                    for item in archive.openActionItems[index] where shown.count < listLimit {
                        shown.append("\(other.pointee.path):\(item.line)" + (item.ticket.map { " (\($0))" } ?? ""))
                    }
                }
            }
            let more = total > shown.count ? " and \(total - shown.count) more" : ""
            out.append((cause.bytes, .openActionItems(cause.value, count: total, shown: shown, more: more)))
        }
        return out
    }
}

extension Finding.Message {
    /// `causes/open-action-items`; `more` is empty or " and N more".
    static func openActionItems(_ cause: String, count: Int, shown: [String], more: String) -> Self {
        Self("cause '\(cause)' recurred with \(count) action item\(count == 1 ? "" : "s") still open from earlier incidents: \(shown.joined(separator: ", "))\(more)")
    }
}

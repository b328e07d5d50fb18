/// `causes/open-action-items`: a cause recurred while earlier fixes for it are still open.
public struct OpenActionItemsRule: DocumentRule {
    public let id = "causes/open-action-items"
    public let defaultSeverity = Severity.warning
    public let documentation = RuleDocumentation(
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
        if let a = other.started, let b = me.started { return a < b }
        if let a = other.date, let b = me.date { return a < b }
        return false
    }

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let archive = context.archive
        let mine = archive.indexes(ofPath: postmortem.path)
        guard archive.byID[postmortem.id]?.contains(where: mine.contains) == true else { return }
        for cause in RecurringCauseRule.unique(postmortem.rootCauses + postmortem.contributingFactors) {
            var shown: [String] = []
            var total = 0
            // Oldest first, and only the incidents with open items (a precomputed subsequence of
            // byCause, so this is not a walk over every incident of the cause); only incidents
            // that really happened earlier count.
            for index in archive.openItemsByCause[cause.value] ?? [] {
                guard Self.isEarlier(archive.postmortems[index], than: postmortem) else { continue }
                let items = archive.openActionItems[index]
                guard !items.isEmpty else { continue }
                total += items.count
                for item in items where shown.count < Self.listLimit {
                    shown.append("\(archive.postmortems[index].path):\(item.line)" + (item.ticket.map { " (\($0))" } ?? ""))
                }
            }
            guard total > 0 else { continue }
            let more = total > shown.count ? " and \(total - shown.count) more" : ""
            findings.add(postmortem, cause.bytes,
                         .openActionItems(cause.value, count: total, shown: shown, more: more),
                         suggestion: "close or re-plan those items, and say in this postmortem why they had not landed")
        }
    }
}

extension Finding.Message {
    /// `causes/open-action-items`; `more` is empty or " and N more".
    static func openActionItems(_ cause: String, count: Int, shown: [String], more: String) -> Self {
        Self("cause '\(cause)' recurred with \(count) action item\(count == 1 ? "" : "s") still open from earlier incidents: \(shown.joined(separator: ", "))\(more)")
    }
}

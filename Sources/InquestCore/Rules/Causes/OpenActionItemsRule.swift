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

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let archive = context.archive
        for cause in RecurringCauseRule.unique(postmortem.rootCauses + postmortem.contributingFactors) {
            var open: [String] = []
            for index in archive.byCause[cause.value] ?? [] {
                let earlier = archive.postmortems[index]
                guard earlier.path != postmortem.path, Archive.chronologicalOrder(earlier, postmortem) else { continue }
                for item in earlier.actionItems where item.state == .open {
                    let line = earlier.source.position(of: item.bytes.lowerBound).line
                    open.append("\(earlier.path):\(line)" + (item.ticket.map { " (\($0))" } ?? ""))
                }
            }
            guard !open.isEmpty else { continue }
            let shown = open.prefix(Self.listLimit).joined(separator: ", ")
            let more = open.count > Self.listLimit ? " and \(open.count - Self.listLimit) more" : ""
            findings.add(postmortem, cause.bytes,
                         "cause '\(cause.value)' recurred with \(open.count) action item\(open.count == 1 ? "" : "s") still open from earlier incidents: \(shown)\(more)",
                         suggestion: "close or re-plan those items, and say in this postmortem why they had not landed")
        }
    }
}

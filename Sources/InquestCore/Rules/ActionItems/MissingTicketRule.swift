/// `action-items/missing-ticket`: an action item with no tracker reference.
public struct MissingTicketRule: DocumentRule {
    public let id = "action-items/missing-ticket"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "every action item links a ticket (a URL or a key such as ABC-123)",
        rationale: "Work that lives only in a postmortem is not in anyone's queue. A ticket makes the item visible in planning and lets the archive report which items are still open when a cause recurs.",
        triggering: [ExampleDocument.example("- [ ] Alert on cache eviction rate — @platform-team", sections: ["Action Items": "- [ ] Alert on cache eviction rate — @platform-team"])],
        passing: [ExampleDocument.example("- [ ] Alert on cache eviction rate — @platform-team, https://tracker.example/LRK-101",
                                          sections: ["Action Items": "- [ ] Alert on cache eviction rate — @platform-team, https://tracker.example/LRK-101"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for item in postmortem.actionItems where item.ticket == nil {
            findings.add(postmortem, item.firstLine(in: postmortem.source), .missingTicket,
                         suggestion: "add a tracker key such as ABC-123 or a ticket URL")
        }
    }
}

extension Finding.Message {
    /// `action-items/missing-ticket`.
    static let missingTicket = Self("action item has no ticket")
}

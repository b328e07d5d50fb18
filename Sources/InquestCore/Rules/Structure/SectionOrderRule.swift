/// `structure/section-order`: required sections appear out of the configured order.
public struct SectionOrderRule: DocumentRule {
    public let id = "structure/section-order"
    public let defaultSeverity = Severity.warning
    public let documentation = RuleDocumentation(
        summary: "required sections follow the configured order (Summary, Impact, Timeline, Root Causes, Resolution, Action Items)",
        rationale: "Readers skim many postmortems; a predictable order lets them jump to the timeline or the action items without searching. Optional sections may go anywhere.",
        triggering: [ExampleDocument.example("## Action Items\n…\n## Impact",
                                             sections: ["Impact": "- [ ] Alert on cache eviction rate — @platform-team, LRK-101", "Action Items": "About 4% of checkouts were slow."],
                                             rename: ["Impact": "Action Items", "Action Items": "Impact"])],
        passing: [ExampleDocument.example("## Summary … ## Impact … ## Timeline … ## Root Causes … ## Resolution … ## Action Items")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let order = context.schema.order
        var latest: (rank: Int, heading: String)?
        for section in postmortem.sections where !context.schema.companions.contains(Schema.normalize(section.heading)) {
            guard let rank = section.canonicalNames.compactMap({ order.firstIndex(of: $0) }).min() else { continue }
            if let latest, rank < latest.rank {
                findings.add(postmortem, section.headingBytes, "section '\(section.heading)' should come before '\(latest.heading)'",
                             suggestion: "order: \(order.joined(separator: ", "))")
            } else {
                latest = (rank, section.heading)
            }
        }
    }
}

/// `structure/section-order`: required sections appear out of the configured order.
public struct SectionOrderRule: DocumentRule {
    public let id = "structure/section-order"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "required sections follow the configured order (Summary, Impact, Timeline, Root Causes, Resolution, Action Items)",
        rationale: "Readers skim many postmortems; a predictable order lets them jump to the timeline or the action items without searching. Optional sections may go anywhere.",
        triggering: [ExampleDocument.example("## Action Items\n…\n## Impact",
                                             sections: ["Impact": "- [ ] Alert on cache eviction rate — @platform-team, LRK-101", "Action Items": "About 4% of checkouts were slow."],
                                             rename: ["Impact": "Action Items", "Action Items": "Impact"])],
        passing: [ExampleDocument.example("## Summary … ## Impact … ## Timeline … ## Root Causes … ## Resolution … ## Action Items")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let order = context.schema.order
        // Normalised once per document, not once per section (see `DuplicateSectionRule`).
        let companions = Set(context.schema.companions.map(Schema.normalize))
        let ranked: [(rank: Int, section: Section)] = postmortem.sections.compactMap { section in
            guard !companions.contains(Schema.normalize(section.heading)),
                  let rank = section.canonicalNames.compactMap({ order.firstIndex(of: $0) }).min() else { return nil }
            return (rank, section)
        }
        // The sections in place are the longest increasing run of ranks; only the others are reported,
        // so one misplaced section yields one finding, not one per section after it.
        let inPlace = Self.longestIncreasing(ranked.map(\.rank))
        for (index, entry) in ranked.enumerated() where !inPlace.contains(index) {
            // Name the neighbour the section is on the wrong side of: "before" a section it follows,
            // "after" one it precedes ("'Resolution' should come before 'Action Items'" when it already does misleads).
            let next = inPlace.first { ranked[$0].rank > entry.rank }
            let previous = inPlace.last { ranked[$0].rank < entry.rank }
            let message: Finding.Message
            if let previous, index < previous {
                message = .sectionShouldFollow(entry.section.heading, ranked[previous].section.heading)
            } else if let next {
                message = .sectionShouldPrecede(entry.section.heading, ranked[next].section.heading)
            } else {
                message = .sectionShouldFollow(entry.section.heading, inPlace.last.map { ranked[$0].section.heading } ?? "")
            }
            findings.add(postmortem, entry.section.headingBytes, message, suggestion: "order: \(order.joined(separator: ", "))")
        }
    }

    /// Indexes of one longest strictly increasing subsequence (earliest on ties); n is tiny.
    static func longestIncreasing(_ values: [Int]) -> [Int] {
        guard !values.isEmpty else { return [] }
        var length = Array(repeating: 1, count: values.count)
        var previous = Array(repeating: -1, count: values.count)
        for i in values.indices {
            for j in 0..<i where values[j] < values[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1
                previous[i] = j
            }
        }
        var index = length.indices.max { length[$0] < length[$1] || (length[$0] == length[$1] && $0 > $1) }!
        var result: [Int] = []
        while index >= 0 {
            result.append(index)
            index = previous[index]
        }
        return result.reversed()
    }
}

extension Finding.Message {
    /// `structure/section-order`: `heading` belongs after `other`.
    static func sectionShouldFollow(_ heading: String, _ other: String) -> Self { Self("section '\(heading)' should come after '\(other)'") }
    /// `structure/section-order`: `heading` belongs before `other`.
    static func sectionShouldPrecede(_ heading: String, _ other: String) -> Self { Self("section '\(heading)' should come before '\(other)'") }
}

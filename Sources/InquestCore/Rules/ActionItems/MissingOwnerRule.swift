/// `action-items/missing-owner`: an action item nobody owns.
public struct MissingOwnerRule: DocumentRule {
    public let id = "action-items/missing-owner"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "every action item names an owner (@handle or 'owner: name')",
        rationale: "Action items without an owner are the ones still open when the same cause strikes again. Owning an item is not blame; it is how the fix gets scheduled.",
        triggering: [ExampleDocument.example("- [ ] Alert on cache eviction rate — LRK-101", sections: ["Action Items": "- [ ] Alert on cache eviction rate — LRK-101"])],
        passing: [ExampleDocument.example("- [ ] Alert on cache eviction rate — owner: Platform team, LRK-101", sections: ["Action Items": "- [ ] Alert on cache eviction rate — owner: Platform team, LRK-101"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for item in postmortem.actionItems where item.owner == nil {
            findings.add(postmortem, item.firstLine(in: postmortem.source), .missingOwner,
                         suggestion: "add '@team-or-person' or 'owner: name'")
        }
    }
}

extension ActionItem {
    /// The item's first line: where its diagnostics are underlined.
    func firstLine(in source: SourceText) -> Range<Int> {
        let lineEnd = source.lineContentRange(source.lineIndex(of: bytes.lowerBound)).upperBound
        return bytes.lowerBound..<min(max(bytes.lowerBound, lineEnd), max(bytes.lowerBound, bytes.upperBound))
    }
}

extension Finding.Message {
    /// `action-items/missing-owner`.
    static let missingOwner = Self("action item has no owner")
}

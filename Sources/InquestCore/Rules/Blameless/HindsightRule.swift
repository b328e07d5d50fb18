/// `blameless/hindsight`: see `inquest explain blameless/hindsight`; the matcher lives in InquestBlameless.
public struct HindsightRule: BlamelessLanguageRule {
    public let id = "blameless/hindsight"
    public let defaultSeverity = BlamelessDocumentation.severity(of: "blameless/hindsight")
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = BlamelessDocumentation.make("blameless/hindsight", section: "Impact")

    public init() {}
}

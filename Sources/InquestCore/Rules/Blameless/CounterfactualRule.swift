/// `blameless/counterfactual`: see `inquest explain blameless/counterfactual`; the matcher lives in InquestBlameless.
public struct CounterfactualRule: BlamelessLanguageRule {
    public let id = "blameless/counterfactual"
    public let defaultSeverity = BlamelessDocumentation.severity(of: "blameless/counterfactual")
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = BlamelessDocumentation.make("blameless/counterfactual", section: "Impact")

    public init() {}
}

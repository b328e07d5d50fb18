/// `blameless/named-individual`: see `inquest explain blameless/named-individual`; the matcher lives in InquestBlameless.
public struct NamedIndividualRule: BlamelessLanguageRule {
    public let id = "blameless/named-individual"
    public let defaultSeverity = BlamelessDocumentation.severity(of: "blameless/named-individual")
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = BlamelessDocumentation.make("blameless/named-individual", section: "Impact")

    public init() {}
}

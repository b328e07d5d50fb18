/// `blameless/human-error`: see `inquest explain blameless/human-error`; the matcher lives in InquestBlameless.
public struct HumanErrorRule: BlamelessLanguageRule {
    public let id = "blameless/human-error"
    public let defaultSeverity = BlamelessDocumentation.severity(of: "blameless/human-error")
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = BlamelessDocumentation.make("blameless/human-error", section: "Impact")

    public init() {}
}

/// `blameless/person-as-cause`: see `inquest explain blameless/person-as-cause`; the matcher lives in InquestBlameless.
public struct PersonAsCauseRule: BlamelessLanguageRule {
    public let id = "blameless/person-as-cause"
    public let defaultSeverity = BlamelessDocumentation.severity(of: "blameless/person-as-cause")
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = BlamelessDocumentation.make("blameless/person-as-cause", section: "Root Causes")

    public init() {}
}

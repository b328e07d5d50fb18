/// `blameless/blame-word`: see `inquest explain blameless/blame-word`; the matcher lives in InquestBlameless.
public struct BlameWordRule: BlamelessLanguageRule {
    public let id = "blameless/blame-word"
    public let defaultSeverity = BlamelessDocumentation.severity(of: "blameless/blame-word")
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = BlamelessDocumentation.make("blameless/blame-word", section: "Impact")

    public init() {}
}

/// `blameless/hindsight`: see `inquest explain blameless/hindsight`; the matcher lives in InquestBlameless.
public struct HindsightRule: BlamelessLanguageRule {
    public let id = "blameless/hindsight"
    public let defaultSeverity = Severity.warning
    public let documentation = BlamelessDocumentation.make("blameless/hindsight", section: "Impact")

    public init() {}
}

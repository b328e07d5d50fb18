/// `inquest/unused-suppression`: an `inquest-disable…` comment that suppressed nothing.
///
/// The linter itself reports it (it alone knows what was suppressed); this type carries the
/// rule's id, severity and documentation like every other rule.
public struct UnusedSuppressionRule: Rule {
    public let id = "inquest/unused-suppression"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "suppression comments must suppress something",
        rationale: "A stale 'inquest-disable' comment outlives the problem it silenced and would hide the next, real one. Listing the rule ids it covers keeps suppressions narrow.",
        triggering: [ExampleDocument.example("<!-- inquest-disable-next-line timeline/missing-time -->\n- 09:10 — The latency alert fires.",
                                             sections: ["Timeline": "- 09:00 — A deploy changes the policy.\n<!-- inquest-disable-next-line timeline/missing-time -->\n- 09:10 — The latency alert fires."])],
        passing: [ExampleDocument.example("<!-- inquest-disable-next-line timeline/missing-time -->\n- Shortly after, the alert fires.",
                                          sections: ["Timeline": "- 09:00 — A deploy changes the policy.\n<!-- inquest-disable-next-line timeline/missing-time -->\n- Shortly after, the alert fires."])])

    public init() {}
}

extension Finding.Message {
    /// `inquest/unused-suppression`: a suppression names rule ids that do not exist.
    static func unknownRuleSuppressed(_ ids: [String]) -> Self { Self("suppression names unknown rule \(ids.map { "'\($0)'" }.joined(separator: ", "))") }
    /// `inquest/unused-suppression`; `what` is "any rule" or the rule ids it names.
    static func suppressesNothing(_ what: String) -> Self { Self("suppression of \(what) suppresses nothing") }
}

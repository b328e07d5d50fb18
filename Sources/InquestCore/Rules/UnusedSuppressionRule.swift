/// `inquest/unused-suppression`: an `inquest-disable…` comment that suppressed nothing.
///
/// The linter itself reports it (it alone knows what was suppressed); this type carries the
/// rule's id, severity and documentation like every other rule.
public struct UnusedSuppressionRule: Rule {
    public let id = "inquest/unused-suppression"
    public let defaultSeverity = Severity.warning
    public let documentation = RuleDocumentation(
        summary: "suppression comments must suppress something",
        rationale: "A stale 'inquest-disable' comment outlives the problem it silenced and would hide the next, real one. Listing the rule ids it covers keeps suppressions narrow.",
        triggering: [ExampleDocument.example("<!-- inquest-disable-next-line timeline/missing-time -->\n- 09:10 — The latency alert fires.",
                                             sections: ["Timeline": "- 09:00 — A deploy changes the policy.\n<!-- inquest-disable-next-line timeline/missing-time -->\n- 09:10 — The latency alert fires."])],
        passing: [ExampleDocument.example("<!-- inquest-disable-next-line timeline/missing-time -->\n- Shortly after, the alert fires.",
                                          sections: ["Timeline": "- 09:00 — A deploy changes the policy.\n<!-- inquest-disable-next-line timeline/missing-time -->\n- Shortly after, the alert fires."])])

    public init() {}
}

/// `git/id-changed`: a postmortem that was final at the base of `--changed-since` now has another
/// id (its file was renamed or its `id:` edited), which breaks published permalinks.
public struct IDChangedRule: DocumentRule {
    public let id = "git/id-changed"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "a published (final) postmortem keeps its id: no file rename or 'id:' edit that changes it",
        rationale: "The id is the permalink of a published postmortem: people link to it from tickets, chat and other postmortems. Renaming the file or editing 'id:' after the postmortem was final silently breaks every one of those links. Keep the old id with an explicit 'id:' field; the site also emits redirect pages for ids that changed through renames. Checked with --changed-since BASE against the document as it was at the merge base.",
        triggering: [
            // Needs git: the base side comes from the merge base of --changed-since. The registry
            // tests skip git rules' examples; GitRulesTests runs these scenarios in real repositories.
            ExampleDocument.example("""
            # at BASE: postmortems/2025/2025-03-04-checkout-latency.md, status: final
            # now:     git mv …/2025-03-04-checkout-latency.md …/2025-03-04-cache-eviction.md
            status: final
            """),
            ExampleDocument.example("""
            # at BASE: id: checkout-latency, status: final
            id: checkout-latency-2025   # edited
            status: final
            """, fields: ["id": "checkout-latency-2025"]),
        ],
        passing: [
            ExampleDocument.example("""
            # renamed after publication, the old id kept explicitly
            id: 2025-03-04-checkout-latency
            status: final
            """, fields: ["id": "2025-03-04-checkout-latency"]),
            ExampleDocument.example("""
            # at BASE: status: draft; a draft was never published, so renaming it is fine
            status: final
            """),
        ])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard let base = context.git?.base, let before = base.documents[postmortem.path],
              before.status == .final, before.id != postmortem.id else { return }
        let how = before.path == postmortem.path ? "its 'id:' was edited" : "it was renamed from \(before.path)"
        findings.add(postmortem, postmortem.field("id")?.bytes ?? postmortem.frontMatterAnchor,
                     .idChanged(from: before.id, to: postmortem.id, how: how),
                     suggestion: "keep the published id: set 'id: \(before.id)' in the front-matter")
    }
}

extension Finding.Message {
    /// `git/id-changed`; `how` says whether the id was edited or the file renamed.
    static func idChanged(from old: String, to new: String, how: String) -> Self { Self("id changed from '\(old)' to '\(new)' after the postmortem was published (\(how)); links to the old permalink break") }
}

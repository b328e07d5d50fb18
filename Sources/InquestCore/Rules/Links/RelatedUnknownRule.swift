/// `links/related-unknown`: a `related` id that no postmortem has.
public struct RelatedUnknownRule: DocumentRule {
    public let id = "links/related-unknown"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "ids in 'related' must be ids of postmortems in the archive",
        rationale: "Related links become cross-links and backlinks on the site. A link to an id that does not exist is a dead end for readers and usually a renamed file or a typo.",
        triggering: [ExampleDocument.example("related: [2024-05-01-queue-backlog]   # no such postmortem", fields: ["related": "[2024-05-01-queue-backlog]"])],
        passing: [ExampleDocument.example("related: [queue]   # postmortems/2024/queue.md",
                                          fields: ["related": "[queue]"], otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(fields: ExampleDocument.earlierIncident)])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let ids = context.archive.byID.keys
        for link in postmortem.related where context.archive.byID[link.value] == nil {
            let guess = Spelling.closest(to: link.value, in: ids, maxDistance: max(2, link.value.count / 4))
            findings.add(postmortem, link.bytes, .relatedUnknown(link.value),
                         suggestion: guess.map { "did you mean '\($0)'?" } ?? "use the id (file name without .md) of an existing postmortem")
        }
    }
}

extension Finding.Message {
    /// `links/related-unknown`.
    static func relatedUnknown(_ id: String) -> Self { Self("related postmortem '\(id)' does not exist") }
}

/// `schema/duplicate-id`: two postmortems share an id (explicit or from the file name).
public struct DuplicateIDRule: ArchiveRule {
    public let id = "schema/duplicate-id"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "postmortem ids must be unique across the archive",
        rationale: "The id is the permalink, the target of 'related' links and the key of every cross-reference. Two documents with one id make links ambiguous and one of the pages silently disappears from the site.",
        triggering: [ExampleDocument.example("id: cache-eviction   # also used by postmortems/2024/cache-eviction.md",
                                             fields: ["id": "cache-eviction"],
                                             otherFiles: ["postmortems/2024/cache-eviction.md": ExampleDocument.make()])],
        passing: [ExampleDocument.example("id: checkout-latency-2025", fields: ["id": "checkout-latency-2025"])])

    public init() {}

    public func check(_ archive: Archive, context: RuleContext, into findings: inout Findings) {
        for (id, indexes) in archive.byID where indexes.count > 1 {
            for index in indexes {
                let postmortem = archive.postmortems[index]
                let others = indexes.filter { $0 != index }.map { archive.postmortems[$0].path }
                findings.add(postmortem, postmortem.field("id")?.bytes ?? postmortem.frontMatterAnchor,
                             .duplicateID(id, alsoUsedBy: others),
                             suggestion: "give one of them a distinct 'id:' or file name")
            }
        }
    }
}

extension Finding.Message {
    /// `schema/duplicate-id`.
    static func duplicateID(_ id: String, alsoUsedBy others: [String]) -> Self { Self("id '\(id)' is also used by \(others.joined(separator: ", "))") }
}

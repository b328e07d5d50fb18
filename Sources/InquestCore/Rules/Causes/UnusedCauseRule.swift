/// `causes/unused`: a catalogue entry no postmortem cites.
public struct UnusedCauseRule: ArchiveRule {
    public let id = "causes/unused"
    public let defaultSeverity = Severity.info
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "catalogue entries are cited by at least one postmortem",
        rationale: "An entry nobody cites is either a cause that has not struck yet (fine, and worth knowing) or a duplicate of one that has, under another name. Either way it is worth a look when the catalogue is reviewed.",
        triggering: [ExampleDocument.example("# causes.yml\nmissing-runbook-step: … (no postmortem cites it)", fields: ["contributing_factors": nil])],
        passing: [ExampleDocument.example("contributing_factors: [missing-runbook-step]")])

    public init() {}

    public func check(_ archive: Archive, context: RuleContext, into findings: inout Findings) {
        guard let catalogue = archive.catalogue else { return }
        for entry in catalogue.entries where archive.byCause[entry.id] == nil {
            findings.add(path: catalogue.path, source: catalogue.source, bytes: entry.bytes,
                         .unusedCause(entry.id))
        }
    }
}

extension Finding.Message {
    /// `causes/unused`.
    static func unusedCause(_ id: String) -> Self { Self("cause '\(id)' is not cited by any postmortem") }
}

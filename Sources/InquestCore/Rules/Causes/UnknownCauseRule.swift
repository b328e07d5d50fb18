/// `causes/unknown`: a cause id that is not in the catalogue.
public struct UnknownCauseRule: DocumentRule {
    public let id = "causes/unknown"
    public let defaultSeverity = Severity.error
    public let documentation = RuleDocumentation(
        summary: "ids in root_causes and contributing_factors must exist in the root-cause catalogue",
        rationale: "Recurrence is counted by cause id. A typo or an ad-hoc id starts a new cause of its own, and the incident silently drops out of the history of the cause it belongs to. Aliases in the catalogue catch the names people reach for.",
        triggering: [ExampleDocument.example("root_causes: [no-alert-on-saturaton]", fields: ["root_causes": "[no-alert-on-saturaton]"])],
        passing: [ExampleDocument.example("root_causes: [no-alert-on-saturation]")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard let catalogue = context.archive.catalogue else {
            // Without a catalogue no cause can be checked; saying so beats passing silently.
            for cause in postmortem.rootCauses + postmortem.contributingFactors {
                findings.add(postmortem, cause.bytes, "cause '\(cause.value)' cannot be checked: there is no catalogue at \(context.configuration.causes)",
                             suggestion: "create \(context.configuration.causes) (see 'inquest init') or set 'causes:' in inquest.yml")
            }
            return
        }
        let ids = Set(catalogue.entries.map(\.id))
        for cause in postmortem.rootCauses + postmortem.contributingFactors where !ids.contains(cause.value) {
            findings.add(postmortem, cause.bytes, "cause '\(cause.value)' is not in the catalogue \(catalogue.path)",
                         suggestion: Self.suggestion(for: cause.value, in: catalogue))
        }
    }

    /// An alias match first (people write the name they know), then the nearest id by edit distance.
    static func suggestion(for cause: String, in catalogue: CauseCatalogue) -> String {
        if let entry = catalogue.entries.first(where: { $0.aliases.contains { Slug.make(from: $0) == cause || $0.lowercased() == cause.lowercased() } }) {
            return "did you mean '\(entry.id)'? ('\(cause)' is an alias of it)"
        }
        if let near = Spelling.closest(to: cause, in: catalogue.entries.map(\.id), maxDistance: max(2, cause.count / 4)) {
            return "did you mean '\(near)'?"
        }
        return "add '\(cause)' to \(catalogue.path) with a title and description, or use an existing id"
    }
}

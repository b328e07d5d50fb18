/// `causes/unknown`: a cause id that is not in the catalogue.
public struct UnknownCauseRule: DocumentRule {
    public let id = "causes/unknown"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "ids in root_causes and contributing_factors must exist in the root-cause catalogue",
        rationale: "Recurrence is counted by cause id. A typo or an ad-hoc id starts a new cause of its own, and the incident silently drops out of the history of the cause it belongs to. Aliases in the catalogue catch the names people reach for.",
        triggering: [ExampleDocument.example("root_causes: [no-alert-on-saturaton]", fields: ["root_causes": "[no-alert-on-saturaton]"])],
        passing: [ExampleDocument.example("root_causes: [no-alert-on-saturation]")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard let catalogue = context.archive.catalogue else {
            // Without a catalogue no cause can be checked; saying so beats passing silently.
            for cause in postmortem.rootCauses + postmortem.contributingFactors {
                findings.add(postmortem, cause.bytes, .noCatalogue(cause.value, at: context.configuration.causes),
                             suggestion: "create \(context.configuration.causes) (see 'inquest init') or set 'causes:' in inquest.yml")
            }
            return
        }
        // A document cites a few causes: comparing them with the entries beats building a Set of
        // the catalogue's ids for every document.
        let causes = postmortem.rootCauses + postmortem.contributingFactors
        let unknown = catalogue.entries.withUnsafeBufferPointer { entries in
            causes.filter { cause in !entries.indices.contains { entries[$0].id == cause.value } }
        }
        guard !unknown.isEmpty else { return }
        let nodes = (postmortem.field("root_causes")?.sequence ?? []) + (postmortem.field("contributing_factors")?.sequence ?? [])
        for cause in unknown {
            let resolved = CauseResolution.resolve(cause.value, in: catalogue)
            let node = nodes.first { $0.bytes == cause.bytes }
            findings.add(postmortem, cause.bytes, .unknownCause(cause.value, catalogue: catalogue.path),
                         suggestion: Self.suggestion(for: cause.value, resolved: resolved, in: catalogue),
                         fix: resolved.flatMap { resolved in node.flatMap { FrontMatterFix.replaceScalar($0, with: resolved.id, in: postmortem) } })
        }
    }

    /// An alias match first (people write the name they know), then the id the reference spells,
    /// then the nearest id by edit distance; else how to add it (as a slug, the form ids take).
    static func suggestion(for cause: String, resolved: (id: String, reason: CauseResolution.Reason)?, in catalogue: CauseCatalogue) -> String {
        switch resolved?.reason {
        case .alias?: return "did you mean '\(resolved!.id)'? ('\(cause)' is an alias of it)"
        case .spelling?, .nearest?: return "did you mean '\(resolved!.id)'?"
        case nil:
            guard let id = Slug.isValid(cause) ? cause : Slug.derived(from: cause, maxLength: 120) else {
                return "use an existing id, or add one (lowercase ASCII letters, digits and '-') to \(catalogue.path) with a title and description"
            }
            return "add '\(id)' to \(catalogue.path) with a title and description, or use an existing id"
        }
    }
}

extension Finding.Message {
    /// `causes/unknown`: there is no catalogue to check against.
    static func noCatalogue(_ cause: String, at path: String) -> Self { Self("cause '\(cause)' cannot be checked: there is no catalogue at \(path)") }
    /// `causes/unknown`.
    static func unknownCause(_ cause: String, catalogue path: String) -> Self { Self("cause '\(cause)' is not in the catalogue \(path)") }
}

/// `causes/invalid-catalogue`: the root-cause catalogue is not a mapping of id → {title, description}.
public struct InvalidCatalogueRule: ArchiveRule {
    public let id = "causes/invalid-catalogue"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "the root-cause catalogue maps slug ids to {title, description, category?, aliases?}",
        rationale: "The catalogue gives recurring causes one name, so the archive can count how often each one struck. A malformed entry would silently drop a cause from every page and every recurrence count.",
        triggering: [ExampleDocument.example("# causes.yml\nno-alert-on-saturation: No alert", otherFiles: ["postmortems/causes.yml": "no-alert-on-saturation: No alert\n"])],
        passing: [ExampleDocument.example("# causes.yml\nno-alert-on-saturation:\n  title: No alert on saturation\n  description: …")])

    public init() {}

    public func check(_ archive: Archive, context: RuleContext, into findings: inout Findings) {
        guard let catalogue = archive.catalogue else { return }
        for problem in catalogue.problems {
            findings.add(path: catalogue.path, source: catalogue.source, bytes: problem.bytes, .invalidCatalogue(problem.message))
        }
    }
}

extension Finding.Message {
    /// `causes/invalid-catalogue`: the catalogue reader's description of the problem.
    static func invalidCatalogue(_ problem: String) -> Self { Self(problem) }
}

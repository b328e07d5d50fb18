/// `causes/recurring`: shows, on a postmortem, the other incidents its causes were behind.
public struct RecurringCauseRule: DocumentRule {
    public let id = "causes/recurring"
    public let defaultSeverity = Severity.info
    public let documentation = RuleDocumentation(
        summary: "a cause this postmortem cites also caused other incidents",
        rationale: "Failing twice for the same reason is the thing a postmortem archive exists to prevent. Seeing the earlier incidents while writing the new one is the moment to ask why the earlier fixes did not hold.",
        triggering: [ExampleDocument.example("root_causes: [no-alert-on-saturation]   # also cited by postmortems/2024/queue.md",
                                             otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(fields: ExampleDocument.earlierIncident)])],
        passing: [ExampleDocument.example("root_causes: [no-alert-on-saturation]   # cited nowhere else")])

    static let listLimit = 8

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let archive = context.archive
        for cause in Self.unique(postmortem.rootCauses + postmortem.contributingFactors) {
            let others = (archive.byCause[cause.value] ?? []).filter { archive.postmortems[$0].path != postmortem.path }
            guard !others.isEmpty else { continue }
            // A cause behind hundreds of incidents would make an unreadable line: list the earliest
            // few and say how many more there are (`inquest causes` lists them all).
            let list = others.prefix(Self.listLimit).map { index -> String in
                let other = archive.postmortems[index]
                return "\(other.id) (\(other.date.map(String.init(describing:)) ?? "undated"))"
            }
            let more = others.count > Self.listLimit ? " and \(others.count - Self.listLimit) more" : ""
            findings.add(postmortem, cause.bytes, "cause '\(cause.value)' also caused: \(list.joined(separator: ", "))\(more)",
                         suggestion: "check whether the action items of those incidents held; link them in 'related'")
        }
    }

    static func unique(_ causes: [Located<String>]) -> [Located<String>] {
        var seen: Set<String> = []
        return causes.filter { seen.insert($0.value).inserted }
    }
}

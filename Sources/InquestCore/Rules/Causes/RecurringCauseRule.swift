/// `causes/recurring`: shows, on a postmortem, the other incidents its causes were behind.
public struct RecurringCauseRule: DocumentRule {
    public let id = "causes/recurring"
    public let defaultSeverity = Severity.info
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "a cause this postmortem cites also caused other incidents",
        rationale: "Failing twice for the same reason is the thing a postmortem archive exists to prevent. Seeing the earlier incidents while writing the new one is the moment to ask why the earlier fixes did not hold.",
        triggering: [ExampleDocument.example("root_causes: [no-alert-on-saturation]   # also cited by postmortems/2024/queue.md",
                                             otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(fields: ExampleDocument.earlierIncident)])],
        passing: [ExampleDocument.example("root_causes: [no-alert-on-saturation]   # cited nowhere else")])

    static let listLimit = 8

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for found in Self.found(in: postmortem, archive: context.archive) {
            findings.add(postmortem, found.bytes, found.message, suggestion: Self.suggestion)
        }
    }

    static let suggestion = "check whether the action items of those incidents held; link them in 'related'"

    /// What the rule finds in `postmortem`, at its causes' bytes. Reads only the document's path
    /// and causes and the archive's indexes, never another document's body: the lint cache runs
    /// it on documents it holds as stubs (``CachedLint``) when a cause's incidents changed.
    static func found(in postmortem: Postmortem, archive: Archive) -> [(bytes: Range<Int>, message: Finding.Message)] {
        var out: [(bytes: Range<Int>, message: Finding.Message)] = []
        // This document's own indexes, found once: filtering a cause's incidents by path would
        // compare strings over every incident of the cause, for every document (quadratic).
        let mine = archive.indexes(ofPath: postmortem.path)
        for cause in unique(postmortem.rootCauses + postmortem.contributingFactors) {
            let all = archive.byCause[cause.value] ?? []
            let othersCount = all.count - mine.filter { archive.chronologicalList(all, contains: $0) }.count
            guard othersCount > 0 else { continue }
            // A cause behind hundreds of incidents would make an unreadable line: list the earliest
            // few and say how many more there are (`inquest causes` lists them all).
            var list: [String] = []
            for index in all where !mine.contains(index) {
                guard list.count < listLimit else { break }
                list.append(archive.incidentLabel(index))
            }
            let more = othersCount > listLimit ? " and \(othersCount - listLimit) more" : ""
            out.append((cause.bytes, .recurringCause(cause.value, incidents: list, more: more)))
        }
        return out
    }

    static func unique(_ causes: [Located<String>]) -> [Located<String>] {
        var seen: Set<String> = []
        return causes.filter { seen.insert($0.value).inserted }
    }
}

extension Finding.Message {
    /// `causes/recurring`; `more` is empty or " and N more".
    static func recurringCause(_ cause: String, incidents: [String], more: String) -> Self { Self("cause '\(cause)' also caused: \(incidents.joined(separator: ", "))\(more)") }
}

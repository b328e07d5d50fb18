/// `causes/similar`: root-cause text reads like an earlier postmortem's, yet they share no cause id.
public struct SimilarRootCausesRule: DocumentRule {
    public let id = "causes/similar"
    public let defaultSeverity = Severity.info
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "the Root Causes text is similar to an earlier postmortem's that shares no cause id",
        rationale: "The same failure is often described twice in different words and filed under different causes, which hides the recurrence. Text similarity (TF-IDF cosine over content words and word pairs, boilerplate discounted) points at the likely twin, so the author can share a cause id or add a related link.",
        triggering: [ExampleDocument.example("## Root Causes\n\nThe session cache ran on a single host with no replica, so losing the host dropped every session.",
                                             fields: ["contributing_factors": nil],
                                             sections: ["Root Causes": "The session cache ran on a single host with no replica, so losing the host dropped every session."],
                                             otherFiles: ["postmortems/2024/sessions.md": ExampleDocument.make(
                                                fields: ExampleDocument.earlierIncident.merging(["root_causes": "[missing-runbook-step]", "contributing_factors": nil]) { $1 },
                                                sections: ["Root Causes": "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped."])])],
        passing: [ExampleDocument.example("## Root Causes\n\nThe certificate renewal job stopped after a permissions change and nothing watched expiry dates.",
                                          fields: ["contributing_factors": nil],
                                          sections: ["Root Causes": "The certificate renewal job stopped after a permissions change and nothing watched expiry dates."],
                                          otherFiles: ["postmortems/2024/sessions.md": ExampleDocument.make(
                                             fields: ExampleDocument.earlierIncident.merging(["root_causes": "[missing-runbook-step]", "contributing_factors": nil]) { $1 },
                                             sections: ["Root Causes": "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped."])])])

    /// At most this many similar earlier postmortems are reported on one postmortem.
    static let reportLimit = 3

    public init() {}

    /// A score as the message shows it: what the lint cache compares to know that a document's
    /// findings still hold after other documents' Root Causes changed.
    static func percent(_ score: Double) -> Int { Int((score * 100).rounded()) }

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let archive = context.archive
        guard let index = archive.byID[postmortem.id]?.first(where: { archive.postmortems[$0].path == postmortem.path }),
              let section = postmortem.section("Root Causes") else { return }
        let linked = Set(postmortem.related.map(\.value))
        let myRank = archive.chronologicalRank[index]
        // The incidents of each of this document's causes, oldest first: a neighbour shares a
        // cause when it is in one of them (a binary search on ranks, no string hashing).
        let causeLists = Set(postmortem.allCauses).compactMap { archive.byCause[$0] }
        var reported = 0
        // Neighbours come best first; the few closest twins are what an author can act on. A
        // document of a common cause has neighbours in the hundreds at 10,000 documents, nearly
        // all of the same cause, so each is settled with integers first and read through a
        // borrowed buffer only if it passes: `archive.postmortems[i].x` copies the whole
        // postmortem (a retain per field) before reading one property.
        archive.postmortems.withUnsafeBufferPointer { postmortems in
            for match in archive.similarity.neighbours[index] where reported < Self.reportLimit {
                // Only earlier incidents: the later one is where the author can act on it.
                guard archive.chronologicalRank[match.index] < myRank,
                      !causeLists.contains(where: { archive.chronologicalList($0, contains: match.index) }) else { continue }
                let other = UnsafePointer(postmortems.baseAddress! + match.index)
                guard !linked.contains(other.pointee.id),
                      !other.pointee.related.contains(where: { $0.value == postmortem.id }) else { continue }
                reported += 1
                let id = other.pointee.id
                let date = other.pointee.date.map(String.init(describing:)) ?? "undated"
                let score = Self.percent(match.score)
                findings.add(postmortem, section.headingBytes,
                             .similarRootCauses(id, date: date, similarity: score),
                             suggestion: "cite a shared cause (\(other.pointee.allCauses.joined(separator: ", "))) or add '\(id)' to 'related'")
            }
        }
    }
}

extension Finding.Message {
    /// `causes/similar`; `date` is the other postmortem's date or "undated", `similarity` a percentage.
    static func similarRootCauses(_ id: String, date: String, similarity: Int) -> Self { Self("root causes read like \(id) (\(date)), which shares no cause id (similarity \(similarity)%)") }
}

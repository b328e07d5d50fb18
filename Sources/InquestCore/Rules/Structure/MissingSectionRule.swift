/// `structure/missing-section`: a required H2 section (or one of its aliases) is absent.
public struct MissingSectionRule: DocumentRule {
    public let id = "structure/missing-section"
    public let defaultSeverity = Severity.error
    public let documentation = RuleDocumentation(
        summary: "every required section (Summary, Impact, Timeline, Root Causes, Resolution, Action Items by default) must be present",
        rationale: "A postmortem without a timeline cannot show how detection worked; one without root causes or action items cannot prevent the next incident. Headings are compared after normalising them (case, numbering such as '2.', suffixes such as '(all times PST)', punctuation, '&', plurals) and common aliases count ('Issue Summary', 'Why did it happen?', 'Root Cause and Resolution'). Sections are the H2 headings, or the document's shallowest heading level when it has no H2. Documents without front-matter are checked too.",
        triggering: [ExampleDocument.example("(no '## Impact' section)", sections: ["Impact": nil])],
        passing: [ExampleDocument.example("## Issue Summary   (an alias of Summary)", rename: ["Summary": "Issue Summary"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        // Without front-matter the body is still readable: check it, unless there is no body at all.
        guard postmortem.syntaxProblems.allSatisfy(\.leavesBodyReadable),
              postmortem.syntaxProblems.isEmpty || !postmortem.body.children.isEmpty else { return }
        let schema = context.schema
        let present = Set(postmortem.sections.flatMap(\.canonicalNames))
        for (position, name) in schema.requiredSections.enumerated() where !present.contains(name) {
            // Point where the section belongs: at the next required section that is present, else the end.
            let later = schema.requiredSections[(position + 1)...]
            let anchor = postmortem.sections.first { section in section.canonicalNames.contains { later.contains($0) } }?.headingBytes
            let end = postmortem.source.bytes.count
            let bytes = anchor ?? (postmortem.sections.last?.headingBytes ?? (postmortem.bodyStart..<postmortem.bodyStart))
            let aliases = schema.sections.first { $0.name == name }?.aliases ?? []
            // The first few aliases are enough to show the idea; the full list is in the configuration docs.
            let shown = aliases.count > 4 ? aliases.prefix(3) + ["…"] : aliases[...]
            let also = aliases.isEmpty ? "" : " (or one of: \(shown.joined(separator: ", ")))"
            findings.add(postmortem, anchor == nil && postmortem.sections.isEmpty ? min(postmortem.bodyStart, end)..<min(postmortem.bodyStart, end) : bytes,
                         "missing required section '\(name)'",
                         suggestion: "add '## \(name)'\(also)")
        }
    }
}

/// `structure/missing-section`: a required H2 section (or one of its aliases) is absent.
public struct MissingSectionRule: DocumentRule {
    public let id = "structure/missing-section"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "every required section (Summary, Impact, Timeline, Root Causes, Resolution, Action Items by default) must be present",
        rationale: "A postmortem without a timeline cannot show how detection worked; one without root causes or action items cannot prevent the next incident. Headings are compared after normalising them (case, numbering such as '2.', suffixes such as '(all times PST)', punctuation, '&', plurals) and common aliases count ('Issue Summary', 'Why did it happen?', 'Root Cause and Resolution'). Sections are the H2 headings, or the document's shallowest heading level when it has no H2. Documents without front-matter are checked too. A heading that is a misspelling of exactly one missing section ('## Root Casues') is reported on that heading, and `inquest lint --fix` renames it.",
        triggering: [ExampleDocument.example("(no '## Impact' section)", sections: ["Impact": nil]),
                     ExampleDocument.example("## Root Casues   (misspelt: --fix renames it)", rename: ["Root Causes": "Root Casues"])],
        passing: [ExampleDocument.example("## Issue Summary   (an alias of Summary)", rename: ["Summary": "Issue Summary"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        // Without front-matter the body is still readable: check it, unless there is no body at all.
        guard postmortem.syntaxProblems.allSatisfy(\.leavesBodyReadable),
              postmortem.syntaxProblems.isEmpty || !postmortem.body.children.isEmpty else { return }
        let schema = context.schema
        let present = Set(postmortem.sections.flatMap(\.canonicalNames))
        let misspelt = Self.misspeltHeadings(postmortem, missing: schema.requiredSections.filter { !present.contains($0) }, schema: schema)
        for (position, name) in schema.requiredSections.enumerated() where !present.contains(name) {
            if let (section, text) = misspelt[name] {
                findings.add(postmortem, section.headingBytes, .missingSection(name),
                             suggestion: "rename '\(section.heading)' to '\(name)'", fix: Fix(bytes: text, replacement: name))
                continue
            }
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
                         .missingSection(name),
                         suggestion: "add '## \(name)'\(also)")
        }
    }

    /// Missing sections whose heading is there but misspelt ('## Root Casues'): an unknown ATX
    /// heading close to one missing name (or its aliases) and to no other, the only such heading
    /// for that name, and plain words (no numbering or suffix that renaming would drop). Maps the
    /// name to the section and the byte range of its heading text, which the fix replaces.
    static func misspeltHeadings(_ postmortem: Postmortem, missing: [String], schema: Schema) -> [String: (Section, Range<Int>)] {
        guard !missing.isEmpty else { return [:] }
        var claims: [String: [(Section, Range<Int>)]] = [:]
        for section in postmortem.sections where section.canonicalNames.isEmpty && !schema.isCompanion(section.heading) {
            let key = Schema.normalize(section.heading)
            guard section.heading.allSatisfy({ $0.isLetter || $0 == " " }), let text = atxText(section, in: postmortem.source.bytes) else { continue }
            let near = missing.filter { name in
                let spellings = ([name] + (schema.sections.first { $0.name == name }?.aliases ?? [])).map(Schema.normalize)
                // One edit per four letters, at most three: 'Impcat' is Impact, 'Impala' is not.
                return spellings.contains { Spelling.editDistance(key, $0) <= min(3, max(1, $0.count / 4)) }
            }
            if near.count == 1 { claims[near[0], default: []].append((section, text)) }
        }
        return claims.compactMapValues { $0.count == 1 ? $0[0] : nil }
    }

    /// The text of an ATX heading line (`## Text ##`), when the parsed heading is exactly that text.
    private static func atxText(_ section: Section, in bytes: [UInt8]) -> Range<Int>? {
        var start = section.headingBytes.lowerBound
        let end = min(section.headingBytes.upperBound, bytes.count)
        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
        guard start < end, bytes[start] == UInt8(ascii: "#") else { return nil }
        while start < end, bytes[start] == UInt8(ascii: "#") { start += 1 }
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        var stop = end
        while stop > start, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(bytes[stop - 1]) { stop -= 1 }
        guard start < stop, String(decoding: bytes[start..<stop], as: UTF8.self) == section.heading else { return nil }
        return start..<stop
    }
}

extension Finding.Message {
    /// `structure/missing-section`.
    static func missingSection(_ name: String) -> Self { Self("missing required section '\(name)'") }
}

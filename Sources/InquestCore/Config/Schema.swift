/// The front-matter and structure schema postmortems are checked against. Configurable in `inquest.yml`.
public struct Schema: Sendable, Equatable {
    /// A section the structure rules know, with the headings that count as it.
    public struct SectionSpec: Sendable, Equatable {
        public var name: String
        public var aliases: [String]

        public init(name: String, aliases: [String] = []) {
            self.name = name
            self.aliases = aliases
        }
    }

    public static let statuses = ["draft", "in-review", "final"]
    public static let knownFields: Set<String> = [
        "title", "date", "status", "severity", "authors", "services", "id", "started", "detected", "mitigated",
        "resolved", "root_causes", "contributing_factors", "tags", "related",
    ]

    public var severities: [String] = ["SEV1", "SEV2", "SEV3", "SEV4"]
    public var requiredFields: [String] = ["title", "date", "status", "severity", "authors", "services"]
    /// Fields required in addition when `status: final`.
    public var finalRequiredFields: [String] = ["started", "resolved", "root_causes"]
    /// Every section the structure rules know, required or optional, with aliases.
    public var sections: [SectionSpec] = [
        .init(name: "Summary", aliases: ["Issue Summary", "Overview", "TL;DR"]),
        .init(name: "Impact"),
        .init(name: "Timeline"),
        .init(name: "Root Causes", aliases: ["Root Cause", "Root Cause Analysis", "Contributing Factors", "Root Cause and Resolution"]),
        .init(name: "Resolution", aliases: ["Recovery", "Mitigation", "Root Cause and Resolution"]),
        .init(name: "Action Items", aliases: [
            "Corrective and Preventive Measures", "Corrective and Preventative Measures", "Follow-up Actions", "Remediation",
        ]),
        .init(name: "Detection"),
        .init(name: "Lessons Learned"),
        .init(name: "What Went Well"),
        .init(name: "Where We Got Lucky"),
        .init(name: "Appendix"),
    ]
    public var requiredSections: [String] = ["Summary", "Impact", "Timeline", "Root Causes", "Resolution", "Action Items"]
    /// The order required sections must appear in (others may go anywhere).
    public var order: [String] = ["Summary", "Impact", "Timeline", "Root Causes", "Resolution", "Action Items"]
    /// Headings that satisfy a section but may stand beside it without being a duplicate.
    public var companions: Set<String> = ["contributing factors"]

    public init() {}

    /// Lowercased, inner white space collapsed, trailing colon dropped: how headings are compared.
    public static func normalize(_ heading: String) -> String {
        var text = heading.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        while text.hasSuffix(":") { text.removeLast() }
        return text
    }

    /// The key a heading is matched by: see ``Schema/normalize(_:)``. Public so tools that learn an
    /// archive's heading variants (`inquest adopt`) group headings exactly as the parser matches them.
    public static func normalizeHeading(_ heading: String) -> String { normalize(heading) }

    /// Normalised heading → canonical names, for parsing many documents with one schema.
    public func headingTable() -> [String: [String]] {
        var table: [String: [String]] = [:]
        for spec in sections {
            for heading in Set([spec.name] + spec.aliases).map(Self.normalize) where !(table[heading]?.contains(spec.name) ?? false) {
                table[heading, default: []].append(spec.name)
            }
        }
        return table
    }

    /// The canonical section names a heading satisfies ("Root Cause and Resolution" satisfies two).
    public func canonicalNames(forHeading heading: String) -> [String] {
        let key = Self.normalize(heading)
        return sections.filter { spec in
            Self.normalize(spec.name) == key || spec.aliases.contains { Self.normalize($0) == key }
        }.map(\.name)
    }
}

/// Builds complete, clean example postmortems with one thing changed, so each rule's examples are
/// short to write, whole files to check, and clean except for what they demonstrate.
public enum ExampleDocument {
    /// The catalogue every example archive has.
    public static let catalogue = """
    no-alert-on-saturation:
      title: No alert on saturation
      description: A resource filled up without any alert firing before users noticed.
    missing-runbook-step:
      title: Missing runbook step
      description: The runbook omitted a step the change needed.

    """

    public static let catalogueFiles = ["postmortems/causes.yml": catalogue]

    /// Field overrides that move the baseline incident to 2024-05-01: "an earlier incident".
    public static let earlierIncident: [String: String?] = [
        "date": "2024-05-01", "started": "\"2024-05-01T09:00:00Z\"", "detected": "\"2024-05-01T09:10:00Z\"",
        "mitigated": "\"2024-05-01T09:40:00Z\"", "resolved": "\"2024-05-01T10:05:00Z\"",
    ]

    static let fields: [(String, String)] = [
        ("title", "Checkout latency after cache eviction"),
        ("date", "2025-03-04"),
        ("status", "final"),
        ("severity", "SEV2"),
        ("authors", "[Priya Raman]"),
        ("services", "[checkout]"),
        ("started", "\"2025-03-04T09:00:00Z\""),
        ("detected", "\"2025-03-04T09:10:00Z\""),
        ("mitigated", "\"2025-03-04T09:40:00Z\""),
        ("resolved", "\"2025-03-04T10:05:00Z\""),
        ("root_causes", "[no-alert-on-saturation]"),
        ("contributing_factors", "[missing-runbook-step]"),
    ]

    static let sections: [(String, String)] = [
        ("Summary", "The checkout cache evicted its hot set and latency rose for 65 minutes."),
        ("Impact", "About 4% of checkouts took longer than 5 s."),
        ("Timeline", """
        All times in UTC.

        - 09:00 — A deploy changes the cache eviction policy.
        - 09:10 — The latency alert fires.
        - 09:40 — The previous policy is restored.
        """),
        ("Root Causes", "The cache had no alert on its eviction rate, so saturation went unseen."),
        ("Resolution", "The previous eviction policy was restored and the cache warmed up."),
        ("Action Items", "- [ ] Alert on cache eviction rate — @platform-team, LRK-101, due: 2025-04-01"),
    ]

    /// A clean document with fields and sections replaced (`nil` removes them), plus extra sections.
    /// - Parameters:
    ///   - fields: front-matter values as YAML text, by key; new keys are appended.
    ///   - sections: section bodies by heading; new headings are appended.
    ///   - rename: heading renames (old → new).
    public static func make(fields overrides: [String: String?] = [:], sections sectionOverrides: [String: String?] = [:],
                            rename: [String: String] = [:], extraBody: String = "") -> String {
        var text = "---\n"
        for (key, value) in fields {
            if let override = overrides[key] {
                if let override { text += "\(key): \(override)\n" }
            } else {
                text += "\(key): \(value)\n"
            }
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) where !fields.contains(where: { $0.0 == key }) {
            if let value { text += "\(key): \(value)\n" }
        }
        text += "---\n\n# Checkout latency after cache eviction\n"
        for (heading, body) in sections {
            let content: String?
            if let override = sectionOverrides[heading] { content = override } else { content = body }
            guard let content else { continue }
            text += "\n## \(rename[heading] ?? heading)\n\n\(content)\n"
        }
        for (heading, body) in sectionOverrides.sorted(by: { $0.key < $1.key }) where !sections.contains(where: { $0.0 == heading }) {
            if let body { text += "\n## \(heading)\n\n\(body)\n" }
        }
        return text + extraBody
    }

    /// An example whose whole document is the clean baseline with changes; `focus` is what `explain` prints.
    public static func example(_ focus: String, fields: [String: String?] = [:], sections: [String: String?] = [:],
                               rename: [String: String] = [:], extraBody: String = "", otherFiles: [String: String] = [:]) -> RuleExample {
        RuleExample(focus: focus, document: make(fields: fields, sections: sections, rename: rename, extraBody: extraBody),
                    otherFiles: catalogueFiles.merging(otherFiles) { $1 })
    }
}

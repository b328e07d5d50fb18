/// Which H2 section of a postmortem a piece of prose comes from.
///
/// Some rules only make sense in one place: a root-cause statement that names a
/// person's act is blame, while an action item is *expected* to name an owner.
public enum ProseContext: Sendable, Hashable, CaseIterable {
    /// Summary, impact, detection, response and other storytelling sections.
    case narrative
    /// "Root Cause(s)" and "Contributing Factors".
    case rootCauses
    /// "Action Items", "Follow-ups", "Remediation": owners are expected here.
    case actionItems
    /// "Timeline": terse, time-stamped entries.
    case timeline
    /// Anything else (appendices, glossary, custom sections).
    case other
}

/// One unit of plain prose handed to the analyzer: a paragraph, a list item or a table cell.
///
/// The caller has already flattened Markdown: soft line breaks are joined with a single
/// space, and every code span, URL and inline HTML element is replaced by one U+FFFC
/// (OBJECT REPLACEMENT CHARACTER). The analyzer treats U+FFFC as an opaque noun and never
/// matches inside it. Block quotes and code blocks are never passed in.
public struct ProseBlock: Sendable {
    /// The flattened prose.
    public var text: String
    /// The section the prose comes from.
    public var context: ProseContext

    /// Creates a block of prose from the given section.
    public init(text: String, context: ProseContext) {
        self.text = text
        self.context = context
    }
}

/// One blame-language problem found in a ``ProseBlock``.
public struct BlamelessFinding: Sendable, Equatable {
    /// Stable rule id, e.g. `"blameless/counterfactual"`.
    public var rule: String
    /// UTF-8 byte offsets into ``ProseBlock/text`` covering exactly the words to underline.
    public var range: Range<Int>
    /// Why this is a problem: one line, lowercase start, no trailing period.
    public var message: String
    /// A concrete rewrite the author can adopt, when one can be offered.
    public var suggestion: String?

    /// Creates a finding.
    public init(rule: String, range: Range<Int>, message: String, suggestion: String?) {
        self.rule = rule
        self.range = range
        self.message = message
        self.suggestion = suggestion
    }
}

/// Per-repository knowledge that sharpens the rules.
public struct BlamelessOptions: Sendable {
    /// Full names of people ("Sam Porter"). The full name and the first name are both
    /// recognised, whole-word and only in their capitalised form.
    public var people: [String]
    /// `@handles` that name teams rather than individuals (e.g. `"@dba-team"`).
    public var teams: [String]
    /// Phrases that are never flagged (case-insensitive). A finding whose underlined text
    /// contains one of these, or that lies inside an occurrence of one, is dropped.
    public var allow: [String]
    /// Extra phrases that are always flagged as `blameless/blame-word`.
    public var deny: [String]
    /// People recognised by their full name only (two or more words), e.g. commit authors: their
    /// first names are often ordinary words ("May", "Grant", "Mark") and would cry wolf.
    public var fullNamesOnly: [String] = []

    /// Creates options; every list defaults to empty.
    public init(people: [String] = [], teams: [String] = [], allow: [String] = [], deny: [String] = []) {
        self.people = people
        self.teams = teams
        self.allow = allow
        self.deny = deny
    }
}

/// One postmortem, parsed: typed front-matter fields, sections, timeline and action items, all
/// located in the file. Fields that are missing or invalid are nil/empty here; the schema rules
/// report why from ``frontMatter``.
public struct Postmortem: Sendable {
    public enum Status: String, Sendable, CaseIterable { case draft, inReview = "in-review", final }

    public var path: String
    public var source: SourceText
    /// A content identity for caches (git blob id or a hash), when known.
    public var contentID: String?

    /// The id: front-matter `id` when it is a valid slug, else the file name stem.
    public var id: String
    /// Front-matter as parsed; nil when missing or broken (see ``syntaxProblems``).
    public var frontMatter: YAMLNode?
    /// Problems that stopped the file from being read normally (encoding, front-matter syntax).
    public var syntaxProblems: [SyntaxProblem]

    public var title: String?
    public var date: CalendarDate?
    public var status: Status?
    public var severity: String?
    public var authors: [String]
    public var services: [String]
    public var started: Timestamp?
    public var detected: Timestamp?
    public var mitigated: Timestamp?
    public var resolved: Timestamp?
    public var rootCauses: [Located<String>]
    public var contributingFactors: [Located<String>]
    public var tags: [String]
    public var related: [Located<String>]

    /// The Markdown body, located in the file.
    public var body: MarkdownNode
    /// Byte offset at which the body starts.
    public var bodyStart: Int
    public var sections: [Section]
    public var timeline: [TimelineEntry]
    public var actionItems: [ActionItem]
    public var suppressions: [Suppression]

    /// All cause ids, root causes first.
    public var allCauses: [String] { rootCauses.map(\.value) + contributingFactors.map(\.value) }

    /// The first section satisfying canonical `name`.
    public func section(_ name: String) -> Section? {
        sections.first { $0.canonicalNames.contains(name) }
    }

    /// Front-matter value of `key`.
    public func field(_ key: String) -> YAMLNode? { frontMatter?[key] }

    /// The key node of `key`, for diagnostics about the field as a whole.
    public func fieldKey(_ key: String) -> YAMLNode? {
        frontMatter?.mapping?.first { $0.key.scalar == key }?.key
    }
}

/// A problem that prevents normal reading of a file.
public struct SyntaxProblem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case encoding, frontMatter }
    public var kind: Kind
    public var message: String
    public var bytes: Range<Int>
    /// How to fix it, when there is a standard way.
    public var suggestion: String?

    /// True when the body could still be read as usual (the front-matter is simply missing), so
    /// structure, timeline, action-item and language rules run as for any document.
    public var leavesBodyReadable: Bool

    public init(kind: Kind, message: String, bytes: Range<Int>, suggestion: String? = nil, leavesBodyReadable: Bool = false) {
        self.kind = kind
        self.message = message
        self.bytes = bytes
        self.suggestion = suggestion
        self.leavesBodyReadable = leavesBodyReadable
    }
}

/// An H2 section: its heading and the blocks until the next H2.
public struct Section: Sendable {
    public var heading: String
    public var headingBytes: Range<Int>
    /// Canonical names this heading satisfies under the schema (empty for unknown sections).
    public var canonicalNames: [String]
    public var blocks: [MarkdownNode]
    /// From the heading to the end of the section's last block.
    public var bytes: Range<Int>

    /// Blocks other than HTML comments: what makes a section non-empty.
    public var contentBlocks: [MarkdownNode] {
        blocks.filter { $0.kind != .htmlBlock }
    }
}

/// One line of the Timeline section.
public struct TimelineEntry: Sendable {
    /// The entry's visible text.
    public var text: String
    public var bytes: Range<Int>
    /// The time as written (e.g. `09:12`, `2025-03-04 23:58 UTC`), when the entry starts with one.
    public var timeText: String?
    public var timeBytes: Range<Int>?
    /// The resolved instant, after applying the date, the zone and midnight rollover.
    public var time: Timestamp?
    /// Where the entry's calendar date came from; nil when the entry has no time.
    public var dateSource: TimelineSource?
    /// Where the entry's UTC offset came from; nil when the entry has no time.
    public var zoneSource: TimelineSource?
    /// A time-like token at the start of the entry that could not be read (`14:??`, `25:10`), quoted
    /// by `timeline/missing-time`; nil when the entry has a time or nothing that looks like one.
    public var unreadableTime: String?
}

/// Where a timeline entry's date or zone was found, nearest first. Raw values are stable: they
/// appear in `inquest export`.
public enum TimelineSource: String, Sendable, CaseIterable, Codable {
    /// Written in the entry itself (`2025-03-04 09:12 CET`).
    case entry
    /// A heading, bold line or date-only row or paragraph above the entry (`### March 4`).
    case heading
    /// The entry's table: a date column in the row, or a zone in the column header (`Time (CET)`).
    case table
    /// The Timeline section's own heading (`## Timeline (all times PST)`).
    case section
    /// A line in the section such as `All times in CET.`
    case line
    /// Carried forward from an earlier entry of the same timeline.
    case previous
    /// An earlier entry's date plus one day: the times went back past midnight.
    case rollover
    /// The document: its front-matter (`started`'s offset) or a zone stated once near its top.
    case document
    /// The incident date: front-matter `date` (or the date `started` falls on).
    case incident
    /// The configured default (`timeline.zone` in `inquest.yml`, UTC unless set).
    case config
}

/// A GFM task-list item in the Action Items section.
public struct ActionItem: Sendable {
    public enum State: String, Sendable { case open, done }

    public var text: String
    /// The item's first paragraph as prose with positions (for language rules).
    public var prose: ProseText?
    public var bytes: Range<Int>
    public var state: State
    public var owner: String?
    public var ticket: String?
    public var due: CalendarDate?
}

/// An inline suppression comment.
public struct Suppression: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        /// From the comment to the matching `inquest-enable` (or the end of the file), 1-based lines inclusive.
        case lines(ClosedRange<Int>)
        case file
    }

    /// Rule ids; empty means every rule.
    public var rules: [String]
    public var scope: Scope
    /// Where the comment is, for `inquest/unused-suppression`.
    public var bytes: Range<Int>

    public func covers(rule: String, line: Int) -> Bool {
        guard rules.isEmpty || rules.contains(rule) else { return false }
        switch scope {
        case .file: return true
        case let .lines(range): return range.contains(line)
        }
    }
}

/// One postmortem, parsed: typed front-matter fields, sections, timeline and action items, all
/// located in the file. Fields that are missing or invalid are nil/empty here; the schema rules
/// report why from ``frontMatter``.
public struct Postmortem: Sendable {
    public enum Status: String, Sendable, CaseIterable { case draft, inReview = "in-review", final }

    /// The fields, shared by every copy until one is changed (copy on write): a postmortem is
    /// passed around by value everywhere (archives, views, page keys), and copying ~30 fields
    /// each time retained every string and array they hold.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline var path: String
        @usableFromInline var source: SourceText
        @usableFromInline var contentID: String?
        @usableFromInline var id: String
        @usableFromInline var frontMatter: YAMLNode?
        @usableFromInline var syntaxProblems: [SyntaxProblem]
        @usableFromInline var title: String?
        @usableFromInline var date: CalendarDate?
        @usableFromInline var status: Status?
        @usableFromInline var severity: String?
        @usableFromInline var authors: [String]
        @usableFromInline var services: [String]
        @usableFromInline var started: Timestamp?
        @usableFromInline var detected: Timestamp?
        @usableFromInline var mitigated: Timestamp?
        @usableFromInline var resolved: Timestamp?
        @usableFromInline var rootCauses: [Located<String>]
        @usableFromInline var contributingFactors: [Located<String>]
        @usableFromInline var tags: [String]
        @usableFromInline var related: [Located<String>]
        @usableFromInline var body: MarkdownNode
        @usableFromInline var bodyStart: Int
        @usableFromInline var sections: [Section]
        @usableFromInline var timeline: [TimelineEntry]
        @usableFromInline var actionItems: [ActionItem]
        @usableFromInline var suppressions: [Suppression]

        @usableFromInline
        init(path: String, source: SourceText, contentID: String?, id: String, frontMatter: YAMLNode?,
                syntaxProblems: [SyntaxProblem], title: String?, date: CalendarDate?, status: Status?, severity: String?,
                authors: [String], services: [String], started: Timestamp?, detected: Timestamp?, mitigated: Timestamp?,
                resolved: Timestamp?, rootCauses: [Located<String>], contributingFactors: [Located<String>], tags: [String],
                related: [Located<String>], body: MarkdownNode, bodyStart: Int, sections: [Section], timeline: [TimelineEntry],
                actionItems: [ActionItem], suppressions: [Suppression]) {
            self.path = path
            self.source = source
            self.contentID = contentID
            self.id = id
            self.frontMatter = frontMatter
            self.syntaxProblems = syntaxProblems
            self.title = title
            self.date = date
            self.status = status
            self.severity = severity
            self.authors = authors
            self.services = services
            self.started = started
            self.detected = detected
            self.mitigated = mitigated
            self.resolved = resolved
            self.rootCauses = rootCauses
            self.contributingFactors = contributingFactors
            self.tags = tags
            self.related = related
            self.body = body
            self.bodyStart = bodyStart
            self.sections = sections
            self.timeline = timeline
            self.actionItems = actionItems
            self.suppressions = suppressions
        }

        @usableFromInline
        func copy() -> Storage {
            Storage(path: path, source: source, contentID: contentID, id: id, frontMatter: frontMatter,
                    syntaxProblems: syntaxProblems, title: title, date: date, status: status, severity: severity, authors: authors,
                    services: services, started: started, detected: detected, mitigated: mitigated, resolved: resolved,
                    rootCauses: rootCauses, contributingFactors: contributingFactors, tags: tags, related: related, body: body,
                    bodyStart: bodyStart, sections: sections, timeline: timeline, actionItems: actionItems,
                    suppressions: suppressions)
        }
    }

    // Mutated only while uniquely referenced (``unique()``): that is what makes the class
    // safe to share across threads.
    @usableFromInline
    var storage: Storage

    init(path: String, source: SourceText, contentID: String?, id: String, frontMatter: YAMLNode?, syntaxProblems: [SyntaxProblem],
            title: String?, date: CalendarDate?, status: Status?, severity: String?, authors: [String], services: [String],
            started: Timestamp?, detected: Timestamp?, mitigated: Timestamp?, resolved: Timestamp?, rootCauses: [Located<String>],
            contributingFactors: [Located<String>], tags: [String], related: [Located<String>], body: MarkdownNode, bodyStart: Int,
            sections: [Section], timeline: [TimelineEntry], actionItems: [ActionItem], suppressions: [Suppression]) {
        storage = Storage(path: path, source: source, contentID: contentID, id: id, frontMatter: frontMatter,
                syntaxProblems: syntaxProblems, title: title, date: date, status: status, severity: severity, authors: authors,
                services: services, started: started, detected: detected, mitigated: mitigated, resolved: resolved,
                rootCauses: rootCauses, contributingFactors: contributingFactors, tags: tags, related: related, body: body,
                bodyStart: bodyStart, sections: sections, timeline: timeline, actionItems: actionItems, suppressions: suppressions)
    }

    @inlinable
    mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    @inlinable
    public var path: String {
        get { storage.path }
        _modify {
            unique()
            yield &storage.path
        }
    }
    @inlinable
    public var source: SourceText {
        get { storage.source }
        _modify {
            unique()
            yield &storage.source
        }
    }
    /// A content identity for caches (git blob id or a hash), when known.
    @inlinable
    public var contentID: String? {
        get { storage.contentID }
        _modify {
            unique()
            yield &storage.contentID
        }
    }
    /// The id: front-matter `id` when it is a valid slug, else the file name stem.
    @inlinable
    public var id: String {
        get { storage.id }
        _modify {
            unique()
            yield &storage.id
        }
    }
    /// Front-matter as parsed; nil when missing or broken (see ``syntaxProblems``).
    @inlinable
    public var frontMatter: YAMLNode? {
        get { storage.frontMatter }
        _modify {
            unique()
            yield &storage.frontMatter
        }
    }
    /// Problems that stopped the file from being read normally (encoding, front-matter syntax).
    @inlinable
    public var syntaxProblems: [SyntaxProblem] {
        get { storage.syntaxProblems }
        _modify {
            unique()
            yield &storage.syntaxProblems
        }
    }
    @inlinable
    public var title: String? {
        get { storage.title }
        _modify {
            unique()
            yield &storage.title
        }
    }
    @inlinable
    public var date: CalendarDate? {
        get { storage.date }
        _modify {
            unique()
            yield &storage.date
        }
    }
    @inlinable
    public var status: Status? {
        get { storage.status }
        _modify {
            unique()
            yield &storage.status
        }
    }
    @inlinable
    public var severity: String? {
        get { storage.severity }
        _modify {
            unique()
            yield &storage.severity
        }
    }
    @inlinable
    public var authors: [String] {
        get { storage.authors }
        _modify {
            unique()
            yield &storage.authors
        }
    }
    @inlinable
    public var services: [String] {
        get { storage.services }
        _modify {
            unique()
            yield &storage.services
        }
    }
    @inlinable
    public var started: Timestamp? {
        get { storage.started }
        _modify {
            unique()
            yield &storage.started
        }
    }
    @inlinable
    public var detected: Timestamp? {
        get { storage.detected }
        _modify {
            unique()
            yield &storage.detected
        }
    }
    @inlinable
    public var mitigated: Timestamp? {
        get { storage.mitigated }
        _modify {
            unique()
            yield &storage.mitigated
        }
    }
    @inlinable
    public var resolved: Timestamp? {
        get { storage.resolved }
        _modify {
            unique()
            yield &storage.resolved
        }
    }
    @inlinable
    public var rootCauses: [Located<String>] {
        get { storage.rootCauses }
        _modify {
            unique()
            yield &storage.rootCauses
        }
    }
    @inlinable
    public var contributingFactors: [Located<String>] {
        get { storage.contributingFactors }
        _modify {
            unique()
            yield &storage.contributingFactors
        }
    }
    @inlinable
    public var tags: [String] {
        get { storage.tags }
        _modify {
            unique()
            yield &storage.tags
        }
    }
    @inlinable
    public var related: [Located<String>] {
        get { storage.related }
        _modify {
            unique()
            yield &storage.related
        }
    }
    /// The Markdown body, located in the file.
    @inlinable
    public var body: MarkdownNode {
        get { storage.body }
        _modify {
            unique()
            yield &storage.body
        }
    }
    /// Byte offset at which the body starts.
    @inlinable
    public var bodyStart: Int {
        get { storage.bodyStart }
        _modify {
            unique()
            yield &storage.bodyStart
        }
    }
    @inlinable
    public var sections: [Section] {
        get { storage.sections }
        _modify {
            unique()
            yield &storage.sections
        }
    }
    @inlinable
    public var timeline: [TimelineEntry] {
        get { storage.timeline }
        _modify {
            unique()
            yield &storage.timeline
        }
    }
    @inlinable
    public var actionItems: [ActionItem] {
        get { storage.actionItems }
        _modify {
            unique()
            yield &storage.actionItems
        }
    }
    @inlinable
    public var suppressions: [Suppression] {
        get { storage.suppressions }
        _modify {
            unique()
            yield &storage.suppressions
        }
    }

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
    /// The 1-based line the item starts on, when known without the document's bytes (a site stub
    /// made from cached facts); nil reads it from the source (``Postmortem/line(of:)``).
    public var line: Int? = nil
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

extension Postmortem {
    /// The 1-based line action item `item` starts on: from the item when it carries it (a stub
    /// whose bytes were not read), else from the source.
    public func line(of item: ActionItem) -> Int {
        item.line ?? source.position(of: item.bytes.lowerBound).line
    }
}

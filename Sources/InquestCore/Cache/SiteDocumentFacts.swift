import Foundation

/// What the site reads about a document everywhere but on its own page: its front-matter facts,
/// its action items (with where each item's first paragraph is), and the plain text of its
/// Summary section. Small enough to keep per document in the site facts cache
/// (``SiteFactsCache``): a rebuild turns an unchanged document into a stub ``Postmortem``
/// carrying these facts and its bytes (``stub(source:contentID:)``) instead of parsing it, and
/// parses it only when its own page is rendered.
public struct SiteDocumentFacts: Sendable, Equatable {
    public var path: String
    public var id: String
    public var title: String?
    public var date: CalendarDate?
    public var status: Postmortem.Status?
    public var severity: String?
    public var authors: [String]
    public var services: [String]
    public var started: Timestamp?
    public var detected: Timestamp?
    public var mitigated: Timestamp?
    public var resolved: Timestamp?
    public var rootCauses: [String]
    public var contributingFactors: [String]
    public var tags: [String]
    public var related: [String]
    /// The action items (their ``ActionItem/prose`` is not kept: only language rules read it).
    public var actionItems: [Item]
    /// Plain text of the Summary section's content blocks, joined by spaces; nil without one.
    public var summaryText: String?
    /// Size of the document's bytes: what page keys and the search cache key read of a stub, whose
    /// bytes are not read unless a page shows its body.
    public var size: Int

    /// An action item as the site reads it.
    public struct Item: Sendable, Equatable {
        public var text: String
        public var bytes: Range<Int>
        public var state: ActionItem.State
        public var owner: String?
        public var ticket: String?
        public var due: CalendarDate?
        /// Bytes of the item's first paragraph (what lists show), when it has one.
        public var paragraph: Range<Int>?
        /// 1-based line the item starts on (the action tracker's overdue entries carry it).
        public var line: Int
        /// The bytes of ``paragraph`` (lists show them), so a stub's file need not be read for them.
        public var markdown: [UInt8]?
    }

    /// The facts of a parsed document. `paragraphs` gives the first paragraph of each action item
    /// by the item's start offset (the site's own reading of the Action Items section).
    public init(_ postmortem: Postmortem, paragraphs: [Int: Range<Int>], summaryText: String?) {
        path = postmortem.path
        id = postmortem.id
        title = postmortem.title
        date = postmortem.date
        status = postmortem.status
        severity = postmortem.severity
        authors = postmortem.authors
        services = postmortem.services
        started = postmortem.started
        detected = postmortem.detected
        mitigated = postmortem.mitigated
        resolved = postmortem.resolved
        rootCauses = postmortem.rootCauses.map(\.value)
        contributingFactors = postmortem.contributingFactors.map(\.value)
        tags = postmortem.tags
        related = postmortem.related.map(\.value)
        let source = postmortem.source
        actionItems = postmortem.actionItems.map { item in
            let paragraph = paragraphs[item.bytes.lowerBound]
            return Item(text: item.text, bytes: item.bytes, state: item.state, owner: item.owner, ticket: item.ticket, due: item.due,
                        paragraph: paragraph, line: source.position(of: item.bytes.lowerBound).line,
                        markdown: paragraph.map { Array(source.bytes[$0.clamped(to: 0..<source.bytes.count)]) })
        }
        self.summaryText = summaryText
        size = source.bytes.count
    }

    /// A postmortem holding only these facts and `source` (no front-matter tree, no body, no
    /// sections, no timeline): every index of the ``Archive`` and every list of the site reads
    /// the same values from it as from the parsed document.
    public func stub(source: SourceText, contentID: String?) -> Postmortem {
        Postmortem(path: path, source: source, contentID: contentID, id: id, frontMatter: nil, syntaxProblems: [],
                   title: title, date: date, status: status, severity: severity, authors: authors, services: services,
                   started: started, detected: detected, mitigated: mitigated, resolved: resolved,
                   rootCauses: rootCauses.map { Located($0, bytes: 0..<0) },
                   contributingFactors: contributingFactors.map { Located($0, bytes: 0..<0) },
                   tags: tags, related: related.map { Located($0, bytes: 0..<0) },
                   body: MarkdownNode(kind: .document, literal: nil, bytes: 0..<0, children: []), bodyStart: 0,
                   sections: [], timeline: [],
                   actionItems: actionItems.map { item in
                       ActionItem(text: item.text, prose: nil, bytes: item.bytes, state: item.state, owner: item.owner,
                                  ticket: item.ticket, due: item.due, line: item.line)
                   },
                   suppressions: [])
    }

    // MARK: Encoding (``CacheWriter``'s format)

    func encode(into writer: inout CacheWriter) {
        writer.string(path)
        writer.string(id)
        writer.optionalString(title)
        writer.optionalDate(date)
        writer.optionalString(status?.rawValue)
        writer.optionalString(severity)
        writer.strings(authors)
        writer.strings(services)
        for time in [started, detected, mitigated, resolved] { writer.optionalTimestamp(time) }
        writer.strings(rootCauses)
        writer.strings(contributingFactors)
        writer.strings(tags)
        writer.strings(related)
        writer.unsigned(UInt64(actionItems.count))
        for item in actionItems {
            writer.string(item.text)
            writer.int(item.bytes.lowerBound)
            writer.int(item.bytes.upperBound)
            writer.bool(item.state == .done)
            writer.optionalString(item.owner)
            writer.optionalString(item.ticket)
            writer.optionalDate(item.due)
            writer.bool(item.paragraph != nil)
            if let paragraph = item.paragraph { writer.int(paragraph.lowerBound); writer.int(paragraph.upperBound) }
            writer.int(item.line)
            writer.bool(item.markdown != nil)
            if let markdown = item.markdown { writer.block(markdown) }
        }
        writer.optionalString(summaryText)
        writer.int(size)
    }

    init(from reader: inout CacheReader) throws(CacheReader.Failure) {
        path = try reader.string()
        id = try reader.string()
        title = try reader.optionalString()
        date = try reader.optionalDate()
        if let raw = try reader.optionalString() {
            guard let value = Postmortem.Status(rawValue: raw) else { throw .init() }
            status = value
        } else {
            status = nil
        }
        severity = try reader.optionalString()
        authors = try reader.strings()
        services = try reader.strings()
        started = try reader.optionalTimestamp()
        detected = try reader.optionalTimestamp()
        mitigated = try reader.optionalTimestamp()
        resolved = try reader.optionalTimestamp()
        rootCauses = try reader.strings()
        contributingFactors = try reader.strings()
        tags = try reader.strings()
        related = try reader.strings()
        var items: [Item] = []
        for _ in 0..<(try reader.count()) {
            let text = try reader.string()
            let low = try reader.int(), high = try reader.int()
            guard low >= 0, low <= high else { throw .init() }
            let done = try reader.bool()
            let owner = try reader.optionalString(), ticket = try reader.optionalString()
            let due = try reader.optionalDate()
            var paragraph: Range<Int>?
            if try reader.bool() {
                let start = try reader.int(), end = try reader.int()
                guard start >= 0, start <= end else { throw .init() }
                paragraph = start..<end
            }
            let line = try reader.int()
            var markdown: [UInt8]?
            if try reader.bool() {
                let range = try reader.block()
                markdown = Array(UnsafeBufferPointer(start: reader.base + range.lowerBound, count: range.count))
            }
            items.append(Item(text: text, bytes: low..<high, state: done ? .done : .open, owner: owner, ticket: ticket, due: due,
                              paragraph: paragraph, line: line, markdown: markdown))
        }
        actionItems = items
        summaryText = try reader.optionalString()
        size = try reader.int()
        guard size >= 0 else { throw .init() }
    }
}

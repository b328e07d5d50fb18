import Foundation

/// What the site reads about a document everywhere but on its own page: its front-matter facts,
/// its action items (with where each item's first paragraph is), and the plain text of its
/// Summary section. Small enough to keep per document in the site facts cache
/// (``SiteFactsCache``): a rebuild turns an unchanged document into a stub ``Postmortem``
/// carrying these facts and its bytes (``stub(source:contentID:)``) instead of parsing it, and
/// parses it only when its own page is rendered.
public struct SiteDocumentFacts: Sendable, Equatable {
    /// The facts, as plain fields.
    struct Fields: Equatable {
        var path: String
        var id: String
        var title: String?
        var date: CalendarDate?
        var status: Postmortem.Status?
        var severity: String?
        var authors: [String]
        var services: [String]
        var started: Timestamp?
        var detected: Timestamp?
        var mitigated: Timestamp?
        var resolved: Timestamp?
        var rootCauses: [String]
        var contributingFactors: [String]
        var tags: [String]
        var related: [String]
        var actionItems: [Item]
        var summaryText: String?
        var size: Int
        var linkTails: [String]?
    }

    /// The fields, shared by every copy until one is changed (copy on write): the facts of
    /// 10,000 documents pass through the cache, the stubs, the site model and every view, and
    /// copying ~20 fields each time retained every string and array they hold.
    final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    /// The storage, copied first when another value shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    public var path: String {
        get { storage.fields.path }
        set { unique().fields.path = newValue }
    }
    public var id: String {
        get { storage.fields.id }
        set { unique().fields.id = newValue }
    }
    public var title: String? {
        get { storage.fields.title }
        set { unique().fields.title = newValue }
    }
    public var date: CalendarDate? {
        get { storage.fields.date }
        set { unique().fields.date = newValue }
    }
    public var status: Postmortem.Status? {
        get { storage.fields.status }
        set { unique().fields.status = newValue }
    }
    public var severity: String? {
        get { storage.fields.severity }
        set { unique().fields.severity = newValue }
    }
    public var authors: [String] {
        get { storage.fields.authors }
        set { unique().fields.authors = newValue }
    }
    public var services: [String] {
        get { storage.fields.services }
        set { unique().fields.services = newValue }
    }
    public var started: Timestamp? {
        get { storage.fields.started }
        set { unique().fields.started = newValue }
    }
    public var detected: Timestamp? {
        get { storage.fields.detected }
        set { unique().fields.detected = newValue }
    }
    public var mitigated: Timestamp? {
        get { storage.fields.mitigated }
        set { unique().fields.mitigated = newValue }
    }
    public var resolved: Timestamp? {
        get { storage.fields.resolved }
        set { unique().fields.resolved = newValue }
    }
    public var rootCauses: [String] {
        get { storage.fields.rootCauses }
        set { unique().fields.rootCauses = newValue }
    }
    public var contributingFactors: [String] {
        get { storage.fields.contributingFactors }
        set { unique().fields.contributingFactors = newValue }
    }
    public var tags: [String] {
        get { storage.fields.tags }
        set { unique().fields.tags = newValue }
    }
    public var related: [String] {
        get { storage.fields.related }
        set { unique().fields.related = newValue }
    }
    /// The action items (their ``ActionItem/prose`` is not kept: only language rules read it).
    public var actionItems: [Item] {
        get { storage.fields.actionItems }
        set { unique().fields.actionItems = newValue }
    }
    /// What the body's links to other files can name (``linkTails(in:)``); nil when they cannot
    /// be told from its bytes.
    public var linkTails: [String]? {
        get { storage.fields.linkTails }
        set { unique().fields.linkTails = newValue }
    }
    /// Plain text of the Summary section's content blocks, joined by spaces; nil without one.
    public var summaryText: String? {
        get { storage.fields.summaryText }
        set { unique().fields.summaryText = newValue }
    }
    /// Size of the document's bytes: what page keys and the search cache key read of a stub, whose
    /// bytes are not read unless a page shows its body.
    public var size: Int {
        get { storage.fields.size }
        set { unique().fields.size = newValue }
    }

    public static func == (a: SiteDocumentFacts, b: SiteDocumentFacts) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

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
        let source = postmortem.source
        let items = postmortem.actionItems.map { item in
            let paragraph = paragraphs[item.bytes.lowerBound]
            return Item(text: item.text, bytes: item.bytes, state: item.state, owner: item.owner, ticket: item.ticket, due: item.due,
                        paragraph: paragraph, line: source.position(of: item.bytes.lowerBound).line,
                        markdown: paragraph.map { Array(source.bytes[$0.clamped(to: 0..<source.bytes.count)]) })
        }
        storage = Storage(Fields(path: postmortem.path, id: postmortem.id, title: postmortem.title, date: postmortem.date,
                          status: postmortem.status, severity: postmortem.severity, authors: postmortem.authors,
                          services: postmortem.services, started: postmortem.started, detected: postmortem.detected,
                          mitigated: postmortem.mitigated, resolved: postmortem.resolved,
                          rootCauses: postmortem.rootCauses.map(\.value), contributingFactors: postmortem.contributingFactors.map(\.value),
                          tags: postmortem.tags, related: postmortem.related.map(\.value), actionItems: items,
                          summaryText: summaryText, size: source.bytes.count,
                          linkTails: Self.linkTails(in: source.bytes[min(postmortem.bodyStart, source.bytes.count)...])))
    }

    /// Every run of bytes in a Markdown body that ends with `.md` or `.markdown` (before a byte
    /// that is not a letter or digit), back to the nearest `/`, bracket, parenthesis, quote, `=`,
    /// `:` or line break: a link to a file of the archive names its file name at the end of one
    /// of them (or spaces before it: a name with spaces ends one). So a rendered body depends on
    /// the archive's paths only through the documents whose file name ends one of these runs at
    /// a space or at its start. Nil when a link can spell a file name with other bytes: a run
    /// holds `%`, `&` or `\` (percent-encoding, an entity, an escape), or the body has `&#` or
    /// `&period` (an entity for the dot). A `%` elsewhere (percentages) does not matter.
    public static func linkTails(in body: ArraySlice<UInt8>) -> [String]? {
        var tails: Set<String> = []
        let failed: Bool = body.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            func byte(_ index: Int) -> UInt8 { index >= 0 && index < count ? bytes[index] : 0 }
            func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) }
            for index in 0..<count {
                switch bytes[index] {
                case UInt8(ascii: "&") where byte(index + 1) == UInt8(ascii: "#"): return true
                case UInt8(ascii: "&") where byte(index + 1) == UInt8(ascii: "p") && byte(index + 2) == UInt8(ascii: "e"): return true
                case UInt8(ascii: "."):
                    var end = -1
                    if byte(index + 1) == UInt8(ascii: "m"), byte(index + 2) == UInt8(ascii: "d"), !isAlphanumeric(byte(index + 3)) {
                        end = index + 3
                    } else if byte(index + 1) == UInt8(ascii: "m"), byte(index + 2) == UInt8(ascii: "a"), index + 9 <= count,
                              Array(bytes[(index + 1)..<(index + 9)]) == Array("markdown".utf8), !isAlphanumeric(byte(index + 9)) {
                        end = index + 9
                    }
                    guard end > 0 else { continue }
                    var start = index
                    while start > 0 {
                        let previous = bytes[start - 1]
                        if previous == 0x2F || previous == 0x28 || previous == 0x29 || previous == 0x3C || previous == 0x3E
                            || previous == 0x5B || previous == 0x5D || previous == 0x22 || previous == 0x27 || previous == 0x3D
                            || previous == 0x3A || previous == 0x0A || previous == 0x0D { break }
                        start -= 1
                    }
                    for inside in start..<end where bytes[inside] == UInt8(ascii: "%") || bytes[inside] == UInt8(ascii: "&")
                        || bytes[inside] == UInt8(ascii: "\\") { return true }
                    tails.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                default:
                    continue
                }
            }
            return false
        }
        return failed ? nil : tails.sorted()
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
        writer.bool(linkTails != nil)
        if let linkTails { writer.strings(linkTails) }
    }

    init(from reader: inout CacheReader) throws(CacheReader.Failure) {
        let path = try reader.string()
        let id = try reader.string()
        let title = try reader.optionalString()
        let date = try reader.optionalDate()
        var status: Postmortem.Status?
        if let raw = try reader.optionalString() {
            guard let value = Postmortem.Status(rawValue: raw) else { throw .init() }
            status = value
        }
        let severity = try reader.optionalString()
        let authors = try reader.strings()
        let services = try reader.strings()
        let started = try reader.optionalTimestamp()
        let detected = try reader.optionalTimestamp()
        let mitigated = try reader.optionalTimestamp()
        let resolved = try reader.optionalTimestamp()
        let rootCauses = try reader.strings()
        let contributingFactors = try reader.strings()
        let tags = try reader.strings()
        let related = try reader.strings()
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
        let summaryText = try reader.optionalString()
        let size = try reader.int()
        guard size >= 0 else { throw .init() }
        let linkTails = try reader.bool() ? try reader.strings() : nil
        storage = Storage(Fields(path: path, id: id, title: title, date: date, status: status, severity: severity, authors: authors,
                          services: services, started: started, detected: detected, mitigated: mitigated, resolved: resolved,
                          rootCauses: rootCauses, contributingFactors: contributingFactors, tags: tags, related: related,
                          actionItems: items, summaryText: summaryText, size: size, linkTails: linkTails))
    }
}

import InquestCore

/// One postmortem prepared for the pages: its summary (what every list shows), its action items
/// and timeline with inline HTML, and the times to detect, mitigate and resolve.
struct PostmortemView: Sendable {
    let index: Int
    /// The summary, made the first time a page asks (``summary(in:)``): a rebuild shows few of
    /// the archive's summaries, and page keys read the facts it is made from instead.
    private let memo: SummaryMemo
    let actionItems: [ActionItemView]
    let timeline: [TimelineEntryView]
    /// Seconds from start to detection, mitigation, resolution.
    let timeToDetect: Int?
    let timeToMitigate: Int?
    let timeToResolve: Int?

    init(index: Int, model: SiteModel) {
        self.init(index: index, postmortems: model.archive.postmortems, facts: model.stubFacts[index], now: model.now)
    }

    /// The view of `postmortems[index]`, with its stub's facts (nil for a parsed document) and
    /// "now": all it reads of the model (10,000 views a build: no model copied per view).
    init(index: Int, postmortems: [Postmortem], facts: SiteDocumentFacts?, now: CalendarDate?) {
        // The document read in place: a copy retained every one of its fields.
        self = postmortems.withUnsafeBufferPointer { Self(index: index, postmortem: $0[index], facts: facts, now: now) }
    }

    private init(index: Int, postmortem: borrowing Postmortem, facts stubFacts: SiteDocumentFacts?, now: CalendarDate?) {
        self.index = index
        memo = SummaryMemo()
        // Durations are the core's (the same numbers reports and stats use).
        timeToDetect = postmortem.timeToDetect
        timeToMitigate = postmortem.timeToMitigate
        timeToResolve = postmortem.timeToResolve

        if let facts = stubFacts, facts.actionItems.count == postmortem.actionItems.count {
            // A stub: its facts carry each item's paragraph and line (it has no sections and no
            // timeline, and its file may not have been read).
            actionItems = postmortem.actionItems.enumerated().map { ordinal, item in
                let fact = facts.actionItems[ordinal]
                return ActionItemView(postmortem: index, ordinal: ordinal + 1, item: item, markdown: fact.markdown?[...], line: fact.line,
                                      now: now)
            }
            timeline = []
        } else {
            let paragraphs = Self.firstParagraphs(of: postmortem)
            actionItems = postmortem.actionItems.enumerated().map { ordinal, item in
                ActionItemView(postmortem: index, ordinal: ordinal + 1, item: item, paragraph: paragraphs[item.bytes.lowerBound]?.bytes,
                               source: postmortem.source, now: now)
            }
            timeline = TimelineEntryView.entries(of: postmortem, paragraphs: paragraphs)
        }
    }

    /// The summary every list shows, made once per view. Its inputs are the document's facts, the
    /// slugs of its services, causes and tags, whether its causes recur, its git dates and "now"
    /// (``PageInputs/documentDigest(_:_:)`` hashes exactly those).
    func summary(in model: SiteModel) -> TemplateValue {
        if let known = memo.value.withLock({ $0 }) { return known }
        let made = makeSummary(model)
        memo.value.withLock { $0 = made }
        return made
    }

    private func makeSummary(_ model: SiteModel) -> TemplateValue {
        let postmortem = model.archive.postmortems[index]
        let history = model.archive.history?.documents[postmortem.path]
        let title = postmortem.title.flatMap { $0.isEmpty ? nil : $0 } ?? postmortem.id
        let published = history?.published.map { $0.time.localDate } ?? postmortem.date
        let updated = history?.updated.map { $0.time.localDate } ?? postmortem.date
        let open = actionItems.count { $0.item.state == .open }
        let overdue = actionItems.count { $0.isOverdue }
        var fields: TemplateObject = [:]
        fields.reserveCapacity(32)
        fields["id"] = .string(postmortem.id)
        fields["url"] = .string(model.postmortemURL(index))
        fields["title"] = .string(title)
        fields["date"] = postmortem.date.map { .string($0.description) }
        fields["date_long"] = postmortem.date.map { .string(Format.longDate($0)) }
        fields["year"] = postmortem.date.map { .string(String($0.year)) }
        fields["severity"] = postmortem.severity.template
        fields["severity_class"] = .string(model.severityClass(postmortem.severity))
        fields["status"] = postmortem.status.map { .string($0.rawValue) }
        fields["status_label"] = postmortem.status.map { .string(Self.statusLabel($0)) }
        fields["services"] = .list(postmortem.services.sorted().map { .object(["name": .string($0), "url": .string(model.serviceURL($0))]) })
        // Cause links without counts: a summary appears on many pages, and a count would make a
        // new incident of a cause change every page that lists any incident of that cause.
        fields["causes"] = .list(postmortem.allCauses.uniqued().map { id in
                model.causeLink(id).merging(["is_root": .bool(postmortem.rootCauses.contains { $0.value == id })])
            })
        fields["tags"] = .list(postmortem.tags.uniqued().sorted().map { .object(["name": .string($0), "url": .string(model.tagURL($0))]) })
        fields["authors"] = .list(postmortem.authors.map { .string($0) })
        fields["duration"] = timeToResolve.flatMap(Format.duration).template
        fields["duration_seconds"] = timeToResolve.map { .int($0) }
        fields["filter_services"] = .string(postmortem.services.compactMap { model.serviceSlugs[$0] }.sorted().joined(separator: " "))
        fields["filter_causes"] = .string(postmortem.allCauses.compactMap { model.causeSlugs[$0] }.uniqued().sorted().joined(separator: " "))
        fields["filter_severity"] = .string(postmortem.severity ?? "")
        fields["filter_status"] = .string(postmortem.status?.rawValue ?? "")
        fields["filter_year"] = .string(postmortem.date.map { String($0.year) } ?? "")
        fields["sort_date"] = .string(postmortem.date?.description ?? "")
        fields["sort_severity"] = .int(postmortem.severity.flatMap { model.severities.firstIndex(of: $0) } ?? model.severities.count)
        fields["published"] = published.map { .string($0.description) }
        fields["updated"] = updated.map { .string($0.description) }
        fields["open_action_items"] = .int(open)
        fields["overdue_action_items"] = .int(overdue)
        // Absent optional values are `false`, never missing: Mustache would otherwise look the name
        // up in enclosing contexts and show another object's value.
        for key in ["date", "date_long", "year", "severity", "status", "status_label", "duration", "duration_seconds", "published", "updated"]
        where fields[key] == nil {
            fields[key] = .bool(false)
        }
        return .keyed(.object(fields))
    }

    static func statusLabel(_ status: Postmortem.Status) -> String {
        switch status {
        case .draft: "Draft"
        case .inReview: "In review"
        case .final: "Final"
        }
    }

    /// The first paragraph of every list item and table row in the Timeline and Action Items
    /// sections, by the item's start offset: the text a timeline entry or action item shows.
    static func firstParagraphs(of postmortem: Postmortem) -> [Int: MarkdownNode] {
        var out: [Int: MarkdownNode] = [:]
        for name in ["Timeline", "Action Items"] {
            for block in postmortem.section(name)?.blocks ?? [] {
                block.walk { node in
                    if case .item = node.kind, let paragraph = node.children.first(where: { $0.kind == .paragraph }) {
                        out[node.bytes.lowerBound] = paragraph
                    }
                }
            }
        }
        return out
    }
}

/// An action item with its inline HTML and its state as of "now".
struct ActionItemView: Sendable {
    let postmortem: Int
    /// 1-based position in the postmortem: the `action-N` anchor.
    let ordinal: Int
    let item: ActionItem
    /// The Markdown of the item's first paragraph, checkbox removed; nil for an item that has none.
    /// The HTML is made from it only when a page shows the item: every item of every document
    /// gets a view, and a rebuild renders few of them.
    let markdown: ArraySlice<UInt8>?
    let isOverdue: Bool

    /// Whole days past the due date as of "now" (the core's ``ArchiveActionItem/daysOverdue(now:)``), nil unless overdue.
    let daysOverdue: Int?

    /// - Parameter paragraph: the bytes of the item's first paragraph, when it has one.
    init(postmortem: Int, ordinal: Int, item: ActionItem, paragraph: Range<Int>?, source: SourceText, now: CalendarDate?) {
        self.init(postmortem: postmortem, ordinal: ordinal, item: item,
                  markdown: paragraph.map { source.bytes[$0.clamped(to: 0..<source.bytes.count)] },
                  line: source.position(of: item.bytes.lowerBound).line, now: now)
    }

    /// - Parameters:
    ///   - markdown: the bytes of the item's first paragraph, when it has one.
    ///   - line: the 1-based line the item starts on.
    init(postmortem: Int, ordinal: Int, item: ActionItem, markdown: ArraySlice<UInt8>?, line: Int, now: CalendarDate?) {
        self.postmortem = postmortem
        self.ordinal = ordinal
        self.item = item
        self.markdown = markdown.map(InlineMarkdown.trimCheckbox)
        // Overdue is the core's judgement (the same one `inquest report actions` prints).
        let entry = ArchiveActionItem(postmortem: postmortem, item: item, line: line)
        isOverdue = entry.isOverdue(now: now)
        daysOverdue = entry.daysOverdue(now: now)
    }

    /// Both HTML forms, made the first time a page asks (an item is shown on its postmortem's
    /// page, the tracker and its owner's page, in parallel).
    private let rendered = RenderedHTML()

    /// The item's inline HTML.
    var html: String {
        if let known = rendered.html.withLock({ $0 }) { return known }
        let html = markdown.map(InlineMarkdown.html) ?? HTMLText.escape(item.text)
        rendered.html.withLock { $0 = html }
        return html
    }

    /// `html` without the trailing owner/ticket/due fields, for tables that show them in columns.
    var htmlWithoutFields: String {
        if let known = rendered.withoutFields.withLock({ $0 }) { return known }
        var html = self.html
        if let markdown {
            let trimmed = InlineMarkdown.trimTrailingFields(markdown, owner: item.owner, ticket: item.ticket, due: item.due?.description)
            // Nothing trimmed (most items): the same bytes render to `html`.
            if trimmed.count != markdown.count { html = InlineMarkdown.html(trimmed) }
        }
        rendered.withoutFields.withLock { $0 = html }
        return html
    }

    /// Rendered HTML, shared by the copies of a view. Two threads may both render an item the
    /// first time; they store the same string.
    private final class RenderedHTML: Sendable {
        let html = Locked<String?>(nil)
        let withoutFields = Locked<String?>(nil)
    }

    var anchor: String { "action-\(ordinal)" }

    /// The item for templates; `postmortem` is the summary of the postmortem it belongs to
    /// (only on archive-wide lists).
    func value(in model: SiteModel, withPostmortem: Bool = false) -> TemplateValue {
        var fields: TemplateObject = [
            "anchor": .string(anchor),
            "html": .string(html),
            "text": .string(item.text),
            "state": .string(isOverdue ? "overdue" : item.state.rawValue),
            "state_label": .string(isOverdue ? "Overdue" : (item.state == .done ? "Done" : "Open")),
            "done": .bool(item.state == .done),
            "open": .bool(item.state == .open),
            "overdue": .bool(isOverdue),
            "owner": false, "ticket": false, "ticket_url": false, "due": false, "postmortem": false, "url": false, "item_url": false,
        ]
        if let owner = item.owner { fields["owner"] = .string(owner) }
        if let ticket = item.ticket {
            fields["ticket"] = .string(ticket)
            if let url = model.ticketURL(ticket) { fields["ticket_url"] = .string(url) }
        }
        if let due = item.due { fields["due"] = .string(due.description) }
        if withPostmortem {
            fields["postmortem"] = model.summary(postmortem)
            fields["url"] = .string(model.postmortemURL(postmortem) + "#" + anchor)
            fields["item_url"] = fields["url"]
        }
        return .object(fields)
    }
}

/// A timeline entry with inline HTML and where it sits relative to the incident's milestones.
struct TimelineEntryView: Sendable {
    /// Where the entry's HTML comes from.
    enum Text: Sendable {
        /// The Markdown after the time in a list item's paragraph.
        case markdown(ArraySlice<UInt8>)
        /// A table row: the visible text after the time cell.
        case afterTime
        /// The entry's text, escaped.
        case plain
    }

    let entry: TimelineEntry
    let text: Text

    /// The entry's inline HTML, made when its page is rendered (only the document's own page shows it).
    var html: String {
        switch text {
        case .markdown(let markdown): InlineMarkdown.html(InlineMarkdown.trimLeadingSeparators(markdown))
        case .afterTime: HTMLText.escape(String(InlineMarkdownText.trim(entry.text.dropFirst(entry.timeText?.count ?? 0))))
        case .plain: HTMLText.escape(entry.text)
        }
    }

    static func entries(of postmortem: Postmortem, paragraphs: [Int: MarkdownNode]) -> [TimelineEntryView] {
        let bytes = postmortem.source.bytes
        return postmortem.timeline.map { entry in
            if let paragraph = paragraphs[entry.bytes.lowerBound] {
                var start = paragraph.bytes.lowerBound
                if let time = entry.timeBytes, time.upperBound > start, time.upperBound <= paragraph.bytes.upperBound { start = time.upperBound }
                let end = min(paragraph.bytes.upperBound, bytes.count)
                return TimelineEntryView(entry: entry, text: start < end ? .markdown(bytes[start..<end]) : .plain)
            }
            if let timeText = entry.timeText, entry.text.hasPrefix(timeText) { return TimelineEntryView(entry: entry, text: .afterTime) }
            return TimelineEntryView(entry: entry, text: .plain)
        }
    }
}

/// A view's summary once made (two threads may both make it the first time; they store the same value).
final class SummaryMemo: Sendable {
    let value = Locked<TemplateValue?>(nil)
}

/// Separators after the time in plain text (table rows).
enum InlineMarkdownText {
    static func trim(_ text: Substring) -> Substring {
        text.drop { " \t|:—–-".contains($0) }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

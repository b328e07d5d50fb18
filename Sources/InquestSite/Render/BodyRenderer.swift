import Foundation
import InquestCore

/// Renders a postmortem's Markdown body to safe HTML (cmark-gfm via ``CmarkDocument``): heading
/// anchors, a table of contents, links between postmortem files rewritten to their pages, and
/// the Timeline and Action Items lists replaced by the theme's richer `timeline` and
/// `action-items` partials.
struct BodyRenderer {
    struct Heading: Sendable {
        var level: Int
        var id: String
        var text: String
    }

    struct Output: Sendable {
        var html: String
        var headings: [Heading]
    }

    /// Ids the page templates use themselves; headings never take them.
    static let reservedIDs: Set<String> = ["main-content", "page-toc", "site-header", "site-nav", "filter-form", "search-input",
                                           "search-results", "search-status", "postmortem-table", "revision-history", "related",
                                           "backlinks", "incident-card", "results-count"]

    let model: SiteModel
    let index: Int
    /// Renders a theme partial (`timeline`, `action-items`) with its data.
    let partial: (String, TemplateValue) -> String

    private var postmortem: Postmortem { model.archive.postmortems[index] }

    /// A top-level block replaced by a partial.
    private struct Special {
        var bytes: Range<Int>
        var html: String
    }

    func render() -> Output {
        let postmortem = self.postmortem
        let bytes = postmortem.source.bytes
        let start = min(postmortem.bodyStart, bytes.count)
        var ids = AnchorIDs(used: Self.reservedIDs.union(model.views[index].actionItems.map(\.anchor)))
        var headings: [Heading] = []
        var html = ""
        let specials = specialBlocks()
        let definitions = ReferenceDefinitions(referenceDefinitions())
        var cursor = start
        for special in specials {
            html += segment(bytes[cursor..<special.bytes.lowerBound], definitions: definitions, ids: &ids, headings: &headings)
            html += special.html
            cursor = special.bytes.upperBound
        }
        html += segment(bytes[cursor..<bytes.count], definitions: definitions, ids: &ids, headings: &headings)
        return Output(html: html, headings: headings)
    }

    private func segment(_ markdown: ArraySlice<UInt8>, definitions: ReferenceDefinitions, ids: inout AnchorIDs,
                         headings: inout [Heading]) -> String {
        guard markdown.contains(where: { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: " ") }) else { return "" }
        // Only the definitions this segment can refer to: appending all of them to each of many
        // segments made the work definitions × segments.
        let used = definitions.lines(usedBy: markdown)
        let source = used.isEmpty ? Array(markdown) : Array(markdown) + Array("\n\n".utf8) + used
        let rendered = CmarkDocument(bytes: source).renderHTML()
        return rewriteLinks(anchorHeadings(rendered, ids: &ids, headings: &headings))
    }

    // MARK: Timeline and action items

    /// Top-level Timeline lists/tables with timed entries and Action Items task lists, each with
    /// its replacement HTML. None when the body has footnotes: rendering in segments would split
    /// references from their definitions.
    private func specialBlocks() -> [Special] {
        let postmortem = self.postmortem
        var hasFootnotes = false
        postmortem.body.walk { if $0.kind == .footnoteDefinition || $0.kind == .footnoteReference { hasFootnotes = true } }
        guard !hasFootnotes else { return [] }
        let view = model.views[index]
        var out: [Special] = []
        for block in postmortem.section("Timeline")?.blocks ?? [] {
            guard block.kind == .table || isSimpleList(block, tasks: false) else { continue }
            let entries = view.timeline.filter { block.bytes.contains($0.entry.bytes.lowerBound) }
            guard entries.contains(where: { $0.entry.time != nil }) else { continue }
            out.append(Special(bytes: block.bytes, html: partial("timeline", timelineValue(entries))))
        }
        for block in postmortem.section("Action Items")?.blocks ?? [] where isSimpleList(block, tasks: true) {
            let items = view.actionItems.filter { block.bytes.contains($0.item.bytes.lowerBound) }
            guard !items.isEmpty else { continue }
            out.append(Special(bytes: block.bytes, html: partial("action-items", .object(["items": .list(items.map { $0.value(in: model) })]))))
        }
        let bodyRange = postmortem.bodyStart..<postmortem.source.bytes.count
        return out.filter { bodyRange.contains($0.bytes.lowerBound) && $0.bytes.upperBound <= bodyRange.upperBound }
            .sorted { $0.bytes.lowerBound < $1.bytes.lowerBound }
    }

    /// A list whose items are one paragraph each (and task items when `tasks`), so the partial
    /// shows everything the list said.
    private func isSimpleList(_ block: MarkdownNode, tasks: Bool) -> Bool {
        guard case .list = block.kind, !block.children.isEmpty else { return false }
        return block.children.allSatisfy { item in
            guard case .item(let task) = item.kind, item.children.count <= 1,
                  item.children.allSatisfy({ $0.kind == .paragraph }) else { return false }
            return !tasks || task != nil
        }
    }

    private func timelineValue(_ entries: [TimelineEntryView]) -> TemplateValue {
        let postmortem = self.postmortem
        let origin = postmortem.started ?? entries.compactMap(\.entry.time).first
        let milestones: [(key: String, label: String, time: Timestamp?)] = [
            ("started", "Started", postmortem.started), ("detected", "Detected", postmortem.detected),
            ("mitigated", "Mitigated", postmortem.mitigated), ("resolved", "Resolved", postmortem.resolved),
        ]
        var previousDay: CalendarDate?
        let values: [TemplateValue] = entries.map { view in
            var fields: [String: TemplateValue] = ["html": .string(view.html)]
            guard let time = view.entry.time else {
                fields["untimed"] = .bool(true)
                return .object(fields)
            }
            fields["time"] = .string(Format.clock(time))
            fields["datetime"] = .string(Format.rfc3339(time))
            let day = time.localDate
            if day != previousDay {
                fields["day"] = .string(day.description)
                previousDay = day
            }
            if let origin {
                let delta = time.seconds - origin.seconds
                fields["offset"] = .string(delta == 0 ? "T+0" : delta > 0 ? "T+" + (Format.duration(delta) ?? "") : "T−" + (Format.duration(-delta) ?? ""))
            }
            let hits = milestones.filter { $0.time?.seconds == time.seconds }
            if !hits.isEmpty {
                fields["milestones"] = .list(hits.map { .object(["key": .string($0.key), "label": .string($0.label)]) })
            }
            fields["phase"] = .string(phase(of: time))
            return .object(fields)
        }
        return .object(["entries": .list(values)])
    }

    /// Where an instant falls: before the start, impact not yet detected, detected, mitigated, resolved.
    private func phase(of time: Timestamp) -> String {
        let postmortem = self.postmortem
        if let resolved = postmortem.resolved, time.seconds >= resolved.seconds { return "resolved" }
        if let mitigated = postmortem.mitigated, time.seconds >= mitigated.seconds { return "mitigated" }
        if let detected = postmortem.detected, time.seconds >= detected.seconds { return "detected" }
        if let started = postmortem.started, time.seconds >= started.seconds { return "impact" }
        return "before"
    }

    // MARK: Reference definitions

    /// Link reference definitions (`[name]: url`) of the whole body, so that every segment
    /// rendered on its own still resolves them. cmark drops definitions from the tree, so they
    /// are the non-blank text between top-level blocks.
    private func referenceDefinitions() -> [UInt8] {
        let postmortem = self.postmortem
        let bytes = postmortem.source.bytes
        var gaps: [UInt8] = []
        var cursor = min(postmortem.bodyStart, bytes.count)
        // Raw HTML blocks can report ranges reaching far past their end: skip them, and never let
        // a block's range run into the next block.
        let blocks = postmortem.body.children.filter { $0.kind != .htmlBlock }.sorted { $0.bytes.lowerBound < $1.bytes.lowerBound }
        for (position, block) in blocks.enumerated() {
            let start = min(block.bytes.lowerBound, bytes.count)
            var end = min(block.bytes.upperBound, bytes.count)
            if position + 1 < blocks.count { end = min(end, blocks[position + 1].bytes.lowerBound) }
            if start > cursor { gaps += bytes[cursor..<start] }
            cursor = max(cursor, end)
        }
        if cursor < bytes.count { gaps += bytes[cursor...] }
        let text = String(decoding: gaps, as: UTF8.self)
        let lines = text.split(separator: "\n").filter { line in
            let trimmed = line.drop { $0 == " " }
            return trimmed.hasPrefix("[") && trimmed.contains("]:")
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    // MARK: Headings

    /// Gives every heading an id and a self-link, and records H2/H3 for the table of contents.
    /// cmark-gfm's safe mode emits no raw HTML, so `<hN>` only ever opens a real heading.
    /// Works on UTF-8 bytes with one forward cursor: linear in the HTML.
    private func anchorHeadings(_ html: String, ids: inout AnchorIDs, headings: inout [Heading]) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var cursor = 0
        while let open = Self.find(Self.headingOpen, in: bytes, from: cursor) {
            let levelByte = open + 2 < bytes.count ? bytes[open + 2] : 0
            guard (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(levelByte), open + 3 < bytes.count,
                  bytes[open + 3] == UInt8(ascii: ">") else {
                out += bytes[cursor..<(open + 2)]
                cursor = open + 2
                continue
            }
            let level = Int(levelByte - UInt8(ascii: "0"))
            let contentStart = open + 4
            guard let close = Self.find(Array("</h\(level)>".utf8), in: bytes, from: contentStart) else { break }
            let inner = String(decoding: bytes[contentStart..<close], as: UTF8.self)
            let text = HTMLText.text(ofHTML: inner).trimmingCharacters(in: .whitespaces)
            let id = ids.claim(HTMLText.anchor(for: text))
            if level == 2 || level == 3 { headings.append(Heading(level: level, id: id, text: text)) }
            out += bytes[cursor..<open]
            out += "<h\(level) id=\"\(id)\">\(inner) <a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section: \(HTMLText.escape(text))\">#</a></h\(level)>".utf8
            cursor = close + 5
        }
        out += bytes[cursor...]
        return String(decoding: out, as: UTF8.self)
    }

    private static let headingOpen = Array("<h".utf8)
    private static let hrefOpen = Array(" href=\"".utf8)

    /// The first occurrence of `needle` at or after `start` (needles are a few bytes, so this is
    /// linear in the bytes skipped).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var position = start
        let last = haystack.count - needle.count
        while position <= last {
            if haystack[position] == first {
                var matched = 1
                while matched < needle.count && haystack[position + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return position }
            }
            position += 1
        }
        return nil
    }

    // MARK: Links

    /// Rewrites relative links to other postmortem files (`../2024/x.md#impact`) to their pages,
    /// and other relative links to the hosted repository when `site.repo_url` is set. One pass
    /// over the bytes (a `range(of:)` per link on a Substring re-indexed the rest of the page each
    /// time, which made pages with many links quadratic).
    private func rewriteLinks(_ html: String) -> String {
        let bytes = Array(html.utf8)
        guard var attribute = Self.find(Self.hrefOpen, in: bytes, from: 0) else { return html }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var cursor = 0
        while true {
            let valueStart = attribute + Self.hrefOpen.count
            out += bytes[cursor..<valueStart]
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else {
                cursor = valueStart
                break
            }
            let value = HTMLText.decodeEntities(String(decoding: bytes[valueStart..<end], as: UTF8.self))
            out += HTMLText.escape(rewrite(value)).utf8
            cursor = end
            guard let next = Self.find(Self.hrefOpen, in: bytes, from: end) else { break }
            attribute = next
        }
        out += bytes[cursor...]
        return String(decoding: out, as: UTF8.self)
    }

    private func rewrite(_ url: String) -> String {
        guard !url.isEmpty, !url.hasPrefix("#"), !url.hasPrefix("/"), !url.contains("://"), !url.hasPrefix("mailto:") else { return url }
        var path = url
        var fragment = ""
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[hash...])
            path = String(path[..<hash])
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        let decoded = path.removingPercentEncoding ?? path
        let folder = postmortem.path.split(separator: "/").dropLast().map(String.init)
        guard let resolved = Self.normalise(folder + decoded.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) else { return url }
        if let slug = model.slugByPath[resolved] { return "\(slug).html" + fragment }
        if let repo = model.settings.repoURL, !repo.contains("{path}") {
            let encoded = model.repositoryPath(resolved).split(separator: "/").map { URLPath.encode(String($0)) }.joined(separator: "/")
            return repo + "/blob/HEAD/" + encoded + fragment
        }
        return url
    }

    /// Resolves `.` and `..`; nil when the path climbs above the repository root.
    static func normalise(_ parts: [String]) -> String? {
        var out: [String] = []
        for part in parts {
            switch part {
            case "", ".": continue
            case "..":
                guard !out.isEmpty else { return nil }
                out.removeLast()
            default: out.append(part)
            }
        }
        return out.joined(separator: "/")
    }
}

/// Heading ids handed out so far. Each base remembers the last suffix it reached, so 30,000
/// headings with the same text take 30,000 steps, not 30,000² / 2; every id skipped over is
/// still taken (ids are never released), so the result is the same as counting up from 1.
struct AnchorIDs {
    private(set) var used: Set<String>
    private var nextSuffix: [String: Int] = [:]

    init(used: Set<String>) { self.used = used }

    /// `base`, or `base-1`, `base-2`, … : the first one not taken yet, now taken.
    mutating func claim(_ base: String) -> String {
        var id = base
        if used.contains(id) {
            var counter = nextSuffix[base] ?? 1
            repeat {
                id = "\(base)-\(counter)"
                counter += 1
            } while used.contains(id)
            nextSuffix[base] = counter
        }
        used.insert(id)
        return id
    }
}

/// The body's link reference definitions (`[label]: url` lines) by normalised label, so each
/// segment gets only the definitions whose label it mentions.
struct ReferenceDefinitions {
    private var byLabel: [String: [Int]] = [:]
    private var lines: [[UInt8]] = []
    /// Lines whose label could not be read: always included, as before.
    private var unlabelled: [Int] = []

    init(_ text: [UInt8]) {
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let index = lines.count
            lines.append(Array(line))
            if let open = line.firstIndex(of: UInt8(ascii: "[")), let label = Self.label(in: line, from: open + 1) {
                byLabel[Self.normalise(label), default: []].append(index)
            } else {
                unlabelled.append(index)
            }
        }
    }

    var isEmpty: Bool { lines.isEmpty }

    /// The definition lines (in their original order, so the first definition of a label still
    /// wins) for every `[…]` in `markdown`, joined by newlines; empty when none is mentioned.
    func lines(usedBy markdown: ArraySlice<UInt8>) -> [UInt8] {
        guard !lines.isEmpty else { return [] }
        var chosen = Set(unlabelled)
        var start: Int?
        var position = markdown.startIndex
        while position < markdown.endIndex {
            switch markdown[position] {
            case UInt8(ascii: "\\"): position += 1
            case UInt8(ascii: "["): start = position + 1
            case UInt8(ascii: "]"):
                if let open = start, position - open <= 999, let found = byLabel[Self.normalise(markdown[open..<position])] {
                    chosen.formUnion(found)
                }
                start = nil
            default: break
            }
            position += 1
        }
        return Array(chosen.sorted().map { lines[$0] }.joined(separator: [UInt8(ascii: "\n")]))
    }

    /// The label of `[label]: …`: the bytes up to the first unescaped `]`.
    private static func label(in line: ArraySlice<UInt8>, from start: Int) -> ArraySlice<UInt8>? {
        var position = start
        while position < line.endIndex {
            switch line[position] {
            case UInt8(ascii: "\\"): position += 1
            case UInt8(ascii: "]"): return line[start..<position]
            default: break
            }
            position += 1
        }
        return nil
    }

    /// Labels match case-insensitively with runs of white space as one space, as in CommonMark
    /// (upper- then lower-casing approximates its case folding, e.g. ß and SS).
    private static func normalise(_ label: ArraySlice<UInt8>) -> String {
        String(decoding: label, as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            .uppercased().lowercased()
    }
}

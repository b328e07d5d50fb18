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
        var ids = Self.reservedIDs.union(model.views[index].actionItems.map(\.anchor))
        var headings: [Heading] = []
        var html = ""
        let specials = specialBlocks()
        let definitions = referenceDefinitions()
        var cursor = start
        for special in specials {
            html += segment(bytes[cursor..<special.bytes.lowerBound], definitions: definitions, ids: &ids, headings: &headings)
            html += special.html
            cursor = special.bytes.upperBound
        }
        html += segment(bytes[cursor..<bytes.count], definitions: definitions, ids: &ids, headings: &headings)
        return Output(html: html, headings: headings)
    }

    private func segment(_ markdown: ArraySlice<UInt8>, definitions: [UInt8], ids: inout Set<String>, headings: inout [Heading]) -> String {
        guard markdown.contains(where: { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: " ") }) else { return "" }
        let source = definitions.isEmpty ? Array(markdown) : Array(markdown) + Array("\n\n".utf8) + definitions
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
    private func anchorHeadings(_ html: String, ids: inout Set<String>, headings: inout [Heading]) -> String {
        var out = ""
        var rest = Substring(html)
        while let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let levelCharacter = after.first, let level = levelCharacter.wholeNumberValue, (1...6).contains(level),
                  after.dropFirst().first == ">" else {
                out += rest[..<open.upperBound]
                rest = after
                continue
            }
            let contentStart = after.index(after.startIndex, offsetBy: 2)
            guard let close = rest[contentStart...].range(of: "</h\(level)>") else { break }
            let inner = String(rest[contentStart..<close.lowerBound])
            let text = HTMLText.text(ofHTML: inner).trimmingCharacters(in: .whitespaces)
            let base = HTMLText.anchor(for: text)
            var id = base
            var counter = 1
            while ids.contains(id) {
                id = "\(base)-\(counter)"
                counter += 1
            }
            ids.insert(id)
            if level == 2 || level == 3 { headings.append(Heading(level: level, id: id, text: text)) }
            out += rest[..<open.lowerBound]
            out += "<h\(level) id=\"\(id)\">\(inner) <a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section: \(HTMLText.escape(text))\">#</a></h\(level)>"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    // MARK: Links

    /// Rewrites relative links to other postmortem files (`../2024/x.md#impact`) to their pages,
    /// and other relative links to the hosted repository when `site.repo_url` is set.
    private func rewriteLinks(_ html: String) -> String {
        guard html.contains(" href=\"") else { return html }
        var out = ""
        var rest = Substring(html)
        while let attribute = rest.range(of: " href=\"") {
            out += rest[..<attribute.upperBound]
            rest = rest[attribute.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let value = HTMLText.decodeEntities(String(rest[..<end]))
            out += HTMLText.escape(rewrite(value))
            rest = rest[end...]
        }
        return out + rest
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

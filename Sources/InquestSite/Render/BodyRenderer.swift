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

    /// Parses the body once and renders it from cmark-gfm's tree: links get their new
    /// destinations and headings their ids on the tree's nodes, and the Timeline and Action
    /// Items blocks are swapped for the partials' HTML, so no HTML is searched or edited and
    /// reference definitions and footnotes resolve across the whole body.
    func render() -> Output {
        let postmortem = self.postmortem
        let bytes = postmortem.source.bytes
        let start = min(postmortem.bodyStart, bytes.count)
        var ids = AnchorIDs(used: Self.reservedIDs.union(model.views[index].actionItems.map(\.anchor)))
        var headings: [Heading] = []
        let specials = specialBlocks()
        let html = CmarkDocument(bytes: bytes[start...]).renderHTML(
            linkDestination: { url in
                let rewritten = rewrite(url)
                return rewritten == url ? nil : rewritten
            },
            heading: { level, content in
                let text = HTMLText.trimmingBlanks(HTMLText.text(ofHTML: content))
                let id = ids.claim(HTMLText.anchor(for: text))
                if level == 2 || level == 3 { headings.append(Heading(level: level, id: id, text: text)) }
                return "<h\(level) id=\"\(id)\">\(content) <a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section: \(HTMLText.escape(text))\">#</a></h\(level)>"
            },
            topLevelBlock: { specials[$0] })
        return Output(html: html, headings: headings)
    }

    // MARK: Timeline and action items

    /// Top-level Timeline lists/tables with timed entries and Action Items task lists, each with
    /// its replacement HTML, by the block's index among the body's top-level blocks. None when
    /// the body has footnotes: the partials show their entries without the footnote numbering.
    private func specialBlocks() -> [Int: String] {
        let postmortem = self.postmortem
        var hasFootnotes = false
        // A footnote is written `[^…`: without those two bytes in the file the tree has none,
        // and it is not walked (most bodies).
        if Self.contains(postmortem.source.bytes, UInt8(ascii: "["), UInt8(ascii: "^")) {
            postmortem.body.walk { if $0.kind == .footnoteDefinition || $0.kind == .footnoteReference { hasFootnotes = true } }
        }
        guard !hasFootnotes else { return [:] }
        var topLevel: [Int: Int] = [:]
        for (position, block) in postmortem.body.children.enumerated() { topLevel[block.bytes.lowerBound] = position }
        let view = model.views[index]
        var out: [Int: String] = [:]
        for block in postmortem.section("Timeline")?.blocks ?? [] {
            guard let position = topLevel[block.bytes.lowerBound], block.kind == .table || isSimpleList(block, tasks: false) else { continue }
            let entries = view.timeline.filter { block.bytes.contains($0.entry.bytes.lowerBound) }
            guard entries.contains(where: { $0.entry.time != nil }) else { continue }
            out[position] = partial("timeline", timelineValue(entries))
        }
        for block in postmortem.section("Action Items")?.blocks ?? [] where isSimpleList(block, tasks: true) {
            guard let position = topLevel[block.bytes.lowerBound] else { continue }
            let items = view.actionItems.filter { block.bytes.contains($0.item.bytes.lowerBound) }
            guard !items.isEmpty else { continue }
            out[position] = partial("action-items", .object(["items": .list(items.map { $0.value(in: model) })]))
        }
        return out
    }

    /// Whether `bytes` has `first` immediately followed by `second`.
    static func contains(_ bytes: [UInt8], _ first: UInt8, _ second: UInt8) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard buffer.count >= 2 else { return false }
            for index in 0..<(buffer.count - 1) where buffer[index] == first && buffer[index + 1] == second { return true }
            return false
        }
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
            var fields: TemplateObject = ["html": .string(view.html)]
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

    // MARK: Links

    /// Rewrites relative links to other postmortem files (`../2024/x.md#impact`) to their pages,
    /// and other relative links to the hosted repository when `site.repo_url` is set.
    private func rewrite(_ url: String) -> String {
        guard !url.isEmpty, !url.hasPrefix("#"), !url.hasPrefix("/"), !HTMLText.contains(url, "://"), !url.hasPrefix("mailto:") else { return url }
        var path = url
        var fragment = ""
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[hash...])
            path = String(path[..<hash])
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        // Without a `%` there is nothing to decode (Foundation's decoder costs more than the rest).
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding ?? path : path
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

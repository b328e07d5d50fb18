import CCmarkGFM

extension CmarkDocument {
    /// Safe HTML of the document (as ``renderHTML()``) after edits made on its tree, so a caller
    /// can change links, headings and whole blocks without parsing again or editing the HTML.
    /// The tree is changed in place: render a document this way once.
    ///
    /// - Parameters:
    ///   - linkDestination: a link's new destination, given its destination as written (after
    ///     entity and backslash unescaping); nil keeps it. Not asked for the links cmark drops
    ///     as dangerous (`javascript:` …), which stay dropped.
    ///   - heading: the whole HTML of a heading, given its level and cmark's HTML of its content
    ///     (links already edited); asked for every heading at any depth, in document order.
    ///   - topLevelBlock: HTML that replaces the top-level block at an index (0-based, in the
    ///     order of ``MarkdownNode/children`` of the document node); nil renders the block.
    public func renderHTML(linkDestination: (String) -> String?, heading: (_ level: Int, _ contentHTML: String) -> String,
                           topLevelBlock: (_ index: Int) -> String?) -> String {
        // Links first, so heading content shows the edited destinations.
        var headings: [OpaquePointer] = []
        var footnoteReferences: [OpaquePointer] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_LINK:
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if !Self.isDangerous(url), let replacement = linkDestination(url) { cmark_node_set_url(node, replacement) }
            case CMARK_NODE_HEADING:
                headings.append(node)
            case CMARK_NODE_FOOTNOTE_REFERENCE:
                footnoteReferences.append(node)
            default:
                break
            }
        }
        // Top-level replacements are looked up before headings are swapped, so indexes are the parse's.
        // A block holding a footnote reference is kept: cmark numbers and lists the footnote
        // from the tree, and the reference must stay on the page for its back-link.
        let keep = Set(footnoteReferences.map { Self.address(topLevelAncestor(of: $0)) })
        var index = 0
        var block = cmark_node_first_child(root)
        var replacements: [(OpaquePointer, String)] = []
        while let current = block {
            if !keep.contains(Self.address(current)), let html = topLevelBlock(index) { replacements.append((current, html)) }
            index += 1
            block = cmark_node_next(current)
        }
        // A heading inside a replaced block goes with it (and is freed with it): drop those first.
        if !replacements.isEmpty {
            let replaced = Set(replacements.map { Self.address($0.0) })
            headings.removeAll { replaced.contains(Self.address(topLevelAncestor(of: $0))) }
        }
        for (node, html) in replacements { replace(node, withHTML: html) }
        for node in headings {
            let level = Int(cmark_node_get_heading_level(node))
            var content = render(node)
            // cmark renders a heading alone as `<hN>…</hN>\n`.
            let open = "<h\(level)>", close = "</h\(level)>\n"
            if content.hasPrefix(open), content.hasSuffix(close) { content = String(content.dropFirst(open.count).dropLast(close.count)) }
            replace(node, withHTML: heading(level, content))
        }
        return renderHTML()
    }

    /// cmark-gfm's own test for URLs it will not link in safe mode (`_scan_dangerous_url`):
    /// `javascript:`, `vbscript:`, `file:` and `data:` other than PNG, GIF, JPEG and WebP images,
    /// ASCII case-insensitively at the start.
    static func isDangerous(_ url: String) -> Bool {
        let lower = String(decoding: url.utf8.prefix(16).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        for safe in ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"] where lower.hasPrefix(safe) { return false }
        return ["javascript:", "vbscript:", "file:", "data:"].contains { lower.hasPrefix($0) }
    }

    private static func address(_ node: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(node))) }

    private func topLevelAncestor(of node: OpaquePointer) -> OpaquePointer {
        var current = node
        while let parent = cmark_node_parent(current), parent != root { current = parent }
        return current
    }

    /// Swaps `node` for a custom block whose HTML is `html` (custom blocks are written as they
    /// are, also in safe mode, on lines of their own).
    private func replace(_ node: OpaquePointer, withHTML html: String) {
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        cmark_node_set_on_enter(custom, html)
        cmark_node_set_on_exit(custom, "")
        if cmark_node_replace(node, custom) == 1 {
            cmark_node_free(node)
        } else {
            cmark_node_free(custom)
        }
    }

    private func render(_ node: OpaquePointer) -> String {
        guard let html = cmark_render_html(node, CMARK_OPT_FOOTNOTES, extensions) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

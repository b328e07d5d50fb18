/// `links/broken`: a Markdown link to another postmortem file that does not resolve.
public struct BrokenLinkRule: DocumentRule {
    public let id = "links/broken"
    public let defaultSeverity = Severity.error
    public let documentation = RuleDocumentation(
        summary: "relative links to other postmortem files must resolve",
        rationale: "Links between postmortems are how readers follow a recurring problem through the archive. A relative link to a moved or misspelt file breaks in the repository and on the site alike.",
        triggering: [ExampleDocument.example("See [the queue incident](../2024/queue-backlog.md).",
                                             sections: ["Impact": "See [the queue incident](../2024/queue-backlog.md)."])],
        passing: [ExampleDocument.example("See [the queue incident](2024/queue.md).", sections: ["Impact": "See [the queue incident](2024/queue.md)."],
                                          otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(fields: ExampleDocument.earlierIncident)])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let paths = context.archive.pathSet
        // Children are read borrowed (`for child in children` would copy every node it visits).
        func links(in node: MarkdownNode, block: MarkdownNode) {
            if case let .link(url) = node.kind { check(url, block: block) }
            node.children.withUnsafeBufferPointer { children in
                for index in children.indices { links(in: children[index], block: block) }
            }
        }
        func check(_ url: String, block: MarkdownNode) {
            if url.hasPrefix("/"), !url.hasPrefix("//"), PostmortemFiles.isMarkdown(String(url.prefix(while: { $0 != "#" && $0 != "?" }))) {
                findings.add(postmortem, Self.locate(url, in: block, source: postmortem.source),
                             .absoluteLink(url), suggestion: "use a path relative to this file")
                return
            }
            guard let target = Self.relativeMarkdownTarget(url) else { return }
            if let resolved = Self.resolve(target, from: postmortem.path), paths.contains(resolved) { return }
            findings.add(postmortem, Self.locate(url, in: block, source: postmortem.source),
                         .unresolvedLink(url), suggestion: "link a file in the archive, or use its id in 'related'")
        }
        // Blocks are walked; inline content is searched only for links, once per leaf block.
        func visit(_ block: MarkdownNode) {
            block.children.withUnsafeBufferPointer { children in
                for index in children.indices {
                    if children[index].isBlock { visit(children[index]) } else { links(in: children[index], block: block) }
                }
            }
        }
        visit(postmortem.body)
    }

    /// The path part of a relative link to a `.md` or `.markdown` file; nil for URLs, anchors and other files.
    static func relativeMarkdownTarget(_ url: String) -> String? {
        guard !url.contains("://"), !url.hasPrefix("mailto:"), !url.hasPrefix("/"), !url.hasPrefix("#") else { return nil }
        let path = String(url.prefix { $0 != "#" && $0 != "?" })
        return PostmortemFiles.isMarkdown(path) ? (path.removingPercentEncoding ?? path) : nil
    }

    /// `target` relative to the folder of `from`, normalised; nil when it climbs above the root.
    static func resolve(_ target: String, from: String) -> String? {
        var parts = from.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The link destination's bytes inside its block (cmark gives no inline positions).
    static func locate(_ url: String, in block: MarkdownNode, source: SourceText) -> Range<Int> {
        let needle = Array(url.utf8)
        var index = block.bytes.lowerBound
        while index + needle.count <= block.bytes.upperBound {
            if source.bytes[index..<index + needle.count].elementsEqual(needle) { return index..<index + needle.count }
            index += 1
        }
        return block.bytes.lowerBound..<block.bytes.lowerBound
    }
}

import Foundation

extension Finding.Message {
    /// `links/broken`: a root-relative link to a Markdown file.
    static func absoluteLink(_ url: String) -> Self { Self("absolute link '\(url)' breaks on the site and from file://") }
    /// `links/broken`: a relative link to no file of the archive.
    static func unresolvedLink(_ url: String) -> Self { Self("link to '\(url)' does not resolve to a postmortem") }
}

/// `links/broken`: a Markdown link to another postmortem file that does not resolve.
public struct BrokenLinkRule: DocumentRule {
    public let id = "links/broken"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "relative links to other postmortem files must resolve",
        rationale: "Links between postmortems are how readers follow a recurring problem through the archive. A relative link to a moved or misspelt file breaks in the repository and on the site alike.",
        triggering: [ExampleDocument.example("See [the queue incident](../2024/queue-backlog.md).",
                                             sections: ["Impact": "See [the queue incident](../2024/queue-backlog.md)."])],
        passing: [ExampleDocument.example("See [the queue incident](2024/queue.md).", sections: ["Impact": "See [the queue incident](2024/queue.md)."],
                                          otherFiles: ["postmortems/2024/queue.md": ExampleDocument.make(fields: ExampleDocument.earlierIncident)])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        let archive = context.archive
        Self.forEachLink(in: postmortem) { url, block in
            if url.hasPrefix("/"), !url.hasPrefix("//"), PostmortemFiles.isMarkdown(String(url.prefix(while: { $0 != "#" && $0 != "?" }))) {
                findings.add(postmortem, Self.locate(url, in: block.pointee, source: postmortem.source),
                             .absoluteLink(url), suggestion: "use a path relative to this file")
                return
            }
            guard let target = Self.relativeMarkdownTarget(url) else { return }
            if let resolved = Self.resolve(target, from: postmortem.path), !archive.indexes(ofPath: resolved).isEmpty { return }
            findings.add(postmortem, Self.locate(url, in: block.pointee, source: postmortem.source),
                         .unresolvedLink(url), suggestion: "link a file in the archive, or use its id in 'related'")
        }
    }

    /// Each link of `postmortem`'s body, with the leaf block it is in. Blocks are walked; inline
    /// content is searched only for links, once per leaf block. Nodes are read through pointers:
    /// even an unsafe buffer's subscript hands a function a copy of the node (a retain and a
    /// release of each of its fields), for every node visited.
    static func forEachLink(in postmortem: Postmortem, _ body: (_ url: String, _ block: UnsafePointer<MarkdownNode>) -> Void) {
        func links(in node: UnsafePointer<MarkdownNode>, block: UnsafePointer<MarkdownNode>) {
            if case let .link(url) = node.pointee.kind { body(url, block) }
            node.pointee.children.withUnsafeBufferPointer { children in
                guard let base = children.baseAddress else { return }
                for index in children.indices { links(in: base + index, block: block) }
            }
        }
        func visit(_ block: UnsafePointer<MarkdownNode>) {
            block.pointee.children.withUnsafeBufferPointer { children in
                guard let base = children.baseAddress else { return }
                for index in children.indices {
                    if base[index].isBlock { visit(base + index) } else { links(in: base + index, block: block) }
                }
            }
        }
        withUnsafePointer(to: postmortem.body) { visit($0) }
    }

    /// The archive paths the relative links of `postmortem`'s body lead to (resolved as the rule
    /// resolves them), each once, sorted: whether each exists is all the rule reads of the other
    /// documents (the lint cache keeps them for that).
    static func linkedPaths(of postmortem: Postmortem) -> [String] {
        var found: Set<String> = []
        forEachLink(in: postmortem) { url, _ in
            if let target = relativeMarkdownTarget(url), let resolved = resolve(target, from: postmortem.path) { found.insert(resolved) }
        }
        return found.sorted()
    }

    /// The path part of a relative link to a `.md` or `.markdown` file; nil for URLs, anchors and other files.
    static func relativeMarkdownTarget(_ url: String) -> String? {
        // An all-ASCII URL is judged on its bytes (Characters are bytes there); Foundation's
        // `contains` and `removingPercentEncoding` cost more than the rest of the rule.
        var url = url
        if let decided = url.withUTF8({ asciiRelativeMarkdownTarget($0) }) { return decided }
        return characterRelativeMarkdownTarget(url)
    }

    /// ``relativeMarkdownTarget(_:)`` of an all-ASCII URL without a `%` in its path; nil (not
    /// decided) for any other URL.
    private static func asciiRelativeMarkdownTarget(_ url: UnsafeBufferPointer<UInt8>) -> String?? {
        var pathEnd = url.count
        for (index, byte) in url.enumerated() {
            if byte >= 0x80 { return nil }
            if pathEnd == url.count, byte == UInt8(ascii: "#") || byte == UInt8(ascii: "?") { pathEnd = index }
        }
        func hasPrefix(_ prefix: StaticString) -> Bool {
            prefix.withUTF8Buffer { prefix in url.count >= prefix.count && url.starts(with: prefix) }
        }
        if hasPrefix("mailto:") || hasPrefix("/") || hasPrefix("#") { return .some(nil) }
        if url.count >= 3 {
            for index in 0...(url.count - 3) where url[index] == UInt8(ascii: ":") && url[index + 1] == UInt8(ascii: "/") && url[index + 2] == UInt8(ascii: "/") {
                return .some(nil)
            }
        }
        let path = UnsafeBufferPointer(rebasing: url[..<pathEnd])
        func hasSuffix(_ suffix: String) -> Bool {
            let suffix = Array(suffix.utf8)
            return path.count >= suffix.count && path[(path.count - suffix.count)...].elementsEqual(suffix)
        }
        guard PostmortemFiles.extensions.contains(where: hasSuffix) else { return .some(nil) }
        if path.contains(UInt8(ascii: "%")) { return nil }
        return .some(String(decoding: path, as: UTF8.self))
    }

    /// ``relativeMarkdownTarget(_:)`` on Characters: the definition, and the path of any URL the
    /// byte scan does not decide.
    static func characterRelativeMarkdownTarget(_ url: String) -> String? {
        guard !url.contains("://"), !url.hasPrefix("mailto:"), !url.hasPrefix("/"), !url.hasPrefix("#") else { return nil }
        let path = String(url.prefix { $0 != "#" && $0 != "?" })
        return PostmortemFiles.isMarkdown(path) ? (path.removingPercentEncoding ?? path) : nil
    }

    /// `target` relative to the folder of `from`, normalised; nil when it climbs above the root.
    static func resolve(_ target: String, from: String) -> String? {
        // ASCII paths split on the `/` byte exactly where they split on the `/` Character.
        if target.utf8.allSatisfy({ $0 < 0x80 }), from.utf8.allSatisfy({ $0 < 0x80 }) {
            var parts = Array(from.utf8.split(separator: UInt8(ascii: "/")).dropLast())
            for part in target.utf8.split(separator: UInt8(ascii: "/")) {
                if part.elementsEqual(".".utf8) { continue }
                if part.elementsEqual("..".utf8) {
                    guard !parts.isEmpty else { return nil }
                    parts.removeLast()
                } else {
                    parts.append(part)
                }
            }
            var joined: [UInt8] = []
            for (index, part) in parts.enumerated() {
                if index > 0 { joined.append(UInt8(ascii: "/")) }
                joined += part
            }
            return String(decoding: joined, as: UTF8.self)
        }
        return characterResolve(target, from: from)
    }

    /// ``resolve(_:from:)`` on Characters: the definition, and the path of non-ASCII paths.
    static func characterResolve(_ target: String, from: String) -> String? {
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

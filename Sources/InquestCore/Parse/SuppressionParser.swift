/// Finds `<!-- inquest-disable… -->` comments in a body's HTML nodes.
enum SuppressionParser {
    static func suppressions(in body: MarkdownNode, source: SourceText) -> [Suppression] {
        // HTML literals are source bytes as written, so a comment's `<!--` is in the file: most
        // files have none, and then no node needs a visit.
        guard containsCommentOpening(source.bytes) else { return [] }
        return suppressionsByWalking(body, source: source)
    }

    /// Whether `<!--` occurs in `bytes`.
    static func containsCommentOpening(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            // memchr jumps from one "<" to the next (few in prose) instead of testing every byte.
            guard let base = bytes.baseAddress else { return false }
            var index = 0
            while index + 4 <= bytes.count, let found = memchr(base + index, 0x3C, bytes.count - 3 - index) {
                let at = found.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: base)
                if bytes[at + 1] == 0x21, bytes[at + 2] == 0x2D, bytes[at + 3] == 0x2D { return true }
                index = at + 1
            }
            return false
        }
    }

    /// Every suppression comment of the body's HTML nodes (the definition).
    static func suppressionsByWalking(_ body: MarkdownNode, source: SourceText) -> [Suppression] {
        var comments: [(text: String, bytes: Range<Int>)] = []
        body.walk { node in
            guard node.kind == .htmlBlock || node.kind == .htmlInline, let literal = node.literal else { return }
            // One forward pass over the node's bytes, and each comment located after the previous
            // one: a block of thousands of comments stays linear.
            let text = Array(literal.utf8)
            var searchStart = 0
            var locateFrom = node.bytes.lowerBound
            while let open = find(openComment, in: text, from: searchStart),
                  let close = find(closeComment, in: text, from: open + openComment.count) {
                var inner = String(decoding: text[(open + openComment.count)..<close], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                // `-- reason` documents why; it is not part of the rule list.
                if let reason = inner.range(of: " -- ") ?? inner.range(of: " — ") { inner = String(inner[..<reason.lowerBound]) }
                let window = locateFrom..<max(locateFrom, node.bytes.upperBound)
                var bytes = locate(Array(text[open..<(close + closeComment.count)]), near: window, in: source)
                if bytes == window { bytes = node.bytes } else { locateFrom = bytes.upperBound }
                comments.append((inner, bytes))
                searchStart = close + closeComment.count
            }
        }
        var result: [Suppression] = []
        var open: [(index: Int, startLine: Int)] = []
        for comment in comments {
            let words = comment.text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\n" })
            guard let directive = words.first else { continue }
            let rules = words.count > 1
                ? words[1].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map(String.init) : []
            let line = source.position(of: comment.bytes.lowerBound).line
            let endLine = source.position(of: max(comment.bytes.lowerBound, comment.bytes.upperBound - 1)).line
            switch directive {
            case "inquest-disable":
                result.append(Suppression(rules: rules, scope: .lines(line...source.lineCount), bytes: comment.bytes))
                open.append((result.count - 1, line))
            case "inquest-enable":
                // Closes the open ranges for the named rules, or all of them.
                open.removeAll { entry in
                    let suppression = result[entry.index]
                    guard rules.isEmpty || suppression.rules.isEmpty || !Set(rules).isDisjoint(with: suppression.rules) else { return false }
                    result[entry.index].scope = .lines(entry.startLine...max(entry.startLine, line))
                    return true
                }
            case "inquest-disable-next-line":
                result.append(Suppression(rules: rules, scope: .lines((endLine + 1)...(endLine + 1)), bytes: comment.bytes))
            case "inquest-disable-line":
                result.append(Suppression(rules: rules, scope: .lines(line...endLine), bytes: comment.bytes))
            case "inquest-disable-file":
                result.append(Suppression(rules: rules, scope: .file, bytes: comment.bytes))
            default:
                continue
            }
        }
        return result
    }

    private static let openComment = Array("<!--".utf8)
    private static let closeComment = Array("-->".utf8)

    /// The first `needle` at or after `start`.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// The comment's exact bytes inside its node's range (cmark gives no inline positions).
    private static func locate(_ needle: [UInt8], near range: Range<Int>, in source: SourceText) -> Range<Int> {
        let lower = max(0, range.lowerBound), upper = min(source.bytes.count, max(range.upperBound, lower))
        var index = lower
        while index + needle.count <= upper {
            if source.bytes[index] == needle[0], source.bytes[index..<index + needle.count].elementsEqual(needle) {
                return index..<index + needle.count
            }
            index += 1
        }
        return range
    }
}

import Foundation

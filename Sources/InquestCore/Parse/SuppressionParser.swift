/// Finds `<!-- inquest-disable… -->` comments in a body's HTML nodes.
enum SuppressionParser {
    static func suppressions(in body: MarkdownNode, source: SourceText) -> [Suppression] {
        var comments: [(text: String, bytes: Range<Int>)] = []
        body.walk { node in
            guard node.kind == .htmlBlock || node.kind == .htmlInline, let literal = node.literal else { return }
            var searchStart = literal.startIndex
            while let open = literal.range(of: "<!--", range: searchStart..<literal.endIndex),
                  let close = literal.range(of: "-->", range: open.upperBound..<literal.endIndex) {
                var inner = literal[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
                // `-- reason` documents why; it is not part of the rule list.
                if let reason = inner.range(of: " -- ") ?? inner.range(of: " — ") { inner = String(inner[..<reason.lowerBound]) }
                let bytes = locate(String(literal[open.lowerBound..<close.upperBound]), near: node.bytes, in: source)
                comments.append((inner, bytes))
                searchStart = close.upperBound
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

    /// The comment's exact bytes inside its node's range (cmark gives no inline positions).
    private static func locate(_ comment: String, near range: Range<Int>, in source: SourceText) -> Range<Int> {
        let needle = Array(comment.utf8)
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

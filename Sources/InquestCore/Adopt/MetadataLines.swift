import Foundation

/// `Key: value` lines people put at the top of a postmortem or in a "Stats" list:
/// `**Severity:** Critical`, `- Time to detection: 8 minutes`, `Date: 2025-10-03`, and two-cell
/// table rows (`| Severity | P1 |`). Only what ``field(for:)`` knows is kept.
struct MetadataLine: Sendable, Equatable {
    /// The front-matter field (or derived fact) the key names, e.g. `severity`, `time-to-detect`.
    var field: String
    /// The key as written, for the summary.
    var key: String
    var value: String
    /// 1-based line in the file.
    var line: Int

    /// Keys people write → what they mean. Keys are compared lowercased with emphasis and
    /// trailing punctuation removed.
    static let keys: [String: String] = {
        var table: [String: String] = [:]
        func add(_ field: String, _ names: [String]) { for name in names { table[name] = field } }
        add("date", ["date", "incident date", "date of incident", "incident day"])
        add("severity", ["severity", "sev", "severity level", "incident severity", "priority", "impact level", "level of severity"])
        add("status", ["postmortem status", "post-mortem status", "document status", "status", "review status"])
        add("services", ["services", "service", "affected services", "affected service", "affected systems", "systems affected",
                         "affected components", "components", "component", "impacted services", "services affected"])
        add("authors", ["author", "authors", "written by", "prepared by", "postmortem author", "postmortem authors"])
        add("tags", ["category", "categories", "tags", "labels"])
        add("started", ["started", "start", "start time", "started at", "incident start", "impact start", "start of impact", "began"])
        add("detected", ["detected", "detected at", "detection time", "time detected"])
        add("mitigated", ["mitigated", "mitigated at", "mitigation time", "time mitigated"])
        add("resolved", ["resolved", "resolved at", "resolution time", "time resolved", "end time", "ended", "incident end", "end of impact"])
        add("time-to-detect", ["time to detection", "time to detect", "ttd"])
        add("time-to-mitigate", ["time to mitigation", "time to mitigate"])
        add("time-to-resolve", ["time to recovery", "time to recover", "time to resolution", "time to resolve", "ttr"])
        return table
    }()

    /// Every known metadata line in `body`, in file order. Timeline and code blocks are skipped:
    /// a timeline entry such as `Resolved: 10:30` is an event, not the document's metadata.
    static func scan(_ postmortem: Postmortem) -> [MetadataLine] {
        let timeline = postmortem.section("Timeline")?.bytes
        var found: [MetadataLine] = []
        postmortem.body.walk { node in
            if let timeline, timeline.contains(node.bytes.lowerBound) { return }
            switch node.kind {
            case .paragraph:
                found += lines(of: node, in: postmortem.source)
            case .tableRow(header: _) where node.children.count == 2:
                let key = node.children[0].plainText, value = node.children[1].plainText
                if let line = make(key: key, value: value, line: postmortem.source.position(of: node.bytes.lowerBound).line) {
                    found.append(line)
                }
            default:
                break
            }
        }
        return found.sorted { $0.line < $1.line }
    }

    private static func lines(of paragraph: MarkdownNode, in source: SourceText) -> [MetadataLine] {
        let first = source.lineIndex(of: paragraph.bytes.lowerBound)
        let last = source.lineIndex(of: max(paragraph.bytes.lowerBound, paragraph.bytes.upperBound - 1))
        var out: [MetadataLine] = []
        for index in first...last {
            let range = source.lineContentRange(index)
            var text = String(decoding: source.bytes[max(range.lowerBound, paragraph.bytes.lowerBound)..<range.upperBound], as: UTF8.self)
            text = text.trimmingCharacters(in: .whitespaces)
            // List markers and quote markers when the paragraph starts mid-line.
            for marker in ["- ", "* ", "+ ", "> "] where text.hasPrefix(marker) { text.removeFirst(2) }
            text = text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            guard let colon = text.firstIndex(of: ":") else { continue }
            let key = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: " *_`"))
            var value = String(text[text.index(after: colon)...])
            if value.hasPrefix("//") { continue } // a URL, not a key
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: " *_"))
            if let line = make(key: key, value: value, line: index + 1) { out.append(line) }
        }
        return out
    }

    private static func make(key: String, value: String, line: Int) -> MetadataLine? {
        let normalized = key.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " :*_`.")).split(separator: " ").joined(separator: " ")
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard normalized.count <= 40, !trimmed.isEmpty, let field = keys[normalized] else { return nil }
        return MetadataLine(field: field, key: key.trimmingCharacters(in: .whitespaces), value: trimmed, line: line)
    }

    /// A duration such as `8 minutes`, `4 hours 42 minutes`, `1h 30m`, `2 days`, in seconds;
    /// nil for `N/A` or anything else.
    static func duration(_ text: String) -> Int? {
        let tokens = ProseDate.tokenize(text.lowercased())
        var total = 0
        var matched = false
        var index = 0
        while index < tokens.count {
            guard tokens[index].kind == .number, let value = Int(tokens[index].text), index + 1 < tokens.count,
                  tokens[index + 1].kind == .word else {
                if tokens[index].kind == .word, !matched { return nil }
                index += 1
                continue
            }
            let unit = tokens[index + 1].text
            let scale: Int
            switch unit {
            case "s", "sec", "secs", "second", "seconds": scale = 1
            case "m", "min", "mins", "minute", "minutes": scale = 60
            case "h", "hr", "hrs", "hour", "hours": scale = 3600
            case "d", "day", "days": scale = 86_400
            default: return matched ? total : nil
            }
            total += value * scale
            matched = true
            index += 2
        }
        return matched ? total : nil
    }
}

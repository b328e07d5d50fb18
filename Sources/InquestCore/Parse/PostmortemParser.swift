/// Turns a ``RawDocument`` into a ``Postmortem``: front-matter, cmark-gfm body, sections,
/// timeline, action items and suppressions. Never throws: problems become ``SyntaxProblem``s.
public struct PostmortemParser: Sendable {
    /// Front-matter larger than this is refused: nobody writes 256 KiB of metadata by hand.
    public static let maxFrontMatterBytes = 256 * 1024

    public var schema: Schema
    /// Precomputed from the schema: matching a heading is one dictionary lookup.
    private let headings: [String: [String]]
    /// `Schema.lookup` answers for the headings met so far: an archive repeats a few headings in
    /// every document, each read three or four times, and a heading the table does not hold
    /// exactly is looked up again word by word each time (thousands of instructions).
    private let lookups = HeadingLookups()

    public init(schema: Schema = Schema()) {
        self.schema = schema
        headings = schema.headingTable()
    }

    /// `Schema.lookup(heading, in: headings)`, remembered.
    private func lookup(_ heading: String) -> [String] {
        if let known = lookups.value(for: heading) { return known }
        let names = Schema.lookup(heading, in: headings)
        lookups.store(names, for: heading)
        return names
    }

    public func parse(_ document: RawDocument) -> Postmortem {
        let source = SourceText(bytes: document.bytes)
        var result = Postmortem(
            path: document.path, source: source, contentID: document.contentID, id: document.stem, frontMatter: nil,
            syntaxProblems: [], title: nil, date: nil, status: nil, severity: nil, authors: [], services: [],
            started: nil, detected: nil, mitigated: nil, resolved: nil, rootCauses: [], contributingFactors: [],
            tags: [], related: [], body: MarkdownNode(kind: .document, literal: nil, bytes: 0..<0, children: []),
            bodyStart: 0, sections: [], timeline: [], actionItems: [], suppressions: [])

        if let problem = Self.encodingProblem(document.bytes) {
            result.syntaxProblems.append(problem)
            return result
        }
        let bom = FrontMatterSplitter.bomLength(document.bytes)
        var bodyStart = bom
        do throws(FrontMatterSplitError) {
            let split = try FrontMatterSplitter.split(source)
            bodyStart = split.bodyStart
            readFrontMatter(split, into: &result)
        } catch {
            switch error {
            case .missing:
                result.syntaxProblems.append(SyntaxProblem(
                    kind: .frontMatter, message: "missing front-matter: the file must start with a '---' line",
                    bytes: bom..<max(bom, source.lineContentRange(0).upperBound),
                    suggestion: "run 'inquest adopt' to infer it from the document, or copy the front-matter of the template ('inquest new' writes one)",
                    leavesBodyReadable: true))
            case let .unterminated(fence):
                result.syntaxProblems.append(SyntaxProblem(
                    kind: .frontMatter, message: "unterminated front-matter: no closing '---' line", bytes: fence))
                bodyStart = source.bytes.count
            }
        }
        result.bodyStart = bodyStart
        result.body = CmarkDocument.tree(parsing: document.bytes[bodyStart...], in: source, bodyStart: bodyStart)
        result.sections = sections(of: result.body, source: source)
        result.suppressions = SuppressionParser.suppressions(in: result.body, source: source)
        if let timeline = result.section("Timeline") {
            var incidentDate = result.date ?? result.started?.localDate
            var dateSource = TimelineSource.incident
            if incidentDate == nil, let inferred = Self.documentDate(path: document.path, body: result.body) {
                (incidentDate, dateSource) = (inferred, .document)
            }
            let parser = TimelineParser(source: source, options: schema.timeline, incidentDate: incidentDate, incidentDateSource: dateSource,
                                        documentZone: result.started.map { Zone($0.offsetMinutes) } ?? documentZone(result, excluding: timeline))
            result.timeline = parser.entries(in: timeline)
        }
        if let actions = result.section("Action Items") {
            result.actionItems = ActionItemParser.items(in: actions, source: source)
        }
        return result
    }

    /// The action items ``parse(_:)`` finds in `document`, without reading its front-matter's
    /// fields, its timeline or its suppressions: what git history asks of every older version of
    /// a document (when each item was added and ticked), thousands of times in a long history.
    public func actionItems(of document: RawDocument) -> [ActionItem] {
        guard Self.encodingProblem(document.bytes) == nil else { return [] }
        let source = SourceText(bytes: document.bytes)
        let bodyStart: Int
        do throws(FrontMatterSplitError) {
            bodyStart = try FrontMatterSplitter.split(source).bodyStart
        } catch {
            switch error {
            case .missing: bodyStart = FrontMatterSplitter.bomLength(document.bytes)
            case .unterminated: return []
            }
        }
        let body = CmarkDocument.tree(parsing: document.bytes[bodyStart...], in: source, bodyStart: bodyStart)
        guard let actions = sections(of: body, source: source).first(where: { $0.canonicalNames.contains("Action Items") }) else { return [] }
        return ActionItemParser.items(in: actions, source: source)
    }

    static func encodingProblem(_ bytes: [UInt8]) -> SyntaxProblem? {
        // Most of a file is ASCII without NUL, read eight bytes at a time; only the rest, from the
        // first other byte (an ASCII byte before it ends any sequence), is searched and validated.
        let start = ByteSearch.asciiWithoutNULPrefix(bytes)
        if start == bytes.count { return nil }
        if let nul = bytes[start...].firstIndex(of: 0) {
            return SyntaxProblem(kind: .encoding, message: "file contains NUL bytes (binary file?)", bytes: nul..<nul + 1)
        }
        if String(validating: bytes[start...], as: UTF8.self) == nil {
            // Locate the first invalid sequence for the diagnostic.
            var offset = 0
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            var lastGood = 0
            loop: while true {
                switch decoder.decode(&iterator) {
                case let .scalarValue(scalar):
                    offset += UTF8.width(scalar)
                    lastGood = offset
                case .emptyInput: break loop
                case .error: break loop
                }
            }
            return SyntaxProblem(kind: .encoding, message: "file is not valid UTF-8", bytes: lastGood..<min(bytes.count, lastGood + 1))
        }
        return nil
    }

    private func readFrontMatter(_ split: FrontMatterSplit, into result: inout Postmortem) {
        let source = result.source
        guard split.yamlBytes.count <= Self.maxFrontMatterBytes else {
            result.syntaxProblems.append(SyntaxProblem(kind: .frontMatter,
                message: "front-matter is larger than \(Self.maxFrontMatterBytes / 1024) KiB", bytes: split.openingFence))
            return
        }
        let text = source.string(split.yamlBytes)
        let node: YAMLNode?
        do {
            node = try YAMLTreeParser.parse(text, in: source, firstLine: split.yamlFirstLine)
        } catch {
            let end = source.lineContentRange(source.lineIndex(of: error.offset)).upperBound
            result.syntaxProblems.append(SyntaxProblem(kind: .frontMatter, message: error.message, bytes: error.offset..<max(error.offset, end)))
            return
        }
        guard let node, node.mapping != nil else {
            result.syntaxProblems.append(SyntaxProblem(kind: .frontMatter,
                message: "front-matter must be a mapping of fields, found \(node?.typeName ?? "nothing")", bytes: split.openingFence))
            return
        }
        result.frontMatter = node
        FieldReader.read(node, into: &result)
    }

    /// The blocks that start sections. Level-2 headings when the document has any; else the
    /// shallowest heading level it has (a leading H1 is the title, not a section); else, in a
    /// document with no headings at all, paragraphs that are only bold text (`**Timeline**`) or
    /// a single line naming a known section (`Timeline:`).
    ///
    /// When that level names at most one known section and another level names three or more, the
    /// other level is used: `## Incident report` wrapping `### Summary`, `### Timeline` …, or `#`
    /// sections with `##` subsections.
    private func sectionLevel(of body: MarkdownNode) -> (level: Int?, boldParagraphs: Bool) {
        var levels: [Int] = []
        var recognised: [Int: Int] = [:]
        for (index, block) in body.children.enumerated() {
            guard case let .heading(level) = block.kind else { continue }
            let known = !lookup(block.plainText).isEmpty
            if level == 1, levels.isEmpty, !body.children[..<index].contains(where: { if case .heading = $0.kind { true } else { false } }), !known {
                continue // the title
            }
            levels.append(level)
            if known { recognised[level, default: 0] += 1 }
        }
        guard let preferred = levels.contains(2) ? 2 : levels.min() else { return (nil, true) }
        if recognised[preferred, default: 0] <= 1,
           let better = recognised.filter({ $0.value >= 3 }).max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key {
            return (better, false)
        }
        return (preferred, false)
    }

    /// The heading text of a paragraph that stands in for a heading, or nil.
    private func pseudoHeading(_ block: MarkdownNode) -> String? {
        guard block.kind == .paragraph else { return nil }
        let inline = block.children.filter { !($0.kind == .text && ($0.literal ?? "").trimmingWhitespaces().isEmpty) }
        if inline.count >= 1, inline[0].kind == .strong || inline[0].kind == .emphasis,
           inline.dropFirst().allSatisfy({ $0.kind == .text && ($0.literal ?? "").trimmingWhitespaces().allSatisfy { ":.".contains($0) } }) {
            let text = inline[0].plainText.trimmingWhitespaces()
            return !text.contains(where: \.isLetter) || text.count > 80 ? nil : text
        }
        // A plain one-line paragraph that names a known section exactly ("Timeline:").
        if inline.count == 1, inline[0].kind == .text, let text = inline[0].literal, text.count <= 60, !lookup(text).isEmpty,
           text.trimmingWhitespaces().split(separator: " ").count <= 6 {
            return text.trimmingWhitespaces()
        }
        return nil
    }

    /// `**Summary:** The search frontend …`: a paragraph that opens with a bold label and a colon.
    /// Returns the label and the bytes of the bold text.
    /// Also a first line that is only bold text, or plain text naming a known section with a colon,
    /// with the content on the next lines (`Issue Summary:` then the summary, no blank line between).
    private func labelParagraph(_ block: MarkdownNode, source: SourceText) -> (heading: String, bytes: Range<Int>)? {
        guard block.kind == .paragraph, let first = block.children.first else { return nil }
        let breakAfter = block.children.count > 2 && (block.children[1].kind == .softBreak || block.children[1].kind == .lineBreak)
        if first.kind == .text, breakAfter, var line = first.literal?.trimmingWhitespaces(), line.hasSuffix(":") {
            while line.hasSuffix(":") { line.removeLast() }
            guard !line.isEmpty, line.count <= 60, !lookup(line).isEmpty else { return nil }
            let start = block.bytes.lowerBound
            let end = source.bytes[start..<block.bytes.upperBound].firstIndex(of: UInt8(ascii: "\n")) ?? block.bytes.upperBound
            return (line.trimmingWhitespaces(), start..<end)
        }
        guard first.kind == .strong else { return nil }
        var label = first.plainText.trimmingWhitespaces()
        let colonAfter = block.children.count > 1 && block.children[1].kind == .text && (block.children[1].literal ?? "").hasPrefix(":")
        guard label.hasSuffix(":") || colonAfter || breakAfter else { return nil }
        while label.hasSuffix(":") { label.removeLast() }
        label = label.trimmingWhitespaces()
        guard !label.isEmpty, label.count <= 60 else { return nil }
        return (label, first.bytes)
    }

    private func sections(of body: MarkdownNode, source: SourceText) -> [Section] {
        var sections: [Section] = []
        // Before the first section heading, paragraphs that open with a bold label naming a section
        // ("**Impact:** 1.2 million requests failed", the SRE-book layout) are sections; once one
        // is, every labelled paragraph after it starts a section ("**Trigger:** …"), known or not.
        var seenHeading = false
        var labelSections = false
        // A label naming a section that a real heading also names is metadata ("**Impact:** High"
        // above "## Impact"), not the section.
        let (sectionLevel, boldParagraphs) = sectionLevel(of: body)
        let headingRoles = Set(body.children.flatMap { block -> [String] in
            guard case let .heading(level) = block.kind, level == sectionLevel else { return [] }
            return lookup(block.plainText)
        })
        // With H1 sections, a leading H1 that names no known section is the document's title.
        let title = sectionLevel == 1 ? body.children.first { if case .heading = $0.kind { true } else { false } }
            .flatMap { $0.kind == .heading(level: 1) && lookup($0.plainText).isEmpty ? $0.bytes : nil } : nil
        for block in body.children {
            var heading: String?
            if block.bytes == title {
                continue
            } else if case let .heading(level) = block.kind, level == sectionLevel {
                heading = block.plainText.trimmingWhitespaces()
                seenHeading = true
            } else if boldParagraphs, let text = pseudoHeading(block) {
                // A bold first line that names no section is the document's title, as a leading H1 is.
                if block.bytes.lowerBound == body.children.first?.bytes.lowerBound, lookup(text).isEmpty { continue }
                heading = text
                seenHeading = true
            } else if !seenHeading || boldParagraphs, let label = labelParagraph(block, source: source) {
                // In a document without headings, a labelled paragraph naming a section is one anywhere.
                let names = lookup(label.heading)
                // Above real headings, starting label sections takes a sentence, not a one-word value ("**Impact:** High").
                let words = block.plainText.split(whereSeparator: { $0 == " " || $0 == "\n" }).count - label.heading.split(separator: " ").count
                if (labelSections && !seenHeading) || (!names.isEmpty && headingRoles.isDisjoint(with: names) && (labelSections || boldParagraphs || words >= 4)) {
                    labelSections = true
                    sections.append(Section(heading: label.heading, headingBytes: label.bytes, canonicalNames: names,
                                            blocks: [block], bytes: block.bytes))
                    continue
                }
            }
            if let heading {
                sections.append(Section(heading: heading, headingBytes: block.bytes,
                                        canonicalNames: lookup(heading), blocks: [], bytes: block.bytes))
            } else if case let .heading(level) = block.kind, level < sectionLevel ?? 0 {
                continue
            } else if !sections.isEmpty {
                sections[sections.count - 1].blocks.append(block)
                let start = sections[sections.count - 1].bytes.lowerBound
                sections[sections.count - 1].bytes = start..<max(start, block.bytes.upperBound)
            }
        }
        return sections
    }

    /// The date of a document without front-matter: a `YYYY-MM-DD` in its file name, else a
    /// "Date: …" line near the top, else a date in its H1 title, else the first full date in its
    /// opening paragraphs.
    static func documentDate(path: String, body: MarkdownNode) -> CalendarDate? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let bytes = Array(name.utf8)
        var index = 0
        while index + 10 <= bytes.count {
            if index == 0 || !Digits.isDigit(bytes[index - 1]),
               let date = CalendarDate(parsing: String(decoding: bytes[index..<index + 10], as: UTF8.self)) { return date }
            index += 1
        }
        // A "Date: March 4, 2025" line (or "**Incident date:** …") near the top.
        for block in body.children.prefix(12) where block.kind == .paragraph {
            for line in block.plainText.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":"), line.distance(from: line.startIndex, to: colon) <= 24,
                      line[..<colon].lowercased().contains("date") else { continue }
                if let date = TimelineOptions().firstDate(in: String(line[line.index(after: colon)...])) { return date }
            }
        }
        if let title = body.children.first(where: { $0.kind == .heading(level: 1) }),
           let partial = TimeScanner(title.plainText, options: TimelineOptions()).firstDate(), partial.year != nil {
            return partial.resolved(near: nil)
        }
        // Last, a full date in the opening blocks ("… from 10:00 to 11:30 on 5th July 2023").
        for block in body.children.prefix(6) where block.kind == .paragraph && block.bytes.count <= 600 {
            if let partial = TimeScanner(block.plainText, options: TimelineOptions()).firstDate(), partial.year != nil {
                return partial.resolved(near: nil)
            }
        }
        return nil
    }

    /// A zone stated once outside the timeline ("All times are in UTC." under the summary).
    private func documentZone(_ postmortem: Postmortem, excluding timeline: Section) -> Zone? {
        // Short paragraphs only: a zone statement is one line, and most paragraphs are long prose.
        for block in postmortem.body.children where block.kind == .paragraph && block.bytes.count <= 240
        && !timeline.bytes.contains(block.bytes.lowerBound) {
            let text = block.plainText
            guard text.count <= 160, let zone = TimelineParser.zoneLine(text, options: schema.timeline) else { continue }
            let lower = text.lowercased()
            if lower.contains("all times") || lower.contains("times are") || lower.contains("times in") || lower.contains("time zone") || lower.contains("timezone") {
                return zone
            }
        }
        return nil
    }
}

import Foundation

/// Typed front-matter fields; invalid values are left out (the schema rules say why).
enum FieldReader {
    static func read(_ node: YAMLNode, into result: inout Postmortem) {
        if let id = node["id"]?.scalar, Slug.isValid(id) { result.id = id }
        result.title = node["title"]?.scalar.flatMap { $0.isEmpty ? nil : $0 }
        result.date = node["date"]?.scalar.flatMap(CalendarDate.init(parsing:))
        result.status = node["status"]?.scalar.flatMap(Postmortem.Status.init(rawValue:))
        result.severity = node["severity"]?.scalar
        result.authors = strings(node["authors"])
        result.services = strings(node["services"])
        result.tags = strings(node["tags"])
        result.started = node["started"]?.scalar.flatMap(Timestamp.init(parsing:))
        result.detected = node["detected"]?.scalar.flatMap(Timestamp.init(parsing:))
        result.mitigated = node["mitigated"]?.scalar.flatMap(Timestamp.init(parsing:))
        result.resolved = node["resolved"]?.scalar.flatMap(Timestamp.init(parsing:))
        result.rootCauses = located(node["root_causes"])
        result.contributingFactors = located(node["contributing_factors"])
        result.related = located(node["related"])
    }

    static func strings(_ node: YAMLNode?) -> [String] {
        located(node).map(\.value)
    }

    static func located(_ node: YAMLNode?) -> [Located<String>] {
        guard let node else { return [] }
        if let items = node.sequence {
            return items.compactMap { item in item.scalar.flatMap { $0.isEmpty ? nil : Located($0, bytes: item.bytes) } }
        }
        return []
    }
}

/// A memo of one parser's heading lookups (a pure function of the heading), shared by the
/// parallel parse tasks and bounded so that an archive of unusual headings cannot grow it without limit.
private final class HeadingLookups: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: [String]] = [:]
    private let limit = 20_000

    func value(for heading: String) -> [String]? {
        lock.lock()
        defer { lock.unlock() }
        return table[heading]
    }

    func store(_ names: [String], for heading: String) {
        lock.lock()
        defer { lock.unlock() }
        if table.count < limit { table[heading] = names }
    }
}

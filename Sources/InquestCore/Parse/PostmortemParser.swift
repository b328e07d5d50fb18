/// Turns a ``RawDocument`` into a ``Postmortem``: front-matter, cmark-gfm body, sections,
/// timeline, action items and suppressions. Never throws: problems become ``SyntaxProblem``s.
public struct PostmortemParser: Sendable {
    /// Front-matter larger than this is refused: nobody writes 256 KiB of metadata by hand.
    public static let maxFrontMatterBytes = 256 * 1024

    public var schema: Schema
    /// Precomputed from the schema: matching a heading is one dictionary lookup.
    private let headings: [String: [String]]

    public init(schema: Schema = Schema()) {
        self.schema = schema
        headings = schema.headingTable()
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
                    bytes: bom..<max(bom, source.lineContentRange(0).upperBound)))
            case let .unterminated(fence):
                result.syntaxProblems.append(SyntaxProblem(
                    kind: .frontMatter, message: "unterminated front-matter: no closing '---' line", bytes: fence))
                bodyStart = source.bytes.count
            }
        }
        result.bodyStart = bodyStart
        let markdown = CmarkDocument(bytes: document.bytes[bodyStart...])
        result.body = markdown.tree(in: source, bodyStart: bodyStart)
        result.sections = sections(of: result.body, source: source)
        result.suppressions = SuppressionParser.suppressions(in: result.body, source: source)
        if let timeline = result.section("Timeline") {
            result.timeline = TimelineParser(source: source, date: result.date, started: result.started).entries(in: timeline)
        }
        if let actions = result.section("Action Items") {
            result.actionItems = ActionItemParser.items(in: actions, source: source)
        }
        return result
    }

    static func encodingProblem(_ bytes: [UInt8]) -> SyntaxProblem? {
        if let nul = bytes.firstIndex(of: 0) {
            return SyntaxProblem(kind: .encoding, message: "file contains NUL bytes (binary file?)", bytes: nul..<nul + 1)
        }
        if String(validating: bytes, as: UTF8.self) == nil {
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

    private func sections(of body: MarkdownNode, source: SourceText) -> [Section] {
        var sections: [Section] = []
        for block in body.children {
            if case .heading(level: 2) = block.kind {
                let heading = block.plainText.trimmingCharacters(in: .whitespaces)
                sections.append(Section(heading: heading, headingBytes: block.bytes,
                                        canonicalNames: headings[Schema.normalize(heading)] ?? [], blocks: [], bytes: block.bytes))
            } else if case let .heading(level) = block.kind, level < 2 {
                continue
            } else if !sections.isEmpty {
                sections[sections.count - 1].blocks.append(block)
                let start = sections[sections.count - 1].bytes.lowerBound
                sections[sections.count - 1].bytes = start..<max(start, block.bytes.upperBound)
            }
        }
        return sections
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

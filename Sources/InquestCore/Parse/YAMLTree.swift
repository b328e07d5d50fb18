import Yams

/// A YAML node with the byte range it occupies in the *file*, built from Yams' composed tree.
///
/// Scalars keep the text exactly as the author wrote it: no implicit date or number
/// conversion happens here, so messages can quote the original value.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public var kind: Kind
    /// Byte range in the file (the end is approximate for multi-line collections: it covers the first line).
    public var bytes: Range<Int>

    /// The scalar's text, or nil for collections.
    public var scalar: String? {
        if case let .scalar(text, _) = kind { return text }
        return nil
    }

    /// True for an explicit or implicit YAML null (`~`, `null`, empty plain scalar).
    public var isNull: Bool {
        if case let .scalar(text, plain) = kind, plain {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    public var sequence: [YAMLNode]? {
        if case let .sequence(items) = kind { return items }
        return nil
    }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case let .mapping(pairs) = kind { return pairs }
        return nil
    }

    /// A short description of the node's type, for messages.
    public var typeName: String {
        switch kind {
        case .scalar: isNull ? "null" : "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// Value of `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar == key }?.value
    }
}

/// A YAML problem located in the file.
public struct YAMLProblem: Error, Sendable {
    public var message: String
    public var offset: Int
}

/// Parses YAML text that sits inside a file, converting positions to file byte offsets.
public enum YAMLTreeParser {
    /// More nodes than this means an alias bomb or an absurd document; either way we stop.
    public static let nodeBudget = 100_000

    /// - Parameters:
    ///   - text: the YAML text.
    ///   - source: the whole file, for position conversion.
    ///   - firstLine: the 1-based file line on which `text` starts.
    /// - Returns: nil for an empty document.
    ///   - fastPath: try ``YAMLEventFastPath`` first (on by default; off to compare both paths).
    public static func parse(_ text: String, in source: SourceText, firstLine: Int, fastPath: Bool = true) throws(YAMLProblem) -> YAMLNode? {
        // Yams keeps anchors only weakly on composed nodes, so they are found in the text instead.
        if let (line, column) = anchorOrAlias(in: text) {
            throw YAMLProblem(message: "YAML anchors and aliases are not allowed",
                              offset: source.offset(line: firstLine + line - 1, scalarColumn: column))
        }
        if fastPath, case let .parsed(node) = YAMLEventFastPath.parse(text, in: source, firstLine: firstLine) {
            return node
        }
        let root: Node?
        do {
            // An explicit encoding: `.default` makes Yams read the process environment on every call.
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw problem(from: error, source: source, firstLine: firstLine)
        } catch {
            throw YAMLProblem(message: "invalid YAML: \(error)", offset: source.offset(line: firstLine, byteColumn: 1))
        }
        guard let root else { return nil }
        var budget = nodeBudget
        return try convert(root, source: source, firstLine: firstLine, budget: &budget)
    }

    /// The 1-based line and scalar column of the first `&anchor` or `*alias` token.
    ///
    /// Such a token can only start a node: at the start of a line (after indentation and `- `
    /// or `? ` markers), after `: `, or after `[`, `{` and `,` inside a flow collection. Inside a
    /// plain, quoted or commented scalar `&` and `*` are ordinary characters ("Checkout & payments",
    /// "*.example.com" mid-value). Values spanning lines inside quotes are rare in front-matter;
    /// the node budget in ``convert`` bounds anything this scan misses.
    static func anchorOrAlias(in text: String) -> (Int, Int)? {
        // Cheap exit: most front-matter has neither character at all.
        // (On the contiguous bytes when there are: the generic `contains` of the UTF-8 view costs
        // several times more per byte.)
        let marked = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "*") } }
            ?? text.utf8.contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "*") }
        guard marked else { return nil }
        let bytes = Array(text.utf8)
        var lineNumber = 1
        var lineStart = 0
        var flowDepth = 0
        var atNodeStart = true
        var quote: UInt8?
        var index = 0
        func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        func isBlank(_ b: UInt8?) -> Bool { b == nil || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while index < bytes.count {
            let character = bytes[index]
            let next = byte(index + 1)
            if character == 0x0A {
                lineNumber += 1
                lineStart = index + 1
                atNodeStart = true
                quote = nil
                index += 1
                continue
            }
            if let open = quote {
                if open == UInt8(ascii: "\""), character == UInt8(ascii: "\\") { index += 2; continue }
                if character == open { quote = nil }
                index += 1
                continue
            }
            switch character {
            case 0x20, 0x09, 0x0D:
                break
            case UInt8(ascii: "#") where index == lineStart || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09:
                // A comment runs to the end of the line.
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            case UInt8(ascii: "&"), UInt8(ascii: "*"):
                if atNodeStart, !isBlank(next) {
                    let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
                    return (lineNumber, column)
                }
                atNodeStart = false
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if atNodeStart { quote = character }
                atNodeStart = false
            case UInt8(ascii: "-"), UInt8(ascii: "?"):
                if !(atNodeStart && isBlank(next)) { atNodeStart = false }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if atNodeStart || flowDepth > 0 { flowDepth += 1; atNodeStart = true } else { atNodeStart = false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if flowDepth > 0 { flowDepth -= 1 }
                atNodeStart = false
            case UInt8(ascii: ","):
                atNodeStart = flowDepth > 0
            case UInt8(ascii: ":"):
                atNodeStart = isBlank(next) || (flowDepth > 0 && (next == UInt8(ascii: ",") || next == UInt8(ascii: "]") || next == UInt8(ascii: "}")))
            default:
                atNodeStart = false
            }
            index += 1
        }
        return nil
    }

    private static func offset(of mark: Mark?, source: SourceText, firstLine: Int) -> Int {
        guard let mark else { return source.offset(line: firstLine, byteColumn: 1) }
        return markOffset(line: mark.line, column: mark.column, source: source, firstLine: firstLine)
    }

    /// A 1-based line and scalar column of the YAML text (as Yams' `Mark` and libyaml's marks
    /// plus one) as a file offset.
    static func markOffset(line: Int, column: Int, source: SourceText, firstLine: Int) -> Int {
        source.offset(line: firstLine + line - 1, scalarColumn: column)
    }

    /// A scalar node starting at file offset `start`; shared by both paths so they agree exactly.
    static func scalarNode(_ string: String, plain: Bool, quoted: Bool, start: Int, source: SourceText) -> YAMLNode {
        let lineEnd = source.lineContentRange(source.lineIndex(of: start)).upperBound
        var length = string.utf8.count
        if quoted { length += 2 }
        return YAMLNode(kind: .scalar(string, plain: plain), bytes: start..<max(start, min(start + length, lineEnd)))
    }

    /// The range a collection node covers: from its start to the end of that line.
    static func collectionRange(start: Int, source: SourceText) -> Range<Int> {
        // libyaml also breaks lines at a lone CR, which SourceText does not: a node can then
        // start past the end of "its" line (found by fuzzing: `\r?\r`).
        start..<max(start, source.lineContentRange(source.lineIndex(of: start)).upperBound)
    }

    private static func convert(_ node: Node, source: SourceText, firstLine: Int, budget: inout Int) throws(YAMLProblem) -> YAMLNode {
        budget -= 1
        let start = offset(of: node.mark, source: source, firstLine: firstLine)
        if budget < 0 {
            throw YAMLProblem(message: "YAML document is too large (more than \(nodeBudget) nodes)", offset: start)
        }
        // Anchors and aliases have no place in front-matter or config and are the vehicle of
        // "billion laughs" expansion, so they are rejected outright.
        if node.anchor != nil {
            throw YAMLProblem(message: "YAML anchors and aliases are not allowed", offset: start)
        }
        switch node {
        case let .scalar(scalar):
            return scalarNode(scalar.string, plain: scalar.style == .plain || scalar.style == .any,
                              quoted: scalar.style == .singleQuoted || scalar.style == .doubleQuoted, start: start, source: source)
        case let .sequence(sequence):
            var items: [YAMLNode] = []
            for item in sequence { items.append(try convert(item, source: source, firstLine: firstLine, budget: &budget)) }
            return YAMLNode(kind: .sequence(items), bytes: collectionRange(start: start, source: source))
        case let .mapping(mapping):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            for (key, value) in mapping {
                let convertedKey = try convert(key, source: source, firstLine: firstLine, budget: &budget)
                pairs.append((convertedKey, try convert(value, source: source, firstLine: firstLine, budget: &budget)))
            }
            return YAMLNode(kind: .mapping(pairs), bytes: collectionRange(start: start, source: source))
        case .alias:
            throw YAMLProblem(message: "YAML anchors and aliases are not allowed", offset: start)
        }
    }

    private static func problem(from error: YamlError, source: SourceText, firstLine: Int) -> YAMLProblem {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " \(context.text)" }
            // libyaml's wording names its C API; say what it means instead.
            if problem.hasPrefix("Maximum nesting level") { message = "YAML is nested too deeply" }
            return YAMLProblem(message: message, offset: offset(of: mark, source: source, firstLine: firstLine))
        case let .duplicatedKeysInMapping(duplicates, context):
            return YAMLProblem(message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in mapping",
                               offset: offset(of: context.mark, source: source, firstLine: firstLine))
        case let .reader(problem, _, _, _):
            return YAMLProblem(message: "invalid YAML: \(problem)", offset: source.offset(line: firstLine, byteColumn: 1))
        default:
            return YAMLProblem(message: "invalid YAML: \(error)", offset: source.offset(line: firstLine, byteColumn: 1))
        }
    }
}

extension Postmortem {
    /// Where a diagnostic about the front-matter as a whole goes: its opening `---` line.
    var frontMatterAnchor: Range<Int> {
        let bom = FrontMatterSplitter.bomLength(source.bytes)
        return bom..<max(bom, source.lineContentRange(0).upperBound)
    }

    /// Where a diagnostic about field `key` goes: the key, else the front-matter's first line.
    func anchor(forField key: String) -> Range<Int> {
        fieldKey(key)?.bytes ?? frontMatterAnchor
    }

    /// True when the front-matter was read (schema rules stay silent otherwise: syntax rules speak).
    var hasReadableFrontMatter: Bool { frontMatter != nil }
}

/// Building blocks for ``Fix``es in the front-matter. Every helper checks the bytes it would
/// replace, so a fix is only offered when the file says exactly what the rule read.
enum FrontMatterFix {
    /// Replaces a scalar's text (with its quotes, if any) by `replacement`, when the node's bytes
    /// hold exactly that scalar and `replacement` is safe as a plain YAML scalar.
    static func replaceScalar(_ node: YAMLNode, with replacement: String, in postmortem: Postmortem) -> Fix? {
        guard let text = node.scalar, isPlainSafe(replacement) else { return nil }
        let written = postmortem.source.string(node.bytes)
        guard written == text || written == "\"\(text)\"" || written == "'\(text)'" else { return nil }
        return Fix(bytes: node.bytes, replacement: replacement)
    }

    /// Removes a repeated list entry: `, item` in a flow list, the whole `- item` line in a block list.
    static func removeListEntry(_ node: YAMLNode, in postmortem: Postmortem) -> Fix? {
        guard let text = node.scalar else { return nil }
        let source = postmortem.source
        let written = source.string(node.bytes)
        guard written == text || written == "\"\(text)\"" || written == "'\(text)'" else { return nil }
        var cursor = node.bytes.lowerBound - 1
        while cursor >= 0, source.bytes[cursor] == 0x20 || source.bytes[cursor] == 0x09 { cursor -= 1 }
        if cursor >= 0, source.bytes[cursor] == UInt8(ascii: ",") {
            return Fix(bytes: cursor..<node.bytes.upperBound, replacement: "")
        }
        // Block list: the line must be only `- item` (indentation and a trailing comment allowed).
        let line = source.lineIndex(of: node.bytes.lowerBound)
        let content = source.lineContentRange(line)
        let before = source.string(content.lowerBound..<node.bytes.lowerBound)
        let after = source.string(node.bytes.upperBound..<content.upperBound).trimmingCharacters(in: .whitespaces)
        guard before.trimmingCharacters(in: .whitespaces) == "-", after.isEmpty || after.hasPrefix("#") else { return nil }
        let end = line + 1 < source.lineCount ? source.lineStarts[line + 1] : content.upperBound
        return Fix(bytes: source.lineStarts[line]..<end, replacement: "")
    }

    /// Inserts `key: value` as the first line of the front-matter, with the file's line ending.
    static func insertField(_ key: String, _ value: String, in postmortem: Postmortem) -> Fix? {
        guard isPlainSafe(value) else { return nil }
        let source = postmortem.source
        let first = postmortem.frontMatterAnchor
        guard source.string(first) == "---", source.lineCount > 1 else { return nil }
        let insertAt = source.lineStarts[1]
        let crlf = insertAt >= 2 && source.bytes[insertAt - 2] == UInt8(ascii: "\r")
        return Fix(bytes: insertAt..<insertAt, replacement: "\(key): \(value)" + (crlf ? "\r\n" : "\n"))
    }

    /// Letters, digits, `-`, `_`, `.`, not starting with `-` or `.`, and not a YAML keyword: it
    /// reads back as the same string.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-", first != "." else { return false }
        let keywords: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        guard !keywords.contains(text.lowercased()) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}

import Foundation

/// The prose of one leaf block (paragraph, heading, table cell) as plain text, with a map from
/// every UTF-8 byte of the text back to a byte offset in the file.
///
/// Code spans, URLs (autolinks) and inline HTML become one U+FFFC each, so language rules
/// never match inside them while positions stay exact for everything else.
public struct ProseText: Sendable {
    public static let placeholder: Character = "\u{FFFC}"

    public var text: String
    /// `fileOffsets[i]` is the file byte offset of the text's UTF-8 byte `i`; one extra entry marks the end.
    public var fileOffsets: [Int]

    /// File byte range covered by a UTF-8 range of ``text``.
    public func fileRange(of textRange: Range<Int>) -> Range<Int> {
        Self.fileRange(of: textRange, in: fileOffsets)
    }

    static func fileRange(of textRange: Range<Int>, in fileOffsets: [Int]) -> Range<Int> {
        guard !fileOffsets.isEmpty else { return 0..<0 }
        let lower = fileOffsets[min(max(0, textRange.lowerBound), fileOffsets.count - 1)]
        let lastIndex = min(max(0, textRange.upperBound - 1), fileOffsets.count - 1)
        let upper = textRange.isEmpty ? lower : fileOffsets[lastIndex] + 1
        return lower..<max(lower, upper)
    }

    /// Builds the prose of `block` by aligning each inline literal with the source bytes: cmark
    /// gives reliable positions for blocks only, so inline text is found by walking forward
    /// through the block's bytes, skipping markup that has no counterpart in the text.
    /// - Parameter keepingCode: code spans keep their text (the timeline reads `` `08:12` `` as a time).
    public init(block: MarkdownNode, source: SourceText, keepingCode: Bool = false) {
        let built = withUnsafePointer(to: block) { Self.build(block: $0, source: source, keepingCode: keepingCode) }
        text = String(decoding: built.utf8, as: UTF8.self)
        fileOffsets = built.fileOffsets
    }

    /// The prose of `block` as UTF-8 bytes (what ``text`` would hold) with its file offsets, for
    /// callers that read bytes only: the blame-language scan, which used to decode ``text`` into a
    /// String and copy it straight back into bytes.
    /// - Parameter offsets: false leaves ``ProseBytes/fileOffsets`` empty (the text is the same):
    ///   the scan maps positions only for the few blocks with findings, and builds those again.
    static func bytes(block: UnsafePointer<MarkdownNode>, source: SourceText, offsets: Bool = true) -> ProseBytes {
        build(block: block, source: source, keepingCode: false, recordingOffsets: offsets)
    }

    /// Nodes are read through pointers: handing `children[index]` to a function copies the node
    /// (a retain and a release of each field), for every node of every block.
    private static func build(block: UnsafePointer<MarkdownNode>, source: SourceText, keepingCode: Bool,
                              recordingOffsets: Bool = true) -> ProseBytes {
        var builder = Builder(source: source.bytes, cursor: block.pointee.bytes.lowerBound, limit: block.pointee.bytes.upperBound,
                              keepingCode: keepingCode, recordingOffsets: recordingOffsets)
        builder.text.reserveCapacity(block.pointee.bytes.count)
        if recordingOffsets { builder.offsets.reserveCapacity(block.pointee.bytes.count + 1) }
        // Children are read borrowed: `for child in children` copies each node (a retain per field).
        block.pointee.children.withUnsafeBufferPointer { children in
            guard let base = children.baseAddress else { return }
            for index in children.indices { builder.append(base + index) }
        }
        builder.offset(builder.cursor)
        return ProseBytes(utf8: builder.text, fileOffsets: builder.offsets)
    }

    fileprivate struct Builder {
        let source: [UInt8]
        var cursor: Int
        let limit: Int
        var keepingCode = false
        /// False: only the text is built (`offsets` stays empty).
        var recordingOffsets = true
        var text: [UInt8] = []
        var offsets: [Int] = []

        @inline(__always)
        mutating func offset(_ value: Int) {
            if recordingOffsets { offsets.append(value) }
        }

        mutating func append(_ node: UnsafePointer<MarkdownNode>) {
            switch node.pointee.kind {
            case .text:
                align(node.pointee.literal ?? "")
            case .code where keepingCode:
                align(node.pointee.literal ?? "")
            case .code:
                placeholder(skipping: Array((node.pointee.literal ?? "").utf8))
            case .htmlInline:
                placeholder(skipping: Array((node.pointee.literal ?? "").utf8))
            case .softBreak, .lineBreak:
                let newline = source[cursor..<min(limit, source.count)].firstIndex(of: UInt8(ascii: "\n")) ?? cursor
                text.append(UInt8(ascii: " "))
                offset(newline)
                cursor = min(limit, newline + 1)
            case let .link(url) where isAutolink(node.pointee, url: url):
                placeholder(skipping: Array(node.pointee.plainText.utf8))
            case .image:
                placeholder(skipping: Array(node.pointee.plainText.utf8))
            case .footnoteReference:
                placeholder(skipping: Array((node.pointee.literal ?? "").utf8))
            default:
                node.pointee.children.withUnsafeBufferPointer { children in
                    guard let base = children.baseAddress else { return }
                    for index in children.indices { append(base + index) }
                }
            }
        }

        private func isAutolink(_ node: MarkdownNode, url: String) -> Bool {
            let label = node.plainText
            return label == url || "mailto:" + label == url || "http://" + label == url
        }

        /// Emits U+FFFC mapped to where `literal` starts, and moves past it.
        private mutating func placeholder(skipping literal: [UInt8]) {
            let start = find(literal) ?? cursor
            for byte in String(ProseText.placeholder).utf8 {
                text.append(byte)
                offset(start)
            }
            cursor = min(limit, max(cursor, start + literal.count))
        }

        private func find(_ needle: [UInt8]) -> Int? {
            guard let first = needle.first else { return nil }
            var index = cursor
            let end = min(limit, source.count)
            while index + needle.count <= end {
                if source[index] == first, source[index..<index + needle.count].elementsEqual(needle) { return index }
                index += 1
            }
            return nil
        }

        private mutating func align(_ literal: String) {
            var literal = literal
            literal.withUTF8 { align($0) }
        }

        private mutating func align(_ literal: UnsafeBufferPointer<UInt8>) {
            let end = min(limit, source.count)
            let bytes = source   // a local: the closure below mutates `self`
            bytes.withUnsafeBufferPointer { source in
                // The whole literal as it stands at the cursor (plain text, the usual case): what the
                // run below takes, found by one memcmp and copied whole.
                if let base = source.baseAddress, let start = literal.baseAddress, cursor >= 0, cursor + literal.count <= end,
                   literal.count > 0, memcmp(base + cursor, start, literal.count) == 0 {
                    text.append(contentsOf: literal)
                    if recordingOffsets { offsets.append(contentsOf: cursor..<(cursor + literal.count)) }
                    cursor += literal.count
                    return
                }
                var next = 0
                while next < literal.count {
                    // Most of a literal stands in the source as it is: a run of bytes equal to the
                    // source from the cursor maps one to one, which is what the byte-by-byte walk
                    // below finds for each of them (its probe stops at once). Runs are taken after
                    // every byte the walk places, so text after markup is a run too.
                    var matched = 0
                    while next + matched < literal.count, cursor + matched < end, source[cursor + matched] == literal[next + matched] { matched += 1 }
                    if matched > 0 {
                        text.append(contentsOf: UnsafeBufferPointer(rebasing: literal[next..<(next + matched)]))
                        if recordingOffsets { offsets.append(contentsOf: cursor..<(cursor + matched)) }
                        cursor += matched
                        next += matched
                        continue
                    }
                    let byte = literal[next]
                    var probe = cursor
                    // Skip markup (emphasis markers, escapes, brackets) until the byte reappears on this line.
                    while probe < end, source[probe] != byte, source[probe] != UInt8(ascii: "\n") { probe += 1 }
                    if probe < end, source[probe] == byte {
                        offset(probe)
                        cursor = probe + 1
                    } else {
                        // Entities and other transformations: keep the position where we are.
                        offset(min(cursor, end))
                    }
                    text.append(byte)
                    next += 1
                }
            }
        }
    }
}

/// ``ProseText`` as bytes: `utf8` is valid UTF-8 (literals from cmark and U+FFFC placeholders),
/// the bytes of ``ProseText/text``; `fileOffsets` is the same map.
struct ProseBytes {
    var utf8: [UInt8]
    var fileOffsets: [Int]

    /// File byte range covered by a UTF-8 range of ``utf8`` (``ProseText/fileRange(of:)``).
    func fileRange(of textRange: Range<Int>) -> Range<Int> {
        ProseText.fileRange(of: textRange, in: fileOffsets)
    }
}

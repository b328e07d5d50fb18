/// Finds the front-matter block (between `---` lines at the top) and the body that follows.
/// Tolerates a UTF-8 byte-order mark and CRLF line endings.
public struct FrontMatterSplit: Sendable {
    /// Byte range of the YAML text between the fences (empty when the block is empty).
    public var yamlBytes: Range<Int>
    /// 1-based line of the first YAML line.
    public var yamlFirstLine: Int
    /// Byte range of the opening fence line, for diagnostics.
    public var openingFence: Range<Int>
    /// Byte offset where the Markdown body begins.
    public var bodyStart: Int
}

public enum FrontMatterSplitError: Error, Equatable, Sendable {
    case missing
    case unterminated(openingFence: Range<Int>)
}

public enum FrontMatterSplitter {
    /// The length of a UTF-8 BOM at the start of `bytes` (0 or 3).
    public static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    public static func split(_ source: SourceText) throws(FrontMatterSplitError) -> FrontMatterSplit {
        let bom = bomLength(source.bytes)
        guard source.lineCount > 0 else { throw .missing }
        let firstLine = source.lineContentRange(0)
        guard isFence(source, firstLine.lowerBound + bom..<firstLine.upperBound) else { throw .missing }
        for lineIndex in 1..<source.lineCount {
            let content = source.lineContentRange(lineIndex)
            if isFence(source, content) || isDocumentEnd(source, content) {
                let yamlStart = source.lineStarts[1]
                let bodyStart = lineIndex + 1 < source.lineCount ? source.lineStarts[lineIndex + 1] : source.bytes.count
                return FrontMatterSplit(yamlBytes: yamlStart..<source.lineStarts[lineIndex], yamlFirstLine: 2,
                                        openingFence: firstLine, bodyStart: bodyStart)
            }
        }
        throw .unterminated(openingFence: firstLine)
    }

    private static func isFence(_ source: SourceText, _ range: Range<Int>) -> Bool {
        trimmedTrailing(source, range).elementsEqual("---".utf8)
    }

    private static func isDocumentEnd(_ source: SourceText, _ range: Range<Int>) -> Bool {
        trimmedTrailing(source, range).elementsEqual("...".utf8)
    }

    private static func trimmedTrailing(_ source: SourceText, _ range: Range<Int>) -> ArraySlice<UInt8> {
        var end = range.upperBound
        while end > range.lowerBound, source.bytes[end - 1] == 0x20 || source.bytes[end - 1] == 0x09 { end -= 1 }
        return source.bytes[range.lowerBound..<end]
    }
}

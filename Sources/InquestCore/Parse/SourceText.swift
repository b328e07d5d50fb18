import Foundation

/// The bytes of one file plus a line table, converting between byte offsets and 1-based positions.
///
/// Everything downstream of parsing keeps UTF-8 byte offsets into the *whole file* (front-matter
/// included) and converts to line/column only when a diagnostic is made, so positions stay exact.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 40 + 1)
        // memchr finds each line feed many bytes at a time; the byte loop it replaces was a few
        // instructions per byte of every file.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count, let found = memchr(base + offset, 0x0A, buffer.count - offset) {
                let index = found.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: base)
                starts.append(index + 1)
                offset = index + 1
            }
        }
        lineStarts = starts
    }

    /// A text whose line table was built with it: `lineStarts` must be what ``init(bytes:)``
    /// finds (the lint cache's stored excerpts, ``CachedLint/Excerpts``, know it as they go).
    init(bytes: [UInt8], lineStarts: [Int]) {
        self.bytes = bytes
        self.lineStarts = lineStarts
    }

    public var lineCount: Int { lineStarts.count }

    /// The 0-based line index containing `offset`.
    public func lineIndex(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// 1-based position of a byte offset; the column counts Unicode scalars.
    public func position(of offset: Int) -> SourcePosition {
        let clamped = max(0, min(offset, bytes.count))
        let index = lineIndex(of: clamped)
        var column = 1
        var cursor = lineStarts[index]
        while cursor < clamped {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        // A range ending in the middle of a scalar still counts that scalar.
        return SourcePosition(line: index + 1, column: column)
    }

    public func range(of bytes: Range<Int>) -> SourceRange {
        SourceRange(start: position(of: bytes.lowerBound), end: position(of: bytes.upperBound))
    }

    /// Byte offset of a 1-based line and 1-based *byte* column (cmark's convention).
    public func offset(line: Int, byteColumn: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return bytes.count }
        return min(bytes.count, lineStarts[line - 1] + max(0, byteColumn - 1))
    }

    /// Byte offset of a 1-based line and 1-based *scalar* column (libyaml's convention).
    public func offset(line: Int, scalarColumn: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return bytes.count }
        var cursor = lineStarts[line - 1]
        var remaining = scalarColumn - 1
        while remaining > 0, cursor < bytes.count, bytes[cursor] != UInt8(ascii: "\n") {
            cursor += 1
            while cursor < bytes.count, bytes[cursor] & 0xC0 == 0x80 { cursor += 1 }
            remaining -= 1
        }
        return cursor
    }

    /// Byte range of a line's content, without its line terminator (`\n` or `\r\n`).
    public func lineContentRange(_ lineIndex: Int) -> Range<Int> {
        let start = lineStarts[lineIndex]
        var end = lineIndex + 1 < lineStarts.count ? lineStarts[lineIndex + 1] - 1 : bytes.count
        if end > start, end <= bytes.count, end - 1 >= start, end - 1 < bytes.count, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<max(start, end)
    }

    /// The text of a 1-based line without its terminator.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        return String(decoding: bytes[lineContentRange(line - 1)], as: UTF8.self)
    }

    public func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[max(0, range.lowerBound)..<min(bytes.count, range.upperBound)], as: UTF8.self)
    }
}

/// What identifies a finding across commits: rule, file and the normalised source text it is
/// about (the flagged text and its line, whitespace collapsed) — not the line number, which moves
/// when lines are added above, and not the message, which may be reworded. SARIF
/// (`partialFingerprints`) and GitLab (`fingerprint`) print the same value.
enum Fingerprint {
    /// Each diagnostic's fingerprint, in order: the hex FNV-1a hash of its base (`rule|file|
    /// flagged text|line`, the text normalised: whitespace runs as one space, none at either end;
    /// `rule|file|` when the line is not in the source), `|` and how many earlier diagnostics have
    /// the same base (so identical findings differ). Computed once per report and shared by the
    /// formats that print it.
    static func all(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> [String] {
        var occurrences: [String: Int] = [:]
        occurrences.reserveCapacity(diagnostics.count)
        var fingerprints: [String] = []
        fingerprints.reserveCapacity(diagnostics.count)
        // Diagnostics come sorted by file: one dictionary lookup per file, not per diagnostic.
        var lastFile: String?
        var source: SourceText?
        for diagnostic in diagnostics {
            if diagnostic.file != lastFile {
                lastFile = diagnostic.file
                source = sources[diagnostic.file]
            }
            var base = ReportBytes(capacity: 128)
            appendBase(diagnostic, source: source, to: &base)
            let key = base.text
            let occurrence = occurrences[key, default: 0]
            occurrences[key] = occurrence + 1
            // StableHash.hex(base + "|\(occurrence)"), without making that string.
            var hash = StableHash.Running()
            base.withBytes { hash.add($0) }
            hash.add(UInt8(ascii: "|"))
            hash.add(decimal: occurrence)
            fingerprints.append(hash.hex)
        }
        return fingerprints
    }

    private static func appendBase(_ diagnostic: Diagnostic, source: SourceText?, to out: inout ReportBytes) {
        out.append(diagnostic.rule)
        out.append(UInt8(ascii: "|"))
        out.append(diagnostic.file)
        out.append(UInt8(ascii: "|"))
        let range = diagnostic.range
        guard let source, range.start.line >= 1, range.start.line <= source.lineCount else { return }
        let content = source.lineContentRange(range.start.line - 1)
        let ascii = source.bytes.withUnsafeBufferPointer { all in
            let line = UnsafeBufferPointer(rebasing: all[content])
            // ASCII (nearly every line): a scalar is a byte and a Character a scalar (CR LF, the
            // one two-scalar ASCII character, is whitespace either way), so the text is split
            // on the bytes Unicode calls whitespace, as the general path below does.
            guard isASCII(line) else { return false }
            let start = min(max(0, range.start.column - 1), line.count)
            let end = range.end.line == range.start.line ? min(max(start, range.end.column - 1), line.count) : line.count
            appendNormalised(UnsafeBufferPointer(rebasing: line[start..<end]), to: &out)
            out.append(UInt8(ascii: "|"))
            appendNormalised(line, to: &out)
            return true
        }
        guard !ascii else { return }
        let line = source.lineText(range.start.line)
        let scalars = Array(line.unicodeScalars)
        let start = min(max(0, range.start.column - 1), scalars.count)
        let end = range.end.line == range.start.line ? min(max(start, range.end.column - 1), scalars.count) : scalars.count
        let flagged = String(String.UnicodeScalarView(scalars[start..<end]))
        out.append(normalise(flagged))
        out.append(UInt8(ascii: "|"))
        out.append(normalise(line))
    }

    /// Splits on `Character.isWhitespace` (a grapheme that starts with a whitespace scalar,
    /// combining marks after it included) and joins with one space.
    static func normalise(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Eight bytes at a time: the byte loop is slow under the fuzzer's instrumentation.
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index + 8 <= bytes.count {
            if UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// ASCII text split on its whitespace (tab, LF, VT, FF, CR, space) and joined with one space.
    private static func appendNormalised(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ReportBytes) {
        var wroteWord = false
        var wordStart = -1
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                if wordStart >= 0 {
                    if wroteWord { out.append(UInt8(ascii: " ")) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[wordStart..<index]))
                    wordStart = -1
                    wroteWord = true
                }
            } else if wordStart < 0 {
                wordStart = index
            }
        }
        if wordStart >= 0 {
            if wroteWord { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[wordStart...]))
        }
    }
}

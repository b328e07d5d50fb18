/// Unified diffs (`diff -u` / `git diff` style) for the two changes `adopt` makes: lines put at
/// the top of a file, and a new file. Lines keep their `\r`, so a CRLF file's diff applies as is.
public enum UnifiedDiff {
    /// Lines of `bytes` with their terminators removed, and whether the last one had one.
    static func lines(_ bytes: [UInt8]) -> (lines: [String], finalNewline: Bool) {
        guard !bytes.isEmpty else { return ([], true) }
        var parts = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let finalNewline = bytes.last == UInt8(ascii: "\n")
        if finalNewline { parts.removeLast() }
        return (parts, finalNewline)
    }

    /// The diff that puts `added` in front of `old` (after a byte-order mark, which the diff
    /// shows as part of the first line); `context` unchanged lines follow the insertion.
    public static func prepend(path: String, old: [UInt8], new: [UInt8], context: Int = 3) -> String {
        let before = lines(old), after = lines(new)
        let added = after.lines.count - before.lines.count
        guard added > 0 else { return "" }
        // With a BOM the first old line changes too (the BOM moves to the new first line).
        let bomMoved = FrontMatterSplitter.bomLength(old) > 0
        let removed = bomMoved ? 1 : 0
        let shown = min(context, before.lines.count - removed)
        let oldCount = removed + shown
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        out += "@@ -\(oldCount == 0 ? 0 : 1),\(oldCount) +1,\(added + removed + shown) @@\n"
        func noNewline(_ index: Int, _ side: (lines: [String], finalNewline: Bool)) -> String {
            index == side.lines.count - 1 && !side.finalNewline ? "\\ No newline at end of file\n" : ""
        }
        if bomMoved { out += "-\(before.lines[0])\n" + noNewline(0, before) }
        for index in 0..<(added + removed) { out += "+\(after.lines[index])\n" + noNewline(index, after) }
        for index in removed..<(removed + shown) { out += " \(before.lines[index])\n" + noNewline(index, before) }
        return out
    }

    /// The diff that creates `path` with `contents`.
    public static func newFile(path: String, contents: [UInt8]) -> String {
        let after = lines(contents)
        var out = "--- /dev/null\n+++ b/\(path)\n@@ -0,0 +1,\(after.lines.count) @@\n"
        for line in after.lines { out += "+\(line)\n" }
        if !after.finalNewline { out += "\\ No newline at end of file\n" }
        return out
    }
}

/// Applies ``Fix``es to a file's bytes: in one pass, in file order, never two that overlap.
///
/// Fixes replace byte ranges inside values and never touch line endings or a byte-order mark they
/// do not cover, so CRLF files stay CRLF and a BOM stays. Applying the fixes of a second lint run
/// to the result changes nothing more for the same findings (rules attach a fix only when the
/// corrected text passes them), which is what makes `--fix` idempotent.
public enum Fixer {
    /// The outcome for one file.
    public struct Result: Sendable, Equatable {
        public var bytes: [UInt8]
        /// Fixes applied, in file order.
        public var applied: [Fix]
        /// Fixes skipped because they overlapped an earlier one (a second run may apply them).
        public var skipped: [Fix]
    }

    /// Applies `fixes` to `bytes`. Identical fixes (two rules agreeing on one correction) count
    /// once; a fix overlapping an earlier one (by start offset) is skipped; out-of-range fixes are
    /// skipped.
    public static func apply(_ fixes: [Fix], to bytes: [UInt8]) -> Result {
        let ordered = Array(Set(fixes)).sorted { ($0.bytes.lowerBound, $0.bytes.upperBound, $0.replacement) < ($1.bytes.lowerBound, $1.bytes.upperBound, $1.replacement) }
        var applied: [Fix] = [], skipped: [Fix] = []
        var end = 0
        for fix in ordered {
            guard fix.bytes.lowerBound >= end, fix.bytes.upperBound <= bytes.count else {
                skipped.append(fix)
                continue
            }
            // Two insertions at the same point would be applied in an arbitrary order.
            if let last = applied.last, last.bytes.isEmpty, fix.bytes.isEmpty, last.bytes.lowerBound == fix.bytes.lowerBound {
                skipped.append(fix)
                continue
            }
            applied.append(fix)
            end = fix.bytes.upperBound
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        for fix in applied {
            out += bytes[position..<fix.bytes.lowerBound]
            out += Array(fix.replacement.utf8)
            position = fix.bytes.upperBound
        }
        out += bytes[position...]
        return Result(bytes: out, applied: applied, skipped: skipped)
    }

    /// A unified diff (`diff -u` style, 3 lines of context) from `old` to `new` for `path`; empty
    /// when they are equal. Line endings are shown as they are (a CR stays at the end of its line).
    public static func unifiedDiff(path: String, old: [UInt8], new: [UInt8], context: Int = 3) -> String {
        guard old != new else { return "" }
        let a = lines(old), b = lines(new)
        // Common prefix and suffix first: fixes touch few lines of long files.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let middleA = Array(a[prefix..<(a.count - suffix)]), middleB = Array(b[prefix..<(b.count - suffix)])
        // Edit script over the middle: LCS when it is small, else replace it whole.
        var script: [(kind: Character, text: String)] = a[..<prefix].map { (" ", $0) }
        if middleA.count * middleB.count <= 4_000_000 {
            script += lcsScript(middleA, middleB)
        } else {
            script += middleA.map { ("-", $0) } + middleB.map { ("+", $0) }
        }
        script += a[(a.count - suffix)...].map { (" ", $0) }

        var out = "--- a/\(path)\n+++ b/\(path)\n"
        var index = 0
        while index < script.count {
            guard script[index].kind != " " else { index += 1; continue }
            // A hunk: from `context` lines before this change to `context` lines after the last
            // change that is at most 2 * context unchanged lines away.
            let start = max(0, index - context)
            var last = index
            var scan = index
            while scan < script.count {
                if script[scan].kind != " " { last = scan }
                if scan - last > 2 * context { break }
                scan += 1
            }
            let end = min(script.count, last + context + 1)
            let oldStart = script[..<start].filter { $0.kind != "+" }.count + 1
            let newStart = script[..<start].filter { $0.kind != "-" }.count + 1
            let hunk = script[start..<end]
            let oldCount = hunk.filter { $0.kind != "+" }.count, newCount = hunk.filter { $0.kind != "-" }.count
            out += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
            for line in hunk {
                out += String(line.kind) + line.text
                if !line.text.hasSuffix("\n") { out += "\n\\ No newline at end of file\n" }
            }
            index = end
        }
        return out
    }

    /// Lines with their terminators (`\n`, CRLF kept as `…\r\n`).
    private static func lines(_ bytes: [UInt8]) -> [String] {
        var result: [String] = []
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            result.append(String(decoding: bytes[start...offset], as: UTF8.self))
            start = offset + 1
        }
        if start < bytes.count { result.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return result
    }

    private static func lcsScript(_ a: [String], _ b: [String]) -> [(kind: Character, text: String)] {
        let n = a.count, m = b.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        if n > 0, m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
        }
        var script: [(kind: Character, text: String)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                script.append((" ", a[i])); i += 1; j += 1
            } else if j < m, i == n || table[i][j + 1] > table[i + 1][j] {
                script.append(("+", b[j])); j += 1
            } else {
                script.append(("-", a[i])); i += 1
            }
        }
        // Deletions before insertions within a change, as diff prints them.
        var ordered: [(kind: Character, text: String)] = []
        var pendingAdds: [(kind: Character, text: String)] = []
        for line in script {
            switch line.kind {
            case "+": pendingAdds.append(line)
            case "-": ordered.append(line)
            default:
                ordered += pendingAdds; pendingAdds = []
                ordered.append(line)
            }
        }
        return ordered + pendingAdds
    }
}

/// A document's suppressions arranged for lookups that do not scan them all: which diagnostics
/// they hide, and which of them hid something. With thousands of comments and thousands of
/// findings, checking every pair took seconds; this takes O((d + s) log(d + s)).
struct SuppressionIndex {
    /// Merged, sorted line ranges that hide a rule ("" = every rule).
    private var coverage: [String: [ClosedRange<Int>]] = [:]
    private let suppressions: [Suppression]

    init(_ suppressions: [Suppression]) {
        self.suppressions = suppressions
        var ranges: [String: [ClosedRange<Int>]] = [:]
        for suppression in suppressions {
            let lines: ClosedRange<Int>
            switch suppression.scope {
            case .file: lines = Int.min...Int.max
            case .lines(let range): lines = range
            }
            for rule in suppression.rules.isEmpty ? [""] : suppression.rules { ranges[rule, default: []].append(lines) }
        }
        coverage = ranges.mapValues(Self.merged)
    }

    /// True when some suppression hides `rule` on `line` (what `Suppression.covers` says for one).
    func suppresses(rule: String, line: Int) -> Bool {
        Self.contains(coverage[rule], line) || Self.contains(coverage[""], line)
    }

    /// For each suppression, whether it hides at least one of `diagnostics` (of its document).
    func used(by diagnostics: [Diagnostic]) -> [Bool] {
        var linesByRule: [String: [Int]] = [:]
        var allLines: [Int] = []
        for diagnostic in diagnostics {
            linesByRule[diagnostic.rule, default: []].append(diagnostic.range.start.line)
            allLines.append(diagnostic.range.start.line)
        }
        linesByRule = linesByRule.mapValues { $0.sorted() }
        allLines.sort()
        return suppressions.map { suppression in
            let lines: ClosedRange<Int>
            switch suppression.scope {
            case .file: lines = Int.min...Int.max
            case .lines(let range): lines = range
            }
            if suppression.rules.isEmpty { return Self.anyLine(allLines, in: lines) }
            return suppression.rules.contains { Self.anyLine(linesByRule[$0] ?? [], in: lines) }
        }
    }

    private static func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, range.lowerBound <= last.upperBound || last.upperBound != Int.max && range.lowerBound == last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    /// Binary search: does a merged range contain `line`?
    private static func contains(_ ranges: [ClosedRange<Int>]?, _ line: Int) -> Bool {
        guard let ranges, !ranges.isEmpty else { return false }
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < line { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(line)
    }

    /// Binary search: is any of the sorted `lines` inside `range`?
    private static func anyLine(_ lines: [Int], in range: ClosedRange<Int>) -> Bool {
        var low = 0, high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if lines[middle] < range.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low < lines.count && lines[low] <= range.upperBound
    }
}

/// How long incidents took: per postmortem (from the front-matter times) and as distributions
/// per quarter. Medians and 90th percentiles, never means: a few long incidents would drag a
/// mean far from what a typical incident looks like.
extension Postmortem {
    /// Seconds from `started` to `end`, nil without both or when `end` is earlier.
    private func span(to end: Timestamp?) -> Int? {
        guard let start = started, let end, end.seconds >= start.seconds else { return nil }
        return end.seconds - start.seconds
    }

    /// Seconds from start to detection.
    public var timeToDetect: Int? { span(to: detected) }
    /// Seconds from start to mitigation.
    public var timeToMitigate: Int? { span(to: mitigated) }
    /// Seconds from start to resolution.
    public var timeToResolve: Int? { span(to: resolved) }
}

/// A calendar quarter.
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1 to 4.
    public var quarter: Int

    public init(year: Int, quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    public init(_ date: CalendarDate) { self.init(year: date.year, quarter: (date.month + 2) / 3) }

    public var next: Quarter { quarter == 4 ? Quarter(year: year + 1, quarter: 1) : Quarter(year: year, quarter: quarter + 1) }
    /// `2024 Q3`.
    public var description: String { "\(year) Q\(quarter)" }
    /// The first day of the quarter.
    public var firstDay: CalendarDate { CalendarDate(year: year, month: (quarter - 1) * 3 + 1, day: 1)! }

    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }

    /// Every quarter from `first` to `last` inclusive (at most 400).
    public static func range(_ first: Quarter, _ last: Quarter) -> [Quarter] {
        var out: [Quarter] = []
        var current = first
        while current <= last, out.count < 400 {
            out.append(current)
            current = current.next
        }
        return out
    }
}

/// A distribution summarised: how many values, the median and the 90th percentile.
public struct Distribution: Sendable, Equatable {
    public var count: Int
    public var median: Int
    public var p90: Int

    public init(count: Int, median: Int, p90: Int) {
        self.count = count
        self.median = median
        self.p90 = p90
    }

    /// Nearest-rank percentiles of `values`; nil when empty.
    public init?(_ values: [Int]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        count = sorted.count
        median = Distribution.percentile(sorted, 50)
        p90 = Distribution.percentile(sorted, 90)
    }

    /// The nearest-rank percentile of sorted, non-empty values.
    public static func percentile(_ sorted: [Int], _ percent: Int) -> Int {
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension Archive {
    /// Time to detect, mitigate and resolve per quarter of the incident date, from the first
    /// dated incident's quarter to the last one's (quarters without timed incidents have nils).
    /// `indexes` narrows to some postmortems (a service's); all by default.
    public func durationsByQuarter(of indexes: [Int]? = nil) -> [(quarter: Quarter, detect: Distribution?, mitigate: Distribution?, resolve: Distribution?)] {
        let dated = (indexes.map { $0.map { postmortems[$0] } } ?? postmortems).filter { $0.date != nil }
        guard let first = dated.map({ Quarter($0.date!) }).min(), let last = dated.map({ Quarter($0.date!) }).max() else { return [] }
        var values: [Quarter: (d: [Int], m: [Int], r: [Int])] = [:]
        for postmortem in dated {
            let quarter = Quarter(postmortem.date!)
            var entry = values[quarter] ?? ([], [], [])
            if let value = postmortem.timeToDetect { entry.d.append(value) }
            if let value = postmortem.timeToMitigate { entry.m.append(value) }
            if let value = postmortem.timeToResolve { entry.r.append(value) }
            values[quarter] = entry
        }
        return Quarter.range(first, last).map { quarter in
            let entry = values[quarter] ?? ([], [], [])
            return (quarter, Distribution(entry.d), Distribution(entry.m), Distribution(entry.r))
        }
    }
}

import InquestCore

/// Reliability views shared by the stats page and each service page: severity mix per year and
/// time-to-resolve distributions (median and 90th percentile from the core, never a mean).
extension SiteModel {
    /// Severity classes in stacking order (most severe at the bottom), with labels.
    var severitySeries: [(cls: String, label: String)] {
        severities.map { (cls: severityClass($0), label: $0) } + [(cls: "sev-other", label: "other")]
    }

    /// Severity mix per incident year: a 100% bar chart (bars link to `yearURL`) and its table.
    func severityMixByYear(_ indexes: [Int], title: String, yearURL: @escaping (Int) -> String?) -> TemplateValue {
        var counts: [Int: [String: Int]] = [:]
        for index in indexes {
            guard let year = archive.postmortems[index].date?.year else { continue }
            counts[year, default: [:]][severityClass(archive.postmortems[index].severity), default: 0] += 1
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return .bool(false) }
        let years = Array(first...last)
        let used = severitySeries.filter { series in counts.values.contains { ($0[series.cls] ?? 0) > 0 } }
        let label = "\(title): share of each severity per year, \(first) to \(last). The table below lists the same data."
        return .object([
            "svg": .string(Charts.severityMix(periods: years.map { (String($0), counts[$0] ?? [:]) }, series: used, label: label,
                                              link: { yearURL(years[$0]) })),
            "series": .list(used.map { .object(["label": .string($0.label), "class": .string($0.cls)]) }),
            "rows": .list(years.filter { counts[$0] != nil }.map { year in
                let values = counts[year]!
                return .object(["label": .string(String(year)), "values": .list(used.map { .int(values[$0.cls] ?? 0) }),
                                "total": .int(values.values.reduce(0, +))])
            }),
        ])
    }

    /// Time to resolve of `indexes`: median and p90 per quarter (chart) and per year (table).
    func resolveDistribution(_ indexes: [Int], title: String) -> TemplateValue {
        let quarters = archive.durationsByQuarter(of: indexes)
        guard quarters.contains(where: { $0.resolve != nil }) else { return .bool(false) }
        let axisMax = Charts.durationAxisMax(quarters.compactMap { $0.resolve?.p90 }.max() ?? 3600)
        var byYear: [Int: [Int]] = [:]
        for index in indexes {
            let postmortem = archive.postmortems[index]
            if let year = postmortem.date?.year, let value = postmortem.timeToResolve { byYear[year, default: []].append(value) }
        }
        let overall = Distribution(indexes.compactMap { archive.postmortems[$0].timeToResolve })
        let label = "\(title): time to resolve per quarter, \(quarters.first!.quarter) to \(quarters.last!.quarter), median bars and 90th percentile ticks, logarithmic scale. The table below lists the same data per year."
        return .object([
            "svg": .string(Charts.quantileBars(quarters: quarters.map(\.quarter), values: quarters.map(\.resolve), axisMax: axisMax,
                                               cls: "series-resolve", label: label)),
            "rows": .list(byYear.keys.sorted().map { year in
                let distribution = Distribution(byYear[year]!)!
                return .object(["label": .string(String(year)), "count": .int(distribution.count),
                                "median": .string(Format.duration(distribution.median) ?? "0 min"), "p90": .string(Format.duration(distribution.p90) ?? "0 min")])
            }),
            "median": overall.map { .string(Format.duration($0.median) ?? "0 min") } ?? .bool(false),
            "p90": overall.map { .string(Format.duration($0.p90) ?? "0 min") } ?? .bool(false),
        ])
    }
}

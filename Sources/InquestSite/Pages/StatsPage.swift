import InquestCore

/// `stats.html`: incidents per month by severity, time-to-detect and time-to-resolve trends, top
/// recurring causes. Each chart is inline SVG with a data table as its text alternative.
struct StatsPage: Page {
    let path = "stats.html"
    let template = "stats"
    var title: String { "Stats" }
    var section: String? { "stats" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let archive = site.archive
        let chronological = archive.chronological.filter { archive.postmortems[$0].date != nil }
        var charts = TemplateObject()

        // Incidents per month by severity.
        let severityClasses = site.severities.map { (cls: site.severityClass($0), label: $0) } + [(cls: "sev-other", label: "other")]
        if let first = chronological.first.flatMap({ archive.postmortems[$0].date }), let last = chronological.last.flatMap({ archive.postmortems[$0].date }) {
            let months = Charts.Month.range(Charts.Month(first), Charts.Month(last))
            var counts: [Charts.Month: [String: Int]] = [:]
            for index in chronological {
                let postmortem = archive.postmortems[index]
                counts[Charts.Month(postmortem.date!), default: [:]][site.severityClass(postmortem.severity), default: 0] += 1
            }
            let used = severityClasses.filter { series in counts.values.contains { ($0[series.cls] ?? 0) > 0 } }
            let rows = months.filter { counts[$0] != nil }.map { month -> TemplateValue in
                let values = counts[month] ?? [:]
                return .object(["label": .string(month.label), "key": .string(month.key),
                                "values": .list(used.map { .int(values[$0.cls] ?? 0) }),
                                "total": .int(values.values.reduce(0, +))])
            }
            let label = "Incidents per month by severity, \(months.first!.label) to \(months.last!.label). The table below lists the same data."
            // A month's bar links to its year's list, like the severity mix below: the year page
            // when the index is paged, else the one-page index (its year filter is a select).
            let paged = archive.postmortems.count > Paging.size
            let yearList: (Int) -> String? = { slot in
                let year = months[slot].year
                return paged ? "\(IndexPage.folder)/\(year).html" : "index.html"
            }
            charts["per_month"] = .object([
                "svg": .string(Charts.stackedBars(months: months.map { ($0, counts[$0] ?? [:]) }, series: used, label: label, link: yearList)),
                "series": .list(used.map { .object(["label": .string($0.label), "class": .string($0.cls)]) }),
                "rows": .list(rows),
            ])
        }

        // Time to detect, mitigate and resolve: median and 90th percentile per quarter, three
        // charts on one shared axis so they compare at a glance.
        let quarters = archive.durationsByQuarter()
        if quarters.contains(where: { $0.detect != nil || $0.mitigate != nil || $0.resolve != nil }) {
            let all = quarters.flatMap { [$0.detect?.p90, $0.mitigate?.p90, $0.resolve?.p90].compactMap { $0 } }
            let axisMax = Charts.durationAxisMax(all.max() ?? 3600)
            let metrics: [(key: String, title: String, cls: String, pick: (Distribution?, Distribution?, Distribution?) -> Distribution?)] = [
                ("detect", "Time to detect", "series-detect", { d, _, _ in d }),
                ("mitigate", "Time to mitigate", "series-mitigate", { _, m, _ in m }),
                ("resolve", "Time to resolve", "series-resolve", { _, _, r in r }),
            ]
            let range = "\(quarters.first!.quarter) to \(quarters.last!.quarter)"
            let timed = archive.postmortems
            func overall(_ values: [Int]) -> TemplateValue {
                guard let distribution = Distribution(values) else { return .bool(false) }
                return .object(["median": .string(Format.duration(distribution.median) ?? "0 min"), "p90": .string(Format.duration(distribution.p90) ?? "0 min"),
                                "count": .int(distribution.count)])
            }
            charts["durations"] = .object([
                "charts": .list(metrics.map { metric in
                    let values = quarters.map { metric.pick($0.detect, $0.mitigate, $0.resolve) }
                    return .object([
                        "key": .string(metric.key), "title": .string(metric.title),
                        "svg": .string(Charts.quantileBars(quarters: quarters.map(\.quarter), values: values, axisMax: axisMax, cls: metric.cls,
                                                           label: "\(metric.title) per quarter, \(range): median bars, 90th percentile ticks, logarithmic scale. The table below lists the same data.")),
                    ])
                }),
                "rows": .list(quarters.filter { $0.detect != nil || $0.mitigate != nil || $0.resolve != nil }.map { entry in
                    func cell(_ value: Distribution?) -> TemplateValue {
                        .string(value.map { "\(Format.duration($0.median) ?? "0 min") / \(Format.duration($0.p90) ?? "0 min")" } ?? "—")
                    }
                    return .object(["label": .string(entry.quarter.description), "count": .int(entry.resolve?.count ?? entry.detect?.count ?? 0),
                                    "ttd": cell(entry.detect), "ttm": cell(entry.mitigate), "ttr": cell(entry.resolve)])
                }),
                "from": .string(quarters.first!.quarter.description), "to": .string(quarters.last!.quarter.description),
                "overall_ttd": overall(timed.compactMap(\.timeToDetect)),
                "overall_ttm": overall(timed.compactMap(\.timeToMitigate)),
                "overall_ttr": overall(timed.compactMap(\.timeToResolve)),
            ])
        }

        // Top recurring causes.
        let top = site.recurrence.filter { $0.count > 0 }.prefix(10)
        if !top.isEmpty {
            let label = "The \(top.count) most frequent causes by number of incidents. The table below lists the same data."
            charts["causes"] = .object([
                "svg": .string(Charts.horizontalBars(top.map { (site.causeTitle($0.cause), $0.count) }, label: label)),
                "rows": .list(top.map { site.causeRef($0.cause) }),
            ])
        }

        // Severity mix per year; bars link to the year's list.
        let paged = archive.postmortems.count > Paging.size
        let mix = site.severityMixByYear(archive.chronological, title: "All incidents") { paged ? "\(IndexPage.folder)/\($0).html" : "index.html" }
        if case .object = mix { charts["severity_mix"] = mix }

        // Top causes over time: the five most frequent, per quarter on one shared scale.
        let topFive = site.recurrence.filter { $0.count > 0 }.prefix(5)
        if !topFive.isEmpty {
            let shared = topFive.map { site.quarterCounts($0.occurrences).max() ?? 0 }.max() ?? 1
            charts["causes_over_time"] = .object([
                "rows": .list(topFive.map { site.causeRef($0.cause).merging(["occurrences": site.occurrences(of: $0.cause, scaleMax: max(1, shared))]) }),
                "from": site.quarters.first.map { .string("\($0.year) Q\($0.quarter)") } ?? .bool(false),
                "to": site.quarters.last.map { .string("\($0.year) Q\($0.quarter)") } ?? .bool(false),
            ])
        }

        var bySeverity: [String: Int] = [:]
        for postmortem in archive.postmortems { bySeverity[postmortem.severity ?? "", default: 0] += 1 }
        return .object([
            "charts": .object(charts),
            "total": .int(archive.postmortems.count),
            "has_severities": .bool(!bySeverity.isEmpty),
            "severities": .list(site.severities.filter { bySeverity[$0] != nil }.map {
                .object(["severity": .string($0), "severity_class": .string(site.severityClass($0)), "count": .int(bySeverity[$0]!)])
            }),
        ])
    }
}

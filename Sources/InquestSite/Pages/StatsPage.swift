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
        var charts: [String: TemplateValue] = [:]

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
            charts["per_month"] = .object([
                "svg": .string(Charts.stackedBars(months: months.map { ($0, counts[$0] ?? [:]) }, series: used, label: label)),
                "series": .list(used.map { .object(["label": .string($0.label), "class": .string($0.cls)]) }),
                "rows": .list(rows),
            ])
        }

        // Time to detect and to resolve, per incident over time.
        let timed = chronological.filter { site.views[$0].timeToDetect != nil || site.views[$0].timeToResolve != nil }
        if !timed.isEmpty {
            let points = timed.map { (date: archive.postmortems[$0].date!, values: [site.views[$0].timeToDetect, site.views[$0].timeToResolve]) }
            let series = [(cls: "series-detect", label: "time to detect"), (cls: "series-resolve", label: "time to resolve")]
            let label = "Time to detect and time to resolve per incident, logarithmic scale. The table below lists the same data."
            charts["durations"] = .object([
                "svg": .string(Charts.durationTrend(points: points, series: series, label: label)),
                "rows": .list(timed.map { index in
                    site.summary(index).merging([
                        "ttd": .string(site.views[index].timeToDetect.flatMap(Format.duration) ?? "—"),
                        "ttm": .string(site.views[index].timeToMitigate.flatMap(Format.duration) ?? "—"),
                        "ttr": .string(site.views[index].timeToResolve.flatMap(Format.duration) ?? "—"),
                    ])
                }),
                "median_ttd": Self.median(timed.compactMap { site.views[$0].timeToDetect }).flatMap(Format.duration).template ?? .bool(false),
                "median_ttr": Self.median(timed.compactMap { site.views[$0].timeToResolve }).flatMap(Format.duration).template ?? .bool(false),
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

    static func median(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

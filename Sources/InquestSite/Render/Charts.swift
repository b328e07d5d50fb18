import InquestCore

/// Inline SVG charts. Colours come from CSS classes (so dark mode and print restyle them, and
/// the Content-Security-Policy needs no inline styles); every chart has a text alternative
/// (`aria-label` here, and a data table next to it in the templates).
enum Charts {
    /// A month: year and 1-based month.
    struct Month: Hashable, Comparable, Sendable {
        var year: Int
        var month: Int
        init(_ date: CalendarDate) { year = date.year; month = date.month }
        init(year: Int, month: Int) { self.year = year; self.month = month }
        var next: Month { month == 12 ? Month(year: year + 1, month: 1) : Month(year: year, month: month + 1) }
        var label: String { Format.monthLabel(year: year, month: month) }
        var key: String { "\(year)-\(Format.twoDigits(month))" }
        static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }

        /// Every month from `first` to `last` inclusive.
        static func range(_ first: Month, _ last: Month) -> [Month] {
            var out: [Month] = []
            var current = first
            while current <= last, out.count < 1200 {
                out.append(current)
                current = current.next
            }
            return out
        }
    }

    private static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Tiny bar chart of counts per period, for cause pages and the causes index.
    /// `scaleMax` is the shared maximum when sparklines are compared side by side.
    static func sparkline(counts: [Int], label: String, width: Double = 160, height: Double = 28, scaleMax: Int? = nil) -> String {
        guard !counts.isEmpty else { return "" }
        let maxCount = max(1, scaleMax ?? 0, counts.max() ?? 1)
        let step = width / Double(counts.count)
        let barWidth = max(1, step * 0.7)
        var svg = "<svg class=\"sparkline\" viewBox=\"0 0 \(number(width)) \(number(height))\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        svg += "<line class=\"sparkline-base\" x1=\"0\" y1=\"\(number(height - 0.5))\" x2=\"\(number(width))\" y2=\"\(number(height - 0.5))\"/>"
        for (index, count) in counts.enumerated() where count > 0 {
            let h = max(3, (height - 2) * Double(count) / Double(maxCount))
            svg += "<rect class=\"sparkline-bar\" x=\"\(number(Double(index) * step + (step - barWidth) / 2))\" y=\"\(number(height - h))\" width=\"\(number(barWidth))\" height=\"\(number(h))\"/>"
        }
        return svg + "</svg>"
    }

    /// A count axis: a step of 1, 2 or 5 × 10^k giving at most five intervals, and the axis
    /// maximum, a multiple of the step at or above `maximum` (so no bar pokes above the top label).
    static func countAxis(_ maximum: Int, minimum: Int = 3) -> (max: Int, step: Int) {
        let target = max(minimum, maximum)
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] {
                let step = factor * magnitude
                if (target + step - 1) / step <= 5 { return (((target + step - 1) / step) * step, step) }
            }
            magnitude *= 10
        }
    }

    /// Counts per quarter with year labels: a cause's or a service's incidents over time. At most
    /// six count labels and about eight year labels whatever the data; `link` makes each bar a
    /// link to the list it counts.
    static func quarterBars(counts: [Int], quarters: [(year: Int, quarter: Int)], label: String, link: ((Int) -> String?)? = nil) -> String {
        guard !counts.isEmpty, counts.count == quarters.count else { return "" }
        let width = 720.0, height = 150.0, left = 36.0, right = 24.0, top = 10.0, bottom = 26.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let axis = countAxis(counts.max() ?? 1)
        let step = plotWidth / Double(counts.count)
        let barWidth = max(2, min(40, step * 0.6))
        // With links the chart keeps the SVG's own role (graphics-document): an image must not contain controls.
        var svg = "<svg class=\"chart quarter-chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" \(link == nil ? "role=\"img\" " : "")aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        for tick in stride(from: 0, through: axis.max, by: axis.step) {
            let y = top + plotHeight - plotHeight * Double(tick) / Double(axis.max)
            svg += "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(width - right))\" y2=\"\(number(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(tick)</text>"
        }
        let years = Set(quarters.map(\.year)).count
        let yearStride = max(1, (years + 7) / 8)
        let firstYear = quarters[0].year
        for (index, count) in counts.enumerated() {
            let x = left + Double(index) * step
            let quarter = quarters[index]
            if (quarter.quarter == 1 || index == 0) && (quarter.year - firstYear) % yearStride == 0 {
                // Labels centred on the year's first quarter, never past the right edge.
                let text = quarter.quarter == 1 || years > 1 ? String(quarter.year) : "\(quarter.year) Q\(quarter.quarter)"
                svg += "<line class=\"tick\" x1=\"\(number(x))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(x))\" y2=\"\(number(top + plotHeight + 5))\"/>"
                svg += "<text class=\"axis\" x=\"\(number(min(x, width - 20)))\" y=\"\(number(height - 8))\" text-anchor=\"middle\">\(text)</text>"
            }
            guard count > 0 else { continue }
            let h = plotHeight * Double(count) / Double(axis.max)
            let bar = "<rect class=\"bar cause-bar\" x=\"\(number(x + (step - barWidth) / 2))\" y=\"\(number(top + plotHeight - h))\" width=\"\(number(barWidth))\" height=\"\(number(h))\"><title>\(quarter.year) Q\(quarter.quarter): \(count)</title></rect>"
            if let href = link?(index) {
                svg += "<a href=\"\(HTMLText.escape(href))\" aria-label=\"\(quarter.year) Q\(quarter.quarter): \(count)\">" + bar + "</a>"
            } else {
                svg += bar
            }
        }
        svg += "<line class=\"axis-line\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\"/>"
        return svg + "</svg>"
    }

    /// Incidents per month, stacked by severity.
    /// - Parameters:
    ///   - months: every month shown, oldest first, with its count per severity class.
    ///   - series: severity classes in stacking order (most severe at the bottom) with labels.
    ///   - link: the list a month's bar links to (nil: no link), as in ``severityMix``.
    static func stackedBars(months: [(month: Month, counts: [String: Int])], series: [(cls: String, label: String)], label: String,
                            link: ((Int) -> String?)? = nil) -> String {
        let width = 720.0, height = 240.0, left = 32.0, bottom = 28.0, top = 10.0, right = 8.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        // At least 4 on the axis, so one incident does not fill the chart; the top label is at
        // or above the tallest bar.
        let axis = countAxis(months.map { $0.counts.values.reduce(0, +) }.max() ?? 1, minimum: 4)
        let maxTotal = axis.max
        let step = plotWidth / Double(max(1, months.count))
        let barWidth = max(2, step * 0.72)
        // With links the chart keeps the SVG's own role (graphics-document): an image must not contain controls.
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" \(link == nil ? "role=\"img\" " : "")aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        // Horizontal grid lines at whole incident counts.
        let tickStep = axis.step
        for tick in stride(from: 0, through: maxTotal, by: tickStep) {
            let y = top + plotHeight - plotHeight * Double(tick) / Double(maxTotal)
            svg += "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(width - right))\" y2=\"\(number(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(tick)</text>"
        }
        for (index, entry) in months.enumerated() {
            let x = left + Double(index) * step + (step - barWidth) / 2
            var y = top + plotHeight
            var bars = ""
            for series in series {
                let count = entry.counts[series.cls] ?? 0
                guard count > 0 else { continue }
                let h = plotHeight * Double(count) / Double(maxTotal)
                y -= h
                bars += "<rect class=\"bar \(series.cls)\" x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(barWidth))\" height=\"\(number(h))\"><title>\(HTMLText.escape(entry.month.label)): \(count) \(HTMLText.escape(series.label))</title></rect>"
            }
            let total = entry.counts.values.reduce(0, +)
            if total > 0, let href = link?(index) {
                svg += "<a href=\"\(HTMLText.escape(href))\" aria-label=\"\(HTMLText.escape(entry.month.label)): \(total) incidents\">" + bars + "</a>"
            } else {
                svg += bars
            }
            // Year labels under each January (and the first month), at most about eight.
            let years = (months.last?.month.year ?? 0) - (months.first?.month.year ?? 0) + 1
            if entry.month.month == 1 || index == 0, (entry.month.year - months[0].month.year) % max(1, (years + 7) / 8) == 0 {
                svg += "<text class=\"axis\" x=\"\(number(left + Double(index) * step))\" y=\"\(number(height - 8))\">\(entry.month.month == 1 ? String(entry.month.year) : entry.month.label)</text>"
                svg += "<line class=\"tick\" x1=\"\(number(left + Double(index) * step))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(left + Double(index) * step))\" y2=\"\(number(top + plotHeight + 5))\"/>"
            }
        }
        svg += "<line class=\"axis-line\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\"/>"
        return svg + "</svg>"
    }

    /// Durations per incident over time on a logarithmic scale (minutes to weeks), one line per series.
    static func durationTrend(points: [(date: CalendarDate, values: [Int?])], series: [(cls: String, label: String)], label: String) -> String {
        let width = 720.0, height = 260.0, left = 46.0, bottom = 28.0, top = 12.0, right = 12.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = points.flatMap { $0.values.compactMap { $0 } }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        guard let firstDate = points.first?.date, let lastDate = points.last?.date, !all.isEmpty else { return svg + "</svg>" }
        let ticks: [(Int, String)] = [(60, "1 min"), (600, "10 min"), (3600, "1 h"), (6 * 3600, "6 h"), (86_400, "1 d"), (7 * 86_400, "1 wk"), (30 * 86_400, "30 d")]
        let minValue = 60.0
        let maxValue = Double(max(3600, ticks.first { $0.0 >= (all.max() ?? 0) }?.0 ?? (all.max() ?? 3600)))
        func y(_ seconds: Int) -> Double {
            let clamped = min(max(Double(seconds), minValue), maxValue)
            return top + plotHeight - plotHeight * (log(clamped) - log(minValue)) / (log(maxValue) - log(minValue))
        }
        let span = max(1, lastDate.daysSinceEpoch - firstDate.daysSinceEpoch)
        func x(_ date: CalendarDate) -> Double {
            points.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(date.daysSinceEpoch - firstDate.daysSinceEpoch) / Double(span)
        }
        for (seconds, text) in ticks where Double(seconds) <= maxValue {
            svg += "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(y(seconds)))\" x2=\"\(number(width - right))\" y2=\"\(number(y(seconds)))\"/>"
            svg += "<text class=\"axis\" x=\"\(number(left - 6))\" y=\"\(number(y(seconds) + 4))\" text-anchor=\"end\">\(text)</text>"
        }
        for year in firstDate.year...lastDate.year {
            guard let january = CalendarDate(year: year, month: 1, day: 1), january >= firstDate, january <= lastDate else { continue }
            svg += "<line class=\"tick\" x1=\"\(number(x(january)))\" y1=\"\(number(top))\" x2=\"\(number(x(january)))\" y2=\"\(number(top + plotHeight + 5))\"/>"
            svg += "<text class=\"axis\" x=\"\(number(x(january) + 3))\" y=\"\(number(height - 8))\">\(year)</text>"
        }
        for (position, series) in series.enumerated() {
            let coordinates = points.compactMap { point in point.values[position].map { (x(point.date), y($0), $0, point.date) } }
            if coordinates.count > 1 {
                svg += "<polyline class=\"line \(series.cls)\" points=\"" + coordinates.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ") + "\"/>"
            }
            for point in coordinates {
                svg += "<circle class=\"dot \(series.cls)\" cx=\"\(number(point.0))\" cy=\"\(number(point.1))\" r=\"3.5\"><title>\(point.3) \(HTMLText.escape(series.label)): \(Format.duration(point.2) ?? "")</title></circle>"
            }
        }
        svg += "<line class=\"axis-line\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\"/>"
        return svg + "</svg>"
    }

    /// Log-scale ticks for durations, and the smallest of them at or above `value`.
    static let durationTicks: [(Int, String)] = [(60, "1 min"), (600, "10 min"), (3600, "1 h"), (6 * 3600, "6 h"), (86_400, "1 d"),
                                                 (7 * 86_400, "1 wk"), (30 * 86_400, "30 d"), (365 * 86_400, "1 yr")]

    static func durationAxisMax(_ value: Int) -> Int {
        durationTicks.first { $0.0 >= value }?.0 ?? value
    }

    /// Which of `count` periods get a label so that at most `maxLabels` are drawn: every k-th,
    /// starting at the first.
    static func labelStride(_ count: Int, maxLabels: Int) -> Int { max(1, (count + maxLabels - 1) / max(1, maxLabels)) }

    /// One duration metric per quarter: the median as a bar, the 90th percentile as a tick above
    /// it, on a logarithmic axis whose maximum (`axisMax`, shared by the charts that are compared)
    /// is at or above every value. At most eight quarter labels, so the axis stays legible with
    /// ten years of data and at phone width (the SVG scales, its text with it).
    static func quantileBars(quarters: [Quarter], values: [Distribution?], axisMax: Int, cls: String, label: String) -> String {
        let width = 640.0, height = 220.0, left = 58.0, right = 10.0, top = 12.0, bottom = 30.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var svg = "<svg class=\"chart quantile-chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        guard !quarters.isEmpty, quarters.count == values.count else { return svg + "</svg>" }
        let minValue = 60.0, maxValue = Double(max(3600, axisMax))
        func y(_ seconds: Int) -> Double {
            let clamped = min(max(Double(seconds), minValue), maxValue)
            return top + plotHeight - plotHeight * (log(clamped) - log(minValue)) / (log(maxValue) - log(minValue))
        }
        for (seconds, text) in durationTicks where Double(seconds) <= maxValue {
            svg += "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(y(seconds)))\" x2=\"\(number(width - right))\" y2=\"\(number(y(seconds)))\"/>"
            svg += "<text class=\"axis\" x=\"\(number(left - 6))\" y=\"\(number(y(seconds) + 4))\" text-anchor=\"end\">\(text)</text>"
        }
        let step = plotWidth / Double(quarters.count)
        let barWidth = max(1.5, min(28, step * 0.62))
        let stride = labelStride(quarters.count, maxLabels: 8)
        for (position, quarter) in quarters.enumerated() {
            let x = left + step * Double(position) + (step - barWidth) / 2
            if let value = values[position] {
                let top = y(value.median)
                svg += "<rect class=\"bar \(cls)\" x=\"\(number(x))\" y=\"\(number(top))\" width=\"\(number(barWidth))\" height=\"\(number(y(60) - top))\"><title>\(quarter): median \(Format.duration(value.median) ?? "0 min"), 90th percentile \(Format.duration(value.p90) ?? "0 min"), \(value.count) incidents</title></rect>"
                svg += "<line class=\"p90 \(cls)\" x1=\"\(number(x - 1))\" y1=\"\(number(y(value.p90)))\" x2=\"\(number(x + barWidth + 1))\" y2=\"\(number(y(value.p90)))\"/>"
            }
            // Quarter labels when they fit; otherwise years (every other year, … when needed).
            let yearly = stride >= 4
            let labelled = yearly ? quarter.quarter == 1 && (quarter.year - quarters[0].year) % ((stride + 3) / 4) == 0 : position % stride == 0
            if labelled {
                let text = yearly ? String(quarter.year) : quarter.description
                svg += "<text class=\"axis\" x=\"\(number(left + step * Double(position) + step / 2))\" y=\"\(number(height - 10))\" text-anchor=\"middle\">\(text)</text>"
            }
        }
        svg += "<line class=\"axis-line\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\"/>"
        return svg + "</svg>"
    }

    /// Severity mix per period: one 100% bar per period, split by severity class, so the share of
    /// severe incidents over time reads at a glance whatever the volume. Each bar links to `link`.
    static func severityMix(periods: [(label: String, counts: [String: Int])], series: [(cls: String, label: String)], label: String,
                            link: ((Int) -> String?)? = nil) -> String {
        let width = 720.0, height = 200.0, left = 40.0, right = 8.0, top = 10.0, bottom = 26.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var svg = "<svg class=\"chart mix-chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" \(link == nil ? "role=\"img\" " : "")aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        guard !periods.isEmpty else { return svg + "</svg>" }
        for percent in stride(from: 0, through: 100, by: 25) {
            let y = top + plotHeight - plotHeight * Double(percent) / 100
            svg += "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(width - right))\" y2=\"\(number(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(percent)%</text>"
        }
        let step = plotWidth / Double(periods.count)
        let barWidth = max(2, min(48, step * 0.7))
        let stride = labelStride(periods.count, maxLabels: 10)
        for (index, period) in periods.enumerated() {
            let total = period.counts.values.reduce(0, +)
            let x = left + Double(index) * step + (step - barWidth) / 2
            if index % stride == 0 {
                svg += "<text class=\"axis\" x=\"\(number(left + Double(index) * step + step / 2))\" y=\"\(number(height - 8))\" text-anchor=\"middle\">\(HTMLText.escape(period.label))</text>"
            }
            guard total > 0 else { continue }
            var y = top + plotHeight
            var bars = ""
            for series in series {
                let count = period.counts[series.cls] ?? 0
                guard count > 0 else { continue }
                let h = plotHeight * Double(count) / Double(total)
                y -= h
                bars += "<rect class=\"bar \(series.cls)\" x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(barWidth))\" height=\"\(number(h))\"><title>\(HTMLText.escape(period.label)): \(count) \(HTMLText.escape(series.label)) of \(total)</title></rect>"
            }
            if let href = link?(index) {
                svg += "<a href=\"\(HTMLText.escape(href))\" aria-label=\"\(HTMLText.escape(period.label)): \(total) incidents\">" + bars + "</a>"
            } else {
                svg += bars
            }
        }
        svg += "<line class=\"axis-line\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\"/>"
        return svg + "</svg>"
    }

    /// Horizontal bars with a label each (top recurring causes).
    static func horizontalBars(_ rows: [(label: String, value: Int)], label: String) -> String {
        let width = 720.0, rowHeight = 26.0, labelWidth = 300.0, right = 40.0
        let height = max(rowHeight, Double(rows.count) * rowHeight + 4)
        let maxValue = max(1, rows.map(\.value).max() ?? 1)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" focusable=\"false\">"
        for (index, row) in rows.enumerated() {
            let y = Double(index) * rowHeight + 2
            let shown = row.label.count > 38 ? String(row.label.prefix(37)) + "…" : row.label
            svg += "<text class=\"label\" x=\"\(number(labelWidth - 8))\" y=\"\(number(y + rowHeight / 2 + 4))\" text-anchor=\"end\">\(HTMLText.escape(shown))</text>"
            let w = (width - labelWidth - right) * Double(row.value) / Double(maxValue)
            svg += "<rect class=\"bar cause-bar\" x=\"\(number(labelWidth))\" y=\"\(number(y + 4))\" width=\"\(number(w))\" height=\"\(number(rowHeight - 8))\"><title>\(HTMLText.escape(row.label)): \(row.value)</title></rect>"
            svg += "<text class=\"value\" x=\"\(number(labelWidth + w + 6))\" y=\"\(number(y + rowHeight / 2 + 4))\">\(row.value)</text>"
        }
        return svg + "</svg>"
    }

    /// The incident's phases on one bar: impact before detection, until mitigation, until resolution.
    static func phaseBar(detect: Int?, mitigate: Int?, resolve: Int?) -> String? {
        guard let total = resolve ?? mitigate ?? detect, total > 0 else { return nil }
        let width = 600.0, height = 14.0
        var svg = "<svg class=\"phase-bar\" viewBox=\"0 0 \(number(width)) \(number(height))\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">"
        var start = 0
        for (cls, end) in [("phase-detect", detect), ("phase-mitigate", mitigate), ("phase-resolve", resolve)] {
            guard let end, end >= start else { continue }
            let x = width * Double(start) / Double(total), w = width * Double(end - start) / Double(total)
            if w > 0 { svg += "<rect class=\"\(cls)\" x=\"\(number(x))\" y=\"0\" width=\"\(number(w))\" height=\"\(number(height))\"/>" }
            start = end
        }
        return svg + "</svg>"
    }
}

import Foundation

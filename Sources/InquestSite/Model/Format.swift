import InquestCore

/// Human-readable dates, times and durations. Dates are shown as written (ISO 8601), never in
/// the build machine's locale or time zone, so output is the same everywhere.
enum Format {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `18 min`, `2 h 40 min`, `1 d 1 h`; nil for negative spans (the linter reports those).
    static func duration(_ seconds: Int) -> String? {
        guard seconds >= 0 else { return nil }
        let minutes = seconds / 60
        if minutes < 1 { return "under 1 min" }
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60, restMinutes = minutes % 60
        if hours < 24 { return restMinutes == 0 ? "\(hours) h" : "\(hours) h \(restMinutes) min" }
        let days = hours / 24, restHours = hours % 24
        return restHours == 0 ? "\(days) d" : "\(days) d \(restHours) h"
    }

    /// Compact form for chart axes and tables: `18m`, `2.7h`, `1.1d`.
    static func shortDuration(_ seconds: Int) -> String {
        let minutes = Double(seconds) / 60
        if minutes < 60 { return "\(Int(minutes.rounded()))m" }
        let hours = minutes / 60
        if hours < 24 { return hours < 10 ? oneDecimal(hours) + "h" : "\(Int(hours.rounded()))h" }
        let days = hours / 24
        return days < 10 ? oneDecimal(days) + "d" : "\(Int(days.rounded()))d"
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// `22:18` in the offset the author wrote.
    static func clock(_ time: Timestamp) -> String {
        let local = time.seconds + time.offsetMinutes * 60
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        return twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay / 60 % 60)
    }

    /// `UTC`, `UTC+02:00`, `UTC−05:30`.
    static func offset(_ minutes: Int) -> String {
        if minutes == 0 { return "UTC" }
        let sign = minutes < 0 ? "-" : "+"
        return "UTC" + sign + twoDigits(abs(minutes) / 60) + ":" + twoDigits(abs(minutes) % 60)
    }

    /// `2025-01-14 22:18 UTC`.
    static func dateTime(_ time: Timestamp) -> String {
        "\(time.localDate) \(clock(time)) \(offset(time.offsetMinutes))"
    }

    /// RFC 3339 with the author's offset, for `<time datetime>` and Atom.
    static func rfc3339(_ time: Timestamp) -> String {
        if time.offsetMinutes == 0 { return time.utcString }
        let local = time.seconds + time.offsetMinutes * 60
        let day = CalendarDate(daysSinceEpoch: Int((Double(local) / 86_400).rounded(.down)))
        let secondOfDay = local - day.daysSinceEpoch * 86_400
        let sign = time.offsetMinutes < 0 ? "-" : "+"
        return "\(day)T\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay / 60 % 60)):\(twoDigits(secondOfDay % 60))"
            + sign + twoDigits(abs(time.offsetMinutes) / 60) + ":" + twoDigits(abs(time.offsetMinutes) % 60)
    }

    /// `14 January 2025`.
    static func longDate(_ date: CalendarDate) -> String {
        "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// `Jan 2025`.
    static func monthLabel(year: Int, month: Int) -> String { "\(shortMonths[month - 1]) \(year)" }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `1 incident`, `3 incidents`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (plural ?? singular + "s"))
    }
}

/// Reads timeline entries (list items or table rows) and resolves their times.
struct TimelineParser {
    let source: SourceText
    /// The incident date: front-matter `date`, else the date `started` falls on.
    let baseDate: CalendarDate?
    let defaultOffset: Int

    init(source: SourceText, date: CalendarDate?, started: Timestamp?) {
        self.source = source
        baseDate = date ?? started?.localDate
        defaultOffset = started?.offsetMinutes ?? 0
    }

    /// Well-known zone abbreviations, in minutes east of UTC.
    static let zones: [String: Int] = [
        "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
        "IST": 330, "SGT": 480, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
        "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300, "EST": -300, "EDT": -240,
    ]

    func entries(in section: Section) -> [TimelineEntry] {
        var zone: Int?
        var raw: [(entry: TimelineEntry, date: CalendarDate?, clock: Int, offset: Int?)] = []
        for block in section.blocks {
            switch block.kind {
            case .paragraph:
                if let found = Self.sectionZone(in: block.plainText) { zone = found }
            case .list:
                for item in block.children {
                    guard let paragraph = item.children.first(where: { $0.kind == .paragraph }) else {
                        raw.append((TimelineEntry(text: "", bytes: item.bytes), nil, 0, nil))
                        continue
                    }
                    raw.append(entry(prose: ProseText(block: paragraph, source: source), bytes: item.bytes))
                }
            case .table:
                for row in block.children {
                    guard case .tableRow(header: false) = row.kind, let first = row.children.first else { continue }
                    var parsed = entry(prose: ProseText(block: first, source: source), bytes: row.bytes)
                    parsed.entry.text = row.children.map(\.plainText).joined(separator: " | ")
                    raw.append(parsed)
                }
            default:
                continue
            }
        }
        // Resolve instants in order: dates carry forward, and a clock time that goes back by more
        // than 12 hours is read as the next day (the incident crossed midnight).
        var currentDate = baseDate
        var previous: Int?
        var result: [TimelineEntry] = []
        for var item in raw {
            if item.entry.timeText != nil {
                let offset = item.offset ?? zone ?? defaultOffset
                item.entry.zoneSource = item.offset != nil ? .entry : zone != nil ? .line : .document
                let explicitDate = item.date != nil
                item.entry.dateSource = explicitDate ? .entry : currentDate == baseDate ? .incident : .previous
                if let date = item.date { currentDate = date }
                let day = currentDate ?? CalendarDate(year: 1970, month: 1, day: 1)!
                var seconds = day.daysSinceEpoch * 86_400 + item.clock - offset * 60
                if !explicitDate, let previous, previous - seconds > 12 * 3600 {
                    seconds += 86_400
                    currentDate = CalendarDate(daysSinceEpoch: day.daysSinceEpoch + 1)
                    item.entry.dateSource = .rollover
                }
                item.entry.time = Timestamp(seconds: seconds, offsetMinutes: offset)
                previous = seconds
            }
            result.append(item.entry)
        }
        return result
    }

    /// "All times in UTC", "Times are CET", "all times UTC+2".
    static func sectionZone(in text: String) -> Int? {
        let lower = text.lowercased()
        guard lower.contains("times") || lower.contains("timezone") || lower.contains("time zone") else { return nil }
        let words = Array(text.utf8)
        var index = 0
        while index < words.count {
            if let (offset, _) = scanZone(words, from: index) {
                let before = index == 0 || !isWordByte(words[index - 1])
                if before { return offset }
            }
            index += 1
        }
        return nil
    }

    private func entry(prose: ProseText, bytes: Range<Int>) -> (entry: TimelineEntry, date: CalendarDate?, clock: Int, offset: Int?) {
        let text = prose.text
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count, utf8[index] == UInt8(ascii: " ") { index += 1 }
        let start = index
        var date: CalendarDate?
        var offset: Int?
        if index + 10 <= utf8.count, let parsed = CalendarDate(parsing: String(decoding: utf8[index..<index + 10], as: UTF8.self)) {
            let separatorIndex = index + 10
            if separatorIndex < utf8.count, utf8[separatorIndex] == UInt8(ascii: "T") || utf8[separatorIndex] == UInt8(ascii: " ") {
                date = parsed
                index = separatorIndex + 1
            }
        }
        guard let (clock, afterClock) = ClockTime.scan(utf8, from: index), date != nil || index == start else {
            return (TimelineEntry(text: text, bytes: bytes), nil, 0, nil)
        }
        index = afterClock
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
            // Fractional seconds in ISO 8601.
            var probe = index + 1
            while probe < utf8.count, Digits.isDigit(utf8[probe]) { probe += 1 }
            if probe > index + 1 { index = probe }
        }
        if let (zone, end) = Timestamp.scanOffset(utf8, from: index) {
            offset = zone
            index = end
        } else {
            var probe = index
            while probe < utf8.count, utf8[probe] == UInt8(ascii: " ") { probe += 1 }
            if let (zone, end) = Self.scanZone(utf8, from: probe) {
                offset = zone
                index = end
            }
        }
        // A time must be followed by a separator, not run into a word ("10:30am" is accepted).
        let timeText = String(decoding: utf8[start..<index], as: UTF8.self)
        let entry = TimelineEntry(text: text, bytes: bytes, timeText: timeText, timeBytes: prose.fileRange(of: start..<index), time: nil)
        return (entry, date, clock.seconds, offset)
    }

    /// A zone name (`UTC`, `CET`, `UTC+2`, `GMT-05:00`) at `index`, whole word.
    static func scanZone(_ bytes: [UInt8], from index: Int) -> (Int, Int)? {
        var end = index
        while end < bytes.count, bytes[end] >= UInt8(ascii: "A"), bytes[end] <= UInt8(ascii: "Z") { end += 1 }
        guard end > index, let base = zones[String(decoding: bytes[index..<end], as: UTF8.self)] else { return nil }
        if end < bytes.count, bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-") {
            var probe = end + 1
            while probe < bytes.count, Digits.isDigit(bytes[probe]) || bytes[probe] == UInt8(ascii: ":") { probe += 1 }
            let digits = Array(bytes[end + 1..<probe]).filter(Digits.isDigit)
            if !digits.isEmpty, digits.count <= 4, let value = Digits.parse(ArraySlice(digits)) {
                let minutes = digits.count <= 2 ? value * 60 : (value / 100) * 60 + value % 100
                let sign = bytes[end] == UInt8(ascii: "-") ? -1 : 1
                return (base + sign * minutes, probe)
            }
        }
        if end < bytes.count, isWordByte(bytes[end]) { return nil }
        return (base, end)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        Digits.isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }
}

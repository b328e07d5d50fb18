/// Reads timeline entries (list items, table rows, time-stamped paragraphs and lines) and resolves
/// each one's instant: the time of day as written (AM/PM applied), the date (entry, a heading or
/// date row above it, the table's date column, else the incident date, with midnight rollover),
/// and the zone (entry, table header, section heading, a "times in" line, an earlier entry, the
/// document, the configured default). Each entry records where its date and zone came from.
struct TimelineParser {
    let source: SourceText
    let options: TimelineOptions
    /// The incident date and where it came from (front-matter `date`/`started`: `.incident`; the
    /// file name or title of a document without front-matter: `.document`).
    let incidentDate: CalendarDate?
    let incidentDateSource: TimelineSource
    /// A zone the document states outside the timeline (front-matter `started`'s offset, or an
    /// "all times in …" line elsewhere).
    let documentZone: Zone?

    init(source: SourceText, options: TimelineOptions = TimelineOptions(), incidentDate: CalendarDate?,
         incidentDateSource: TimelineSource = .incident, documentZone: Zone?) {
        self.source = source
        self.options = options
        self.incidentDate = incidentDate
        self.incidentDateSource = incidentDateSource
        self.documentZone = documentZone
    }

    /// What the blocks of a section say, in order.
    private enum Event {
        case entry(Raw)
        case date(TimeExpression.PartialDate)
        /// `### Day 2`, `**Wednesday**`, `The next day`: a new day whose date is not written.
        case nextDay(DayMarker)
        case zone(Zone)
    }

    private struct Raw {
        var entry: TimelineEntry
        var expression: TimeExpression?
        var tableDate: TimeExpression.PartialDate?
        var tableZone: Zone?
        /// In a list where no item has a time or a date.
        var untimedList = false
    }

    func entries(in section: Section) -> [TimelineEntry] {
        var events: [Event] = []
        var afterProse = false
        for block in section.blocks {
            let before = events.count
            collect(block, into: &events, afterProse: afterProse)
            afterProse = block.kind == .paragraph && !events[before...].contains { if case .entry = $0 { true } else { false } }
        }
        if events.contains(where: { if case let .entry(raw) = $0 { raw.expression?.clock != nil } else { false } }) {
            events.removeAll { if case let .entry(raw) = $0 { raw.untimedList } else { false } }
        }

        let headingScanner = TimeScanner(section.heading, options: options)
        let sectionZone = headingScanner.firstZone()
        var currentDate = incidentDate
        var currentSource: TimelineSource? = incidentDate == nil ? nil : incidentDateSource
        if let date = headingScanner.firstDate()?.resolved(near: incidentDate) {
            currentDate = date
            currentSource = .section
        }
        // A timeline that writes AM/PM somewhere is a 12-hour timeline: a bare `1:05` after `11:30 AM` is 1:05 PM.
        let twelveHourTimeline = events.contains { if case let .entry(raw) = $0 { raw.expression?.twelveHour == true } else { false } }
        // A timeline whose every time is between 1:00 and 12:59 with no AM/PM anywhere may be on a
        // 12-hour clock ("11:45" then "1:20" in the afternoon). Only a step back of more than two
        // hours is read as crossing noon there, so that a small genuine step back is still reported.
        let clocks = events.compactMap { event -> Int? in if case let .entry(raw) = event { raw.expression?.clock } else { nil } }
        let unmarkedTwelveHour = !twelveHourTimeline && clocks.count >= 2 && clocks.allSatisfy { (1...12).contains($0 / 3600) }
        // "All times above are CET." after the entries still states their zone.
        var lineZone: Zone? = events.lazy.compactMap { if case let .zone(zone) = $0 { zone } else { nil } }.first
        var previousZone: Zone?
        var previousSeconds: Int?
        var previousOffset: Int?
        var lastDayNumber: Int?
        var result: [TimelineEntry] = []
        for event in events {
            switch event {
            case let .nextDay(marker):
                defer { if let number = marker.number { lastDayNumber = number } }
                // The first marker ("Day 1", the incident's weekday) names the day the entries start on.
                guard previousSeconds != nil else { continue }
                let base = currentDate ?? CalendarDate(year: 1970, month: 1, day: 1)!
                var days = 1
                if let number = marker.number, let lastDayNumber { days = max(0, number - lastDayNumber) }
                if let weekday = marker.weekday, currentDate != nil { days = (weekday - (base.daysSinceEpoch + 4) % 7 + 7) % 7 }
                if days > 0 {
                    currentDate = CalendarDate(daysSinceEpoch: base.daysSinceEpoch + days)
                    if currentSource != nil { currentSource = .heading }
                }
            case let .date(partial):
                if let date = partial.resolved(near: currentDate) {
                    currentDate = date
                    currentSource = .heading
                }
            case let .zone(zone):
                lineZone = zone
            case var .entry(raw):
                guard let expression = raw.expression, let clock = expression.clock else {
                    // A date without a time still dates the entries after it.
                    if let date = raw.expression?.date?.resolved(near: currentDate) {
                        currentDate = date
                        currentSource = .previous
                    }
                    result.append(raw.entry)
                    continue
                }
                var day = currentDate
                var dateSource = currentSource
                var explicit = false
                if let date = expression.date?.resolved(near: currentDate) {
                    day = date
                    dateSource = .entry
                    explicit = true
                } else if let date = raw.tableDate?.resolved(near: currentDate) {
                    day = date
                    dateSource = .table
                    explicit = true
                }
                let zone: Zone
                let zoneSource: TimelineSource
                if let written = expression.zone {
                    (zone, zoneSource) = (written, .entry)
                    previousZone = written
                } else if let table = raw.tableZone {
                    (zone, zoneSource) = (table, .table)
                } else if let sectionZone {
                    (zone, zoneSource) = (sectionZone, .section)
                } else if let lineZone {
                    (zone, zoneSource) = (lineZone, .line)
                } else if let previousZone {
                    // `9:00 PM WAT` then `9:10 PM`: the zone written on an earlier entry carries on.
                    (zone, zoneSource) = (previousZone, .previous)
                } else if let documentZone {
                    (zone, zoneSource) = (documentZone, .document)
                } else {
                    (zone, zoneSource) = (Zone(options.defaultOffset), .config)
                }
                let epoch = CalendarDate(year: 1970, month: 1, day: 1)!
                var offset = zone.offset(on: day, at: clock)
                var seconds = (day ?? epoch).daysSinceEpoch * 86_400 + clock - offset * 60
                if twelveHourTimeline || unmarkedTwelveHour, !expression.twelveHour, (1...11).contains(clock / 3600), let previousSeconds,
                   seconds < previousSeconds, seconds + 12 * 3600 >= previousSeconds,
                   twelveHourTimeline || (previousSeconds - seconds > 2 * 3600 && previousOffset == offset) {
                    seconds += 12 * 3600
                }
                // Times without a date that go back by more than 12 hours crossed midnight. AM/PM has
                // already been applied, so `11:50 PM` → `12:10 AM` rolls over and `7:48 AM` → `1:05 PM` does not.
                if !explicit, let previousSeconds, previousSeconds - seconds > 12 * 3600 {
                    let next = CalendarDate(daysSinceEpoch: (day ?? epoch).daysSinceEpoch + 1)
                    offset = zone.offset(on: next, at: clock)
                    seconds = next.daysSinceEpoch * 86_400 + clock - offset * 60
                    day = next
                    dateSource = dateSource == nil ? nil : .rollover
                }
                raw.entry.time = Timestamp(seconds: seconds, offsetMinutes: offset)
                raw.entry.dateSource = day == nil ? nil : dateSource
                raw.entry.zoneSource = zoneSource
                if let day {
                    currentDate = day
                    if dateSource == .entry || dateSource == .rollover || dateSource == .table { currentSource = .previous }
                }
                previousSeconds = seconds
                previousOffset = offset
                result.append(raw.entry)
            }
        }
        return result
    }

    // MARK: - Collecting entries from blocks

    private func collect(_ block: MarkdownNode, into events: inout [Event], afterProse: Bool = false) {
        switch block.kind {
        case .heading:
            let text = block.plainText
            let prose = ProseText(block: block, source: source, keepingCode: true)
            if let expression = TimeScanner(prose.text, options: options).scanStart(), expression.clock != nil {
                // `### 09:58 UTC — deploy starts`: one heading per entry, its story in the paragraphs below.
                events.append(.entry(entry(prose: prose, textRange: 0..<prose.text.utf8.count, bytes: block.bytes, expression: expression)))
                return
            }
            if let date = TimeScanner(text, options: options).firstDate() {
                events.append(.date(date))
            } else if let marker = DayMarker(text) {
                events.append(.nextDay(marker))
            }
            if let zone = Self.zoneLine(text, options: options) { events.append(.zone(zone)) }
        case .paragraph:
            paragraph(block, into: &events)
        case .list:
            var items: [Event] = []
            for item in block.children { listItem(item, into: &items) }
            // A list with no time or date in it that follows a paragraph ("**Root causes:**" and its
            // bullets under a day's heading) is prose inside the timeline, once the section has timed entries.
            let timed = items.contains { event in
                if case let .entry(raw) = event { return raw.expression != nil }
                return true
            }
            events += timed || !afterProse ? items : items.map { event in
                if case var .entry(raw) = event { raw.untimedList = true; return .entry(raw) }
                return event
            }
        case .table:
            table(block, into: &events)
        default:
            break
        }
    }

    private func listItem(_ item: MarkdownNode, into events: inout [Event]) {
        guard let paragraph = item.children.first(where: { $0.kind == .paragraph }) else {
            if !item.children.contains(where: { if case .list = $0.kind { true } else { false } }) {
                events.append(.entry(Raw(entry: TimelineEntry(text: "", bytes: item.bytes))))
            }
            for child in item.children { if case .list = child.kind { collect(child, into: &events) } }
            return
        }
        let prose = ProseText(block: paragraph, source: source, keepingCode: true)
        var nested: [Event] = []
        for child in item.children { if case .list = child.kind { collect(child, into: &nested) } }
        func isTimed(_ event: Event) -> Bool {
            if case let .entry(raw) = event { return raw.expression?.clock != nil || raw.expression?.unreadable != nil }
            return true // dates and zones
        }
        // One scanner of the item's text answers every question below (they used to build one
        // each, and scan for the date twice): its scans are pure functions of the text.
        let scanner = TimeScanner(prose.text, options: options)
        let scannedDate = scanner.scanDate()
        var scannedStart: TimeExpression??
        func start() -> TimeExpression? {
            if let scannedStart { return scannedStart }
            let found = scanner.scanStart()
            scannedStart = .some(found)
            return found
        }
        if let date = dateOnly(prose.text, scanned: scannedDate) {
            events.append(.date(date))
            events += nested
        } else if let (date, zone) = dateAndZone(prose.text, scanned: scannedDate, start: start) {
            events.append(.date(date))
            events.append(.zone(zone))
            events += nested
        } else if let zone = Self.zoneLine(prose.text, options: options), start()?.clock == nil {
            events.append(.zone(zone))
            events += nested
        } else {
            let raw = entry(prose: prose, textRange: 0..<prose.text.utf8.count, bytes: item.bytes, scanned: start())
            if raw.expression?.clock != nil || raw.expression?.unreadable != nil {
                // Untimed bullets under a timed entry are its details, not entries.
                events.append(.entry(raw))
                events += nested.filter(isTimed)
            } else if nested.contains(where: { if case let .entry(child) = $0 { child.expression?.clock != nil } else { false } }) {
                // "- Day one" over timed bullets is a label; its date, if any, dates them.
                if let date = raw.expression?.date {
                    events.append(.date(date))
                } else if let marker = DayMarker(prose.text) {
                    events.append(.nextDay(marker))
                }
                events += nested
            } else {
                events.append(.entry(raw))
                events += nested
            }
        }
    }

    /// A paragraph: each line that starts with a time starts an entry; other lines continue it.
    /// Lines before the first time are a date heading, a "times in" line, or prose (ignored).
    private func paragraph(_ block: MarkdownNode, into events: inout [Event]) {
        let prose = ProseText(block: block, source: source, keepingCode: true)
        let utf8 = Array(prose.text.utf8)
        // Line breaks became spaces in the prose; the file offsets still point at the newlines.
        var lines: [Range<Int>] = []
        var start = 0
        for index in utf8.indices where utf8[index] == 0x20 && index < prose.fileOffsets.count
            && prose.fileOffsets[index] < source.bytes.count && source.bytes[prose.fileOffsets[index]] == UInt8(ascii: "\n") {
            lines.append(start..<index)
            start = index + 1
        }
        lines.append(start..<utf8.count)
        var open: Raw?
        for line in lines {
            let text = String(decoding: utf8[line], as: UTF8.self)
            let expression = TimeScanner(text, options: options).scanStart()
            if let expression, expression.clock != nil || expression.unreadable != nil {
                if let open { events.append(.entry(open)) }
                let lineBytes = prose.fileRange(of: line)
                open = entry(prose: prose, textRange: line, bytes: lineBytes, expression: expression)
            } else if var current = open {
                current.entry.text += " " + text
                let end = prose.fileRange(of: line).upperBound
                current.entry.bytes = current.entry.bytes.lowerBound..<max(current.entry.bytes.upperBound, end)
                open = current
            } else if let date = dateOnly(text) {
                events.append(.date(date))
            } else if let marker = DayMarker(text) {
                events.append(.nextDay(marker))
            } else if let (date, zone) = dateAndZone(text) {
                events.append(.date(date))
                events.append(.zone(zone))
            } else if let zone = Self.zoneLine(text, options: options) {
                events.append(.zone(zone))
            }
        }
        if let open { events.append(.entry(open)) }
    }

    private func table(_ table: MarkdownNode, into events: inout [Event]) {
        var tableZone: Zone?
        for row in table.children {
            // The prose of the first three cells and where their time starts, each made once per
            // row (pure functions of the cell): the header test, the entry and the first cell all read them.
            let leading = min(3, row.children.count)
            var proses = [ProseText?](repeating: nil, count: leading)
            var starts = [TimeExpression??](repeating: nil, count: leading)
            func prose(_ index: Int) -> ProseText {
                if let known = proses[index] { return known }
                let made = ProseText(block: row.children[index], source: source, keepingCode: true)
                proses[index] = made
                return made
            }
            func start(_ index: Int) -> TimeExpression? {
                if let known = starts[index] { return known }
                let found = TimeScanner(prose(index).text, options: options).scanStart()
                starts[index] = .some(found)
                return found
            }
            // A table written without a header row (`| Tue | Mar 14 | 06:51 | … |` first) has its first entry there.
            let headerIsEntry = (0..<leading).contains { start($0)?.clock != nil }
            if case .tableRow(header: true) = row.kind, !headerIsEntry {
                for cell in row.children {
                    if let zone = TimeScanner(cell.plainText, options: options).firstZone() { tableZone = zone }
                }
                continue
            }
            guard case .tableRow = row.kind, !row.children.isEmpty else { continue }
            var raw: Raw?
            var tableDate: TimeExpression.PartialDate?
            // The time is in one of the first three cells; a date in a cell before it is the row's date.
            for index in 0..<leading {
                let prose = prose(index)
                if let expression = start(index), expression.clock != nil || expression.unreadable != nil {
                    raw = entry(prose: prose, textRange: 0..<prose.text.utf8.count, bytes: row.bytes, expression: expression)
                    break
                }
                if tableDate == nil, let date = dateOnly(prose.text) { tableDate = date }
            }
            let firstCell = prose(0)
            var found = raw ?? entry(prose: firstCell, textRange: 0..<firstCell.text.utf8.count, bytes: row.bytes, scanned: .some(start(0)))
            found.tableDate = tableDate
            found.tableZone = tableZone
            found.entry.text = row.children.map(\.plainText).joined(separator: " | ")
            events.append(.entry(found))
        }
    }

    /// The date when `text` is a date and nothing else (`March 4, 2025`, `Tue 14 Mar`, `2025-03-04:`).
    private func dateOnly(_ text: String) -> TimeExpression.PartialDate? {
        dateOnly(text, scanned: TimeScanner(text, options: options).scanDate())
    }

    /// ``dateOnly(_:)`` given what `TimeScanner(text).scanDate()` found.
    private func dateOnly(_ text: String, scanned: (TimeExpression.PartialDate, Int)?) -> TimeExpression.PartialDate? {
        guard let (date, end) = scanned else { return nil }
        let rest = Array(text.utf8)[end...]
        guard rest.allSatisfy({ !TimelineParser.isWordByte($0) && $0 < 0x80 }) else { return nil }
        return date
    }

    /// A date followed by a statement of the zone: `2023-10-21 (all times UTC)`, `March 4 — times in CET`.
    private func dateAndZone(_ text: String) -> (TimeExpression.PartialDate, Zone)? {
        let scanner = TimeScanner(text, options: options)
        return dateAndZone(text, scanned: scanner.scanDate(), start: { scanner.scanStart() })
    }

    /// ``dateAndZone(_:)`` given what the text's scanner found (its start scanned only when needed).
    private func dateAndZone(_ text: String, scanned: (TimeExpression.PartialDate, Int)?,
                             start: () -> TimeExpression?) -> (TimeExpression.PartialDate, Zone)? {
        guard let (date, end) = scanned, start()?.clock == nil,
              let zone = Self.zoneLine(String(decoding: Array(text.utf8)[end...], as: UTF8.self), options: options) else { return nil }
        return (date, zone)
    }

    /// - Parameter scanned: `TimeScanner` of the entry's text's `scanStart()`, when the caller has it.
    private func entry(prose: ProseText, textRange: Range<Int>, bytes: Range<Int>, expression: TimeExpression? = nil,
                       scanned: TimeExpression?? = nil) -> Raw {
        let utf8 = Array(prose.text.utf8)
        let text = String(decoding: utf8[textRange], as: UTF8.self)
        let expression = expression ?? (scanned ?? TimeScanner(text, options: options).scanStart())
        var entry = TimelineEntry(text: text, bytes: bytes)
        guard let expression else { return Raw(entry: entry) }
        let shifted = (expression.range.lowerBound + textRange.lowerBound)..<(expression.range.upperBound + textRange.lowerBound)
        if expression.clock != nil {
            entry.timeText = String(decoding: utf8[shifted], as: UTF8.self)
            entry.timeBytes = prose.fileRange(of: shifted)
        } else if let token = expression.unreadable {
            entry.unreadableTime = token
        }
        return Raw(entry: entry, expression: expression)
    }

    // MARK: - Zones stated in prose

    /// "All times in UTC", "Times are CET", "all times UTC+2", "Timezone: PST": the zone of a line
    /// that talks about times.
    static func zoneLine(_ text: String, options: TimelineOptions = TimelineOptions()) -> Zone? {
        guard ByteSearch.lowercasedContains(text, "time") || ByteSearch.lowercasedContains(text, "zone") else { return nil }
        return TimeScanner(text, options: options).firstZone()
    }

    /// "All times in UTC": the offset stated by a line, for callers that need minutes only.
    static func sectionZone(in text: String) -> Int? {
        zoneLine(text).map { $0.standardMinutes }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        Digits.isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }
}

/// A heading or line that starts a new day without writing its date: `Day 2`, `Day two`,
/// `Wednesday`, `The next day`, `Next morning`.
struct DayMarker: Equatable {
    /// 0 = Sunday.
    var weekday: Int?
    /// `Day 3` → 3.
    var number: Int?

    init?(_ text: String) {
        // Most lines have more than three words: an ASCII line is counted on its bytes first.
        if let count = Self.asciiWordCount(text, limit: 4), count == 0 || count > 3 { return nil }
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        let numbers = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7]
        switch words.count {
        case 1:
            guard let index = weekdays.firstIndex(of: words[0]) else { return nil }
            weekday = index
        case 2 where words[0] == "day":
            guard let value = Int(words[1]) ?? numbers[words[1]], (1...31).contains(value) else { return nil }
            number = value
        case 2, 3:
            let phrase = words.drop { $0 == "the" }.joined(separator: " ")
            guard ["next day", "following day", "next morning", "following morning"].contains(phrase) else { return nil }
        default:
            return nil
        }
    }

    /// The number of words (runs of letters and digits) of an ASCII text, counted up to `limit`;
    /// nil for a text with non-ASCII bytes, whose words the Character definition decides.
    static func asciiWordCount(_ text: String, limit: Int) -> Int? {
        let count: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var count = 0
            var inWord = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                let isWordByte = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                if isWordByte, !inWord {
                    count += 1
                    if count >= limit { return count }
                }
                inWord = isWordByte
            }
            return count
        }
        return count ?? nil
    }
}

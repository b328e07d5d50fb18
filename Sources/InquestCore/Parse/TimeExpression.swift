import Foundation

/// Reads the date, time of day and zone people write at the start of a timeline entry:
/// `09:12`, `9:12 PM`, `5 PM`, `4:12pm`, `9.25 AM`, `0415hrs`, `10:37-am-GMT`, `~07:00`,
/// `2021-12-10   15:40`, `2025-03-04T09:12:00+01:00`, `Jan 14, 10:18 AM`, `March 3rd, 2023, 4:00 PM`,
/// `April 2, 2024: 3:40pm UTC`, `10/21/2022 - 09:12 CST`, `Tue 14 Mar 06:51`, `12:26-12:40 UTC`.
///
/// Pure byte scanning, case-insensitive for words; nothing here knows about Markdown.
struct TimeExpression: Equatable {
    /// A calendar date that may lack its year (`Jan 14`).
    struct PartialDate: Equatable {
        var year: Int?
        var month: Int
        var day: Int

        /// The full date, taking a missing year from `context` (the nearest date known so far).
        func resolved(near context: CalendarDate?) -> CalendarDate? {
            if let year { return CalendarDate(year: year, month: month, day: day) }
            guard let context else { return nil }
            // "Dec 31" in a timeline of an incident dated Jan 1 belongs to the year before.
            var candidates: [CalendarDate] = []
            for year in [context.year - 1, context.year, context.year + 1] {
                if let date = CalendarDate(year: year, month: month, day: day) { candidates.append(date) }
            }
            return candidates.min { abs($0.daysSinceEpoch - context.daysSinceEpoch) < abs($1.daysSinceEpoch - context.daysSinceEpoch) }
        }
    }

    var date: PartialDate?
    /// Seconds since local midnight.
    var clock: Int?
    var zone: Zone?
    /// UTF-8 range of the whole expression in the scanned text (date, time and zone).
    var range: Range<Int>
    /// A time-like token that is not a valid time (`14:??`, `25:10`, `HH:mm`), when found instead of a time.
    var unreadable: String?
    /// True when the clock was written with AM/PM that was applied (for documentation and tests).
    var twelveHour = false
}

/// A zone as written: a fixed offset, or a US generic zone (`PT`, `ET`) whose offset depends on the date.
struct Zone: Equatable {
    var standardMinutes: Int
    /// True for `PT`, `MT`, `CT`, `ET`: daylight saving time applies on US rules.
    var usDaylightRules = false
    /// An IANA zone (`Europe/Berlin`), whose offset on a date comes from the system's time zone data.
    var identifier: String?

    init(_ minutes: Int, usDaylightRules: Bool = false) {
        standardMinutes = minutes
        self.usDaylightRules = usDaylightRules
    }

    init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier), identifier.contains("/") else { return nil }
        standardMinutes = zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) / 60
        self.identifier = identifier
    }

    /// The offset in minutes east of UTC for a local date and, when known, time of day (seconds since
    /// local midnight): on the day clocks change, `01:55` and `03:05` have different offsets.
    /// US generic zones follow US rules (from 2:00 on the second Sunday of March to 2:00 on the first
    /// Sunday of November).
    func offset(on date: CalendarDate?, at clock: Int? = nil) -> Int {
        if let identifier, let date, let zone = TimeZone(identifier: identifier) {
            // Without a time, noon: the offset of the day, away from the small hours when clocks change.
            let local = Double(date.daysSinceEpoch * 86_400 + (clock ?? 12 * 3600))
            let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(standardMinutes * 60)))
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(guess))) / 60
        }
        guard usDaylightRules, let date else { return standardMinutes }
        func nthSunday(_ n: Int, month: Int) -> Int {
            let first = CalendarDate(year: date.year, month: month, day: 1)!.daysSinceEpoch
            let weekday = ((first % 7) + 11) % 7 // 0 = Sunday (1970-01-01 was a Thursday)
            return first + (7 - weekday) % 7 + (n - 1) * 7
        }
        let day = date.daysSinceEpoch
        let start = nthSunday(2, month: 3), end = nthSunday(1, month: 11)
        if let clock, clock < 2 * 3600 {
            // Before 2:00 on a change day the previous day's offset still holds.
            if day == start { return standardMinutes }
            if day == end { return standardMinutes + 60 }
        }
        return day >= start && day < end ? standardMinutes + 60 : standardMinutes
    }
}

/// Options for reading numeric dates and zone abbreviations (from `timeline:` in `inquest.yml`).
public struct TimelineOptions: Sendable, Equatable {
    /// How to read a numeric date whose day and month could both be either (`03/04/2025`).
    public enum DateOrder: String, Sendable, Equatable, CaseIterable {
        /// Month first: `03/04/2025` is March 4.
        case mdy
        /// Day first: `03/04/2025` is April 3.
        case dmy
    }

    /// nil: an ambiguous numeric date is not read (the entry takes its date from context).
    public var dateOrder: DateOrder?
    /// Zone abbreviations added to or overriding the built-in table, in minutes east of UTC.
    public var zones: [String: Int] = [:]
    /// The zone of times that state none, in minutes east of UTC (`timeline.zone`; UTC by default).
    public var defaultOffset = 0

    public init() {}

    /// Built-in zone abbreviations, minutes east of UTC. Ambiguous ones take the reading listed
    /// here (IST India, CST US Central, BST British Summer, AST Atlantic); `timeline.zones` overrides.
    public static let builtinZones: [String: Int] = [
        "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330,
        "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "WAT": 60, "CAT": 120, "SAST": 120, "EET": 120, "EEST": 180,
        "EAT": 180, "MSK": 180, "TRT": 180, "GST": 240, "PKT": 300, "NPT": 345, "ICT": 420, "WIB": 420,
        "SGT": 480, "HKT": 480, "AWST": 480, "PHT": 480, "JST": 540, "KST": 540, "ACST": 570, "AEST": 600, "AEDT": 660,
        "NZST": 720, "NZDT": 780, "HST": -600, "AKST": -540, "AKDT": -480, "PST": -480, "PDT": -420, "MST": -420,
        "MDT": -360, "CST": -360, "CDT": -300, "EST": -300, "EDT": -240, "AST": -240, "ADT": -180, "NST": -210,
        "BRT": -180, "ART": -180,
    ]

    /// US generic zones: standard offset, daylight time applied by date.
    static let usGenericZones: [String: Int] = ["PT": -480, "MT": -420, "CT": -360, "ET": -300]

    /// The first date written anywhere in `text` (`2025-03-04`, `March 4th, 2025`, `Tue 4 Mar`,
    /// `10/21/2022`), read as the timeline reads dates; a date without a year takes the year that puts
    /// it nearest `near`. For tools that infer metadata from prose (a `Date:` line, a title).
    public func firstDate(in text: String, near: CalendarDate? = nil) -> CalendarDate? {
        TimeScanner(text, options: self).firstDate()?.resolved(near: near)
    }

    /// The offset, in minutes east of UTC, of the first zone named in `text` (`All times in CET`,
    /// `(UTC+2)`), as the timeline reads zones; US generic zones (`PT`) are read on `date`.
    public func firstZoneOffset(in text: String, on date: CalendarDate? = nil) -> Int? {
        TimeScanner(text, options: self).firstZone()?.offset(on: date)
    }

    func zone(named name: String) -> Zone? {
        if let minutes = zones[name] { return Zone(minutes) }
        if let minutes = Self.builtinZones[name] { return Zone(minutes) }
        if let minutes = Self.usGenericZones[name] { return Zone(minutes, usDaylightRules: true) }
        return nil
    }
}

struct TimeScanner {
    let bytes: [UInt8]
    let options: TimelineOptions

    init(_ text: String, options: TimelineOptions) {
        bytes = Self.plainSpaces(Array(text.utf8))
        self.options = options
    }

    /// Tabs, no-break spaces (U+00A0, U+202F: what word processors and macOS put between a time
    /// and "AM") and zero-width spaces read as plain spaces, byte for byte, so offsets still match the text.
    static func plainSpaces(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 == 0x09 || $0 == 0xC2 || $0 == 0xE2 || $0 == 0xEF }) else { return bytes }
        var out = bytes
        var index = 0
        while index < out.count {
            if out[index] == 0x09 {
                out[index] = 0x20
            } else if out[index] == 0xC2, index + 1 < out.count, out[index + 1] == 0xA0 {
                out[index] = 0x20; out[index + 1] = 0x20
                index += 1
            } else if out[index] == 0xE2, index + 2 < out.count, out[index + 1] == 0x80,
                      out[index + 2] == 0xAF || out[index + 2] == 0x8B || out[index + 2] == 0x89 || out[index + 2] == 0x8A {
                out[index] = 0x20; out[index + 1] = 0x20; out[index + 2] = 0x20 // narrow no-break, zero-width, thin, hair
                index += 2
            } else if out[index] == 0xEF, index + 2 < out.count, out[index + 1] == 0xBB, out[index + 2] == 0xBF {
                out[index] = 0x20; out[index + 1] = 0x20; out[index + 2] = 0x20 // a stray BOM
                index += 2
            }
            index += 1
        }
        return out
    }

    // MARK: - Entry start

    /// The date/time expression the text starts with (after white space, `~`, `[`, `(`), or nil when
    /// the text starts with neither a date nor a time. A date with no time is returned with `clock` nil.
    func scanStart() -> TimeExpression? {
        var index = skip(from: leadingSymbols(), where: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "(") })
        // "At approximately 10:15", "from about 9": up to three such words.
        for _ in 0..<3 {
            let next = skipWord(["approx.", "approx", "approximately", "around", "about", "circa", "ca.", "at", "by", "since", "from", "between", "on"], from: index)
            if next == index { break }
            index = next
        }
        let start = index
        var expression = TimeExpression(range: start..<start)
        var cursor = index
        // Weekday, then a date.
        if let after = weekday(at: cursor) {
            cursor = skipSeparators(from: after, allowDash: false)
        }
        var dateEnd: Int?
        var isoT = false
        if let (date, end, tSeparated) = date(at: cursor) {
            expression.date = date
            dateEnd = end
            isoT = tSeparated
            cursor = tSeparated ? end : skipSeparators(from: end, allowDash: true)
            cursor = skipWord(["at", "@"], from: cursor)
        } else if let end = numericDateToken(at: cursor) {
            // An ambiguous numeric date (`03/04/2025` without `timeline.date_order`) is skipped, not guessed.
            cursor = skipSeparators(from: end, allowDash: true)
        }
        if let time = clock(at: cursor, allowBareHour: true) {
            expression.clock = time.seconds
            expression.twelveHour = time.twelveHour
            cursor = time.end
            // A range end (`12:26-12:40`, `9:00 – 9:30 AM`) belongs to the expression; its AM/PM and zone apply.
            var zoneAfter = cursor
            if !(isoT || time.hadSeconds), let rangeEnd = rangeEnd(at: cursor) {
                if rangeEnd.meridiem != nil, !time.hadMeridiem, let clock = expression.clock {
                    expression.clock = Self.apply(rangeEnd.meridiem!, to: clock, minutesIfRangeEnd: rangeEnd.seconds)
                    expression.twelveHour = true
                }
                zoneAfter = rangeEnd.end
            }
            cursor = zoneAfter
            if let (zone, end) = self.zone(at: cursor, allowNumericOffset: true, allowNegativeOffset: isoT || time.hadSeconds) {
                expression.zone = zone
                cursor = end
            }
            // `22:30 UTC (Oct 29)`: a date in parentheses right after the time.
            if expression.date == nil {
                let open = skip(from: cursor, where: { $0 == 0x20 })
                if open < bytes.count, bytes[open] == UInt8(ascii: "("), let (date, end) = scanDate(from: open + 1),
                   end < bytes.count, bytes[end] == UInt8(ascii: ")") {
                    expression.date = date
                    cursor = end + 1
                }
            }
            expression.range = start..<cursor
            return expression
        }
        if let token = unreadableTime(at: cursor) ?? (dateEnd == nil ? relativeTime(at: cursor) : nil) {
            expression.unreadable = token.text
            expression.range = start..<token.end
            return expression
        }
        guard let dateEnd else {
            return nil
        }
        expression.range = start..<dateEnd
        return expression
    }

    /// The end of leading emoji and other symbols (`🚨 `, `✅ `, `⚠️ `) and spaces: status markers
    /// some teams put in front of each entry.
    private func leadingSymbols() -> Int {
        guard let first = bytes.first, first >= 0xC0 else { return 0 }
        var index = 0
        var scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            let symbol = scalar.value >= 0x80 && (scalar.properties.isEmoji || scalar.properties.generalCategory == .otherSymbol
                || scalar.properties.generalCategory == .mathSymbol || scalar.properties.generalCategory == .nonspacingMark
                || scalar.properties.isVariationSelector || scalar.value == 0x200D)
            guard symbol || scalar == " " else { break }
            index += UTF8.width(scalar)
        }
        return index
    }

    /// A date alone at `index`: for date headings (`### March 4, 2025`, `**Tuesday 14 Mar**`, `| 2025-03-04 |`).
    func scanDate(from index: Int = 0) -> (TimeExpression.PartialDate, Int)? {
        var cursor = skip(from: index, where: { $0 == 0x20 || $0 == 0x09 })
        if let after = weekday(at: cursor) { cursor = skipSeparators(from: after, allowDash: false) }
        guard let (date, end, _) = date(at: cursor) else { return nil }
        return (date, end)
    }

    /// The first date anywhere in the text (headings like `October 21, 2025 - Redis overload`).
    func firstDate() -> TimeExpression.PartialDate? {
        var index = 0
        while index < bytes.count {
            if index == 0 || !isWordByte(bytes[index - 1]), let (date, _) = scanDate(from: index) { return date }
            index += 1
        }
        return nil
    }

    /// The first zone named anywhere in the text as an upper-case word or `UTC±N` (`Timeline (all times PST)`).
    func firstZone() -> Zone? {
        let text = String(decoding: bytes, as: UTF8.self)
        for (name, abbreviation) in Self.zoneNames where ByteSearch.lowercasedContains(text, name) {
            if let zone = options.zone(named: abbreviation) { return zone }
        }
        // `America/Los_Angeles`, `Europe/Berlin` (only a word with a `/` byte can hold a `/`).
        for word in !bytes.contains(UInt8(ascii: "/")) ? [] : text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "," || $0 == ":" }) where word.contains("/") {
            var candidate = String(word)
            while let last = candidate.last, ".;".contains(last) { candidate.removeLast() }
            if candidate.first?.isUppercase == true, let zone = Zone(identifier: candidate) { return zone }
        }
        var index = 0
        while index < bytes.count {
            if (index == 0 || !isWordByte(bytes[index - 1])), isUpper(bytes[index]),
               let (zone, _) = zone(at: index, allowNumericOffset: false, allowNegativeOffset: false, requireUpper: true) {
                return zone
            }
            index += 1
        }
        return nil
    }

    /// Zone names written out, longest first so `central european time` wins over `central time`.
    static let zoneNames: [(StaticString, String)] = [
        ("coordinated universal time", "UTC"), ("greenwich mean time", "GMT"), ("central european summer time", "CEST"),
        ("central european time", "CET"), ("british summer time", "BST"), ("eastern european time", "EET"),
        ("india standard time", "IST"), ("pacific time", "PT"), ("mountain time", "MT"), ("central time", "CT"),
        ("eastern time", "ET"), ("pacific standard time", "PST"), ("eastern standard time", "EST"),
    ].sorted { $0.0.utf8CodeUnitCount > $1.0.utf8CodeUnitCount }

    /// True when only white space and then a dash, colon, bar or the end follow `index`.
    private func separatorFollows(_ index: Int) -> Bool {
        var cursor = index
        if cursor < bytes.count, bytes[cursor] != 0x20, bytes[cursor] != UInt8(ascii: ":") { return longDash(at: cursor) != nil }
        while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
        guard cursor < bytes.count else { return true }
        return bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: ":") || bytes[cursor] == UInt8(ascii: "|")
            || longDash(at: cursor) != nil || (cursor > index && zone(at: cursor - 1, allowNumericOffset: false, allowNegativeOffset: false, requireUpper: true) != nil)
    }

    // MARK: - Pieces

    private func skip(from index: Int, where predicate: (UInt8) -> Bool) -> Int {
        var index = index
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
        return index
    }

    private func skipSeparators(from index: Int, allowDash: Bool) -> Int {
        var index = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "|")
                || byte == UInt8(ascii: "~") || (allowDash && byte == UInt8(ascii: "-")) {
                index += 1
            } else if allowDash, let dash = longDash(at: index) {
                index = dash
            } else {
                break
            }
        }
        return index
    }

    /// End of an en or em dash at `index`.
    private func longDash(at index: Int) -> Int? {
        guard index + 3 <= bytes.count, bytes[index] == 0xE2, bytes[index + 1] == 0x80,
              bytes[index + 2] == 0x93 || bytes[index + 2] == 0x94 else { return nil }
        return index + 3
    }

    /// Skips one of `words` (case-insensitive, whole word) and the spaces after it.
    private func skipWord(_ words: [String], from index: Int) -> Int {
        for word in words {
            // The word's UTF-8 view is read in place (an `Array` of it was an allocation per try).
            let needle = word.utf8
            let count = needle.count
            guard count > 0, index + count <= bytes.count else { continue }
            var k = index
            var matches = true
            for byte in needle {
                if lower(bytes[k]) != byte { matches = false; break }
                k += 1
            }
            if matches, index + count == bytes.count || !isWordByte(bytes[index + count]) || !isWordByte(needle.last!) {
                return skip(from: index + count, where: { $0 == 0x20 || $0 == 0x09 })
            }
        }
        return index
    }

    private func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }
    private func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private func isLetter(_ byte: UInt8) -> Bool { lower(byte) >= UInt8(ascii: "a") && lower(byte) <= UInt8(ascii: "z") }
    private func isWordByte(_ byte: UInt8) -> Bool { TimelineParser.isWordByte(byte) }

    private func word(at index: Int) -> (String, Int)? {
        var end = index
        while end < bytes.count, isLetter(bytes[end]) { end += 1 }
        guard end > index else { return nil }
        return (String(decoding: bytes[index..<end].map(lower), as: UTF8.self), end)
    }

    private func digits(at index: Int, max: Int = 4) -> (Int, Int, Int)? {
        var end = index
        while end < bytes.count, end - index < max + 1, Digits.isDigit(bytes[end]) { end += 1 }
        guard end > index, end - index <= max, let value = Digits.parse(bytes[index..<end]) else { return nil }
        return (value, end - index, end)
    }

    static let weekdays: Set<String> = [
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    private func weekday(at index: Int) -> Int? {
        guard let (word, end) = word(at: index), Self.weekdays.contains(word) else { return nil }
        return end < bytes.count && bytes[end] == UInt8(ascii: ".") ? end + 1 : end
    }

    private func month(at index: Int) -> (Int, Int)? {
        guard let (word, end) = word(at: index), let month = Self.months[word] else { return nil }
        return (month, end < bytes.count && bytes[end] == UInt8(ascii: ".") ? end + 1 : end)
    }

    /// Skips an ordinal suffix (`3rd`, `21st`) and a day's trailing dot (`20.`).
    private func afterDay(_ index: Int) -> Int {
        if index + 2 <= bytes.count, let (word, end) = word(at: index), ["st", "nd", "rd", "th"].contains(word) { return end }
        if index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 == bytes.count || bytes[index + 1] == 0x20 { return index + 1 }
        return index
    }

    /// A year after a day or month: `, 2025`, ` 2025`.
    private func year(after index: Int) -> (Int, Int)? {
        var cursor = index
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") { cursor += 1 }
        cursor = skip(from: cursor, where: { $0 == 0x20 })
        guard let (value, count, end) = digits(at: cursor), count == 4, (1900...2999).contains(value) else { return nil }
        return (value, end)
    }

    /// A date at `index`; the flag is true for an ISO date followed by `T`.
    private func date(at index: Int) -> (TimeExpression.PartialDate, Int, Bool)? {
        guard index < bytes.count else { return nil }
        if Digits.isDigit(bytes[index]) {
            return numericDate(at: index) ?? dayMonth(at: index).map { ($0.0, $0.1, false) }
        }
        // `Jan 14`, `March 3rd, 2023`, `Sept. 4 2024`
        guard let (month, afterMonth) = month(at: index) else { return nil }
        var cursor = skip(from: afterMonth, where: { $0 == 0x20 })
        guard let (day, count, afterDigits) = digits(at: cursor, max: 2), count <= 2, (1...31).contains(day) else { return nil }
        cursor = afterDay(afterDigits)
        // `Jan 14:00` is not a date.
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":"), cursor + 1 < bytes.count, Digits.isDigit(bytes[cursor + 1]) { return nil }
        var year: Int?
        if let (value, end) = self.year(after: cursor) {
            year = value
            cursor = end
        }
        guard CalendarDate(year: year ?? 2000, month: month, day: day) != nil else { return nil }
        return (.init(year: year, month: month, day: day), cursor, false)
    }

    /// `14 Jan 2024`, `20. January`, `3rd of March`.
    private func dayMonth(at index: Int) -> (TimeExpression.PartialDate, Int)? {
        guard let (day, count, afterDigits) = digits(at: index, max: 2), count <= 2, (1...31).contains(day) else { return nil }
        var cursor = skip(from: afterDay(afterDigits), where: { $0 == 0x20 })
        cursor = skipWord(["of"], from: cursor)
        guard cursor > afterDigits, let (month, afterMonth) = month(at: cursor) else { return nil }
        cursor = afterMonth
        var year: Int?
        if let (value, end) = self.year(after: cursor) {
            year = value
            cursor = end
        }
        guard CalendarDate(year: year ?? 2000, month: month, day: day) != nil else { return nil }
        return (.init(year: year, month: month, day: day), cursor)
    }

    /// `2025-03-04`, `2025/03/04`, `10/21/2022`, `21.10.2022`, `10/21/22`; ambiguous day/month only per `dateOrder`.
    private func numericDate(at index: Int) -> (TimeExpression.PartialDate, Int, Bool)? {
        guard let (first, firstCount, afterFirst) = digits(at: index), afterFirst < bytes.count else { return nil }
        let separator = bytes[afterFirst]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") else { return nil }
        guard let (second, secondCount, afterSecond) = digits(at: afterFirst + 1, max: 2), secondCount <= 2,
              afterSecond < bytes.count, bytes[afterSecond] == separator,
              let (third, thirdCount, afterThird) = digits(at: afterSecond + 1) else { return nil }
        if afterThird < bytes.count, Digits.isDigit(bytes[afterThird]) || isLetter(bytes[afterThird]) && bytes[afterThird] != UInt8(ascii: "T") { return nil }
        if firstCount == 4 {
            guard thirdCount <= 2, let date = CalendarDate(year: first, month: second, day: third) else { return nil }
            let t = afterThird < bytes.count && (bytes[afterThird] == UInt8(ascii: "T") || bytes[afterThird] == UInt8(ascii: "t"))
            return (.init(year: date.year, month: date.month, day: date.day), t ? afterThird + 1 : afterThird, t)
        }
        guard firstCount <= 2, separator != UInt8(ascii: "-") || thirdCount == 4, thirdCount == 4 || thirdCount == 2 else { return nil }
        let year = thirdCount == 4 ? third : 2000 + third
        let order: TimelineOptions.DateOrder
        if separator == UInt8(ascii: ".") {
            order = .dmy // `21.10.2022`: the dotted form is day first everywhere it is used
        } else if first > 12, second <= 12 {
            order = .dmy
        } else if second > 12, first <= 12 {
            order = .mdy
        } else if first == second {
            order = .mdy
        } else if let configured = options.dateOrder {
            order = configured
        } else {
            return nil
        }
        let (month, day) = order == .mdy ? (first, second) : (second, first)
        guard CalendarDate(year: year, month: month, day: day) != nil else { return nil }
        return (.init(year: year, month: month, day: day), afterThird, false)
    }

    /// The end of a `d[d]/d[d]/dd[dd]` token (any of `/`, `.`, `-` as separator).
    private func numericDateToken(at index: Int) -> Int? {
        guard let (_, firstCount, afterFirst) = digits(at: index), firstCount <= 2, afterFirst < bytes.count else { return nil }
        let separator = bytes[afterFirst]
        guard separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: "."),
              let (_, secondCount, afterSecond) = digits(at: afterFirst + 1, max: 2), secondCount <= 2,
              afterSecond < bytes.count, bytes[afterSecond] == separator,
              let (_, thirdCount, afterThird) = digits(at: afterSecond + 1), thirdCount == 2 || thirdCount == 4 else { return nil }
        return afterThird
    }

    enum Meridiem { case am, pm }

    /// `am`, `pm`, `a.m.`, `P.M.` at `index`, optionally after one space or `-`.
    private func meridiem(at index: Int) -> (Meridiem, Int)? {
        var cursor = index
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "-") {
            cursor += 1
        } else {
            cursor = skip(from: cursor, where: { $0 == 0x20 }) // `10:15  AM`: doubled spaces are common
        }
        guard cursor + 1 < bytes.count else { return nil }
        let first = lower(bytes[cursor])
        guard first == UInt8(ascii: "a") || first == UInt8(ascii: "p") else { return nil }
        var end: Int
        if lower(bytes[cursor + 1]) == UInt8(ascii: "m") {
            end = cursor + 2
            if end < bytes.count, bytes[end] == UInt8(ascii: ".") , end + 1 >= bytes.count || !isLetter(bytes[end + 1]) { end += 1 }
        } else if bytes[cursor + 1] == UInt8(ascii: "."), cursor + 3 < bytes.count, lower(bytes[cursor + 2]) == UInt8(ascii: "m"),
                  bytes[cursor + 3] == UInt8(ascii: ".") {
            end = cursor + 4
        } else {
            return nil
        }
        guard end == bytes.count || !isLetter(bytes[end]) else { return nil }
        return (first == UInt8(ascii: "a") ? .am : .pm, end)
    }

    /// 12-hour reading: 12 AM is 00:00, 12 PM is noon; hours above 12 are already 24-hour (`14:20 PM`).
    static func apply(_ meridiem: Meridiem, to seconds: Int, minutesIfRangeEnd: Int? = nil) -> Int {
        let hour = seconds / 3600
        guard (1...12).contains(hour) else { return seconds }
        if let end = minutesIfRangeEnd, meridiem == .pm, end / 3600 < hour, hour != 12 {
            // `11:30 - 1:15 PM`: the start is before noon.
            return seconds
        }
        switch meridiem {
        case .am: return hour == 12 ? seconds - 12 * 3600 : seconds
        case .pm: return hour == 12 ? seconds : seconds + 12 * 3600
        }
    }

    struct Clock {
        var seconds: Int
        var end: Int
        var hadSeconds = false
        var hadMeridiem = false
        var twelveHour = false
        var meridiem: Meridiem?
    }

    /// A time of day at `index`: `H:MM(:SS)?`, `H.MM am`, `H am`, `HHMMhrs`, each with optional AM/PM.
    func clock(at index: Int, allowBareHour: Bool) -> Clock? {
        guard let (hours, hourCount, afterHour) = digits(at: index) else { return nil }
        var seconds: Int
        var end: Int
        var hadSeconds = false
        if hourCount <= 2, afterHour + 2 < bytes.count, bytes[afterHour] == UInt8(ascii: ":") || bytes[afterHour] == UInt8(ascii: "."),
           let (minutes, minuteCount, afterMinutes) = digits(at: afterHour + 1, max: 2), minuteCount == 2 {
            guard hours <= 24, minutes <= 59 else { return nil }
            if bytes[afterHour] == UInt8(ascii: ".") {
                // `9.25 AM`, or `14.32 - …` standing alone before a separator: otherwise a dotted
                // number is too often a version or a decimal.
                guard meridiem(at: afterMinutes) != nil || separatorFollows(afterMinutes) else { return nil }
            }
            seconds = hours * 3600 + minutes * 60
            end = afterMinutes
            if bytes[afterHour] == UInt8(ascii: ":"), end + 2 < bytes.count + 0, bytes[end] == UInt8(ascii: ":"),
               let (secs, count, afterSeconds) = digits(at: end + 1, max: 2), count == 2, secs <= 60 {
                seconds += secs
                end = afterSeconds
                hadSeconds = true
                if end < bytes.count, bytes[end] == UInt8(ascii: "."), let (_, _, afterFraction) = digits(at: end + 1, max: 9) {
                    end = afterFraction
                }
            }
            if hours == 24 {
                guard seconds == 24 * 3600 else { return nil }
            }
        } else if hourCount <= 2, hours <= 23, afterHour + 3 <= bytes.count, lower(bytes[afterHour]) == UInt8(ascii: "h"),
                  let (minutes, minuteCount, afterMinutes) = digits(at: afterHour + 1, max: 2), minuteCount == 2, minutes <= 59 {
            // `14h32`
            seconds = hours * 3600 + minutes * 60
            end = afterMinutes
        } else if hourCount == 4, hours / 100 <= 23, hours % 100 <= 59,
                  let (suffix, suffixEnd) = word(at: afterHour < bytes.count && bytes[afterHour] == 0x20 ? afterHour + 1 : afterHour),
                  ["hrs", "hr", "h", "z"].contains(suffix), suffix != "z" || bytes[afterHour] != 0x20 {
            // `0415hrs`, `1530Z` (military style).
            seconds = (hours / 100) * 3600 + (hours % 100) * 60
            end = suffix == "z" ? afterHour : suffixEnd
        } else if hourCount == 4, hours / 100 <= 23, hours % 100 <= 59, afterHour < bytes.count, bytes[afterHour] == 0x20,
                  zone(at: afterHour, allowNumericOffset: false, allowNegativeOffset: false, requireUpper: true) != nil {
            // `1432 UTC`: four digits only with a zone, so that years and counts are not times.
            seconds = (hours / 100) * 3600 + (hours % 100) * 60
            end = afterHour
        } else if allowBareHour, hourCount <= 2, (1...12).contains(hours), meridiem(at: afterHour) != nil {
            // `5 PM`, `5pm`.
            seconds = hours * 3600
            end = afterHour
        } else {
            return nil
        }
        if end < bytes.count, Digits.isDigit(bytes[end]) { return nil }
        var clock = Clock(seconds: seconds, end: end, hadSeconds: hadSeconds)
        if let (meridiem, afterMeridiem) = meridiem(at: end) {
            clock.seconds = Self.apply(meridiem, to: seconds)
            clock.end = afterMeridiem
            clock.hadMeridiem = true
            clock.meridiem = meridiem
            clock.twelveHour = (1...12).contains(seconds / 3600)
        }
        // A time runs into no word ("10:30am" is handled above): `10:30x` is not a time.
        if clock.end < bytes.count, isLetter(bytes[clock.end]), zone(at: clock.end, allowNumericOffset: false, allowNegativeOffset: false) == nil,
           word(at: clock.end).map({ ["hrs", "hr", "h"].contains($0.0) }) != true {
            return nil
        }
        if clock.end < bytes.count, let (suffix, suffixEnd) = word(at: clock.end), ["hrs", "hr", "h"].contains(suffix) { clock.end = suffixEnd }
        return clock
    }

    /// `-12:40`, ` – 12:40 PM`, ` to 1 PM` after a time: the end of a range.
    private func rangeEnd(at index: Int) -> (seconds: Int, meridiem: Meridiem?, end: Int)? {
        var cursor = skip(from: index, where: { $0 == 0x20 })
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "-") {
            cursor += 1
        } else if let dash = longDash(at: cursor) {
            cursor = dash
        } else if cursor + 2 <= bytes.count, lower(bytes[cursor]) == UInt8(ascii: "t"), lower(bytes[cursor + 1]) == UInt8(ascii: "o"),
                  cursor + 2 == bytes.count || bytes[cursor + 2] == 0x20 {
            cursor += 2
        } else {
            return nil
        }
        cursor = skip(from: cursor, where: { $0 == 0x20 })
        if let clock = clock(at: cursor, allowBareHour: true) {
            return (clock.seconds, clock.meridiem, clock.end)
        }
        // `12:26-12:??`: an unreadable end still belongs to the range, not to the next words.
        if let token = unreadableTime(at: cursor) { return (0, nil, token.end) }
        return nil
    }

    /// A zone at `index` after optional space, `-` or `(`: `UTC`, `(PST)`, `-GMT`, `GMT-5`, `UTC+05:30`, `Z`, `+02:00`.
    func zone(at index: Int, allowNumericOffset: Bool, allowNegativeOffset: Bool, requireUpper: Bool = false) -> (Zone, Int)? {
        var cursor = index
        var parenthesis = false
        if cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == UInt8(ascii: "-") && !allowNegativeOffset {
            // `10:37-am-GMT`: a dash before a zone name is a separator.
            if bytes[cursor] == UInt8(ascii: "-"), !(cursor + 1 < bytes.count && isUpper(bytes[cursor + 1]) || cursor + 1 < bytes.count && isLetter(bytes[cursor + 1])) {
                return nil
            }
            cursor = bytes[cursor] == 0x20 ? skip(from: cursor, where: { $0 == 0x20 }) : cursor + 1
        }
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "(") {
            parenthesis = true
            cursor += 1
        }
        if allowNumericOffset, !parenthesis, let (minutes, end) = Timestamp.scanOffset(bytes, from: cursor),
           cursor == index || bytes[cursor] == UInt8(ascii: "+"), end == bytes.count || !Digits.isDigit(bytes[end]) {
            // `-05:00` right after the time only when it cannot be a range end; `+01:00` after a space too.
            if bytes[cursor] == UInt8(ascii: "-"), !allowNegativeOffset { return nil }
            if bytes[cursor] == UInt8(ascii: "Z") || bytes[cursor] == UInt8(ascii: "z"), cursor != index { return nil }
            return (Zone(minutes), end)
        }
        var end = cursor
        while end < bytes.count, isLetter(bytes[end]) { end += 1 }
        guard end > cursor, end - cursor <= 5 else { return nil }
        let raw = bytes[cursor..<end]
        if requireUpper, !raw.allSatisfy(isUpper) { return nil }
        // Lower-case zone words are accepted only for UTC/GMT ("utc"); "est" or "art" in prose are words.
        let name = String(decoding: raw.map { isUpper($0) ? $0 : $0 - 32 }, as: UTF8.self)
        if !raw.allSatisfy(isUpper), name != "UTC", name != "GMT" { return nil }
        guard var zone = options.zone(named: name) else { return nil }
        if end < bytes.count, bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-"), name == "UTC" || name == "GMT" {
            // `GMT-5`, `UTC+05:30`, `UTC+2`
            var probe = end + 1
            while probe < bytes.count, Digits.isDigit(bytes[probe]) || bytes[probe] == UInt8(ascii: ":") { probe += 1 }
            let digits = bytes[end + 1..<probe].filter(Digits.isDigit)
            if !digits.isEmpty, digits.count <= 4, let value = Digits.parse(ArraySlice(digits)) {
                let minutes = digits.count <= 2 ? value * 60 : (value / 100) * 60 + value % 100
                if minutes <= 14 * 60 {
                    zone = Zone((bytes[end] == UInt8(ascii: "-") ? -1 : 1) * minutes)
                    end = probe
                }
            }
        }
        if end < bytes.count, isWordByte(bytes[end]) { return nil }
        if parenthesis {
            guard end < bytes.count, bytes[end] == UInt8(ascii: ")") else { return nil }
            end += 1
        }
        return (zone, end)
    }

    /// A time relative to the start of the incident: `T+5m`, `T+1h30m`, `T-2d`, `T+0`. Not a time of
    /// day, so not read; returned so that the entry's warning can quote it.
    private func relativeTime(at index: Int) -> (text: String, end: Int)? {
        guard index + 2 < bytes.count, bytes[index] == UInt8(ascii: "T"),
              bytes[index + 1] == UInt8(ascii: "+") || bytes[index + 1] == UInt8(ascii: "-"), Digits.isDigit(bytes[index + 2]) else { return nil }
        var end = index + 2
        while end < bytes.count, Digits.isDigit(bytes[end]) || ["s", "m", "h", "d"].contains(Character(UnicodeScalar(lower(bytes[end]))))
            || bytes[end] == UInt8(ascii: ":") && end + 1 < bytes.count && Digits.isDigit(bytes[end + 1]) { end += 1 }
        if end < bytes.count, isWordByte(bytes[end]) { return nil }
        return (String(decoding: bytes[index..<end], as: UTF8.self), end)
    }

    /// A token shaped like a time that is not one: `14:??`, `25:10`, `HH:mm`, `9:6`, `12:xx`.
    private func unreadableTime(at index: Int) -> (text: String, end: Int)? {
        func isTimeChar(_ byte: UInt8) -> Bool {
            Digits.isDigit(byte) || byte == UInt8(ascii: "?") || lower(byte) == UInt8(ascii: "x") || lower(byte) == UInt8(ascii: "h") || lower(byte) == UInt8(ascii: "m")
        }
        var end = index
        while end < bytes.count, isTimeChar(bytes[end]) { end += 1 }
        let hourEnd = end
        guard hourEnd > index, hourEnd - index <= 2, hourEnd < bytes.count, bytes[hourEnd] == UInt8(ascii: ":") else { return nil }
        end += 1
        while end < bytes.count, isTimeChar(bytes[end]) || bytes[end] == UInt8(ascii: ":") { end += 1 }
        // Two characters after the colon (`14:??`, `HH:mm`, `25:10`): `1:1` or `16:9` are ratios, not times.
        let minutes = bytes[(hourEnd + 1)..<end].prefix { $0 != UInt8(ascii: ":") }
        guard minutes.count == 2, end == bytes.count || !isLetter(bytes[end]) else { return nil }
        let text = bytes[index..<end]
        // Must look like a time: a digit or a placeholder on both sides of the colon.
        guard text.contains(where: { $0 == UInt8(ascii: "?") || Digits.isDigit($0) || lower($0) == UInt8(ascii: "h") }) else { return nil }
        return (String(decoding: text, as: UTF8.self), end)
    }
}

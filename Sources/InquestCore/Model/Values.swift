import Foundation

/// A value together with where it was written in the file.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var bytes: Range<Int>

    public init(_ value: Value, bytes: Range<Int>) {
        self.value = value
        self.bytes = bytes
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// A calendar date (`YYYY-MM-DD`) with no time zone.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Digits.parse(bytes[0..<4]), let month = Digits.parse(bytes[5..<7]), let day = Digits.parse(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic without Foundation calendars.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public var description: String {
        // Not `String(format:)`: Foundation's formatter dominated page building (a date per list row).
        zeroPadded(year, 4) + "-" + zeroPadded(month, 2) + "-" + zeroPadded(day, 2)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// An instant written with an explicit offset (`2025-03-04T09:12:00Z`, `…+02:00`).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since the Unix epoch, UTC.
    public var seconds: Int
    /// The offset the author wrote, in minutes east of UTC.
    public var offsetMinutes: Int

    public init(seconds: Int, offsetMinutes: Int) {
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
    }

    /// Parses ISO 8601 / RFC 3339 date-times that carry `Z` or an offset. Seconds and fractions optional.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, let date = CalendarDate(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " ")
        else { return nil }
        var index = 11
        guard let (clock, next) = ClockTime.scan(bytes, from: index) else { return nil }
        index = next
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, Digits.isDigit(bytes[index]) { index += 1 }
        }
        guard index < bytes.count, let (offset, end) = Self.scanOffset(bytes, from: index), end == bytes.count else { return nil }
        offsetMinutes = offset
        seconds = (date.daysSinceEpoch * 86_400) + clock.seconds - offset * 60
    }

    static func scanOffset(_ bytes: [UInt8], from index: Int) -> (Int, Int)? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") { return (0, index + 1) }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 3 <= bytes.count,
              let hours = Digits.parse(bytes[index + 1..<index + 3]), hours <= 23 else { return nil }
        var end = index + 3
        var minutes = 0
        if end < bytes.count, bytes[end] == UInt8(ascii: ":") { end += 1 }
        if end + 2 <= bytes.count, let parsed = Digits.parse(bytes[end..<end + 2]) {
            guard parsed <= 59 else { return nil }
            minutes = parsed
            end += 2
        }
        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        return (sign * (hours * 60 + minutes), end)
    }

    /// The calendar date in the author's own offset.
    public var localDate: CalendarDate {
        let local = seconds + offsetMinutes * 60
        return CalendarDate(daysSinceEpoch: Int((Double(local) / 86_400).rounded(.down)))
    }

    /// RFC 3339 in UTC, e.g. `2025-03-04T09:12:00Z`.
    public var utcString: String {
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        return "\(CalendarDate(daysSinceEpoch: days))T" + zeroPadded(secondOfDay / 3600, 2) + ":" + zeroPadded(secondOfDay / 60 % 60, 2)
            + ":" + zeroPadded(secondOfDay % 60, 2) + "Z"
    }

    public var description: String { utcString }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }
}

/// A time of day, `HH:MM` or `HH:MM:SS`.
public struct ClockTime: Hashable, Sendable {
    public var seconds: Int

    /// Scans `HH:MM(:SS)?` at `index`; returns the time and the index after it.
    static func scan(_ bytes: [UInt8], from index: Int) -> (ClockTime, Int)? {
        var start = index
        // One-digit hours ("9:05") are common in hand-written timelines.
        var hourDigits = 0
        while start + hourDigits < bytes.count, hourDigits < 3, Digits.isDigit(bytes[start + hourDigits]) { hourDigits += 1 }
        guard hourDigits == 1 || hourDigits == 2, start + hourDigits + 3 <= bytes.count,
              bytes[start + hourDigits] == UInt8(ascii: ":"),
              let hours = Digits.parse(bytes[start..<start + hourDigits]), hours <= 23,
              let minutes = Digits.parse(bytes[start + hourDigits + 1..<start + hourDigits + 3]), minutes <= 59 else { return nil }
        start += hourDigits + 3
        var secs = 0
        if start + 3 <= bytes.count, bytes[start] == UInt8(ascii: ":"), let parsed = Digits.parse(bytes[start + 1..<start + 3]), parsed <= 60 {
            secs = parsed
            start += 3
        }
        if start < bytes.count, Digits.isDigit(bytes[start]) { return nil }
        return (ClockTime(seconds: hours * 3600 + minutes * 60 + secs), start)
    }
}

enum Digits {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func parse(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// `value` as printf's `%0<width>d` writes it: zero-padded to `width` characters, sign included.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let sign = value < 0 ? "-" : ""
    let zeros = width - sign.utf8.count - digits.utf8.count
    return zeros > 0 ? sign + String(repeating: "0", count: zeros) + digits : sign + digits
}

import Foundation

/// Dates and times as people write them in metadata lines, titles and file names:
/// `2025-10-03`, `October 3, 2025`, `Oct 3rd 2025`, `3 October 2025`, `22nd June 2021`,
/// `January 14-19, 2026` (the first day), `20250103`, and numeric `10/21/2022` only when the
/// order cannot be mistaken (one part above 12). A date without a year is not a date here:
/// guessing the year is how archives end up with incidents in the future.
enum ProseDate {
    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    /// The first date in `text`, with the UTF-8 range it occupies.
    static func first(in text: String) -> (date: CalendarDate, range: Range<Int>)? {
        let tokens = tokenize(text)
        for index in tokens.indices {
            if let found = date(at: index, tokens) { return found }
        }
        return nil
    }

    /// A date in a file or folder name: `2025-10-03-…`, `2025_10_03`, `20251003-…`, `2025/10/03`.
    static func inName(_ name: String) -> CalendarDate? {
        let bytes = Array(name.utf8)
        var index = 0
        while index + 8 <= bytes.count {
            let atBoundary = index == 0 || !Digits.isDigit(bytes[index - 1])
            if atBoundary, let year = Digits.parse(bytes[index..<index + 4]), (1970...2100).contains(year) {
                // Separated: YYYY-MM-DD, YYYY_MM_DD, YYYY.MM.DD, YYYY/MM/DD.
                if index + 10 <= bytes.count, "-_./".utf8.contains(bytes[index + 4]), bytes[index + 7] == bytes[index + 4],
                   let month = Digits.parse(bytes[index + 5..<index + 7]), let day = Digits.parse(bytes[index + 8..<index + 10]),
                   index + 10 == bytes.count || !Digits.isDigit(bytes[index + 10]),
                   let date = CalendarDate(year: year, month: month, day: day) {
                    return date
                }
                // Compact: YYYYMMDD, not part of a longer number.
                if let month = Digits.parse(bytes[index + 4..<index + 6]), let day = Digits.parse(bytes[index + 6..<index + 8]),
                   index + 8 == bytes.count || !Digits.isDigit(bytes[index + 8]),
                   let date = CalendarDate(year: year, month: month, day: day) {
                    return date
                }
            }
            index += 1
        }
        return nil
    }

    // MARK: Tokens

    struct Token {
        enum Kind { case number, word, punctuation }
        var kind: Kind
        var text: String
        var range: Range<Int>
    }

    static func tokenize(_ text: String) -> [Token] {
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if Digits.isDigit(byte) {
                var end = index
                while end < bytes.count, Digits.isDigit(bytes[end]) { end += 1 }
                tokens.append(Token(kind: .number, text: String(decoding: bytes[index..<end], as: UTF8.self), range: index..<end))
                index = end
            } else if isLetter(byte) {
                var end = index
                while end < bytes.count, isLetter(bytes[end]) { end += 1 }
                tokens.append(Token(kind: .word, text: String(decoding: bytes[index..<end], as: UTF8.self).lowercased(), range: index..<end))
                index = end
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
            } else {
                tokens.append(Token(kind: .punctuation, text: String(UnicodeScalar(byte)), range: index..<index + 1))
                index += 1
            }
        }
        return tokens
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func number(_ token: Token?) -> Int? {
        guard let token, token.kind == .number, token.text.count <= 4 else { return nil }
        return Int(token.text)
    }

    private static func year(_ token: Token?) -> Int? {
        guard let token, token.text.count == 4, let value = number(token), (1970...2100).contains(value) else { return nil }
        return value
    }

    private static func isOrdinal(_ token: Token?) -> Bool {
        guard let token, token.kind == .word else { return false }
        return ["st", "nd", "rd", "th"].contains(token.text)
    }

    private static func date(at index: Int, _ tokens: [Token]) -> (date: CalendarDate, range: Range<Int>)? {
        func token(_ i: Int) -> Token? { i < tokens.count ? tokens[i] : nil }
        let start = tokens[index]
        // ISO: 2025-10-03 (also 2025/10/03).
        if let year = year(start), let separator = token(index + 1), separator.text == "-" || separator.text == "/",
           let month = number(token(index + 2)), token(index + 3)?.text == separator.text, let day = number(token(index + 4)),
           let date = CalendarDate(year: year, month: month, day: day) {
            return (date, start.range.lowerBound..<tokens[index + 4].range.upperBound)
        }
        // Month name first: October 3, 2025 · Oct 3rd 2025 · January 14-19, 2026.
        if start.kind == .word, let month = months[start.text] {
            var cursor = index + 1
            if token(cursor)?.text == "." { cursor += 1 }
            guard let day = number(token(cursor)), (1...31).contains(day) else { return nil }
            cursor += 1
            if isOrdinal(token(cursor)) { cursor += 1 }
            // A range of days: keep the first.
            if token(cursor)?.text == "-", number(token(cursor + 1)) != nil {
                cursor += 2
                if isOrdinal(token(cursor)) { cursor += 1 }
            }
            if token(cursor)?.text == "," { cursor += 1 }
            guard let year = year(token(cursor)), let date = CalendarDate(year: year, month: month, day: day) else { return nil }
            return (date, start.range.lowerBound..<tokens[cursor].range.upperBound)
        }
        // Day first: 3 October 2025 · 22nd June 2021 · 22nd of June, 2021.
        if let day = number(start), (1...31).contains(day), start.text.count <= 2 {
            var cursor = index + 1
            if isOrdinal(token(cursor)) { cursor += 1 }
            if token(cursor)?.text == "of" { cursor += 1 }
            if let word = token(cursor), word.kind == .word, let month = months[word.text] {
                cursor += 1
                if token(cursor)?.text == "." { cursor += 1 }
                if token(cursor)?.text == "," { cursor += 1 }
                if let year = year(token(cursor)), let date = CalendarDate(year: year, month: month, day: day) {
                    return (date, start.range.lowerBound..<tokens[cursor].range.upperBound)
                }
                return nil
            }
            // Numeric: 10/21/2022 or 21.10.2022, read only when one part is above 12.
            if let separator = token(index + 1), ["/", "."].contains(separator.text), let second = number(token(index + 2)),
               token(index + 3)?.text == separator.text, let year = year(token(index + 4)) {
                let (month, dayOfMonth): (Int, Int)
                if day > 12, second <= 12 { (month, dayOfMonth) = (second, day) }
                else if second > 12, day <= 12 { (month, dayOfMonth) = (day, second) }
                else { return nil }
                if let date = CalendarDate(year: year, month: month, day: dayOfMonth) {
                    return (date, start.range.lowerBound..<tokens[index + 4].range.upperBound)
                }
            }
        }
        return nil
    }
}

/// A date-time in a metadata value: `2025-10-03 10:45 UTC`, `November 11, 4:02 PM UTC`,
/// `2025-10-03T10:45:00Z`, read with the timeline's own scanner. Only read when the zone is
/// written: an instant without a zone is a guess.
enum ProseTimestamp {
    /// - Parameter defaultDate: the date when the text has none (the incident's date).
    static func parse(_ text: String, defaultDate: CalendarDate?, options: TimelineOptions) -> Timestamp? {
        if let exact = Timestamp(parsing: text.trimmingCharacters(in: .whitespaces)) { return exact }
        guard let expression = TimeScanner(text, options: options).scanStart(), let clock = expression.clock, let zone = expression.zone,
              let date = expression.date.map({ $0.resolved(near: defaultDate) }) ?? defaultDate else { return nil }
        let offset = zone.offset(on: date, at: clock)
        return Timestamp(seconds: date.daysSinceEpoch * 86_400 + clock - offset * 60, offsetMinutes: offset)
    }
}

/// Zone names as written (`UTC`, `CET`, `UTC+2`, `PT`), for describing an archive's habits.
enum ZoneNames {
    /// The first zone named in `text` as an upper-case word or `UTC±N`.
    static func first(in text: String, options: TimelineOptions = TimelineOptions()) -> String? {
        let scanner = TimeScanner(text, options: options)
        let bytes = scanner.bytes
        var index = 0
        while index < bytes.count {
            if index == 0 || !TimelineParser.isWordByte(bytes[index - 1]), bytes[index] >= UInt8(ascii: "A"), bytes[index] <= UInt8(ascii: "Z"),
               let (_, end) = scanner.zone(at: index, allowNumericOffset: false, allowNegativeOffset: false, requireUpper: true), end - index >= 2 {
                return String(decoding: bytes[index..<end], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            }
            index += 1
        }
        return nil
    }
}

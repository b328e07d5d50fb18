import Foundation

/// Slugs: `[a-z0-9][a-z0-9-]*`.
public enum Slug {
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, isLowerAlnum(first) else { return false }
        return text.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        Digits.isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }

    /// Makes a slug from a title: lowercase ASCII letters and digits, words joined by `-`;
    /// `incident` when the title has none (a file name must be something).
    public static func make(from title: String, maxLength: Int = 60) -> String {
        derived(from: title, maxLength: maxLength) ?? "incident"
    }

    /// The slug of `title`, or nil when it has no ASCII letter or digit to make one from
    /// (`支付服务`, `🔥`): a correction must not turn such a value into a placeholder.
    public static func derived(from title: String, maxLength: Int = 60) -> String? {
        var out = ""
        var pendingDash = false
        // "Zürich" → "zurich": accents are folded before non-ASCII letters are dropped.
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        for scalar in folded.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash, !out.isEmpty { out += "-" }
                out.unicodeScalars.append(scalar)
                pendingDash = false
            } else {
                pendingDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? nil : out
    }
}

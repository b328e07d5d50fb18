/// Paths inside the output folder.
enum SitePath {
    /// A path segment that cannot climb out of a folder or hide: no `.`/`..`, no separators,
    /// no leading dot, printable ASCII letters, digits, `-`, `_`, `.`.
    static func isSafeSegment(_ segment: String) -> Bool {
        guard !segment.isEmpty, segment != ".", segment != "..", !segment.hasPrefix("."), segment.utf8.count <= 200 else { return false }
        return segment.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
        }
    }

    /// A relative output path made only of safe segments.
    /// (``BuildCache/isSafePath(_:)``: the same rule, read byte by byte without making a String
    /// per segment, for every page of every build.)
    static func isSafe(_ path: String) -> Bool {
        BuildCache.isSafePath(path)
    }

    /// `../` once per folder level of `path`: the way back to the site root.
    static func root(of path: String) -> String {
        String(repeating: "../", count: path.split(separator: "/").count - 1)
    }
}

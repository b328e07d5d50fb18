/// What `site.base_url` (and `--base-url`) may be: an http(s) URL with a host, or an absolute path
/// on the site's own host. Protocol-relative values (`//evil.example/`) look like paths but load
/// from another host, so they are refused, as are other schemes and characters that could leave
/// an HTML attribute or a feed's XML.
public enum SiteURL {
    /// Why `text` cannot be a base URL; nil when it can.
    public static func problem(withBase text: String) -> String? {
        if text.isEmpty { return "must not be empty" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " || "\"'<>\\`".unicodeScalars.contains($0) }) {
            return "must not contain spaces, quotes, angle brackets, backslashes or control characters"
        }
        let path: Substring
        if text.hasPrefix("https://") || text.hasPrefix("http://") {
            let rest = text[text.range(of: "://")!.upperBound...]
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if host.isEmpty { return "has no host" }
            path = rest[host.endIndex...]
        } else if text.hasPrefix("/") {
            path = Substring(text)
        } else {
            return "must be an http(s) URL or an absolute path"
        }
        // `//host/…` would make every link below the base load from another host.
        if path.hasPrefix("//") { return "is protocol-relative (it starts with '//'), which loads from another host" }
        return nil
    }
}

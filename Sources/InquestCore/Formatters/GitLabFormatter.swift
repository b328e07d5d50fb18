/// GitLab Code Quality report (`artifacts: reports: codequality:`): a JSON array of issues with a
/// description, check name, unique fingerprint, severity and location, as JSONEncoder writes it
/// with ``CodableJSON/pretty(_:)``'s options (written directly; see ``PrettyJSONWriter``).
struct GitLabFormatter {
    /// - Parameter fingerprints: ``Fingerprint/all(_:sources:)`` of `diagnostics` (the same
    ///   identity as SARIF's: stable across line shifts and rewording).
    func render(_ diagnostics: [Diagnostic], fingerprints: [String]) -> String {
        var json = PrettyJSONWriter(capacity: 16 + 400 * diagnostics.count)
        json.beginArray()
        for (index, diagnostic) in diagnostics.enumerated() {
            json.element()
            json.beginObject()
            json.member("check_name", diagnostic.rule)
            json.key("description")
            json.value(diagnostic.message, suggestion: diagnostic.suggestion)
            json.member("fingerprint", fingerprints[index])
            json.key("location")
            json.beginObject()
            json.key("lines")
            json.beginObject()
            json.member("begin", diagnostic.range.start.line)
            json.endObject()
            json.member("path", diagnostic.file)
            json.endObject()
            json.member("severity", literal: Self.severity(diagnostic.severity))
            json.endObject()
        }
        json.endArray()
        var out = json.out
        out.append(UInt8(ascii: "\n"))
        return out.text
    }

    /// GitLab's scale is info, minor, major, critical, blocker.
    static func severity(_ severity: Severity) -> StaticString {
        switch severity {
        case .error: "major"
        case .warning: "minor"
        case .info: "info"
        }
    }
}

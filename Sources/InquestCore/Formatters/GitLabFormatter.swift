/// GitLab Code Quality report (`artifacts: reports: codequality:`): a JSON array of issues with a
/// description, check name, unique fingerprint, severity and location.
struct GitLabFormatter {
    struct Issue: Encodable {
        var description: String
        var check_name: String
        var fingerprint: String
        var severity: String
        var location: Location
    }

    struct Location: Encodable {
        var path: String
        var lines: Lines
    }

    struct Lines: Encodable { var begin: Int }

    func render(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> String {
        var occurrences: [String: Int] = [:]
        let issues = diagnostics.map { diagnostic in
            // Same identity as SARIF's fingerprint: stable across line shifts and rewording.
            let base = Fingerprint.base(diagnostic, source: sources[diagnostic.file])
            let occurrence = occurrences[base, default: 0]
            occurrences[base] = occurrence + 1
            var description = diagnostic.message
            if let suggestion = diagnostic.suggestion { description += " (\(suggestion))" }
            return Issue(description: description, check_name: diagnostic.rule,
                         fingerprint: StableHash.hex(base + "|\(occurrence)"),
                         severity: Self.severity(diagnostic.severity),
                         location: Location(path: diagnostic.file, lines: Lines(begin: diagnostic.range.start.line)))
        }
        return Self.pretty(issues)
    }

    /// `CodableJSON.pretty(issues)`, written directly (keys in sorted order; see PrettyJSONWriter).
    static func pretty(_ issues: [Issue]) -> String {
        var json = PrettyJSONWriter()
        json.beginArray()
        for issue in issues {
            json.element()
            json.beginObject()
            json.member("check_name", issue.check_name)
            json.member("description", issue.description)
            json.member("fingerprint", issue.fingerprint)
            json.key("location")
            json.beginObject()
            json.key("lines")
            json.beginObject()
            json.member("begin", issue.location.lines.begin)
            json.endObject()
            json.member("path", issue.location.path)
            json.endObject()
            json.member("severity", issue.severity)
            json.endObject()
        }
        json.endArray()
        return json.text + "\n"
    }

    /// GitLab's scale is info, minor, major, critical, blocker.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: "major"
        case .warning: "minor"
        case .info: "info"
        }
    }
}

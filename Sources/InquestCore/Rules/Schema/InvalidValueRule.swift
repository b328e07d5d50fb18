/// `schema/invalid-value`: a known field has the wrong type or a value outside its domain.
public struct InvalidValueRule: DocumentRule {
    public let id = "schema/invalid-value"
    public let defaultSeverity = Severity.error
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "front-matter values must have the right type and an allowed value",
        rationale: "Severities, statuses and slugs drive filters, pages and URLs. 'Sev 2', 'Final' or a service called 'Checkout API' would each create a page of their own or none at all; a list written as a single string hides the second entry.",
        triggering: [
            ExampleDocument.example("severity: SEV9", fields: ["severity": "SEV9"]),
            ExampleDocument.example("services: Checkout API", fields: ["services": "Checkout API"]),
            ExampleDocument.example("status: done", fields: ["status": "done"]),
        ],
        passing: [ExampleDocument.example("severity: SEV2\nservices: [checkout]")])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        guard let front = postmortem.frontMatter else { return }
        // Without an explicit id the file name is the permalink, so it must be a slug too.
        if postmortem.field("id")?.scalar.map(Slug.isValid) != true, !Slug.isValid(postmortem.id) {
            let stem = postmortem.id
            let implied = Slug.derived(from: stem, maxLength: 120)
            findings.add(postmortem, postmortem.frontMatterAnchor,
                         .fileNameIsNoID(stem),
                         suggestion: implied.map { "rename the file to '\($0).md' or set 'id:'" } ?? "set 'id:' to a slug (lowercase ASCII letters, digits and '-')",
                         // The id the file name implies; only when no `id:` is written at all.
                         fix: postmortem.field("id") == nil ? implied.flatMap { FrontMatterFix.insertField("id", $0, in: postmortem) } : nil)
        }
        let schema = context.schema
        for (key, value) in front.mapping ?? [] where !value.isNull {
            guard let name = key.scalar else { continue }
            switch name {
            case "title":
                guard let title = scalar(value, name, postmortem, &findings) else { continue }
                let length = title.count
                if length == 0 || length > 120 {
                    findings.add(postmortem, value.bytes, .titleLength(length),
                                 suggestion: length > 120 ? "move detail into the Summary section" : nil)
                }
            case "status":
                guard let status = scalar(value, name, postmortem, &findings) else { continue }
                if Postmortem.Status(rawValue: status) == nil {
                    let guess = Spelling.closest(to: status, in: Schema.statuses)
                    findings.add(postmortem, value.bytes, .notOneOf("status", Schema.statuses, found: status),
                                 suggestion: guess.map { "did you mean '\($0)'?" },
                                 fix: guess.flatMap { FrontMatterFix.replaceScalar(value, with: $0, in: postmortem) })
                }
            case "severity":
                guard let severity = scalar(value, name, postmortem, &findings) else { continue }
                if !schema.severities.contains(severity) {
                    let guess = Spelling.closest(to: severity, in: schema.severities)
                    findings.add(postmortem, value.bytes, .notOneOf("severity", schema.severities, found: severity),
                                 suggestion: guess.map { "did you mean '\($0)'?" },
                                 fix: guess.flatMap { FrontMatterFix.replaceScalar(value, with: $0, in: postmortem) })
                }
            case "id":
                guard let id = scalar(value, name, postmortem, &findings) else { continue }
                if !Slug.isValid(id) {
                    findings.add(postmortem, value.bytes, .idIsNoSlug(id),
                                 suggestion: Slug.derived(from: id).map { "use '\($0)'" } ?? Self.slugAdvice,
                                 fix: Slug.derived(from: id).flatMap { FrontMatterFix.replaceScalar(value, with: $0, in: postmortem) })
                }
            case "authors":
                list(value, name, postmortem, context, &findings, nonEmpty: true, slugs: false)
            case "services":
                list(value, name, postmortem, context, &findings, nonEmpty: true, slugs: true)
            case "tags", "root_causes", "contributing_factors", "related":
                list(value, name, postmortem, context, &findings, nonEmpty: false, slugs: true)
            default:
                continue
            }
        }
    }

    private func scalar(_ value: YAMLNode, _ name: String, _ postmortem: Postmortem, _ findings: inout Findings) -> String? {
        guard let text = value.scalar else {
            findings.add(postmortem, value.bytes, .notSingleValue(name, found: value.typeName))
            return nil
        }
        return text
    }

    private func list(_ value: YAMLNode, _ name: String, _ postmortem: Postmortem, _ context: RuleContext, _ findings: inout Findings,
                      nonEmpty: Bool, slugs: Bool) {
        guard let items = value.sequence else {
            let example = value.scalar.map { "\(name): [\(slugs ? Slug.make(from: $0) : $0)]" }
            // `services: checkout` → `services: [checkout]`: the one reading of a single slug.
            let fix = value.scalar.flatMap { text in slugs && Slug.isValid(text) ? FrontMatterFix.replaceScalar(value, with: text, in: postmortem) : nil }
                .map { Fix(bytes: $0.bytes, replacement: "[\($0.replacement)]") }
            findings.add(postmortem, value.bytes, .notAList(name, found: value.typeName),
                         suggestion: example.map { "write '\($0)'" }, fix: fix)
            return
        }
        if nonEmpty, items.isEmpty {
            findings.add(postmortem, value.bytes, .emptyList(name))
        }
        var seen: Set<String> = []
        for item in items {
            guard let text = item.scalar, !item.isNull, !text.isEmpty else {
                findings.add(postmortem, item.bytes, item.scalar == "" ? .emptyEntry(name)
                             : .entryNotAString(name, found: item.typeName))
                continue
            }
            if slugs, !Slug.isValid(text) {
                let (suggestion, replacement) = slugCorrection(text, name, context)
                findings.add(postmortem, item.bytes, .entryIsNoSlug(text, in: name),
                             suggestion: suggestion,
                             fix: replacement.flatMap { FrontMatterFix.replaceScalar(item, with: $0, in: postmortem) })
            } else if !seen.insert(text).inserted {
                findings.add(postmortem, item.bytes, .listedTwice(text, in: name),
                             suggestion: "remove the second entry", fix: FrontMatterFix.removeListEntry(item, in: postmortem))
            }
        }
    }

    /// What a non-slug entry should read, and the replacement when exactly one is right. Cause
    /// ids resolve through the catalogue as `causes/unknown` does, so both rules agree; `related`
    /// entries only when the slug names an existing postmortem; services and tags by their slug.
    private func slugCorrection(_ text: String, _ name: String, _ context: RuleContext) -> (suggestion: String, replacement: String?) {
        if name == "root_causes" || name == "contributing_factors", let catalogue = context.archive.catalogue,
           let resolved = CauseResolution.resolve(text, in: catalogue) {
            return ("use '\(resolved.id)'", resolved.id)
        }
        // Nothing to make a slug of (`支付服务`, `🔥`): say what a slug is, fix nothing.
        guard let slug = Slug.derived(from: text, maxLength: 120) else { return (Self.slugAdvice, nil) }
        switch name {
        case "root_causes", "contributing_factors":
            return context.archive.catalogue.map { ("use '\(slug)' and add it to \($0.path)", nil) } ?? ("use '\(slug)'", nil)
        case "related":
            return ("use '\(slug)'", context.archive.byID[slug] != nil ? slug : nil)
        default:
            return ("use '\(slug)'", slug)
        }
    }

    static let slugAdvice = "write it with lowercase ASCII letters, digits and '-'"

}

extension Finding.Message {
    /// `schema/invalid-value`: the file name is the id and is not a slug.
    static func fileNameIsNoID(_ stem: String) -> Self { Self("file name '\(stem).md' does not make a valid id ([a-z0-9][a-z0-9-]*); it is the page's permalink") }
    /// `schema/invalid-value`.
    static func titleLength(_ length: Int) -> Self { Self("'title' must be 1 to 120 characters, found \(length)") }
    /// `schema/invalid-value`: `status`, `severity`.
    static func notOneOf(_ field: String, _ allowed: [String], found value: String) -> Self { Self("'\(field)' must be one of \(allowed.joined(separator: ", ")), found '\(value)'") }
    /// `schema/invalid-value`.
    static func idIsNoSlug(_ id: String) -> Self { Self("'id' must be a slug ([a-z0-9][a-z0-9-]*), found '\(id)'") }
    /// `schema/invalid-value`: a list or mapping where a scalar belongs.
    static func notSingleValue(_ field: String, found type: String) -> Self { Self("'\(field)' must be a single value, found \(type)") }
    /// `schema/invalid-value`.
    static func notAList(_ field: String, found type: String) -> Self { Self("'\(field)' must be a list, found \(type)") }
    /// `schema/invalid-value`: an empty required list.
    static func emptyList(_ field: String) -> Self { Self("'\(field)' must not be empty") }
    /// `schema/invalid-value`.
    static func emptyEntry(_ field: String) -> Self { Self("entries of '\(field)' must not be empty") }
    /// `schema/invalid-value`.
    static func entryNotAString(_ field: String, found type: String) -> Self { Self("entries of '\(field)' must be strings, found \(type)") }
    /// `schema/invalid-value`.
    static func entryIsNoSlug(_ entry: String, in field: String) -> Self { Self("'\(entry)' in '\(field)' must be a slug ([a-z0-9][a-z0-9-]*)") }
    /// `schema/invalid-value`.
    static func listedTwice(_ entry: String, in field: String) -> Self { Self("'\(entry)' is listed twice in '\(field)'") }
}

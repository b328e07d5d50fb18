/// JSON Schemas (draft 2020-12) for `inquest.yml` and for a postmortem's front-matter, written
/// for one archive: its severities, required fields, services seen, cause ids with their titles.
/// Editors (yaml-language-server, VS Code, Neovim, Helix) use them for completion and checks;
/// `inquest lint` stays the authority.
///
/// Neither schema has an `$id`: each is generated for one archive (two archives give two
/// different schemas), so no single identifier would name it, and with no `$ref` inside nothing
/// resolves against one. Draft 2020-12 then takes the base URI from where the schema was read
/// (the committed `.inquest/*.schema.json`), which is the right identity for it.
public enum JSONSchemas {
    /// A JSON value, encoded with sorted keys so the same archive gives the same bytes.
    public indirect enum Value: Encodable, Equatable, Sendable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case array([Value])
        case object([String: Value])

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            }
        }
    }

    static let draft = "https://json-schema.org/draft/2020-12/schema"
    static let slugPattern = "^[a-z0-9][a-z0-9-]*$"

    private static func strings(_ items: [String]) -> Value { .array(items.map(Value.string)) }

    /// A list of strings; null (an empty `key:`) reads as an empty list, as the loader does.
    private static func stringList(description: String? = nil, item: [String: Value] = [:], minItems: Int? = nil) -> Value {
        var schema: [String: Value] = ["type": .array([.string("array"), .string("null")]), "items": .object(["type": .string("string")].merging(item) { $1 })]
        if let description { schema["description"] = .string(description) }
        if let minItems { schema["minItems"] = .int(minItems) }
        return .object(schema)
    }

    /// The schema of `inquest.yml`: every key the loader accepts, rule ids and levels.
    public static func configuration(ruleIDs: [String]) -> Value {
        // The loader reads an empty section (`rules:` with every line commented out) as empty.
        let nullableObject: Value = .array([.string("object"), .string("null")])
        let level: Value = .object(["enum": strings(["error", "warning", "warn", "info", "off"])])
        let fieldNames = strings(Schema.knownFields.sorted())
        let fieldList: Value = .object(["type": .array([.string("array"), .string("null")]), "items": .object(["enum": fieldNames])])
        return .object([
            "$schema": .string(draft),
            "title": .string("Inquest configuration (inquest.yml)"),
            "type": nullableObject,
            "additionalProperties": .bool(false),
            "properties": .object([
                "postmortems": .object(["type": .string("string"), "description": .string("Folder with the postmortems, searched recursively."), "default": .string("postmortems")]),
                "causes": .object(["type": .string("string"), "description": .string("Root-cause catalogue (default: <postmortems>/causes.yml).")]),
                "exclude": stringList(description: "fnmatch(3) patterns of files under the postmortems folder that are not postmortems.", item: ["minLength": .int(1)]),
                "readmes": stringList(description: "File names that, directly in the postmortems folder, are the archive's readme."),
                "timeline": .object([
                    "type": nullableObject, "additionalProperties": .bool(false),
                    "properties": .object([
                        "zone": .object(["type": .string("string"), "description": .string("Zone of times that state none: an abbreviation (UTC, CET) or an offset (+05:30).")]),
                        "date_order": .object(["type": .string("string"), "pattern": .string("^([mM][dD]|[dD][mM])[yY]$"), "description": .string("mdy or dmy, for ambiguous numeric dates.")]),
                        "zones": .object([
                            "type": nullableObject, "propertyNames": .object(["pattern": .string("^[A-Z]{1,5}$")]),
                            "additionalProperties": .object(["type": .string("string")]),
                        ]),
                    ]),
                ]),
                "docs_url": .object([
                    "type": .string("string"), "pattern": .string("^https?://"),
                    "description": .string("Where the team publishes the rule documentation; {rule} becomes the rule id. Links SARIF helpUri and editor diagnostics; unset, they link nowhere."),
                ]),
                "schema": .object([
                    "type": nullableObject, "additionalProperties": .bool(false),
                    "properties": .object([
                        "severities": stringList(description: "Allowed severities, most severe first.", minItems: 1),
                        "required_fields": fieldList,
                        "final_required_fields": fieldList,
                        "sections": .object([
                            "type": nullableObject, "additionalProperties": .bool(false),
                            "properties": .object([
                                "required": stringList(),
                                "order": stringList(),
                                "aliases": .object(["type": nullableObject, "additionalProperties": stringList()]),
                            ]),
                        ]),
                    ]),
                ]),
                "rules": .object([
                    "type": nullableObject, "additionalProperties": .bool(false),
                    "description": .string("rule id: error | warning (warn) | info | off"),
                    "properties": .object(Dictionary(uniqueKeysWithValues: ruleIDs.map { ($0, level) })),
                ]),
                "blameless": .object([
                    "type": nullableObject, "additionalProperties": .bool(false),
                    "properties": .object([
                        "people": stringList(description: "Full names of people; first names count too."),
                        "teams": stringList(description: "@handles that are teams, not people."),
                        "allow": stringList(description: "Phrases never flagged."),
                        "deny": stringList(description: "Extra phrases always flagged as blame."),
                        "git_authors": .object(["type": .string("boolean"), "default": .bool(true)]),
                    ]),
                ]),
                "site": .object([
                    "type": nullableObject, "additionalProperties": .bool(false),
                    "properties": .object([
                        "title": .object(["type": .string("string")]),
                        // An http(s) URL or an absolute path on the site's host: a URI reference, not a URI.
                        "base_url": .object(["type": .string("string"), "format": .string("uri-reference")]),
                        "repo_url": .object(["type": .string("string"), "format": .string("uri-reference")]),
                        "ticket_url": .object(["type": .string("string"), "pattern": .string("\\{ticket\\}"), "description": .string("Link template for action-item tickets; {ticket} becomes the ticket id.")]),
                    ]),
                ]),
            ]),
        ])
    }

    /// The schema of a postmortem's front-matter in `archive` under `configuration`.
    public static func frontMatter(configuration: Configuration, archive: Archive) -> Value {
        let schema = configuration.schema
        let timestamp: Value = .object([
            "type": .string("string"),
            "description": .string("ISO 8601 date-time with Z or an offset, e.g. 2025-03-04T09:12:00Z"),
            "pattern": .string("^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})$"),
        ])
        let services = Set(archive.postmortems.flatMap(\.services)).sorted()
        let causeItems: Value
        if let catalogue = archive.catalogue, !catalogue.entries.isEmpty {
            // One `const` per id, titled, so editors show the title next to the completion.
            causeItems = .object(["anyOf": .array(catalogue.entries.sorted { $0.id < $1.id }.map { entry in
                .object(["const": .string(entry.id), "title": .string(entry.title), "description": .string(entry.description)])
            })])
        } else {
            causeItems = .object(["type": .string("string"), "pattern": .string(slugPattern)])
        }
        let causeList: Value = .object(["type": .string("array"), "items": causeItems, "uniqueItems": .bool(true)])
        let slugList = { (description: String, examples: [String]) -> Value in
            var item: [String: Value] = ["type": .string("string"), "pattern": .string(slugPattern)]
            if !examples.isEmpty { item["examples"] = strings(examples) }
            return .object(["type": .string("array"), "items": .object(item), "uniqueItems": .bool(true), "description": .string(description)])
        }
        var properties: [String: Value] = [
            "title": .object(["type": .string("string"), "minLength": .int(1), "maxLength": .int(120)]),
            "date": .object(["type": .string("string"), "pattern": .string("^\\d{4}-\\d{2}-\\d{2}$"), "description": .string("Incident date, YYYY-MM-DD.")]),
            "status": .object(["enum": strings(Schema.statuses)]),
            "severity": .object(["enum": strings(schema.severities)]),
            "authors": .object(["type": .string("array"), "items": .object(["type": .string("string"), "minLength": .int(1)]), "minItems": .int(1)]),
            "services": slugList("Affected services (slugs).", services),
            "id": .object(["type": .string("string"), "pattern": .string(slugPattern), "description": .string("Permalink id; defaults to the file name.")]),
            "root_causes": causeList,
            "contributing_factors": causeList,
            "tags": slugList("Free-form tags (slugs).", Set(archive.postmortems.flatMap(\.tags)).sorted()),
            "related": slugList("Ids of related postmortems.", []),
        ]
        for field in InvalidDateRule.timestampFields { properties[field] = timestamp }
        properties["services"] = {
            guard case .object(var object) = slugList("Affected services (slugs).", services) else { return .object([:]) }
            object["minItems"] = .int(1)
            return .object(object)
        }()
        let finalOnly = schema.finalRequiredFields.filter { !schema.requiredFields.contains($0) }
        return .object([
            "$schema": .string(draft),
            "title": .string("Inquest postmortem front-matter"),
            "type": .string("object"),
            "additionalProperties": .bool(false),
            "required": strings(schema.requiredFields),
            "properties": .object(properties),
            "if": .object(["properties": .object(["status": .object(["const": .string("final")])]), "required": strings(["status"])]),
            "then": .object(["required": strings(finalOnly)]),
        ])
    }

    /// Pretty, sorted-key JSON with a final newline.
    public static func text(_ value: Value) -> String { CodableJSON.pretty(value) }
}

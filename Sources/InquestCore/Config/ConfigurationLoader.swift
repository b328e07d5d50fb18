import Foundation

/// A configuration problem: reported as `config/invalid` and exit code 2.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): error: \(message) [config/invalid]" }
}

/// Reads `inquest.yml`, rejecting unknown keys and wrong types with the file's line.
public struct ConfigurationLoader {
    public static let fileName = "inquest.yml"

    /// Rule ids accepted under `rules:`.
    public var knownRuleIDs: Set<String>

    public init(knownRuleIDs: Set<String>) {
        self.knownRuleIDs = knownRuleIDs
    }

    public func load(bytes: [UInt8], path: String) throws(ConfigurationError) -> Configuration {
        let source = SourceText(bytes: bytes)
        guard let text = String(validating: bytes[FrontMatterSplitter.bomLength(bytes)...], as: UTF8.self) else {
            throw ConfigurationError(file: path, line: 1, column: 1, message: "configuration is not valid UTF-8")
        }
        let shift = FrontMatterSplitter.bomLength(bytes)
        let root: YAMLNode?
        do {
            root = try YAMLTreeParser.parse(text, in: source, firstLine: 1)
        } catch {
            throw fail(path, source, error.offset + shift, error.message)
        }
        var config = Configuration()
        guard let root else { return config }
        guard let pairs = root.mapping else { throw fail(path, source, root, "configuration must be a mapping, found \(root.typeName)") }
        let reader = Reader(path: path, source: source)
        // Read after `schema:`, which replaces the whole schema.
        var timeline: (key: YAMLNode, value: YAMLNode)?
        for (key, value) in pairs {
            switch key.scalar {
            case "postmortems": config.postmortems = try reader.path(value, key: "postmortems")
            case "causes": config.causesOverride = try reader.path(value, key: "causes")
            case "schema": config.schema = try reader.schema(value)
            case "rules": config.rules = try reader.rules(value, known: knownRuleIDs)
            case "blameless": config.blameless = try reader.blameless(value)
            case "site": config.site = try reader.site(value)
            case "exclude": config.exclude = try reader.patterns(value, key: "exclude")
            case "readmes": config.readmes = try reader.strings(value, key: "readmes")
            case "timeline": timeline = (key, value)
            case "docs_url":
                let text = try reader.string(value, key: "docs_url")
                if let problem = DocsURL.problem(with: text) { throw reader.error(value, "'docs_url' \(problem), found '\(text)'") }
                config.docsURL = DocsURL(text)
            default:
                throw fail(path, source, key, "unknown key '\(key.scalar ?? "?")'; expected one of postmortems, causes, exclude, readmes, schema, timeline, rules, blameless, site, docs_url")
            }
        }
        if let timeline { config.schema.timeline = try reader.timeline(timeline.value) }
        return config
    }

    private func fail(_ path: String, _ source: SourceText, _ offset: Int, _ message: String) -> ConfigurationError {
        let position = source.position(of: offset)
        return ConfigurationError(file: path, line: position.line, column: position.column, message: message)
    }

    private func fail(_ path: String, _ source: SourceText, _ node: YAMLNode, _ message: String) -> ConfigurationError {
        fail(path, source, node.bytes.lowerBound, message)
    }

    /// Typed accessors that throw located errors.
    private struct Reader {
        let path: String
        let source: SourceText

        func error(_ node: YAMLNode, _ message: String) -> ConfigurationError {
            let position = source.position(of: node.bytes.lowerBound)
            return ConfigurationError(file: path, line: position.line, column: position.column, message: message)
        }

        func string(_ node: YAMLNode, key: String) throws(ConfigurationError) -> String {
            guard let text = node.scalar, !node.isNull else { throw error(node, "'\(key)' must be a string, found \(node.typeName)") }
            return text
        }

        func path(_ node: YAMLNode, key: String) throws(ConfigurationError) -> String {
            let text = try string(node, key: key)
            // Paths are repository-relative; absolute paths and `..` would read outside the repository.
            if text.hasPrefix("/") || text.split(separator: "/").contains("..") {
                throw error(node, "'\(key)' must be a path inside the repository, found '\(text)'")
            }
            var trimmed = text
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            if trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
            return trimmed == "." ? "" : trimmed
        }

        func bool(_ node: YAMLNode, key: String) throws(ConfigurationError) -> Bool {
            switch node.scalar {
            case "true", "True", "yes": return true
            case "false", "False", "no": return false
            default: throw error(node, "'\(key)' must be true or false, found \(node.scalar.map { "'\($0)'" } ?? node.typeName)")
            }
        }

        func strings(_ node: YAMLNode, key: String) throws(ConfigurationError) -> [String] {
            if node.isNull { return [] }
            guard let items = node.sequence else { throw error(node, "'\(key)' must be a list of strings, found \(node.typeName)") }
            var out: [String] = []
            for item in items { out.append(try string(item, key: key)) }
            return out
        }

        func mapping(_ node: YAMLNode, key: String) throws(ConfigurationError) -> [(key: YAMLNode, value: YAMLNode)] {
            // `rules:` with everything commented out is an empty mapping, not an error.
            if node.isNull { return [] }
            guard let pairs = node.mapping else { throw error(node, "'\(key)' must be a mapping, found \(node.typeName)") }
            return pairs
        }

        func unknown(_ key: YAMLNode, in section: String, expected: [String]) -> ConfigurationError {
            error(key, "unknown key '\(key.scalar ?? "?")' in '\(section)'; expected one of \(expected.joined(separator: ", "))")
        }

        func rules(_ node: YAMLNode, known: Set<String>) throws(ConfigurationError) -> [String: Configuration.RuleLevel] {
            var out: [String: Configuration.RuleLevel] = [:]
            for (key, value) in try mapping(node, key: "rules") {
                let id = try string(key, key: "rules")
                guard known.contains(id) else { throw error(key, "unknown rule '\(id)' in 'rules' (see 'inquest rules')") }
                let level = try string(value, key: id)
                // `warn` is the word ESLint and markdownlint configurations use.
                guard let parsed = Configuration.RuleLevel(rawValue: level == "warn" ? "warning" : level) else {
                    throw error(value, "rule level for '\(id)' must be error, warning, info or off, found '\(level)'")
                }
                out[id] = parsed
            }
            return out
        }

        /// Glob patterns for `fnmatch(3)`: non-empty strings, no absolute paths or `..`.
        func patterns(_ node: YAMLNode, key: String) throws(ConfigurationError) -> [String] {
            let list = try strings(node, key: key)
            for (pattern, item) in zip(list, node.sequence ?? []) {
                if pattern.isEmpty || pattern.hasPrefix("/") || pattern.split(separator: "/").contains("..") {
                    throw error(item, "'\(key)' patterns are relative paths inside the repository, found '\(pattern)'")
                }
            }
            return list
        }

        /// A zone for `timeline.zone` / `timeline.zones`: an abbreviation (`CET`), `UTC±H[:MM]` or `±HH:MM`, in minutes.
        func zone(_ node: YAMLNode, key: String, options: TimelineOptions) throws(ConfigurationError) -> Int {
            let text = try string(node, key: key).trimmingCharacters(in: .whitespaces)
            let bytes = Array(text.utf8)
            if let (minutes, end) = Timestamp.scanOffset(bytes, from: 0), end == bytes.count { return minutes }
            let scanner = TimeScanner(text, options: options)
            if let (zone, end) = scanner.zone(at: 0, allowNumericOffset: false, allowNegativeOffset: false), end == bytes.count, !zone.usDaylightRules {
                return zone.standardMinutes
            }
            throw error(node, "'\(key)' must be a zone abbreviation such as UTC or CET, or an offset such as +05:30, found '\(text)'")
        }

        func timeline(_ node: YAMLNode) throws(ConfigurationError) -> TimelineOptions {
            var out = TimelineOptions()
            let keys = ["zone", "date_order", "zones"]
            var zoneNode: YAMLNode?
            for (key, value) in try mapping(node, key: "timeline") {
                switch key.scalar {
                case "zone": zoneNode = value
                case "date_order":
                    let text = try string(value, key: "timeline.date_order")
                    guard let order = TimelineOptions.DateOrder(rawValue: text.lowercased()) else {
                        throw error(value, "'timeline.date_order' must be mdy or dmy, found '\(text)'")
                    }
                    out.dateOrder = order
                case "zones":
                    for (name, offset) in try mapping(value, key: "timeline.zones") {
                        let abbreviation = try string(name, key: "timeline.zones")
                        guard !abbreviation.isEmpty, abbreviation.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }), abbreviation.count <= 5 else {
                            throw error(name, "zone abbreviations in 'timeline.zones' are 1 to 5 capital letters, found '\(abbreviation)'")
                        }
                        let minutes = try zone(offset, key: "timeline.zones.\(abbreviation)", options: TimelineOptions())
                        out.zones[abbreviation] = minutes
                    }
                default: throw unknown(key, in: "timeline", expected: keys)
                }
            }
            // The default zone may name an abbreviation defined under `zones`.
            if let zoneNode { out.defaultOffset = try zone(zoneNode, key: "timeline.zone", options: out) }
            return out
        }

        func blameless(_ node: YAMLNode) throws(ConfigurationError) -> Configuration.Blameless {
            var out = Configuration.Blameless()
            let keys = ["people", "teams", "allow", "deny", "git_authors"]
            for (key, value) in try mapping(node, key: "blameless") {
                switch key.scalar {
                case "people": out.people = try strings(value, key: "blameless.people")
                case "teams": out.teams = try strings(value, key: "blameless.teams")
                case "allow": out.allow = try strings(value, key: "blameless.allow")
                case "deny": out.deny = try strings(value, key: "blameless.deny")
                case "git_authors": out.gitAuthors = try bool(value, key: "blameless.git_authors")
                default: throw unknown(key, in: "blameless", expected: keys)
                }
            }
            return out
        }

        func site(_ node: YAMLNode) throws(ConfigurationError) -> Configuration.Site {
            var out = Configuration.Site()
            let keys = ["title", "base_url", "repo_url", "ticket_url"]
            for (key, value) in try mapping(node, key: "site") {
                switch key.scalar {
                case "title": out.title = try string(value, key: "site.title")
                case "base_url":
                    let text = try string(value, key: "site.base_url")
                    if let problem = SiteURL.problem(withBase: text) { throw error(value, "'site.base_url' \(problem), found '\(text)'") }
                    out.baseURL = text
                case "repo_url": out.repoURL = try url(value, key: "site.repo_url")
                case "ticket_url":
                    let text = try url(value, key: "site.ticket_url")
                    guard text.contains("{ticket}") else { throw error(value, "'site.ticket_url' must contain '{ticket}', found '\(text)'") }
                    out.ticketURL = text
                default: throw unknown(key, in: "site", expected: keys)
                }
            }
            return out
        }

        func url(_ node: YAMLNode, key: String) throws(ConfigurationError) -> String {
            let text = try string(node, key: key)
            guard text.hasPrefix("https://") || text.hasPrefix("http://") || text.hasPrefix("/") else {
                throw error(node, "'\(key)' must be an http(s) URL or an absolute path, found '\(text)'")
            }
            if let problem = SiteURL.problem(withBase: text) { throw error(node, "'\(key)' \(problem), found '\(text)'") }
            return text
        }

        func schema(_ node: YAMLNode) throws(ConfigurationError) -> Schema {
            var out = Schema()
            let keys = ["severities", "required_fields", "final_required_fields", "sections"]
            for (key, value) in try mapping(node, key: "schema") {
                switch key.scalar {
                case "severities":
                    out.severities = try strings(value, key: "schema.severities")
                    if out.severities.isEmpty { throw error(value, "'schema.severities' must not be empty") }
                case "required_fields":
                    out.requiredFields = try knownFields(value, key: "schema.required_fields")
                case "final_required_fields":
                    out.finalRequiredFields = try knownFields(value, key: "schema.final_required_fields")
                case "sections":
                    try sections(value, into: &out)
                default: throw unknown(key, in: "schema", expected: keys)
                }
            }
            return out
        }

        func knownFields(_ node: YAMLNode, key: String) throws(ConfigurationError) -> [String] {
            let fields = try strings(node, key: key)
            for (field, item) in zip(fields, node.sequence ?? []) where !Schema.knownFields.contains(field) {
                throw error(item, "unknown field '\(field)' in '\(key)'")
            }
            return fields
        }

        func sections(_ node: YAMLNode, into schema: inout Schema) throws(ConfigurationError) {
            let keys = ["required", "order", "aliases"]
            var orderGiven = false
            for (key, value) in try mapping(node, key: "schema.sections") {
                switch key.scalar {
                case "required":
                    schema.requiredSections = try strings(value, key: "schema.sections.required")
                case "order":
                    schema.order = try strings(value, key: "schema.sections.order")
                    orderGiven = true
                case "aliases":
                    for (name, aliases) in try mapping(value, key: "schema.sections.aliases") {
                        let section = try string(name, key: "schema.sections.aliases")
                        let list = try strings(aliases, key: "schema.sections.aliases.\(section)")
                        if let index = schema.sections.firstIndex(where: { Schema.normalize($0.name) == Schema.normalize(section) }) {
                            schema.sections[index].aliases = list
                        } else {
                            schema.sections.append(.init(name: section, aliases: list))
                        }
                    }
                default: throw unknown(key, in: "schema.sections", expected: keys)
                }
            }
            // Required sections unknown so far become known sections without aliases.
            for name in schema.requiredSections + schema.order
            where !schema.sections.contains(where: { Schema.normalize($0.name) == Schema.normalize(name) }) {
                schema.sections.append(.init(name: name))
            }
            if !orderGiven { schema.order = schema.order.filter { schema.requiredSections.contains($0) } }
        }
    }
}

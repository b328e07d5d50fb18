/// The versioned JSON model `inquest export --format json` writes: what Inquest understood of
/// every document, for dashboards and data warehouses. Documented in `docs/export.md` and
/// described by `docs/export.schema.json` (JSON Schema draft 2020-12).
///
/// Changing a field's meaning or removing one needs a new ``version``; adding optional fields
/// does not.
public struct ArchiveExport: Codable, Sendable, Equatable {
    /// The format version: 1.
    public var version: Int
    /// Where the documents were read from: `working tree`, `index`, or the revision and its short id.
    public var source: String
    /// The documents reported on, sorted by path.
    public var documents: [Document]
    /// Every cause cited in the archive or listed in the catalogue, most recurrent first, then by id.
    public var causes: [Cause]

    public static let currentVersion = 1

    /// One postmortem.
    public struct Document: Codable, Sendable, Equatable {
        public var id: String
        /// Repository-relative path.
        public var path: String
        /// The front-matter as written: scalars are strings exactly as in the file (no date or
        /// number conversion), YAML nulls are `null`; nil when the file has none or it is unreadable.
        @Nullable public var frontMatter: JSONValue?
        /// Problems that stopped the file from being read normally (encoding, front-matter syntax).
        public var problems: [Problem]
        public var sections: [Section]
        public var timeline: [TimelineEntry]
        public var actionItems: [ActionItem]
        public var causes: [CauseReference]
        /// For each cause this document cites, the other documents citing it, oldest first.
        public var recurrence: [Recurrence]
        /// Related postmortems ranked by shared causes, services, tags and explicit links.
        public var related: [Related]
        /// Ids of documents whose `related` lists name this one.
        public var backlinks: [String]
    }

    public struct Problem: Codable, Sendable, Equatable {
        /// `encoding` or `front-matter`.
        public var kind: String
        public var message: String
        public var line: Int
    }

    public struct Section: Codable, Sendable, Equatable {
        /// The canonical section the heading satisfies (`Timeline`, `Root Causes` …); null for a
        /// heading Inquest does not know.
        @Nullable public var role: String?
        /// Every canonical section it satisfies ("Root Cause and Resolution" satisfies two).
        public var roles: [String]
        /// The heading's text as written.
        public var heading: String
        /// 1-based line of the heading.
        public var line: Int
    }

    public struct TimelineEntry: Codable, Sendable, Equatable {
        public var line: Int
        public var text: String
        /// The time as written at the start of the entry (`09:12`, `2025-03-04 23:58 UTC`); null when none.
        @Nullable public var timeText: String?
        /// RFC 3339 local date-time with the offset applied (`2025-03-04T09:12:00+01:00`); null
        /// when the entry has no time Inquest could read, or no date (see ``timeOfDay``).
        @Nullable public var time: String?
        /// The same instant in UTC (`2025-03-04T08:12:00Z`); null with `time`.
        @Nullable public var utc: String?
        /// The local time of day read (`09:12:00`), also for an entry whose date is unknown; null without a time.
        @Nullable public var timeOfDay: String?
        /// The UTC offset that applied (`+01:00`, `-05:00`, `+00:00`); null without a time.
        @Nullable public var offset: String?
        /// Where the entry's date came from (a ``TimelineSource`` raw value); null without a time.
        @Nullable public var dateSource: String?
        /// Where the entry's zone came from (a ``TimelineSource`` raw value); null without a time.
        @Nullable public var zoneSource: String?
    }

    public struct ActionItem: Codable, Sendable, Equatable {
        public var line: Int
        public var text: String
        /// `open` or `done`.
        public var state: String
        @Nullable public var owner: String?
        @Nullable public var ticket: String?
        /// `YYYY-MM-DD`.
        @Nullable public var due: String?
    }

    public struct CauseReference: Codable, Sendable, Equatable {
        public var id: String
        /// `root` (from `root_causes`) or `contributing` (from `contributing_factors`).
        public var role: String
        /// 1-based line of the id in the front-matter.
        public var line: Int
        /// The catalogue's title; null when the cause is not in the catalogue.
        @Nullable public var title: String?
    }

    public struct Recurrence: Codable, Sendable, Equatable {
        public var cause: String
        /// How many documents in the archive cite the cause, this one included.
        public var occurrences: Int
        /// The other documents citing it, oldest incident first.
        public var others: [String]
    }

    public struct Related: Codable, Sendable, Equatable {
        public var id: String
        public var score: Int
        public var sharedCauses: [String]
    }

    /// One cause across the archive.
    public struct Cause: Codable, Sendable, Equatable {
        public var id: String
        @Nullable public var title: String?
        @Nullable public var category: String?
        public var inCatalogue: Bool
        public var occurrences: Int
        /// `YYYY-MM-DD` of the earliest and latest incident citing it; null when none is dated.
        @Nullable public var first: String?
        @Nullable public var last: String?
        /// Ids of the documents citing it, oldest incident first.
        public var postmortems: [String]
    }
}

/// An optional that encodes as an explicit JSON `null` rather than a missing key, so every
/// object of the export has the same keys (consumers and the JSON Schema can rely on them).
@propertyWrapper
public struct Nullable<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key reads as nil, as for a plain optional.
    public func decode<Value>(_ type: Nullable<Value>.Type, forKey key: Key) throws -> Nullable<Value> {
        try decodeIfPresent(type, forKey: key) ?? Nullable(wrappedValue: nil)
    }
}

/// A JSON value, for front-matter exported as written.
public indirect enum JSONValue: Codable, Sendable, Equatable {
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([JSONValue].self) { self = .array(items) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(text): try container.encode(text)
        case let .array(items): try container.encode(items)
        case let .object(fields): try container.encode(fields)
        case .null: try container.encodeNil()
        }
    }

    /// A YAML node as written: scalars stay strings, nulls become `null`; for a repeated mapping
    /// key the first value wins (the schema rules report the repetition).
    public init(_ node: YAMLNode) {
        switch node.kind {
        case .scalar(let text, _): self = node.isNull ? .null : .string(text)
        case .sequence(let items): self = .array(items.map(JSONValue.init))
        case .mapping(let pairs):
            var fields: [String: JSONValue] = [:]
            for (key, value) in pairs {
                let name = key.scalar ?? ""
                if fields[name] == nil { fields[name] = JSONValue(value) }
            }
            self = .object(fields)
        }
    }
}

import Foundation

/// One front-matter field `inquest adopt` inferred, and where from.
public struct InferredField: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case list([String])
        /// An instant, written as RFC 3339 in the author's offset.
        case time(Timestamp)
    }

    public var key: String
    public var value: Value
    /// Where it came from, for the summary: `the H1 (line 1)`, `the file name`, `git (first commit 1a2b3c4)`.
    public var source: String

    /// The value as the summary shows it.
    public var display: String {
        switch value {
        case let .text(text): text
        case let .list(items): items.joined(separator: ", ")
        case let .time(time): ArchiveExporter.localString(time)
        }
    }
}

/// What `adopt` could say about one document without front-matter.
public struct Inference: Sendable, Equatable {
    /// In front-matter order.
    public var fields: [InferredField]
    /// Required fields (and fields a final postmortem needs) left for a person to fill in.
    public var missing: [String]
    /// Things found but not used, and why.
    public var notes: [String]
}

/// Infers front-matter from a document's own text and its git history. Each field has an
/// ordered list of sources; the first that yields a value wins. Nothing is guessed: a value
/// that is not evident is left out, so `lint` asks a person for it.
struct FrontMatterInference {
    /// The schema in force after adopting (severities, required fields, aliases).
    var schema: Schema
    /// Parses with that schema, so headings that only an adopted alias recognises still yield a timeline.
    var parser: PostmortemParser

    init(schema: Schema) {
        self.schema = schema
        parser = PostmortemParser(schema: schema)
    }

    /// The first commit that added the file: who wrote it (mailmap applied) and the commit.
    struct GitAuthor: Sendable, Equatable {
        var name: String
        var shortSHA: String
    }

    /// - Parameters:
    ///   - postmortem: the document, parsed with ``parser``; it must have no front-matter.
    ///   - takenIDs: ids already used in the archive; an id this adds is inserted.
    func infer(_ postmortem: Postmortem, gitAuthor: GitAuthor?, takenIDs: inout Set<String>) -> Inference {
        var fields: [InferredField] = []
        var notes: [String] = []
        let metadata = MetadataLine.scan(postmortem)
        func meta(_ field: String) -> MetadataLine? { metadata.first { $0.field == field } }
        let stem = RawDocument(path: postmortem.path, bytes: []).stem

        // title
        if let (title, line) = Self.h1(of: postmortem), !Self.isBareLabel(Self.cleanTitle(title)) {
            fields.append(InferredField(key: "title", value: .text(Self.cleanTitle(title)), source: "the H1 (line \(line))"))
        } else if Self.h1(of: postmortem) == nil, let (title, line) = Self.firstLineTitle(of: postmortem) {
            fields.append(InferredField(key: "title", value: .text(Self.cleanTitle(title)), source: "the first line (line \(line))"))
        } else if let title = Self.title(fromFileName: stem) {
            fields.append(InferredField(key: "title", value: .text(title), source: "the file name"))
        }

        // id: the file name is the permalink, and a name with spaces or capitals is not a slug.
        if !Slug.isValid(stem) {
            var id = Slug.make(from: stem, maxLength: 120)
            if takenIDs.contains(id) {
                var counter = 2
                while takenIDs.contains("\(id)-\(counter)") { counter += 1 }
                id = "\(id)-\(counter)"
            }
            takenIDs.insert(id)
            fields.append(InferredField(key: "id", value: .text(id), source: "the file name, as a slug"))
        }

        // date
        let date = inferDate(postmortem, metadata: meta("date"))
        if let date { fields.append(InferredField(key: "date", value: .text(date.value.description), source: date.source)) }

        // status
        if let line = meta("status"), let status = Self.status(line.value) {
            fields.append(InferredField(key: "status", value: .text(status), source: "'\(line.key):' (line \(line.line))"))
        } else {
            if let line = meta("status") { notes.append("'\(line.key): \(line.value)' (line \(line.line)) describes the incident, not the postmortem: status set to draft") }
            fields.append(InferredField(key: "status", value: .text("draft"), source: "nothing states it: a draft until someone reviews it"))
        }

        // severity
        if let line = meta("severity") {
            if let word = SeverityScale.word(in: line.value), let level = schema.severities.first(where: { $0.lowercased() == word.lowercased() }) {
                fields.append(InferredField(key: "severity", value: .text(level), source: "'\(line.key):' (line \(line.line))"))
            } else {
                notes.append("severity '\(line.value)' (line \(line.line)) is not one of \(schema.severities.joined(separator: ", ")): left out (--write-config adopts the archive's scale)")
            }
        }

        // authors
        if let line = meta("authors") {
            let names = Self.splitList(line.value)
            if !names.isEmpty { fields.append(InferredField(key: "authors", value: .list(names), source: "'\(line.key):' (line \(line.line))")) }
        } else if let gitAuthor {
            fields.append(InferredField(key: "authors", value: .list([gitAuthor.name]), source: "git (first commit \(gitAuthor.shortSHA))"))
        }

        // services and tags
        for field in ["services", "tags"] {
            if let line = meta(field) {
                let slugs = Self.splitList(line.value).map { Slug.make(from: $0) }.filter { $0 != "incident" }
                var seen = Set<String>()
                let unique = slugs.filter { seen.insert($0).inserted }
                if !unique.isEmpty { fields.append(InferredField(key: field, value: .list(unique), source: "'\(line.key):' (line \(line.line))")) }
            }
        }

        // started, detected, mitigated, resolved
        let times = inferTimes(postmortem, date: date?.value, metadata: metadata, notes: &notes)
        fields += times

        let order = ["title", "id", "date", "status", "severity", "authors", "services", "started", "detected", "mitigated", "resolved", "tags"]
        fields.sort { (order.firstIndex(of: $0.key) ?? order.count) < (order.firstIndex(of: $1.key) ?? order.count) }
        let present = Set(fields.map(\.key))
        var missing = schema.requiredFields.filter { !present.contains($0) }
        for field in schema.finalRequiredFields where !present.contains(field) && !missing.contains(field) {
            missing.append("\(field) (before status: final)")
        }
        return Inference(fields: fields, missing: missing, notes: notes)
    }

    // MARK: Title

    /// The first level-1 heading before any section, with its 1-based line.
    static func h1(of postmortem: Postmortem) -> (String, Int)? {
        for block in postmortem.body.children {
            guard case let .heading(level) = block.kind else { continue }
            guard level == 1 else { return nil }
            let text = block.plainText.trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : (text, postmortem.source.position(of: block.bytes.lowerBound).line)
        }
        return nil
    }

    /// The title of a document written without Markdown headings: a first paragraph that is only
    /// bold text (`**Postmortem: nightly export missing**`), or a single line that starts with a
    /// postmortem label (`Postmortem: Login page down`). Never a known section's name.
    static func firstLineTitle(of postmortem: Postmortem) -> (String, Int)? {
        guard let first = postmortem.body.children.first, first.kind == .paragraph else { return nil }
        let text = first.plainText.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 120, !text.contains("\n"),
              first.children.allSatisfy({ $0.kind != .softBreak && $0.kind != .lineBreak }),
              Schema().canonicalNames(forHeading: text).isEmpty else { return nil }
        let bold = first.children.count == 1 && first.children[0].kind == .strong
        guard bold || cleanTitle(text) != text, !isBareLabel(cleanTitle(text)) else { return nil }
        return (text, postmortem.source.position(of: first.bytes.lowerBound).line)
    }

    /// An H1 that is only a label ("Postmortem", "Incident Report") says nothing about the incident.
    static func isBareLabel(_ title: String) -> Bool {
        let words = HeadingClassifier.normalized(title)
        return ["postmortem", "post-mortem", "post mortem", "incident report", "incident postmortem", "incident review",
                "incident", "postmortem report", "post-mortem report", "retrospective"].contains(words)
    }

    /// Drops a leading "Post-mortem:" style label, which every document would share.
    static func cleanTitle(_ title: String) -> String {
        let labels = ["post-mortem", "postmortem", "post mortem", "incident report", "incident postmortem", "incident review", "pir"]
        let lower = title.lowercased()
        for label in labels where lower.hasPrefix(label) {
            var rest = title.dropFirst(label.count)
            let separators = [":", " -", " –", " —", " of ", " for ", " on "]
            guard let separator = separators.first(where: { rest.lowercased().hasPrefix($0) }) else { continue }
            rest = rest.dropFirst(separator.count)
            let cleaned = rest.trimmingCharacters(in: CharacterSet(charactersIn: " -–—:"))
            if cleaned.count >= 3 { return Self.capitalisedFirst(cleaned) }
        }
        return withoutDateOrLabel(title)
    }

    /// `2021-05-06: CI jobs stuck` and `Notification delays – 2023-02-14` → the words: the date is
    /// in `date:` already. `Incident: payments API down` → `Payments API down`.
    static func withoutDateOrLabel(_ title: String) -> String {
        var text = Substring(title)
        let separators = CharacterSet(charactersIn: " -–—:|")
        if text.lowercased().hasPrefix("incident:") {
            text = text.dropFirst("incident:".count)
        } else if text.count > 10, CalendarDate(parsing: String(text.prefix(10))) != nil,
                  let next = text.dropFirst(10).first, ": -–—|".contains(next) {
            text = text.dropFirst(10)
        } else if text.count > 10, CalendarDate(parsing: String(text.suffix(10))) != nil,
                  let before = text.dropLast(10).last, " -–—:(|".contains(before) {
            text = text.dropLast(10)
            if text.hasSuffix("(") { text = text.dropLast() }
        } else {
            return title
        }
        let cleaned = String(text).trimmingCharacters(in: separators)
        return cleaned.count >= 3 ? Self.capitalisedFirst(cleaned) : title
    }

    /// `2025-09-29-flags-is-down` → `Flags is down`; `PM2019-009 - Node deletion` → `Node deletion`.
    static func title(fromFileName stem: String) -> String? {
        var text = Substring(stem)
        // A leading date (`2025-09-29-`, `20250929_`).
        if let date = ProseDate.inName(String(text.prefix(10))), text.hasPrefix(date.description) || text.hasPrefix(date.description.replacingOccurrences(of: "-", with: "_")) {
            text = text.dropFirst(10)
        } else if text.count > 8, ProseDate.inName(String(text.prefix(8))) != nil, text.prefix(8).allSatisfy(\.isNumber) {
            text = text.dropFirst(8)
        }
        // A leading document number set off by " - " (`PM2019-009 - `, `INC-42 - `).
        if let range = text.range(of: " - "), text[..<range.lowerBound].contains(where: \.isNumber), !text[..<range.lowerBound].contains(" ") {
            text = text[range.upperBound...]
        }
        let words = text.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ").split(separator: " ")
        let title = words.joined(separator: " ")
        return title.isEmpty ? nil : capitalisedFirst(title)
    }

    static func capitalisedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    // MARK: Date

    func inferDate(_ postmortem: Postmortem, metadata: MetadataLine?) -> (value: CalendarDate, source: String)? {
        let components = postmortem.path.split(separator: "/").map(String.init)
        if let name = components.last, let date = ProseDate.inName(name) { return (date, "the file name") }
        if components.count > 1, let date = ProseDate.inName(components.dropLast().joined(separator: "/")) { return (date, "the folder") }
        if let metadata, let found = ProseDate.first(in: metadata.value) { return (found.date, "'\(metadata.key):' (line \(metadata.line))") }
        if let (title, line) = Self.h1(of: postmortem), let found = ProseDate.first(in: title) { return (found.date, "the H1 (line \(line))") }
        // The first timeline entry whose own text, heading or table row gives its date.
        if let entry = postmortem.timeline.first(where: { [.entry, .heading, .table].contains($0.dateSource) }), let time = entry.time {
            return (time.localDate, "the first dated timeline entry (line \(postmortem.source.position(of: entry.bytes.lowerBound).line))")
        }
        // "On Tuesday 22nd June 2021, …": the opening of the summary or the text before it.
        let opening = postmortem.body.children.prefix { block in
            if case let .heading(level) = block.kind, level <= 2 { return block.bytes.lowerBound == postmortem.body.children.first?.bytes.lowerBound }
            return true
        }
        let summary = postmortem.section("Summary")?.blocks ?? []
        for block in Array(opening) + summary.prefix(2) where block.kind == .paragraph {
            if let found = ProseDate.first(in: block.plainText) {
                return (found.date, "the summary (line \(postmortem.source.position(of: block.bytes.lowerBound).line))")
            }
        }
        return nil
    }

    // MARK: Instants

    /// Phrases in a timeline entry that make a moment evident.
    static let markers: [(field: String, phrases: [String])] = [
        ("started", ["problem started", "problem starts", "incident started", "incident starts", "incident began", "issue started",
                     "issue began", "impact started", "impact began", "impact starts", "outage started", "outage began", "outage starts",
                     "start of incident", "start of the incident", "start of impact", "start of the impact", "start of the outage",
                     "incident start", "impact start", "(started)"]),
        ("detected", ["detected", "alert fired", "alert fires", "alerts fired", "alerts fire", "alerted", "paged", "first alert",
                      "alert triggered", "alerts triggered", "alert raised", "alarm fired", "alarm triggered", "noticed", "first report",
                      "reported by", "issue reported", "customer reported", "customers reported"]),
        ("mitigated", ["mitigated", "mitigation applied", "mitigation deployed", "rolled back", "rollback complete", "rollback completed",
                       "reverts deployed", "revert deployed", "workaround applied"]),
        ("resolved", ["resolved", "fully recovered", "recovered", "incident closed", "all clear", "back to normal", "fully operational",
                      "service restored", "services restored", "service fully restored"]),
    ]

    /// How far from the incident date an inferred moment may be.
    static let maximumSpanDays = 7

    func inferTimes(_ postmortem: Postmortem, date: CalendarDate?, metadata: [MetadataLine], notes: inout [String]) -> [InferredField] {
        var found: [String: InferredField] = [:]
        // Metadata lines first: a stated instant beats a reading of the timeline.
        for field in ["started", "detected", "mitigated", "resolved"] {
            guard let line = metadata.first(where: { $0.field == field }) else { continue }
            if let time = ProseTimestamp.parse(line.value, defaultDate: date, options: schema.timeline) {
                found[field] = InferredField(key: field, value: .time(time), source: "'\(line.key):' (line \(line.line))")
            } else {
                notes.append("'\(line.key): \(line.value)' (line \(line.line)) has no date-time with a zone: \(field) left out")
            }
        }
        // Then the timeline, read again with the inferred date so entries get a calendar day.
        let timeline = timedEntries(postmortem, date: date)
        if !timeline.entries.isEmpty, !timeline.zoneStated {
            notes.append("the timeline states no time zone: started/detected/mitigated/resolved not read from it")
        }
        var floor: Timestamp?
        for (field, phrases) in Self.markers {
            if let existing = found[field], case let .time(time) = existing.value { floor = time; continue }
            guard timeline.zoneStated else { continue }
            for entry in timeline.entries {
                guard let time = entry.time, floor.map({ time >= $0 }) ?? true else { continue }
                let text = entry.text.lowercased()
                guard let phrase = phrases.first(where: { text.contains($0) }),
                      !text.contains("not " + phrase), !text.contains("not yet " + phrase) else { continue }
                found[field] = InferredField(key: field, value: .time(time), source: "the timeline (line \(entry.line): '\(phrase)')")
                floor = time
                break
            }
        }
        // Durations in a stats block count from the start: "Time to detection: 8 minutes".
        if let started = found["started"], case let .time(start) = started.value {
            for (key, field) in [("time-to-detect", "detected"), ("time-to-mitigate", "mitigated"), ("time-to-resolve", "resolved")] where found[field] == nil {
                guard let line = metadata.first(where: { $0.field == key }), let seconds = MetadataLine.duration(line.value) else { continue }
                let time = Timestamp(seconds: start.seconds + seconds, offsetMinutes: start.offsetMinutes)
                found[field] = InferredField(key: field, value: .time(time), source: "started + '\(line.key): \(line.value)' (line \(line.line))")
            }
        }
        // Keep only an order that holds: started ≤ detected ≤ mitigated ≤ resolved.
        var result: [InferredField] = []
        var latest: (String, Timestamp)?
        for field in ["started", "detected", "mitigated", "resolved"] {
            guard let inferred = found[field], case let .time(time) = inferred.value else { continue }
            if let latest, time < latest.1 {
                notes.append("\(field) \(ArchiveExporter.localString(time)) from \(inferred.source) is before \(latest.0): left out")
                continue
            }
            // A moment a week or more away from the incident date belongs to another incident in
            // the same document (or another year): not evident for this one.
            if let date, abs(time.localDate.daysSinceEpoch - date.daysSinceEpoch) > Self.maximumSpanDays {
                notes.append("\(field) \(ArchiveExporter.localString(time)) from \(inferred.source) is more than \(Self.maximumSpanDays) days from the date \(date): left out")
                continue
            }
            if field == "started", let date, time.localDate != date {
                notes.append("started \(ArchiveExporter.localString(time)) from \(inferred.source) is not on the date \(date): left out")
                continue
            }
            latest = (field, time)
            result.append(inferred)
        }
        return result
    }

    struct TimedEntry {
        var text: String
        var line: Int
        var time: Timestamp?
    }

    /// The timeline parsed with `date` as the incident date, and whether it states its zone.
    func timedEntries(_ postmortem: Postmortem, date: CalendarDate?) -> (entries: [TimedEntry], zoneStated: Bool) {
        guard let date else { return ([], false) }
        let bytes = postmortem.source.bytes
        let bom = FrontMatterSplitter.bomLength(bytes)
        let header = Array("---\ndate: \(date)\n---\n".utf8)
        let shifted = parser.parse(RawDocument(path: postmortem.path, bytes: Array(bytes[..<bom]) + header + Array(bytes[bom...])))
        let lineShift = 3
        var entries: [TimedEntry] = []
        var zoneStated = false
        for entry in shifted.timeline where entry.time != nil {
            // A zone that only the configured default supplies is not evident from the document.
            if let source = entry.zoneSource, source != .config { zoneStated = true }
            entries.append(TimedEntry(text: entry.text, line: shifted.source.position(of: entry.bytes.lowerBound).line - lineShift, time: entry.time))
        }
        return (entries, zoneStated)
    }

    // MARK: Values

    /// The postmortem status a metadata value states; nil when it describes the incident ("Resolved").
    static func status(_ value: String) -> String? {
        switch value.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " .")) {
        case "draft", "wip", "work in progress": "draft"
        case "in review", "in-review", "review", "under review", "ready for review": "in-review"
        case "final", "published", "reviewed", "approved": "final"
        default: nil
        }
    }

    /// `a, b and c` / `a; b` / `a / b` → items, emphasis and @ kept as written.
    static func splitList(_ value: String) -> [String] {
        let unified = value.replacingOccurrences(of: " and ", with: ",").replacingOccurrences(of: ";", with: ",")
            .replacingOccurrences(of: " / ", with: ",").replacingOccurrences(of: " & ", with: ",")
        return unified.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " *_`")) }.filter { !$0.isEmpty && $0.lowercased() != "n/a" }
    }
}

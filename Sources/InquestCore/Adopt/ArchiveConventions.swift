import Foundation

/// What an existing archive's documents have in common: the headings they use for each section,
/// the severity words they state, the time zones their timelines name, whether action items are
/// task lists. `inquest adopt` learns these first and, with `--write-config`, writes an
/// `inquest.yml` that accepts them (aliases, severities) instead of rewriting anyone's document.
public struct ArchiveConventions: Sendable, Equatable {
    /// A heading that satisfies a known section only through a proposed alias.
    public struct HeadingVariant: Sendable, Equatable {
        public var heading: String
        public var section: String
        /// How many documents use it.
        public var documents: Int
    }

    /// Headings the schema does not know, mapped to the section they most likely stand for.
    public var aliases: [HeadingVariant] = []
    /// Headings neither known nor guessed (`Attendees`, `Stats` …), with how many documents use them.
    public var unknownHeadings: [(heading: String, documents: Int)] = []
    /// For each required section, how many documents lack it even with the proposed aliases.
    public var missingSections: [(section: String, documents: Int)] = []
    /// Severity words as the archive writes them, and the scale they fit.
    public var severities: SeverityScale?
    /// Zone names stated in timelines, with how many documents state each; and how many timelines state none.
    public var zones: [(zone: String, documents: Int)] = []
    public var timelinesWithoutZone = 0
    /// Documents whose action items are GFM task lists (`- [ ]`), and those with plain bullets only.
    public var taskListDocuments = 0
    public var plainListDocuments = 0
    /// How many documents were read.
    public var documentCount = 0
    /// Documents whose known sections are not in the configured order (`structure/section-order` would fire).
    public var outOfOrderDocuments = 0

    public init() {}

    public static func == (a: ArchiveConventions, b: ArchiveConventions) -> Bool {
        a.aliases == b.aliases && a.unknownHeadings.map(\.heading) == b.unknownHeadings.map(\.heading)
            && a.unknownHeadings.map(\.documents) == b.unknownHeadings.map(\.documents)
            && a.missingSections.map(\.section) == b.missingSections.map(\.section)
            && a.missingSections.map(\.documents) == b.missingSections.map(\.documents)
            && a.severities == b.severities && a.zones.map(\.zone) == b.zones.map(\.zone) && a.zones.map(\.documents) == b.zones.map(\.documents)
            && a.timelinesWithoutZone == b.timelinesWithoutZone && a.taskListDocuments == b.taskListDocuments
            && a.plainListDocuments == b.plainListDocuments && a.documentCount == b.documentCount
            && a.outOfOrderDocuments == b.outOfOrderDocuments
    }

    /// Learns the conventions of `postmortems` (parsed with `schema`).
    public static func learn(_ postmortems: [Postmortem], schema: Schema) -> ArchiveConventions {
        var result = ArchiveConventions()
        result.documentCount = postmortems.count
        let known = schema.sections.map(\.name)
        var aliasUse: [String: (section: String, documents: Set<String>)] = [:]
        var unknownUse: [String: Set<String>] = [:]
        var severityWords: [String] = []
        var zoneUse: [String: Set<String>] = [:]
        var conflicting = Set<String>()
        for postmortem in postmortems {
            let ranks = postmortem.sections.compactMap { section -> Int? in
                schema.isCompanion(section.heading) ? nil : section.canonicalNames.compactMap { schema.order.firstIndex(of: $0) }.min()
            }
            if zip(ranks, ranks.dropFirst()).contains(where: { $0 > $1 }) { result.outOfOrderDocuments += 1 }
            var satisfied = Set(postmortem.sections.flatMap(\.canonicalNames))
            for section in postmortem.sections where section.canonicalNames.isEmpty {
                let heading = section.heading.trimmingCharacters(in: .whitespaces)
                guard !heading.isEmpty else { continue }
                if let guess = HeadingClassifier.section(for: heading, known: known) {
                    // A guess for a section the document already has would make it a duplicate:
                    // the heading means something else here ("Moving Forward" after "Remediation").
                    if satisfied.contains(guess) { conflicting.insert(heading) }
                    aliasUse[heading, default: (guess, [])].documents.insert(postmortem.path)
                    satisfied.insert(guess)
                } else {
                    unknownUse[heading, default: []].insert(postmortem.path)
                }
            }
            for required in schema.requiredSections where !satisfied.contains(required) {
                if let index = result.missingSections.firstIndex(where: { $0.section == required }) {
                    result.missingSections[index].documents += 1
                } else {
                    result.missingSections.append((required, 1))
                }
            }
            // Front-matter first (documents adopted earlier), else a severity line in the body.
            if let word = postmortem.severity.flatMap(SeverityScale.word(in:))
                ?? MetadataLine.scan(postmortem).first(where: { $0.field == "severity" }).flatMap({ SeverityScale.word(in: $0.value) }) {
                severityWords.append(word)
            }
            if let timeline = postmortem.section("Timeline") ?? postmortem.sections.first(where: {
                HeadingClassifier.section(for: $0.heading, known: known) == "Timeline"
            }) {
                if let zone = TimelineZones.stated(in: timeline, postmortem: postmortem) {
                    zoneUse[zone, default: []].insert(postmortem.path)
                } else {
                    result.timelinesWithoutZone += 1
                }
            }
            let items = ActionListStyle.of(postmortem, known: known)
            if items == .taskList { result.taskListDocuments += 1 }
            if items == .plain { result.plainListDocuments += 1 }
        }
        for heading in conflicting {
            if let use = aliasUse.removeValue(forKey: heading) { unknownUse[heading, default: []].formUnion(use.documents) }
        }
        result.aliases = aliasUse.map { HeadingVariant(heading: $0.key, section: $0.value.section, documents: $0.value.documents.count) }
            .sorted { ($0.section, -$0.documents, $0.heading) < ($1.section, -$1.documents, $1.heading) }
        result.unknownHeadings = unknownUse.map { ($0.key, $0.value.count) }.sorted { ($1.documents, $0.heading) < ($0.documents, $1.heading) }
        result.missingSections.sort { (schema.requiredSections.firstIndex(of: $0.section) ?? 0) < (schema.requiredSections.firstIndex(of: $1.section) ?? 0) }
        result.severities = SeverityScale.fitting(severityWords)
        result.zones = zoneUse.map { ($0.key, $0.value.count) }.sorted { ($1.documents, $0.zone) < ($0.documents, $1.zone) }
        return result
    }

    /// The schema with the proposed aliases and severities applied: what the written `inquest.yml` sets.
    public func applied(to schema: Schema) -> Schema {
        var out = schema
        for variant in aliases {
            guard let index = out.sections.firstIndex(where: { $0.name == variant.section }) else { continue }
            if !out.sections[index].aliases.contains(variant.heading) { out.sections[index].aliases.append(variant.heading) }
        }
        if let severities, !severities.isDefault { out.severities = severities.levels }
        return out
    }

    /// Human-readable lines for the summary.
    public func describe() -> [String] {
        var lines: [String] = ["conventions of \(documentCount) document\(documentCount == 1 ? "" : "s"):"]
        if aliases.isEmpty {
            lines.append("  headings: every section heading is already recognised")
        } else {
            for variant in aliases {
                lines.append("  heading '\(variant.heading)' read as \(variant.section) (\(variant.documents) document\(variant.documents == 1 ? "" : "s"))")
            }
        }
        if !unknownHeadings.isEmpty {
            lines.append("  other headings (left as they are): " + unknownHeadings.prefix(12).map { "'\($0.heading)' (\($0.documents))" }.joined(separator: ", "))
        }
        for missing in missingSections {
            lines.append("  required section \(missing.section) is absent from \(missing.documents) of \(documentCount)")
        }
        if let severities {
            lines.append("  severities: " + severities.found.joined(separator: ", ") + (severities.isDefault ? " (the default scale)" : " → scale " + severities.levels.joined(separator: ", ")))
        } else {
            lines.append("  severities: none stated")
        }
        let zoneText = zones.map { "\($0.zone) (\($0.documents))" }.joined(separator: ", ")
        lines.append("  time zones in timelines: " + (zoneText.isEmpty ? "none stated" : zoneText) + (timelinesWithoutZone > 0 ? "; \(timelinesWithoutZone) timeline\(timelinesWithoutZone == 1 ? "" : "s") state none" : ""))
        lines.append("  action items: \(taskListDocuments) document\(taskListDocuments == 1 ? "" : "s") with task lists (- [ ]), \(plainListDocuments) with plain bullets"
            + (plainListDocuments > 0 ? " (Inquest tracks owner, ticket and state only for task-list items)" : ""))
        return lines
    }
}

/// A severity scale an archive uses: `SEV1`…, `P1`…, or words (`critical`, `major`, `minor`).
public struct SeverityScale: Sendable, Equatable {
    /// The levels, most severe first, spelled as the archive spells them.
    public var levels: [String]
    /// The distinct values found, in the scale's order.
    public var found: [String]
    /// True when the default `SEV1`–`SEV4` scale already fits.
    public var isDefault: Bool

    static let wordScales: [[String]] = [
        ["critical", "high", "medium", "low"],
        ["critical", "major", "minor"],
        ["critical", "major", "moderate", "minor"],
        ["critical", "major", "medium", "minor", "low"],
        ["blocker", "critical", "major", "minor", "trivial"],
    ]

    /// The severity a metadata value states, normalised: `Sev 2`/`SEV-2`/`sev2` → `SEV2`,
    /// `p1` → `P1`, `Major (High Impact)` → `Major`.
    static func word(in value: String) -> String? {
        let tokens = ProseDate.tokenize(value)
        guard let first = tokens.first else { return nil }
        if first.kind == .word, first.text == "sev" || first.text == "severity" {
            let number = tokens.dropFirst().first { $0.kind == .number }
            return number.map { "SEV\($0.text)" }
        }
        if first.kind == .word, first.text.hasPrefix("sev"), let digits = Int(first.text.dropFirst(3)) { return "SEV\(digits)" }
        if first.kind == .word, first.text.count == 1, first.text == "p", let number = tokens.dropFirst().first, number.kind == .number, number.range.lowerBound == first.range.upperBound {
            return "P\(number.text)"
        }
        if first.kind == .number, let level = Int(first.text), level <= 5 { return "SEV\(level)" }
        if first.kind == .word, wordScales.contains(where: { $0.contains(first.text) }) {
            // As written ("Critical"), so the scale reads like the archive.
            return String(value[value.utf8.index(value.startIndex, offsetBy: first.range.lowerBound)..<value.utf8.index(value.startIndex, offsetBy: first.range.upperBound)])
        }
        return nil
    }

    /// The scale that fits every word found; nil when none was found or they mix schemes.
    static func fitting(_ words: [String]) -> SeverityScale? {
        guard !words.isEmpty else { return nil }
        if words.allSatisfy({ $0.hasPrefix("SEV") }) {
            let numbers = Set(words.compactMap { Int($0.dropFirst(3)) })
            let low = min(1, numbers.min() ?? 1), high = max(4, numbers.max() ?? 4)
            let levels = (low...high).map { "SEV\($0)" }
            return SeverityScale(levels: levels, found: numbers.sorted().map { "SEV\($0)" }, isDefault: low == 1 && high == 4)
        }
        if words.allSatisfy({ $0.hasPrefix("P") && Int($0.dropFirst()) != nil }) {
            let numbers = Set(words.compactMap { Int($0.dropFirst()) })
            let low = min(1, numbers.min() ?? 1), high = max(4, numbers.max() ?? 4)
            return SeverityScale(levels: (low...high).map { "P\($0)" }, found: numbers.sorted().map { "P\($0)" }, isDefault: false)
        }
        let lower = Set(words.map { $0.lowercased() })
        guard let scale = wordScales.first(where: { lower.isSubset(of: Set($0)) }) else { return nil }
        // Spell each level as the archive does most often (capitalised when it does).
        let capitalised = words.filter { $0.first?.isUppercase == true }.count * 2 >= words.count
        let levels = scale.map { capitalised ? $0.prefix(1).uppercased() + $0.dropFirst() : $0 }
        return SeverityScale(levels: levels, found: levels.filter { lower.contains($0.lowercased()) }, isDefault: false)
    }

    /// `word` spelled as a level of this scale, or nil when it is not one.
    func level(for word: String) -> String? {
        levels.first { $0.lowercased() == word.lowercased() }
    }
}

/// The zone a timeline states: in its heading (`Timeline (all times PST)`), a "times in" line,
/// a table header (`Date and Time in CET`) or its first timed entry.
enum TimelineZones {
    static func stated(in section: Section, postmortem: Postmortem, includeEntries: Bool = true) -> String? {
        if let zone = zoneName(in: section.heading) { return zone }
        for block in section.blocks {
            switch block.kind {
            case .paragraph:
                let text = block.plainText
                if TimelineParser.zoneLine(text) != nil, let zone = zoneName(in: text) { return zone }
            case .table:
                if let header = block.children.first, case .tableRow(header: true) = header.kind, let zone = zoneName(in: header.plainText) { return zone }
            default:
                continue
            }
        }
        for entry in postmortem.timeline where includeEntries && entry.timeText != nil {
            return entry.timeText.flatMap(zoneName(in:))
        }
        return nil
    }

    static func zoneName(in text: String) -> String? { ZoneNames.first(in: text) }
}

/// How a document writes its action items.
enum ActionListStyle {
    case taskList, plain, none

    static func of(_ postmortem: Postmortem, known: [String]) -> ActionListStyle {
        if !postmortem.actionItems.isEmpty { return .taskList }
        let section = postmortem.section("Action Items") ?? postmortem.sections.first {
            HeadingClassifier.section(for: $0.heading, known: known) == "Action Items"
        }
        guard let section else { return .none }
        var plain = false, tasks = false
        for block in section.blocks {
            block.walk { node in
                guard case let .item(task) = node.kind else { return }
                if task == nil { plain = true } else { tasks = true }
            }
        }
        return tasks ? .taskList : (plain ? .plain : .none)
    }
}

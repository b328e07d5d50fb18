import Foundation

/// Builds ``ArchiveExport`` from a parsed ``Archive`` and encodes it. Pure: the same archive
/// gives byte-identical JSON (keys sorted, documents by path, causes by recurrence then id).
public enum ArchiveExporter {
    /// The export of `archive`.
    /// - Parameters:
    ///   - reportPaths: the documents to include (nil: all). Archive-derived facts (recurrence,
    ///     related, backlinks, the causes list) always consider the whole archive.
    ///   - source: where the documents were read from, e.g. `working tree`.
    public static func export(_ archive: Archive, reportPaths: Set<String>? = nil, source: String) -> ArchiveExport {
        var documents: [ArchiveExport.Document] = []
        for (index, postmortem) in archive.postmortems.enumerated() where reportPaths?.contains(postmortem.path) ?? true {
            documents.append(document(index, postmortem, archive))
        }
        let causes = archive.recurrence.map { recurrence -> ArchiveExport.Cause in
            let entry = archive.catalogue?.entry(recurrence.cause)
            return ArchiveExport.Cause(id: recurrence.cause, title: entry?.title, category: entry?.category, inCatalogue: entry != nil,
                                       occurrences: recurrence.count, first: recurrence.first?.description, last: recurrence.last?.description,
                                       postmortems: recurrence.occurrences.map { archive.postmortems[$0].id })
        }
        return ArchiveExport(version: ArchiveExport.currentVersion, source: source, documents: documents, causes: causes)
    }

    /// `export` as pretty-printed JSON with sorted keys and a final newline.
    public static func json(_ export: ArchiveExport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(export)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func document(_ index: Int, _ postmortem: Postmortem, _ archive: Archive) -> ArchiveExport.Document {
        let source = postmortem.source
        func line(_ offset: Int) -> Int { source.position(of: offset).line }
        let sections = postmortem.sections.map {
            ArchiveExport.Section(role: $0.canonicalNames.first, roles: $0.canonicalNames, heading: $0.heading, line: line($0.headingBytes.lowerBound))
        }
        let visible = visibleTexts(postmortem)
        let timeline = postmortem.timeline.map { entry -> ArchiveExport.TimelineEntry in
            // The parser's text hides code spans behind placeholders (for the language rules); the export shows them.
            let text = visible[entry.bytes] ?? entry.text.replacingOccurrences(of: String(ProseText.placeholder), with: "")
            // An entry whose date nobody stated has a time of day but no instant: `time` stays null
            // rather than pretending it happened on 1970-01-01.
            let dated = entry.time != nil && entry.dateSource != nil
            return ArchiveExport.TimelineEntry(line: line(entry.bytes.lowerBound), text: text, timeText: entry.timeText,
                                               time: dated ? entry.time.map(localString) : nil, utc: dated ? entry.time?.utcString : nil,
                                               timeOfDay: entry.time.map(Self.localTimeOfDay), offset: entry.time.map { Self.offsetString($0.offsetMinutes) },
                                               dateSource: dated ? entry.dateSource?.rawValue : nil,
                                               zoneSource: entry.time == nil ? nil : entry.zoneSource?.rawValue)
        }
        let actionItems = postmortem.actionItems.map {
            ArchiveExport.ActionItem(line: line($0.bytes.lowerBound), text: $0.text, state: $0.state.rawValue,
                                     owner: $0.owner, ticket: $0.ticket, due: $0.due?.description)
        }
        let causes = postmortem.rootCauses.map { ($0, "root") } + postmortem.contributingFactors.map { ($0, "contributing") }
        let references = causes.map { cause, role in
            ArchiveExport.CauseReference(id: cause.value, role: role, line: line(cause.bytes.lowerBound),
                                         title: archive.catalogue?.entry(cause.value)?.title)
        }
        var seen = Set<String>()
        let recurrence = postmortem.allCauses.filter { seen.insert($0).inserted }.map { cause -> ArchiveExport.Recurrence in
            let occurrences = archive.byCause[cause] ?? []
            return ArchiveExport.Recurrence(cause: cause, occurrences: occurrences.count,
                                            others: occurrences.filter { $0 != index }.map { archive.postmortems[$0].id })
        }
        let related = archive.related(to: index).map {
            ArchiveExport.Related(id: archive.postmortems[$0.index].id, score: $0.score, sharedCauses: $0.sharedCauses)
        }
        return ArchiveExport.Document(
            id: postmortem.id, path: postmortem.path, frontMatter: postmortem.frontMatter.map(JSONValue.init),
            problems: postmortem.syntaxProblems.map {
                ArchiveExport.Problem(kind: $0.kind == .encoding ? "encoding" : "front-matter", message: $0.message, line: line($0.bytes.lowerBound))
            },
            sections: sections, timeline: timeline, actionItems: actionItems, causes: references, recurrence: recurrence,
            related: related, backlinks: archive.backlinks(to: index).map { archive.postmortems[$0].id })
    }

    /// The visible text of every list item (its first paragraph), table row (cells joined by ` | `)
    /// and paragraph in the body, by byte range: what a timeline entry's range points at.
    static func visibleTexts(_ postmortem: Postmortem) -> [Range<Int>: String] {
        var texts: [Range<Int>: String] = [:]
        postmortem.body.walk { node in
            switch node.kind {
            case .item: texts[node.bytes] = (node.children.first { $0.kind == .paragraph } ?? node).plainText
            case .tableRow: texts[node.bytes] = node.children.map(\.plainText).joined(separator: " | ")
            case .paragraph: if texts[node.bytes] == nil { texts[node.bytes] = node.plainText }
            default: break
            }
        }
        return texts
    }

    /// `10:12:00`: the local time of day.
    static func localTimeOfDay(_ time: Timestamp) -> String {
        let local = time.seconds + time.offsetMinutes * 60
        let second = local - Int((Double(local) / 86_400).rounded(.down)) * 86_400
        return String(format: "%02d:%02d:%02d", second / 3600, second / 60 % 60, second % 60)
    }

    /// `+01:00`, `-05:00`, `+00:00`.
    static func offsetString(_ minutes: Int) -> String {
        (minutes < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(minutes) / 60, abs(minutes) % 60)
    }

    /// RFC 3339 in the author's own offset: `2025-03-04T10:12:00+01:00` (`Z` for UTC).
    static func localString(_ time: Timestamp) -> String {
        let local = time.seconds + time.offsetMinutes * 60
        let days = Int((Double(local) / 86_400).rounded(.down))
        let second = local - days * 86_400
        let clock = String(format: "%02d:%02d:%02d", second / 3600, second / 60 % 60, second % 60)
        guard time.offsetMinutes != 0 else { return "\(CalendarDate(daysSinceEpoch: days))T\(clock)Z" }
        let magnitude = abs(time.offsetMinutes)
        return "\(CalendarDate(daysSinceEpoch: days))T\(clock)" + (time.offsetMinutes < 0 ? "-" : "+") + String(format: "%02d:%02d", magnitude / 60, magnitude % 60)
    }
}

/// The `inquest.yml` that `inquest adopt --write-config` writes: the archive's own headings as
/// aliases, its severity scale, and comments on what it could not settle for the team.
enum ConfigurationWriter {
    /// - Parameter exclude: workspace-relative paths of files that are not postmortems (templates).
    static func text(conventions: ArchiveConventions, configuration: Configuration, exclude: [String] = []) -> String {
        let schema = conventions.applied(to: configuration.schema)
        var lines = [
            "# Written by `inquest adopt --write-config` from the conventions of \(conventions.documentCount) postmortem\(conventions.documentCount == 1 ? "" : "s").",
            "# Every key is optional; see README.md for the reference.",
            "postmortems: \(FrontMatterText.scalar(configuration.postmortems.isEmpty ? "." : configuration.postmortems))",
        ]
        if let causes = configuration.causesOverride { lines.append("causes: \(FrontMatterText.scalar(causes))") }
        let excluded = configuration.exclude + exclude.map(fnmatchLiteral)
        if !excluded.isEmpty {
            lines.append("# Templates, not postmortems.")
            lines.append("exclude: [" + excluded.map { FrontMatterText.scalar($0, inFlow: true) }.joined(separator: ", ") + "]")
        }
        // One zone everywhere a timeline names one: times that name none are read in it too.
        // (UTC is the default already; US generic zones such as PT change with daylight time and
        // cannot be a fixed default.)
        if conventions.zones.count == 1, let zone = conventions.zones.first?.zone,
           TimelineOptions.builtinZones[zone].map({ $0 != 0 }) ?? (zone.hasPrefix("UTC") || zone.hasPrefix("GMT")) {
            lines.append("timeline:")
            lines.append("  zone: \(FrontMatterText.scalar(zone))   # every timeline that names a zone uses it")
        }
        lines.append("schema:")
        if let scale = conventions.severities {
            lines.append("  # Severity words the documents state: \(scale.found.joined(separator: ", ")).")
            lines.append("  severities: [" + schema.severities.map { FrontMatterText.scalar($0, inFlow: true) }.joined(separator: ", ") + "]")
        }
        let changed = schema.sections.filter { spec in
            let before = configuration.schema.sections.first { $0.name == spec.name }
            return before?.aliases != spec.aliases
        }
        if !changed.isEmpty {
            lines.append("  sections:")
            lines.append("    # Headings these documents use for known sections. A list replaces the section's")
            lines.append("    # default aliases, so the defaults are repeated. Review the guesses.")
            lines.append("    aliases:")
            for spec in changed {
                lines.append("      \(FrontMatterText.scalar(spec.name)): [" + spec.aliases.map { FrontMatterText.scalar($0, inFlow: true) }.joined(separator: ", ") + "]")
            }
        }
        let missing = conventions.missingSections.filter { $0.documents * 2 > conventions.documentCount }
        if !missing.isEmpty {
            lines.append("  # Most documents lack these required sections; add them, or require fewer:")
            lines.append("  #   " + missing.map { "\($0.section) (absent from \($0.documents) of \(conventions.documentCount))" }.joined(separator: ", "))
            let kept = configuration.schema.requiredSections.filter { name in !missing.contains { $0.section == name } }
            lines.append("  # sections:")
            lines.append("  #   required: [" + kept.joined(separator: ", ") + "]")
        }
        if lines.last == "schema:" { lines.removeLast() }
        if conventions.outOfOrderDocuments * 2 > conventions.documentCount {
            lines.append("# Most documents (\(conventions.outOfOrderDocuments) of \(conventions.documentCount)) order their sections differently from")
            lines.append("# \(configuration.schema.order.joined(separator: ", ")); to accept the archive's own order:")
            lines.append("# rules:")
            lines.append("#   structure/section-order: off")
        }
        if conventions.zones.count > 1 || conventions.timelinesWithoutZone > 0 {
            let zones = conventions.zones.map { "\($0.zone) (\($0.documents))" }.joined(separator: ", ")
            lines.append("# Time zones the timelines state: \(zones.isEmpty ? "none" : zones)"
                         + (conventions.timelinesWithoutZone > 0 ? "; \(conventions.timelinesWithoutZone) state none (write \"All times in UTC.\" in those)" : "") + ".")
        }
        if conventions.plainListDocuments > 0 {
            lines.append("# \(conventions.plainListDocuments) document\(conventions.plainListDocuments == 1 ? " writes its" : "s write their") action items as plain bullets; Inquest tracks state,")
            lines.append("# owner and ticket for task-list items (\"- [ ] … @owner TICKET-1\").")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `path` as an `fnmatch(3)` pattern that matches only itself.
    static func fnmatchLiteral(_ path: String) -> String {
        var out = ""
        for character in path {
            if "*?[]\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

import Foundation
import InquestCore
import InquestSite

/// The fuzz targets: each takes arbitrary bytes and must return without crashing, hanging or
/// tripping a sanitizer. Results are discarded; the point is the path through the code.
enum FuzzTarget: String, CaseIterable {
    /// Parse + lint + every formatter on one document beside a small fixed archive.
    case document
    /// `inquest.yml` through the configuration loader.
    case config
    /// One postmortem page of the site, rendered with the default theme.
    case site
    /// The timeline and action-item parsers (the bytes fill both sections of a document).
    case timeline

    func run(_ bytes: [UInt8]) {
        switch self {
        case .document: Self.lintDocument(bytes)
        case .config: Self.loadConfiguration(bytes)
        case .site: Self.renderPage(bytes)
        case .timeline: Self.parseTimeline(bytes)
        }
    }

    // MARK: Fixed surroundings, built once

    /// Two well-formed neighbours (one related to the fuzzed document, one sharing a cause) and a
    /// cause catalogue, so archive rules (duplicates, related, recurrence) have something to compare.
    static let neighbours: [RawDocument] = [
        RawDocument(path: "postmortems/2025-03-02-cache.md", bytes: Array("""
        ---
        id: PM-1
        title: Cache stampede after a deploy
        date: 2025-03-02
        severity: SEV2
        status: final
        services: [api, cache]
        root_causes: [cold-cache]
        related: [PM-2]
        ---

        ## Summary

        Every node restarted at once and the cache was empty.

        ## Timeline

        - 10:02 deploy started
        - 10:05 error rate rose

        ## Action items

        - [ ] Stagger restarts (owner: @ops, due: 2025-04-01, TICKET-12)

        """.utf8)),
        RawDocument(path: "postmortems/2025-05-09-dns.md", bytes: Array("""
        ---
        id: PM-2
        title: Resolver timeouts
        date: 2025-05-09
        severity: SEV3
        status: draft
        root_causes: [cold-cache]
        ---

        ## Summary

        The resolver cache expired during an upstream outage.

        """.utf8)),
    ]

    static let catalogue = RawDocument(path: "postmortems/causes.yml", bytes: Array("""
    cold-cache:
      title: Cold cache
      category: capacity

    """.utf8))

    static let theme: Theme = {
        guard let theme = try? Theme.load() else { fatalError("the embedded theme does not load") }
        return theme
    }()

    static let ruleIDs = Set(RuleRegistry.all.map(\.id))

    /// Built once: compiling the blame-language matchers costs more than linting a document.
    static let linter = Linter().prepared()

    // MARK: Targets

    /// One parser for every run: making one builds the schema's heading table, which costs as
    /// much as parsing a small document.
    static let parser = PostmortemParser(schema: Schema())

    /// The neighbours and the catalogue parsed once; each run parses only the fuzzed document.
    static let parsedNeighbours = neighbours.map(parser.parse)
    static let parsedCatalogue = CauseCatalogue.parse(catalogue)

    static func lintDocument(_ bytes: [UInt8]) {
        let document = RawDocument(path: "postmortems/fuzzed.md", bytes: bytes)
        let fuzzed = parser.parse(document)
        let archive = Archive(postmortems: parsedNeighbours + [fuzzed], catalogue: parsedCatalogue)
        // Document rules run on the fuzzed file only; archive rules see all three.
        let input = LintInput(documents: neighbours + [document], catalogue: catalogue, reportPaths: [document.path])
        let result = linter.lint(input, archive: archive)
        let sources = Dictionary(result.archive.postmortems.map { ($0.path, $0.source) }, uniquingKeysWith: { first, _ in first })
        // SARIF describes only the rules that fired: the other descriptors are the same for every
        // input and cost more to encode than everything else here.
        let fired = Set(result.diagnostics.map(\.rule))
        let firedRules = allRules.filter { fired.contains($0.id) }
        var formatters = formatters
        for index in formatters.indices { formatters[index].sarifRules = firedRules }
        // Every format, in one call that works out SARIF's and GitLab's fingerprints once.
        _ = DiagnosticFormatter.render(formatters, result.diagnostics, summary: result.summary, sources: sources)
    }

    /// Every rule, sorted by id: `RuleRegistry.all` builds and sorts the list on each call, which
    /// cost the `document` target an eighth of its time (once more in each formatter's init).
    static let allRules = RuleRegistry.all

    /// One formatter per output format, made once (SARIF's rule descriptors written beforehand:
    /// `prepared()`); each run copies them and sets `sarifRules`.
    static let formatters = OutputFormat.allCases.map { DiagnosticFormatter(format: $0).prepared() }

    static func loadConfiguration(_ bytes: [UInt8]) {
        _ = try? ConfigurationLoader(knownRuleIDs: ruleIDs).load(bytes: bytes, path: "inquest.yml")
    }

    static let siteSettings = SiteSettings(baseURL: "https://postmortems.example/")

    /// The fuzzed document beside the first neighbour (parsed once), and only the fuzzed
    /// document's page rendered: the whole site, or its search index, per input would cost a
    /// hundred times more than the page itself. The archive is the one a cached site build makes
    /// (`Archive.withoutSimilarity`): no page reads the similarity index, and extracting both
    /// documents' Root Causes terms for it was a sixth of each run (`document` lints with it).
    static func renderPage(_ bytes: [UInt8]) {
        let fuzzed = parser.parse(RawDocument(path: "postmortems/fuzzed.md", bytes: bytes))
        let archive = Archive.withoutSimilarity(postmortems: [parsedNeighbours[0], fuzzed], catalogue: parsedCatalogue)
        let builder = SiteBuilder(archive: archive, settings: siteSettings, theme: theme)
        _ = builder.renderPostmortemPages(of: [fuzzed.path])
    }

    static func parseTimeline(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let document = "---\ntitle: t\ndate: 2025-01-01\n---\n\n## Timeline\n\n\(text)\n\n## Action items\n\n\(text)\n"
        let postmortem = parser.parse(RawDocument(path: "postmortems/t.md", bytes: Array(document.utf8)))
        _ = postmortem.timeline.count + postmortem.actionItems.count
    }
}

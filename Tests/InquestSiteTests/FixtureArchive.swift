import Foundation
import InquestCore
@testable import InquestSite
import InquestTestSupport

/// A small archive built in the test with fixed dates, so golden files never depend on the
/// sample archive's future edits. It exercises what the site must handle: recurring causes,
/// related links and backlinks, a relative link between files, a timeline crossing midnight,
/// open, done and overdue action items, hostile front-matter and Markdown, an undated draft,
/// git history with a renamed id.
enum Fixture {
    static let catalogue = """
        cache-stampede:
          title: "Cache stampede on expiry"
          description: >-
            Many clients recomputed the same expired entry at once, overloading the source of truth.
          category: architecture
          aliases: [thundering-herd]
        missing-alert:
          title: "No alert on the failing signal"
          description: "The failure was visible in metrics that nobody was paged for."
          category: monitoring
        config-drift:
          title: "Configuration drift"
          description: "Hosts that should match did not."
        never-cited:
          title: "A cause nobody cited"
          description: "Listed in the catalogue, never used."

        """

    static let first = """
        ---
        title: "Checkout errors after the price cache expired"
        date: 2025-02-03
        status: final
        severity: SEV1
        authors: [Ada Example]
        services: [checkout, api]
        started: "2025-02-03T09:00:00Z"
        detected: "2025-02-03T09:12:00Z"
        mitigated: "2025-02-03T09:40:00Z"
        resolved: "2025-02-03T11:05:00Z"
        root_causes: [cache-stampede]
        contributing_factors: [missing-alert]
        related: [2025-04-10-search-timeouts]
        tags: [cache, checkout]
        ---

        ## Summary

        The price cache expired for every product at once and `checkout` returned errors for 40 minutes.
        See also [the search timeouts](../2025/2025-04-10-search-timeouts.md#impact) and the [runbook][rb].

        <script>alert("raw html is omitted")</script>

        [A harmless looking link](javascript:alert(1))

        ## Impact

        | Metric | Value |
        | --- | --- |
        | Failed checkouts | 1,240 |

        ## Timeline

        All times in UTC.

        - 09:00 — The price cache **expires** for all products.
        - 09:12 — Alert on checkout error rate fires.
        - 09:40 — Cache warmed from a snapshot; errors stop.
        - 11:05 — Jittered expiry deployed. Incident resolved.

        ## Root Causes

        Every entry was written with the same TTL during the nightly import.

        ```
        def ttl():
            return 3600  # indentation must survive
        ```

        ## Resolution

        Expiry now has jitter.

        ## Action Items

        - [x] Add jitter to cache expiry — @platform, SHOP-1, due: 2025-02-10
        - [ ] Alert on cache hit ratio — @sre, SHOP-2, due: 2025-03-01
        - [ ] Load test cache warm-up — @platform, https://tickets.example.com/SHOP-3, due: 2025-12-01

        ## Notes

        First notes.

        ## Notes

        Second notes, same heading.

        [rb]: https://runbooks.example.com/cache

        """

    static let second = """
        ---
        title: "Search <b>timeouts</b> & \\"stale\\" results at 'midnight'"
        date: 2025-04-10
        status: final
        severity: SEV2
        authors: [Bo Example, Cy Example]
        services: [search, api]
        started: "2025-04-10T23:50:00+02:00"
        detected: "2025-04-11T00:05:00+02:00"
        mitigated: "2025-04-11T00:30:00+02:00"
        resolved: "2025-04-11T02:00:00+02:00"
        root_causes: [cache-stampede]
        tags: [search]
        ---

        ## Summary

        Search timed out around midnight.

        ## Impact

        Slow searches for 40 minutes.

        ## Timeline

        All times CEST.

        - 23:50 — Query latency rises.
        - 00:05 — Pager fires.
        - 00:30 — Cache re-enabled.
        - 02:00 — Resolved.

        ## Root Causes

        The same stampede as in February.

        ## Resolution

        Request coalescing.

        ## Action Items

        - [x] Coalesce identical requests — @search, SRCH-9

        """

    static let third = """
        ---
        title: "Web hosts served an old banner"
        date: 2024-11-20
        status: in-review
        severity: SEV3
        authors: [Di Example]
        services: [web]
        root_causes: [config-drift]
        tags: [cache]
        ---

        ## Summary

        One web host kept an old banner.

        ## Timeline

        - Afternoon — noticed by support.

        ## Action Items

        - [ ] Compare host configuration nightly — @web, WEB-4

        """

    static let draft = """
        ---
        title: "Draft without a date"
        status: draft
        severity: SEV4
        authors: [Ed Example]
        services: [web]
        ---

        ## Summary

        To be written.

        """

    static let paths = (
        first: "postmortems/2025/2025-02-03-price-cache-expiry.md",
        second: "postmortems/2025/2025-04-10-search-timeouts.md",
        third: "postmortems/2024/2024-11-20-old-banner.md",
        draft: "postmortems/drafts/untitled-draft.md"
    )

    static var files: [String: String] {
        [paths.first: first, paths.second: second, paths.third: third, paths.draft: draft]
    }

    /// "Now" for the fixture: 2025-06-01 12:00 UTC (the commit being built).
    static let commitTime = Timestamp(seconds: 1_748_779_200, offsetMinutes: 0)

    static func commit(_ sha: String, _ author: String, _ seconds: Int, _ summary: String) -> ArchiveHistory.Commit {
        ArchiveHistory.Commit(sha: sha, shortSHA: String(sha.prefix(7)), author: author,
                              time: Timestamp(seconds: seconds, offsetMinutes: 120), summary: summary)
    }

    static var history: ArchiveHistory {
        let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40), c = String(repeating: "c", count: 40)
        return ArchiveHistory(
            documents: [
                paths.first: .init(path: paths.first, commits: [
                    commit(c, "Bo Example", 1_740_000_000, "Close the jitter action item"),
                    commit(a, "Ada Example", 1_738_700_000, "Postmortem: checkout errors after price cache expiry"),
                ], contributors: ["Ada Example", "Bo Example"], previousPaths: ["postmortems/2025/price-cache.md"]),
                paths.second: .init(path: paths.second, commits: [commit(b, "Bo Example", 1_744_400_000, "Postmortem: search timeouts")],
                                    contributors: ["Bo Example"], previousPaths: []),
            ],
            idChanges: [ArchiveHistory.IDChange(oldID: "price-cache", newID: "2025-02-03-price-cache-expiry")],
            isShallow: false, commitTime: commitTime)
    }

    /// The archive, parsed like `inquest build` parses it, with the fixture history attached.
    static func archive(files: [String: String] = files, history: ArchiveHistory? = history) -> Archive {
        let documents = files.keys.sorted().map { RawDocument(path: $0, bytes: Array(files[$0]!.utf8)) }
        let input = LintInput(documents: documents, catalogue: RawDocument(path: "postmortems/causes.yml", bytes: Array(catalogue.utf8)))
        var archive = Linter().buildArchive(input)
        archive.history = history
        return archive
    }

    static let settings = SiteSettings(title: "Fixture Incidents", baseURL: "https://incidents.example.com/",
                                       repoURL: "https://git.example.com/org/incidents", environment: [:])

    /// The embedded theme (never the repository's site/ folder), loaded once: a `Theme` is a value
    /// every test may share, and parsing its templates is a noticeable part of a small build.
    static let theme = Result { try Theme.load() }

    /// Renders with the embedded theme (never the repository's site/ folder).
    static func render(files: [String: String] = files, settings: SiteSettings = settings, history: ArchiveHistory? = history) throws -> RenderedSite {
        SiteBuilder(archive: archive(files: files, history: history), settings: settings, theme: try theme.get()).render()
    }

    /// The fixture's site with the default files, settings and history, rendered once per test
    /// run and shared (a `RenderedSite` is a value; tests only read it or change their copy).
    /// Tests that compare two renders pass arguments, which renders anew.
    static func render() throws -> RenderedSite { try defaultSite.get() }
    private static let defaultSite = Result { try render(files: files) }
}

extension Repository {
    /// The site's golden files and fixtures.
    static let goldenFolder = fixtures.appendingPathComponent("site")
}

extension RenderedSite {
    func text(_ path: String) -> String { files[path].map { String(decoding: $0, as: UTF8.self) } ?? "" }
    var htmlPaths: [String] { files.keys.filter { $0.hasSuffix(".html") }.sorted() }
}

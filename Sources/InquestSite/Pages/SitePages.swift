import InquestCore

/// `404.html`: served by static hosts for any missing path, at any depth, so its links are
/// absolute when a base URL is known (see ``SiteBuilder``).
struct NotFoundPage: Page {
    let path = "404.html"
    let template = "404"
    var title: String { "Page not found" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        .object(["recent": site.summaries(Array(site.newestFirst.prefix(5))), "has_recent": .bool(!site.newestFirst.isEmpty)])
    }
}

/// `postmortems/OLD.html` for an id renamed in git history (``ArchiveHistory/idChanges``): a
/// meta refresh to the current page, so old links keep working.
struct RedirectPage: Page {
    let path: String
    let title: String
    let target: Int
    let oldID: String
    let template = "redirect"

    static func all(_ site: SiteModel) -> [RedirectPage] {
        let current = Set(site.postmortemSlugs)
        var seen: Set<String> = []
        var out: [RedirectPage] = []
        for change in (site.archive.history?.idChanges ?? []).sorted(by: { ($0.oldID, $0.newID) < ($1.oldID, $1.newID) }) {
            // Only slug-shaped old ids that no live page uses, each once.
            guard Slugs.isKept(change.oldID), !current.contains(change.oldID), seen.insert(change.oldID).inserted,
                  let target = site.archive.byID[change.newID]?.first else { continue }
            out.append(RedirectPage(path: "postmortems/\(change.oldID).html", title: "Moved: \(change.oldID)", target: target, oldID: change.oldID))
        }
        return out
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        .object(["old_id": .string(oldID), "target": site.summary(target)])
    }
}

/// `feed.xml`: an Atom feed of the postmortems, newest first. Entry dates come from git (first
/// and last commit) or, without history, from the front-matter; never from the build clock.
struct FeedPage: Page {
    let path = "feed.xml"
    let template = "feed"
    var title: String { "Feed" }
    static let limit = 50

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let archive = site.archive
        let base = site.settings.absoluteBaseURL
        let entries = site.newestFirst.prefix(Self.limit).map { index -> (TemplateValue, String) in
            let postmortem = archive.postmortems[index]
            let history = archive.history?.documents[postmortem.path]
            let fallback = postmortem.date.map { Timestamp(seconds: $0.daysSinceEpoch * 86_400, offsetMinutes: 0) }
            let published = history?.published?.time ?? fallback
            let updated = history?.updated?.time ?? postmortem.resolved ?? fallback
            let updatedText = updated.map(Format.rfc3339) ?? "1970-01-01T00:00:00Z"
            let summary = site.summaryText(index) ?? ""
            return (site.summary(index).merging([
                "link": .string((base ?? "") + site.postmortemURL(index)),
                "atom_id": .string(base.map { $0 + site.postmortemURL(index) } ?? "urn:inquest:postmortem:\(postmortem.id)"),
                "published_datetime": published.map { .string(Format.rfc3339($0)) } ?? .bool(false),
                "updated_datetime": .string(updatedText),
                "summary_text": .string(summary),
            ]), updatedText)
        }
        // The feed's own date: the newest entry's; stable for the same commit.
        let updated = entries.map(\.1).max() ?? site.buildTime.map(Format.rfc3339) ?? "1970-01-01T00:00:00Z"
        return .object([
            "entries": .list(entries.map(\.0)),
            "updated_datetime": .string(updated),
            "feed_id": .string(base.map { $0 + "feed.xml" } ?? "urn:inquest:feed:" + Slug.make(from: site.settings.title)),
            "self_link": .string((base ?? "") + "feed.xml"),
            "home_link": .string((base ?? "") + "index.html"),
        ])
    }
}

/// `sitemap.xml`, only when the base URL is absolute (a sitemap needs full URLs). Up to
/// ``perFile`` URLs it is one file; beyond, `sitemap.xml` is a sitemap index of
/// `sitemaps/N.xml` files, so no file grows with the archive.
struct SitemapPage: Page {
    static let perFile = 2000
    let path: String
    /// 1-based part, nil for `sitemap.xml`.
    let part: Int?
    let template = "sitemap"
    var title: String { "Sitemap" }
    /// Every URL of the site, made once for all the files the first time one is rendered: a
    /// rebuild whose sitemaps keep their keys never makes them (15,000 at 10,000 postmortems).
    let list: URLList
    /// Which of them this file lists (none for a sitemap index), and how many files the index names.
    let range: Range<Int>
    let indexParts: Int

    /// The URLs this file lists.
    var urls: ArraySlice<(loc: String, lastmod: String?)> { list.urls[range] }

    /// The sitemap pages of a site whose other pages are `pages`.
    static func all(_ site: SiteModel, pages: [any Page]) -> [SitemapPage] {
        let count = pages.count { listed($0) }
        let list = URLList(site: site, pages: pages)
        guard count > perFile else { return [SitemapPage(path: "sitemap.xml", part: nil, list: list, range: 0..<count, indexParts: 0)] }
        let parts = (count + perFile - 1) / perFile
        return [SitemapPage(path: "sitemap.xml", part: nil, list: list, range: 0..<0, indexParts: parts)]
            + (0..<parts).map { SitemapPage(path: "sitemaps/\($0 + 1).xml", part: $0 + 1, list: list,
                                            range: ($0 * perFile)..<min(count, ($0 + 1) * perFile), indexParts: 0) }
    }

    /// Whether a sitemap lists `page` (``urls(_:pages:)`` makes a URL for each such page, in order).
    static func listed(_ page: any Page) -> Bool { page.isHTML && !(page is NotFoundPage) && !(page is RedirectPage) }

    /// The site's URLs, made on first use (by whichever file is rendered first).
    final class URLList: Sendable {
        private let site: SiteModel
        private let pages: [any Page]
        private let memo = Locked<[(loc: String, lastmod: String?)]?>(nil)

        init(site: SiteModel, pages: [any Page]) {
            self.site = site
            self.pages = pages
        }

        var urls: [(loc: String, lastmod: String?)] {
            memo.withLock { memo in
                if let known = memo { return known }
                let made = SitemapPage.urls(site, pages: pages)
                memo = made
                return made
            }
        }
    }

    static func urls(_ site: SiteModel, pages: [any Page]) -> [(loc: String, lastmod: String?)] {
        let base = site.settings.absoluteBaseURL ?? ""
        return pages.filter(listed).map { page in
            var lastmod: String?
            if let postmortem = page as? PostmortemPage {
                let document = site.archive.postmortems[postmortem.index]
                lastmod = site.archive.history?.documents[document.path]?.updated?.time.localDate.description ?? document.date?.description
            }
            return (base + page.path, lastmod)
        }
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let base = site.settings.absoluteBaseURL ?? ""
        if indexParts > 0 {
            return .object(["is_index": true, "urls": .list([]),
                            "sitemaps": .list((1...indexParts).map { .object(["loc": .string(base + "sitemaps/\($0).xml")]) })])
        }
        return .object(["is_index": false, "sitemaps": .list([]), "urls": .list(urls.map { url in
            .object(["loc": .string(url.loc), "lastmod": url.lastmod.map { .string($0) } ?? .bool(false)])
        })])
    }
}

import InquestCore

/// One output file of the site, rendered from a theme template. Each kind of page is one file
/// in this folder; ``Pages/all(_:)`` is the explicit list of what a build writes.
protocol Page: Sendable {
    /// Output path relative to the site root (`postmortems/x.html`); only safe segments.
    var path: String { get }
    /// Theme template (`site/templates/NAME.mustache`).
    var template: String { get }
    /// The `<title>` and main heading.
    var title: String { get }
    /// Which navigation entry is current (`index`, `causes`, …), if any.
    var section: String? { get }
    /// The page's own template variables (documented in docs/theme.md). The layout's common
    /// variables (`root`, `site`, `page`, `nav`, `csp`) are added by the builder.
    func context(_ site: SiteModel, theme: Theme) -> TemplateValue
}

extension Page {
    var section: String? { nil }
    /// HTML pages get the layout variables and a Content-Security-Policy; feeds and scripts do not need them.
    var isHTML: Bool { path.hasSuffix(".html") }
}

/// The list of pages a build writes.
enum Pages {
    /// Templates a theme must provide (the rest are partials).
    static let requiredTemplates = ["layout", "index", "postmortem", "causes", "cause", "services", "service", "tags", "tag",
                                    "actions", "stats", "search", "search-data", "404", "redirect", "feed", "sitemap",
                                    "timeline", "action-items", "list-part", "owner"]

    /// Every page, in a fixed order (output never depends on it: paths are unique and files are
    /// written by path, but a stable order keeps logs and caches tidy).
    /// - Parameter concurrently: list the group pages on another core (nil: from
    ///   ``concurrentListing`` documents on). The list is the same either way.
    static func all(_ site: SiteModel, sitemaps: Bool = true, concurrently: Bool? = nil) -> [any Page] {
        // The cause, service and tag pages are listed on another core while this one lists the
        // rest (each list pages every group: tens of milliseconds at 10,000 postmortems).
        let groups = concurrently ?? (site.archive.postmortems.count >= concurrentListing) ? Background { groupPages(site) } : nil
        var pages: [any Page] = [IndexPage()]
        pages += IndexPage.parts(site)
        pages += site.archive.postmortems.indices.map { PostmortemPage(index: $0, site: site) }
        let others = actionPages(site)
        pages += groups?.value() ?? groupPages(site)
        pages += others
        pages += [StatsPage(), SearchPage(), NotFoundPage(), FeedPage()]
        pages += SearchDataPage.all(site)
        pages += RedirectPage.all(site)
        // The sitemaps list every page above (the same list as `all(site, sitemaps: false)`).
        if sitemaps, site.settings.absoluteBaseURL != nil { pages += SitemapPage.all(site, pages: pages) }
        return pages
    }

    /// From this many documents on, ``all(_:sitemaps:)`` lists the group pages on another core.
    static let concurrentListing = 2_000

    /// The causes, services and tags: their indexes, their pages and their pages' parts.
    private static func groupPages(_ site: SiteModel) -> [any Page] {
        var pages: [any Page] = [CausesPage()]
        pages += site.recurrence.map { CausePage(cause: $0.cause, site: site) }
        pages += CausePage.parts(site)
        pages.append(ServicesPage())
        pages += site.archive.byService.keys.sorted().map { ServicePage(service: $0, site: site) }
        pages += ServicePage.parts(site)
        pages.append(TagsPage())
        pages += site.archive.byTag.keys.sorted().map { TagPage(tag: $0, site: site) }
        pages += TagPage.parts(site)
        return pages
    }

    /// The action-item tracker, its parts and the owners' pages.
    private static func actionPages(_ site: SiteModel) -> [any Page] {
        var pages: [any Page] = [ActionItemsPage()]
        pages += ActionItemsPage.parts(site)
        let owners = OwnerPage.all(site)
        pages += owners
        pages += owners.flatMap { $0.parts(site) }
        return pages
    }

    /// The navigation as templates see it (`nav`), with `section`'s entry current: made once per
    /// section and keyed, not built and encoded again for every page.
    static func navigationValue(current section: String?) -> TemplateValue {
        navigationValues.first { $0.section == section }?.value ?? navigationValues[0].value
    }

    /// ``navigationValue(current:)`` for no current entry (first), then for each entry's section.
    private static let navigationValues: [(section: String?, value: TemplateValue)] =
        ([nil] + navigation.map(\.section)).map { section in
            (section, .keyed(.list(navigation.map { item in
                .object(["label": .string(item.label), "url": .string(item.url), "current": .bool(item.section == section)])
            })))
        }

    /// The site's main navigation.
    static let navigation: [(section: String, label: String, url: String)] = [
        ("index", "Postmortems", "index.html"), ("causes", "Causes", "causes/index.html"),
        ("services", "Services", "services/index.html"), ("tags", "Tags", "tags/index.html"),
        ("actions", "Action items", "actions.html"), ("stats", "Stats", "stats.html"), ("search", "Search", "search.html"),
    ]
}

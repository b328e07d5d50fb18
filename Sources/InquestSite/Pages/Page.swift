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
    static func all(_ site: SiteModel, sitemaps: Bool = true) -> [any Page] {
        var pages: [any Page] = [IndexPage()]
        pages += IndexPage.parts(site)
        pages += site.archive.postmortems.indices.map { PostmortemPage(index: $0, site: site) }
        pages.append(CausesPage())
        pages += site.recurrence.map { CausePage(cause: $0.cause, site: site) }
        pages += CausePage.parts(site)
        pages.append(ServicesPage())
        pages += site.archive.byService.keys.sorted().map { ServicePage(service: $0, site: site) }
        pages += ServicePage.parts(site)
        pages.append(TagsPage())
        pages += site.archive.byTag.keys.sorted().map { TagPage(tag: $0, site: site) }
        pages += TagPage.parts(site)
        pages.append(ActionItemsPage())
        pages += ActionItemsPage.parts(site)
        let owners = OwnerPage.all(site)
        pages += owners
        pages += owners.flatMap { $0.parts(site) }
        pages += [StatsPage(), SearchPage(), NotFoundPage(), FeedPage()]
        pages += SearchDataPage.all(site)
        pages += RedirectPage.all(site)
        // The sitemaps list every page above (the same list as `all(site, sitemaps: false)`).
        if sitemaps, site.settings.absoluteBaseURL != nil { pages += SitemapPage.all(site, pages: pages) }
        return pages
    }

    /// The site's main navigation.
    static let navigation: [(section: String, label: String, url: String)] = [
        ("index", "Postmortems", "index.html"), ("causes", "Causes", "causes/index.html"),
        ("services", "Services", "services/index.html"), ("tags", "Tags", "tags/index.html"),
        ("actions", "Action items", "actions.html"), ("stats", "Stats", "stats.html"), ("search", "Search", "search.html"),
    ]
}

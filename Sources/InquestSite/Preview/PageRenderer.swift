import InquestCore

/// Renders single pages of an archive's site in memory, on demand: what `inquest serve` answers a
/// request with. Building one costs the site model (page slugs, summaries, search index) once;
/// each ``render(_:)`` then renders only the page asked for, exactly as ``SiteBuilder`` would
/// (same context, same template, same bytes), and never touches the disk.
///
/// Kept deliberately thin over ``SiteBuilder``'s page list and context so that it follows
/// whatever the builder renders.
public struct PageRenderer: Sendable {
    public let archive: Archive
    public let settings: SiteSettings
    public let theme: Theme
    private let model: SiteModel
    private let pages: [String: PageBox]

    public init(archive: Archive, settings: SiteSettings, theme: Theme) {
        self.archive = archive
        self.settings = settings
        self.theme = theme
        let model = SiteModel(archive: archive, settings: settings)
        self.model = model
        var pages: [String: PageBox] = [:]
        for page in Pages.all(model) where pages[page.path] == nil { pages[page.path] = PageBox(page: page) }
        self.pages = pages
    }

    /// Every path ``render(_:)`` answers, pages and theme assets (`assets/…`), sorted.
    public var paths: [String] {
        (Array(pages.keys) + theme.assets.keys.map { "assets/" + $0 }).sorted()
    }

    /// The file at `path` (relative to the site root, `postmortems/x.html`, `assets/site.css`),
    /// or nil when the site has no such file.
    public func render(_ path: String) -> [UInt8]? {
        if let box = pages[path] {
            let context = SiteBuilder.fullContext(box.page, model: model, theme: theme)
            return HTMLText.replacingControlCharacters(Array(theme.render(box.page.template, context).utf8))
        }
        if path.hasPrefix("assets/"), let bytes = theme.assets[String(path.dropFirst("assets/".count))] { return bytes }
        return nil
    }

    /// The workspace-relative path of the postmortem a page shows (`postmortems/2025/x.md` for
    /// `postmortems/x.html`); nil for every other page.
    public func documentPath(ofPage path: String) -> String? {
        guard let page = pages[path]?.page as? PostmortemPage else { return nil }
        return archive.postmortems[page.index].path
    }

    /// The page that shows the document at `documentPath`, if any.
    public func pagePath(ofDocument documentPath: String) -> String? {
        guard let index = archive.indexes(ofPath: documentPath).first else { return nil }
        return model.postmortemURL(index)
    }

    /// The path of the "page not found" page.
    public static let notFoundPath = "404.html"
}

/// Lets existential pages be stored in a `Sendable` value (every ``Page`` is `Sendable`).
private struct PageBox: Sendable {
    let page: any Page
}

import Foundation
import InquestCore

/// Renders single pages of an archive's site in memory, on demand: what `inquest serve` answers a
/// request with. Building one costs the site model (page slugs, summaries) once; the search
/// index, most of a model's cost, is built only when a file under `search/` is first asked for.
/// Each ``render(_:)`` then renders only the page asked for, exactly as ``SiteBuilder`` would
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
    /// The model with its search index and the search files' pages, once one is requested.
    private let search = SearchPages()

    public init(archive: Archive, settings: SiteSettings, theme: Theme) {
        self.init(archive: archive, settings: settings, theme: theme, model: SiteModel(archive: archive, settings: settings, searchIndex: false))
    }

    /// A renderer for `archive`, which is `previous.archive` with the documents at
    /// `changedPaths` swapped by ``Archive/replacing(_:)`` (nothing the archive's indexes are
    /// made of changed): what every other document contributes to the pages is kept from
    /// `previous` rather than computed again (a save in `inquest serve`).
    public init(archive: Archive, replacing changedPaths: [String], in previous: PageRenderer) {
        let changed = Set(changedPaths.flatMap { archive.indexes(ofPath: $0) })
        let model = SiteModel(archive: archive, settings: previous.settings, searchIndex: false, reusing: (previous.model, changed))
        self.init(archive: archive, settings: previous.settings, theme: previous.theme, model: model)
    }

    private init(archive: Archive, settings: SiteSettings, theme: Theme, model: SiteModel) {
        self.archive = archive
        self.settings = settings
        self.theme = theme
        self.model = model
        var pages: [String: PageBox] = [:]
        for page in Pages.all(model) where !(page is SearchDataPage) && pages[page.path] == nil { pages[page.path] = PageBox(page: page) }
        self.pages = pages
    }

    /// Every path ``render(_:)`` answers, pages and theme assets (`assets/…`), sorted.
    public var paths: [String] {
        (Array(pages.keys) + searchPages().pages.keys + theme.assets.keys.map { "assets/" + $0 }).sorted()
    }

    /// The file at `path` (relative to the site root, `postmortems/x.html`, `assets/site.css`),
    /// or nil when the site has no such file.
    public func render(_ path: String) -> [UInt8]? {
        if let box = pages[path] { return render(box.page, model: model) }
        if path.hasPrefix("search/") {
            let search = searchPages()
            if let box = search.pages[path] { return render(box.page, model: search.model) }
        }
        if path.hasPrefix("assets/"), let bytes = theme.assets[String(path.dropFirst("assets/".count))] { return bytes }
        return nil
    }

    private func render(_ page: any Page, model: SiteModel) -> [UInt8] {
        HTMLText.replacingControlCharacters(theme.renderBytes(page.template, SiteBuilder.fullContext(page, model: model, theme: theme)))
    }

    private func searchPages() -> (model: SiteModel, pages: [String: PageBox]) {
        search.value {
            let full = model.withSearchIndex()
            var pages: [String: PageBox] = [:]
            for page in SearchDataPage.all(full) where pages[page.path] == nil { pages[page.path] = PageBox(page: page) }
            return (full, pages)
        }
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

/// Built at most once, by the first caller, while others wait.
private final class SearchPages: @unchecked Sendable {
    private let lock = NSLock()
    private var built: (model: SiteModel, pages: [String: PageBox])?

    func value(_ build: () -> (model: SiteModel, pages: [String: PageBox])) -> (model: SiteModel, pages: [String: PageBox]) {
        lock.withLock {
            if let built { return built }
            let made = build()
            built = made
            return made
        }
    }
}

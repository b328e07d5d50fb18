import Foundation
import InquestCore

/// The rendered site, in memory: every file by path, plus what the build did.
public struct RenderedSite: Sendable {
    /// Output files by path relative to the site root (pages, assets, feed, search index).
    public var files: [String: [UInt8]]
    /// The cache describing ``files``, to store with them.
    public var cache: BuildCache
    /// Pages rendered by this build.
    public var rendered: Int
    /// Pages copied from the previous build because nothing they show changed.
    public var reused: Int
    /// Paths of the rendered pages, sorted (for logs and tests).
    public var renderedPaths: [String]

    /// The site's entry page.
    public static let indexPath = "index.html"
}

/// Renders an archive into a static site: builds the ``SiteModel``, lists the pages
/// (``Pages/all(_:)``), renders them in parallel with the theme, and copies the theme's assets.
/// No I/O: ``SiteWriter`` puts the result on disk, ``SitePublisher`` into a git branch.
public struct SiteBuilder: Sendable {
    public let archive: Archive
    public let settings: SiteSettings
    public let theme: Theme
    /// Identifies the renderer in cache keys (``InquestSite/generatorIdentity()`` for the CLI).
    public let generator: String

    public init(archive: Archive, settings: SiteSettings, theme: Theme, generator: String = InquestSite.generatorVersion) {
        self.archive = archive
        self.settings = settings
        self.theme = theme
        self.generator = generator
    }

    /// Renders the site.
    /// - Parameters:
    ///   - previous: last build's cache; pages whose key is unchanged are taken from `previousFile`.
    ///   - previousFile: reads a file of the previous build (checked against the cache's hash).
    public func render(previous: BuildCache? = nil, previousFile: @Sendable (String) -> [UInt8]? = { _ in nil }) -> RenderedSite {
        let model = SiteModel(archive: archive, settings: settings)
        let pages = Pages.all(model)
        let theme = self.theme
        let generator = self.generator
        let results = parallelMap(pages.map { PageBox(page: $0) }) { box -> (String, [UInt8], BuildCache.Entry, Bool) in
            let page = box.page
            let context = Self.fullContext(page, model: model, theme: theme)
            var hasher = SHA256()
            hasher.update("\(generator)\u{0}\(theme.fingerprint)\u{0}\(page.template)\u{0}\(page.path)\u{0}")
            context.fingerprint(into: &hasher)
            let key = hasher.finalizeHex()
            if let old = previous?.pages[page.path], old.key == key, let bytes = previousFile(page.path), SHA256.hex(bytes) == old.sha256 {
                return (page.path, bytes, old, false)
            }
            let bytes = HTMLText.replacingControlCharacters(Array(theme.render(page.template, context).utf8))
            return (page.path, bytes, BuildCache.Entry(key: key, sha256: SHA256.hex(bytes)), true)
        }
        var files: [String: [UInt8]] = [:]
        var cache = BuildCache(generator: generator)
        var renderedPaths: [String] = []
        for (path, bytes, entry, rendered) in results {
            files[path] = bytes
            cache.pages[path] = entry
            if rendered { renderedPaths.append(path) }
        }
        for (path, bytes) in theme.assets { files["assets/" + path] = bytes }
        return RenderedSite(files: files, cache: cache, rendered: renderedPaths.count, reused: results.count - renderedPaths.count,
                            renderedPaths: renderedPaths.sorted())
    }

    /// Renders only the pages whose path satisfies `include` (no cache, no assets): one
    /// postmortem's page for the fuzzer, without paying for the whole site.
    public func renderPages(where include: (String) -> Bool) -> [String: [UInt8]] {
        let model = SiteModel(archive: archive, settings: settings)
        var files: [String: [UInt8]] = [:]
        for page in Pages.all(model) where include(page.path) {
            files[page.path] = HTMLText.replacingControlCharacters(
                Array(theme.render(page.template, Self.fullContext(page, model: model, theme: theme)).utf8))
        }
        return files
    }

    /// A page's context with the layout's common variables.
    static func fullContext(_ page: any Page, model: SiteModel, theme: Theme) -> TemplateValue {
        var fields = page.context(model, theme: theme).fields
        let settings = model.settings
        // The 404 page is served at any depth: its links start from the base URL's path when
        // known (`/` or `/sub/`: same host, never an external request).
        let root = page is NotFoundPage ? (settings.basePath ?? "") : SitePath.root(of: page.path)
        fields["root"] = .string(root)
        fields["csp"] = .string(contentSecurityPolicy)
        fields["site"] = .object([
            "title": .string(settings.title),
            "base_url": settings.baseURL.template,
            "repo_url": settings.repoURL.template,
            "generated": model.buildTime.map { .string($0.localDate.description) },
            "generated_datetime": model.buildTime.map { .string(Format.rfc3339($0)) },
            "now": model.now.map { .string($0.description) },
            "generator": .string(InquestSite.generatorVersion),
        ].mapValues { $0 ?? .bool(false) })
        fields["page"] = .object([
            "title": .string(page.title),
            "path": .string(page.path),
            "section": page.section.template,
            "canonical": settings.absoluteBaseURL.map { .string($0 + (page.path == "index.html" ? "" : page.path)) },
        ].mapValues { $0 ?? .bool(false) })
        fields["nav"] = .list(Pages.navigation.map { item in
            .object(["label": .string(item.label), "url": .string(item.url), "current": .bool(item.section == page.section)])
        })
        return .object(fields)
    }

    /// No external requests, no inline script or style, no plugins, no `<base>` hijacking.
    /// `img-src data:` allows the favicon; forms submit only to the site (search).
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'self'"
}

/// Lets existential pages cross into the parallel map (every ``Page`` is `Sendable`).
private struct PageBox: Sendable {
    let page: any Page
}

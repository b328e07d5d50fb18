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
    /// Where the search index's per-document data is kept between builds; nil computes it all.
    public let searchCache: SearchCache?
    /// The documents `archive` holds as stubs (``SiteStubs``): parsed only when a page needs them.
    public let stubs: SiteStubs

    public init(archive: Archive, settings: SiteSettings, theme: Theme, generator: String = InquestSite.generatorVersion,
                searchCache: SearchCache? = nil, stubs: SiteStubs = SiteStubs()) {
        self.archive = archive
        self.settings = settings
        self.theme = theme
        self.generator = generator
        self.searchCache = searchCache
        self.stubs = stubs
    }

    /// The site model of ``archive``: stubs the search index has no data for are parsed first
    /// (their data is computed from the body), the others stay stubs.
    /// - Returns: the model and how many stubs were parsed.
    func model(searchCache stored: [String: SearchCache.Entry]) -> (model: SiteModel, parsed: Int) {
        var model = SiteModel(archive: archive, settings: settings, searchIndex: false, stubs: stubs)
        var parsed = 0
        let stubbed = model.stubIndexes
        if !stubbed.isEmpty {
            let partial = model
            let keys = parallelMap(stubbed) { SearchIndex.documentKey(partial.archive.postmortems[$0], model: partial, index: $0) }
            let missing = zip(stubbed, keys).filter { stored[$0.1] == nil }.map(\.0)
            if !missing.isEmpty {
                model = model.parsing(missing)
                parsed = missing.count
            }
        }
        return (model.withSearchIndex(cache: stored), parsed)
    }

    /// Renders the site into memory (tests, `inquest publish`); ``write(into:)`` streams it to disk instead.
    /// - Parameters:
    ///   - previous: last build's cache; pages whose key is unchanged are taken from `previousFile`.
    ///   - previousFile: reads a file of the previous build (checked against the cache's hash).
    public func render(previous: BuildCache? = nil, previousFile: @Sendable (String) -> [UInt8]? = { _ in nil }) -> RenderedSite {
        // Every page may be rendered: every stub is parsed.
        let built = model(searchCache: [:]).model
        let model = built.parsing(built.stubIndexes)
        let pages = Pages.all(model)
        let theme = self.theme
        let generator = self.generator
        let declaredInputs = PageInputs(model: model, theme: theme, generator: generator, previous: previous)
        let results = parallelMap(pages.map { PageBox(page: $0) }) { box -> (String, [UInt8], BuildCache.Entry, Bool) in
            let page = box.page
            let declared = declaredInputs.key(for: page, model: model)
            let old = previous?.pages[page.path]
            // Declared inputs unchanged: the context is not even built.
            if let declared, let old, old.inputs == declared, let bytes = previousFile(page.path), SHA256.hex(bytes) == old.sha256 {
                return (page.path, bytes, old, false)
            }
            let context = Self.fullContext(page, model: model, theme: theme)
            let key = Self.key(page, context: context, theme: theme, generator: generator)
            if let old, old.key == key, let bytes = previousFile(page.path), SHA256.hex(bytes) == old.sha256 {
                return (page.path, bytes, BuildCache.Entry(key: key, sha256: old.sha256, size: old.size, inputs: declared ?? "-"), false)
            }
            let bytes = Self.renderPage(page, context: context, theme: theme)
            return (page.path, bytes, BuildCache.Entry(key: key, sha256: SHA256.hex(bytes), size: bytes.count, inputs: declared ?? "-"), true)
        }
        var files: [String: [UInt8]] = [:]
        var cache = BuildCache(generator: generator)
        cache.pageKeys = stubs.reads.stale > 0 ? nil : declaredInputs.state
        var renderedPaths: [String] = []
        for (path, bytes, entry, rendered) in results {
            files[path] = bytes
            cache.pages[path] = entry
            if rendered { renderedPaths.append(path) }
        }
        for (path, bytes) in theme.assets {
            files["assets/" + path] = bytes
            let hash = SHA256.hex(bytes)
            cache.assets["assets/" + path] = BuildCache.Entry(key: hash, sha256: hash, size: bytes.count)
        }
        return RenderedSite(files: files, cache: cache, rendered: renderedPaths.count, reused: results.count - renderedPaths.count,
                            renderedPaths: renderedPaths.sorted())
    }

    /// What ``write(into:inputs:lintErrors:)`` did.
    public struct Written: Sendable {
        /// The cache stored with the site.
        public var cache: BuildCache
        /// Pages rendered (their inputs changed, or their old file was missing or damaged).
        public var rendered: Int
        /// Pages whose inputs did not change: linked from the previous build, not rendered.
        public var reused: Int
        /// Output files written (the rest were hard-linked from the previous build).
        public var written: Int
        /// Paths of the rendered pages, sorted.
        public var renderedPaths: [String]
        /// Documents whose search data was computed rather than taken from the ``SearchCache``.
        public var searchComputed = 0
        /// Page contexts built.
        public var contexts = 0
        /// Stub documents parsed (for the search index or a page's body).
        public var parsedForPages = 0
        public var files: Int { cache.pages.count + cache.assets.count }
    }

    /// Renders the site straight into `tree`, page by page on all cores, holding no page longer
    /// than it takes to write it. A page whose declared inputs (``PageInputs``) are unchanged, or
    /// failing that whose key (hash of its whole context) is unchanged, and whose previous file is
    /// intact is hard-linked from the previous build without being rendered; a page rendered
    /// again to the bytes it had is linked too, so only files whose bytes change are written.
    /// Does not commit the tree.
    /// - Throws: the first write failure (by path); the tree is then abandoned by the caller.
    /// - Parameter pendingLintErrors: lint's error count, still being worked out on another core:
    ///   asked for once every page is written (it replaces `lintErrors`).
    func write(into tree: SiteWriter.OutputTree, inputs: String? = nil, lintErrors: Int = 0,
               pendingLintErrors: (@Sendable () -> Int?)? = nil) throws(SiteError) -> Written {
        try write(taking: { () throws(SiteError) -> SiteWriter.OutputTree in tree }, inputs: inputs, lintErrors: lintErrors,
                  pendingLintErrors: pendingLintErrors)
    }

    /// ``write(into:inputs:lintErrors:pendingLintErrors:)`` into the tree `take` returns, asked
    /// for once the site model is made (nothing before it reads the tree): the previous output
    /// can be checked and listed on another core meanwhile (``SiteBuild/PreparedOutput``). Its
    /// error is thrown before any page is worked out.
    func write(taking take: () throws(SiteError) -> SiteWriter.OutputTree, inputs: String? = nil, lintErrors: Int = 0,
               pendingLintErrors: (@Sendable () -> Int?)? = nil) throws(SiteError) -> Written {
        var built: SiteModel
        var parsedForPages = 0
        BuildTrace.mark("write start")
        (built, parsedForPages) = model(updating: searchCache)
        BuildTrace.mark("model made")
        let tree = try take()
        BuildTrace.mark("tree taken")
        // Not held while the pages render (peak memory).
        built.dropSearchEntries()
        let model = built
        let theme = self.theme
        let generator = self.generator
        let old = tree.previous?.cache
        // Taken out once: reading `old?.pages` in the closures below copied the whole cache per page.
        let oldPages = old?.pages ?? [:]
        // The declared inputs are worked out on another core while this one lists the pages:
        // neither reads the other.
        // Its lines of the new cache are encoded there too (half the cache's bytes at 10,000
        // postmortems), off the end of the build, where nothing else runs beside the commit.
        let inputsLoad = Background { () -> (inputs: PageInputs, lines: [UInt8]) in
            let made = PageInputs(model: model, theme: theme, generator: generator, previous: old)
            BuildTrace.mark("page inputs made")
            return (made, BuildCache.pageKeyLines(made.state))
        }
        let pages = Pages.all(model)
        BuildTrace.mark("pages listed")
        var assets: [(path: String, bytes: [UInt8])] = theme.assets.map { ("assets/" + $0.key, $0.value) }
        assets.sort { $0.path < $1.path }
        var paths = pages.map(\.path) + assets.map(\.path)
        paths.sort()
        for (path, next) in zip(paths, paths.dropFirst()) where path == next {
            throw SiteError("internal error: two pages write '\(path)'")
        }
        for path in paths where !SitePath.isSafe(path) {
            throw SiteError("internal error: unsafe output path '\(path)'")
        }
        // A whole new tree links every reused file into place: every folder first. An update
        // writes only the files that change into its temporary folder: their folders, below.
        if !tree.isUpdate {
            do {
                try tree.makeFolders(for: paths)
            } catch {
                throw tree.failure(error)
            }
        }
        enum Outcome: Sendable {
            case reused(BuildCache.Entry)
            case rendered(BuildCache.Entry, written: Bool)
            case failed(SiteWriter.WriteError)
        }
        BuildTrace.mark("paths checked, folders")
        let (declaredInputs, keyLines) = inputsLoad.value()
        BuildTrace.mark("page inputs waited")
        // First every page's declared inputs: a page whose inputs did not change is linked without
        // building its context. Only the rest need a context, and those that show a stub's body
        // (its own postmortem page) need it parsed first.
        let boxes = pages.map { PageBox(page: $0) }
        let declared = parallelMap(boxes) { box -> (key: String?, reused: BuildCache.Entry?, failure: SiteWriter.WriteError?) in
            let page = box.page
            let key = declaredInputs.key(for: page, model: model)
            do throws(SiteWriter.WriteError) {
                if let key, let previous = oldPages[page.path], previous.inputs == key, try tree.reuse(page.path, previous) {
                    return (key, previous, nil)
                }
                return (key, nil, nil)
            } catch {
                return (key, nil, error)
            }
        }
        BuildTrace.mark("declared keys, reuse")
        let todo = declared.indices.filter { declared[$0].reused == nil && declared[$0].failure == nil }
        if tree.isUpdate {
            do {
                try tree.makeFolders(for: todo.map { pages[$0].path } + assets.map(\.path))
            } catch {
                throw tree.failure(error)
            }
        }
        let bodies = todo.compactMap { (pages[$0] as? PostmortemPage)?.index }
        let full = model.parsing(bodies)
        parsedForPages += model.stubIndexes.count - full.stubIndexes.count
        let keys = declared.map(\.key)
        let outcomes = parallelMap(todo) { position -> Outcome in
            let page = boxes[position].page
            let declared = keys[position]
            let previous = oldPages[page.path]
            do throws(SiteWriter.WriteError) {
                let context = Self.fullContext(page, model: full, theme: theme)
                let key = Self.key(page, context: context, theme: theme, generator: generator)
                if let previous, previous.key == key {
                    let entry = BuildCache.Entry(key: key, sha256: previous.sha256, size: previous.size, inputs: declared ?? "-")
                    if try tree.reuse(page.path, entry) { return .reused(entry) }
                }
                let bytes = Self.renderPage(page, context: context, theme: theme)
                let entry = BuildCache.Entry(key: key, sha256: SHA256.hex(bytes), size: bytes.count, inputs: declared ?? "-")
                if let previous, previous.sha256 == entry.sha256, previous.size == entry.size, try tree.reuse(page.path, entry) {
                    return .rendered(entry, written: false)
                }
                try tree.write(page.path, bytes)
                return .rendered(entry, written: true)
            } catch {
                return .failed(error)
            }
        }
        BuildTrace.mark("rendered \(todo.count)")
        var results = declared.map { outcome -> Outcome in
            if let failure = outcome.failure { return .failed(failure) }
            return outcome.reused.map { .reused($0) } ?? .failed(SiteWriter.WriteError(""))
        }
        for (position, outcome) in zip(todo, outcomes) { results[position] = outcome }
        // A stub's file that changed during the build was paired with its old content id in the
        // declared keys, and the input digest is of what was there before: neither is kept, so
        // the next build runs and checks every page against its content.
        let stale = stubs.reads.stale > 0
        // A lint that could not run has no count to keep: no digest either, so the next build lints.
        let knownLintErrors: Int?
        if let pendingLintErrors { knownLintErrors = pendingLintErrors() } else { knownLintErrors = lintErrors }
        BuildTrace.mark("lint errors waited")
        var cache = BuildCache(generator: generator, inputs: stale || knownLintErrors == nil ? nil : inputs,
                               lintErrors: knownLintErrors ?? 0)
        cache.setPageKeys(stale ? nil : declaredInputs.state, lines: keyLines)
        cache.pages.reserveCapacity(pages.count)
        var renderedPaths: [String] = []
        var written = 0
        var failures: [(String, SiteWriter.WriteError)] = []
        for (page, outcome) in zip(pages, results) {
            switch outcome {
            case .reused(var entry):
                if stale { entry.inputs = "-" }
                cache.pages[page.path] = entry
            case .rendered(var entry, let wrote):
                if stale { entry.inputs = "-" }
                cache.pages[page.path] = entry
                renderedPaths.append(page.path)
                if wrote { written += 1 }
            case .failed(let error):
                failures.append((page.path, error))
            }
        }
        if let first = failures.min(by: { $0.0 < $1.0 }) { throw tree.failure(first.1) }
        do {
            for (path, bytes) in assets {
                let hash = SHA256.hex(bytes)
                let entry = BuildCache.Entry(key: hash, sha256: hash, size: bytes.count)
                if let previous = old?.assets[path], previous == entry, try tree.reuse(path, entry) {
                } else {
                    try tree.write(path, bytes)
                    written += 1
                }
                cache.assets[path] = entry
            }
        } catch {
            throw tree.failure(error)
        }
        ExitTeardown.keep(model)
        ExitTeardown.keep(full)
        return Written(cache: cache, rendered: renderedPaths.count, reused: pages.count - renderedPaths.count, written: written,
                       renderedPaths: renderedPaths.sorted(), searchComputed: model.search.computed, contexts: todo.count,
                       parsedForPages: parsedForPages)
    }

    /// The cache key of a page: generator, theme, template, path and the page's whole context.
    static func key(_ page: any Page, context: TemplateValue, theme: Theme, generator: String) -> String {
        var hasher = SHA256()
        hasher.update("\(generator)\u{0}\(theme.fingerprint)\u{0}\(page.template)\u{0}\(page.path)\u{0}")
        context.fingerprint(into: &hasher)
        return hasher.finalizeHex()
    }

    /// A page's bytes.
    static func renderPage(_ page: any Page, context: TemplateValue, theme: Theme) -> [UInt8] {
        HTMLText.replacingControlCharacters(theme.renderBytes(page.template, context))
    }

    /// Renders only the pages whose path satisfies `include` (no cache, no assets): one
    /// postmortem's page for the fuzzer, without paying for the whole site.
    public func renderPages(where include: (String) -> Bool) -> [String: [UInt8]] {
        let built = model(searchCache: [:]).model
        let model = built.parsing(built.stubIndexes)
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
        var site: TemplateObject = [
            "title": .string(settings.title),
            "base_url": settings.baseURL.template ?? .bool(false),
            "repo_url": settings.repoURL.template ?? .bool(false),
            "generator": .string(InquestSite.generatorVersion),
        ]
        // The commit's date and time change with commits: offered only to the templates that name
        // them (``Theme/datedTemplates``, ``Theme/readsGenerationTime``), so that a commit does not
        // change every page's context.
        if theme.datedTemplates.contains(page.template) {
            site["generated"] = model.buildTime.map { .string($0.localDate.description) } ?? .bool(false)
            site["now"] = model.now.map { .string($0.description) } ?? .bool(false)
        }
        if theme.readsGenerationTime {
            site[Theme.generationTimeName] = model.buildTime.map { .string(Format.rfc3339($0)) } ?? .bool(false)
        }
        fields["site"] = .object(site)
        fields["page"] = .object([
            "title": .string(page.title),
            "path": .string(page.path),
            "section": page.section.template ?? .bool(false),
            "canonical": settings.absoluteBaseURL.map { .string($0 + (page.path == "index.html" ? "" : page.path)) } ?? .bool(false),
        ])
        fields["nav"] = Pages.navigationValue(current: page.section)
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

import InquestCore

/// `search.html`: search over the sharded index (``SearchIndex``), loaded by `assets/search.js`
/// on demand. Works from file:// (scripts calling back into a global, no fetch), with a
/// no-script list of the newest postmortems and links to every year's page.
struct SearchPage: Page {
    let path = "search.html"
    let template = "search"
    var title: String { "Search" }
    var section: String? { "search" }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        // The no-script fallback lists the newest postmortems and links every year's page (the
        // index's pager), never the whole archive.
        .object(site.pagedPostmortems(site.archive.chronological, page: "index.html", folder: IndexPage.folder, label: "All postmortems"))
    }
}

/// One file of the search index: `search/manifest.js`, `search/t-K.js`, `search/d/B.js` (the
/// documents of file number B, ``SearchIndex/documentsPerFile`` to a file) or `search/p-C.js`
/// (the prefix keys starting with the character C).
struct SearchDataPage: Page {
    /// `document(B)` is the file number, not a document id.
    enum Part: Sendable { case manifest, shard(Int), document(Int), prefix(key: String, index: Int) }

    let part: Part
    let template = "search-data"
    var title: String { "Search index" }
    var path: String {
        switch part {
        case .manifest: "search/manifest.js"
        case .shard(let shard): "search/t-\(shard).js"
        case .document(let id): "search/d/\(id).js"
        case .prefix(let key, _): "search/p-\(key).js"
        }
    }

    static func all(_ site: SiteModel) -> [SearchDataPage] {
        [SearchDataPage(part: .manifest)] + (0..<site.search.shardCount).map { SearchDataPage(part: .shard($0)) }
            + (0..<site.search.documentFileCount).map { SearchDataPage(part: .document($0)) }
            + site.search.prefixFiles.enumerated().map { SearchDataPage(part: .prefix(key: $1, index: $0)) }
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        // Deferred, keyed by its digest: the page key hashes 64 hex digits rather than the
        // script again (the search files were a sixth of what page keys hashed).
        let search = site.search, part = self.part
        return .object(["script": .deferred(key: "search:" + inputsDigest(site)) { .string(search.script(part)) }])
    }

    /// The one string this page's context holds.
    func script(_ site: SiteModel) -> String { site.search.script(part) }

    /// What the page's inputs key reads: the SHA-256 of ``script(_:)``, known without making the
    /// script when an update left the file unchanged (``SearchIndex/digest(_:)``).
    func inputsDigest(_ site: SiteModel) -> String { site.search.digest(part) }
}

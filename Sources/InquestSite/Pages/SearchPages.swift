import InquestCore

/// `search.html`: client-side search over `search-index.js`, which it alone loads. Works from
/// file:// (a script assigning a global, no fetch), with a no-script list of the newest postmortems and links to every year's page.
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

/// `search-index.js`: `window.INQUEST_SEARCH_INDEX = [...]` with each postmortem's fields and text.
struct SearchIndexPage: Page {
    let path = "search-index.js"
    let template = "search-index"
    var title: String { "Search index" }
    /// Enough text to find a postmortem by what it says, without shipping megabytes for large archives.
    static let maxTextLength = 20_000

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let entries = site.newestFirst.map { index -> String in
            let postmortem = site.archive.postmortems[index]
            let summary = site.views[index].summary
            var text = postmortem.body.plainText
            if text.count > Self.maxTextLength { text = String(text.prefix(Self.maxTextLength)) }
            func string(_ key: String) -> String {
                if case .string(let value)? = summary[key] { return value }
                return ""
            }
            let fields: [(String, String)] = [
                ("id", HTMLText.jsonString(postmortem.id)), ("url", HTMLText.jsonString(site.postmortemURL(index))),
                ("title", HTMLText.jsonString(string("title"))), ("date", HTMLText.jsonString(string("date"))),
                ("severity", HTMLText.jsonString(postmortem.severity ?? "")), ("status", HTMLText.jsonString(string("status_label"))),
                ("services", "[" + postmortem.services.map(HTMLText.jsonString).joined(separator: ",") + "]"),
                ("causes", "[" + postmortem.allCauses.uniqued().map { HTMLText.jsonString(site.causeTitle($0)) }.joined(separator: ",") + "]"),
                ("tags", "[" + postmortem.tags.map(HTMLText.jsonString).joined(separator: ",") + "]"),
                ("text", HTMLText.jsonString(text)),
            ]
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        return .object(["index": .string("[\n" + entries.joined(separator: ",\n") + "\n]")])
    }
}

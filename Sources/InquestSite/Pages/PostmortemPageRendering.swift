import InquestCore

extension SiteBuilder {
    /// Renders only the postmortem pages of the documents at `sourcePaths` (archive paths such as
    /// `postmortems/x.md`), by output path, byte for byte as ``render(previous:previousFile:)``
    /// writes them, but without the search index and the other pages: the fuzzer's site target
    /// renders one page per input, and a whole site per input would drown it.
    public func renderPostmortemPages(of sourcePaths: Set<String>) -> [String: [UInt8]] {
        let model = SiteModel(archive: archive, settings: settings, searchIndex: false)
        var files: [String: [UInt8]] = [:]
        for (index, postmortem) in archive.postmortems.enumerated() where sourcePaths.contains(postmortem.path) {
            let page = PostmortemPage(index: index, site: model)
            let html = theme.render(page.template, Self.fullContext(page, model: model, theme: theme))
            files[page.path] = HTMLText.replacingControlCharacters(Array(html.utf8))
        }
        return files
    }
}

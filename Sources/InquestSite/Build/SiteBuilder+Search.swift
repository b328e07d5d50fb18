import InquestCore

extension SiteBuilder {
    /// The site model of ``archive`` with its search index, from the search state `cache` keeps
    /// (``SearchState``): when few documents changed since it was written, only those are parsed
    /// and tokenized and only the files their terms touch are made
    /// (``SearchIndex/init(updating:model:plan:)``); otherwise the index is built in full, from the
    /// state's per-document data where it still applies, and written back for the next build.
    /// Without `cache`, ``model(searchCache:)`` without stored data.
    /// - Returns: the model and how many stubs were parsed.
    func model(updating cache: SearchCache?) -> (model: SiteModel, parsed: Int) {
        guard let cache else { return model(searchCache: [:]) }
        let state = cache.open()
        BuildTrace.mark("search state opened")
        var model = SiteModel(archive: archive, settings: settings, searchIndex: false, stubs: stubs)
        BuildTrace.mark("SiteModel.init")
        let stubCount = model.stubIndexes.count
        if let state, let plan = SearchIndex.Plan(model: model, state: state) {
            model = model.parsing(plan.changed.map { plan.order[$0] })
            BuildTrace.mark("search plan, parsing")
            if let index = SearchIndex(updating: state, model: model, plan: plan) {
                BuildTrace.mark("search updated")
                model.search = index
                return (model, stubCount - model.stubIndexes.count)
            }
        }
        // In full: stubs the state has no data for are parsed first.
        let stored = state?.allEntries() ?? [:]
        let stubbed = model.stubIndexes
        if !stubbed.isEmpty {
            let partial = model
            let keys = parallelMap(stubbed) { SearchIndex.documentKey(partial.archive.postmortems[$0], model: partial, index: $0) }
            let missing = zip(stubbed, keys).filter { stored[$0.1] == nil }.map(\.0)
            if !missing.isEmpty { model = model.parsing(missing) }
        }
        model = model.withSearchIndex(cache: stored)
        if let snapshot = model.search.snapshot {
            cache.save(snapshot)
            // Saved (or being saved): not held while the pages are made.
            model.dropSearchEntries()
        }
        return (model, stubCount - model.stubIndexes.count)
    }
}

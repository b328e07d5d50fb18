/// The catalogue id a cause reference stands for, when exactly one is right. Shared by
/// `causes/unknown` and `schema/invalid-value` so that both suggest (and fix to) the same id.
enum CauseResolution {
    /// How the id was found.
    enum Reason: Equatable {
        /// The reference is an alias of the id (`runbook-gap` → `missing-runbook-step`).
        case alias
        /// The reference is the id written as something other than a slug (`Missing_Alert` → `missing-alert`).
        case spelling
        /// The id is the single nearest by edit distance (`no-alert-on-saturaton`).
        case nearest
    }

    /// - Returns: nil when no id, or more than one, could be meant.
    static func resolve(_ cause: String, in catalogue: CauseCatalogue) -> (id: String, reason: Reason)? {
        let ids = catalogue.entries.map(\.id)
        // No slug (`数据库`): only an alias spelt the same way can match, never by the placeholder slug.
        let slug = Slug.derived(from: cause, maxLength: 120)
        if let entry = catalogue.entries.first(where: { entry in
            entry.aliases.contains { (slug != nil && Slug.derived(from: $0, maxLength: 120) == slug) || $0.lowercased() == cause.lowercased() }
        }) {
            return (entry.id, .alias)
        }
        guard let slug else { return nil }
        if slug != cause, ids.contains(slug) { return (slug, .spelling) }
        if let near = Spelling.closest(to: slug, in: ids, maxDistance: max(2, slug.count / 4)) { return (near, .nearest) }
        return nil
    }
}

import InquestCore

/// `postmortems/ID.html`: the header card, the rendered body with its timeline and action items,
/// recurring causes, related postmortems, backlinks and revision history.
struct PostmortemPage: Page {
    /// How many earlier incidents of a cause a postmortem page links (the cause page has them all).
    static let othersLimit = 10

    let index: Int
    let path: String
    let title: String
    let template = "postmortem"

    init(index: Int, site: SiteModel) {
        self.index = index
        path = site.postmortemURL(index)
        let postmortem = site.archive.postmortems[index]
        title = postmortem.title.flatMap { $0.isEmpty ? nil : $0 } ?? postmortem.id
    }

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        let archive = site.archive
        let postmortem = archive.postmortems[index]
        let view = site.views[index]
        // The page's own fields, set over its summary at the end (a keyed merge: the page key
        // reads the summary's key rather than its fields).
        var fields = TemplateObject(minimumCapacity: 24)

        let times: [(String, String, Timestamp?)] = [("started", "Started", postmortem.started), ("detected", "Detected", postmortem.detected),
                                                     ("mitigated", "Mitigated", postmortem.mitigated), ("resolved", "Resolved", postmortem.resolved)]
        fields["times"] = .list(times.compactMap { key, label, time in
            time.map { .object(["key": .string(key), "label": .string(label), "value": .string(Format.dateTime($0)),
                                "datetime": .string(Format.rfc3339($0))]) }
        })
        let spans: [(String, String, Int?)] = [("detect", "Time to detect", view.timeToDetect), ("mitigate", "Time to mitigate", view.timeToMitigate),
                                               ("resolve", "Time to resolve", view.timeToResolve)]
        fields["durations"] = .list(spans.compactMap { key, label, seconds in
            seconds.flatMap(Format.duration).map { .object(["key": .string(key), "label": .string(label), "value": .string($0)]) }
        })
        fields["has_times"] = .bool(postmortem.started != nil || postmortem.detected != nil || postmortem.mitigated != nil || postmortem.resolved != nil)
        fields["has_causes"] = .bool(!postmortem.allCauses.isEmpty)
        fields["has_tags"] = .bool(!postmortem.tags.isEmpty)
        if let bar = Charts.phaseBar(detect: view.timeToDetect, mitigate: view.timeToMitigate, resolve: view.timeToResolve) {
            fields["phase_bar"] = .string(bar)
        }

        // Causes with the incidents they caused *before* this one. Later incidents and counts
        // live on the cause page: a new incident then changes its cause's page, not every
        // earlier postmortem of that cause (the page stays the same until its own file changes).
        let listed = Self.listed(index, site: site)
        fields["causes"] = .list(listed.causes.map { cause in
            site.causeLink(cause.id).merging([
                "is_root": .bool(postmortem.rootCauses.contains { $0.value == cause.id }),
                "description": archive.catalogue?.entry(cause.id).map { .string($0.description) } ?? .string(""),
                "earlier": site.summaries(cause.shown),
                "has_earlier": .bool(cause.earlier > 0),
                "has_more_earlier": .bool(cause.earlier > cause.shown.count),
                "in_catalogue": .bool(archive.catalogue?.entry(cause.id) != nil),
            ])
        })
        fields["has_recurring_causes"] = .bool(listed.causes.contains { !$0.shown.isEmpty })
        let related = listed.related, backlinks = listed.backlinks
        fields["related"] = .list(related.map { related in
            site.summary(related.index).merging(["shared_causes": .list(related.sharedCauses.map(site.causeLink)),
                                                 "has_shared_causes": .bool(!related.sharedCauses.isEmpty)])
        })
        fields["backlinks"] = site.summaries(backlinks)
        fields["has_related"] = .bool(!related.isEmpty || !backlinks.isEmpty)
        fields["has_backlinks"] = .bool(!backlinks.isEmpty)

        let items = view.actionItems
        fields["action_items_total"] = .int(items.count)
        fields["action_items_done"] = .int(items.count { $0.item.state == .done })

        if let document = archive.history?.documents[postmortem.path] {
            fields["history"] = .object([
                "commits": .list(document.commits.map { commit in
                    .object([
                        "sha": .string(commit.sha), "short_sha": .string(commit.shortSHA), "author": .string(commit.author),
                        "date": .string(commit.time.localDate.description), "datetime": .string(Format.rfc3339(commit.time)),
                        "summary": .string(commit.summary), "url": site.commitURL(sha: commit.sha).template ?? .bool(false),
                    ])
                }),
                "contributors": .list(document.contributors.map { .string($0) }),
                "published": document.published.map { .string($0.time.localDate.description) } ?? "",
                "updated": document.updated.map { .string($0.time.localDate.description) } ?? "",
                "previous_paths": .list(document.previousPaths.map { .string($0) }),
                "has_previous_paths": .bool(!document.previousPaths.isEmpty),
            ])
        } else {
            fields["history"] = false
        }
        fields["source_path"] = .string(site.repositoryPath(postmortem.path))
        fields["edit_url"] = site.editURL(path: postmortem.path).map { .string($0) } ?? false

        // The body is the expensive part: deferred, keyed by the file's bytes and what links and
        // badges depend on, so an unchanged postmortem is not rendered again.
        var hasher = SHA256()
        hasher.update(postmortem.source.bytes)
        // The action items' overdue badges: all the body reads of "now".
        let key = hasher.finalizeHex() + ":" + site.bodyKey(index) + ":" + view.actionItems.map { $0.isOverdue ? "1" : "0" }.joined()
        let model = site
        fields["body"] = .deferred(key: key) {
            let output = BodyRenderer(model: model, index: self.index) { theme.render($0, $1) }.render()
            var toc: [TemplateValue] = []
            for heading in output.headings {
                let entry: TemplateValue = .object(["id": .string(heading.id), "text": .string(heading.text), "children": .list([]),
                                                    "has_children": .bool(false)])
                if heading.level == 3, case .object(var parent)? = toc.last, case .list(var children)? = parent["children"] {
                    children.append(entry)
                    parent["children"] = .list(children)
                    parent["has_children"] = .bool(true)
                    toc[toc.count - 1] = .object(parent)
                } else {
                    toc.append(entry)
                }
            }
            return .object(["html": .string(output.html), "toc": .list(toc)])
        }
        return .object(["postmortem": site.summary(index).merging(fields)])
    }

    /// The other incidents a postmortem page lists. They are chosen by what places incidents
    /// (dates, ids, paths, causes, services, tags, links), never by what a list shows of them, so
    /// the page key names these rows and the placement of the earlier incidents of its groups
    /// (``PageInputs``): an edit of an older incident's title re-keys the pages that show it.
    struct Listed: Sendable {
        struct Cause: Sendable {
            var id: String
            /// Its earlier incidents shown here, newest first (at most ``PostmortemPage/othersLimit``).
            var shown: [Int]
            /// How many earlier incidents it has (explicit links and backlinks left out).
            var earlier: Int
        }

        /// Each distinct cause of the incident, in its order.
        var causes: [Cause]
        /// Explicit links, and earlier incidents ranked by what they share, without those listed
        /// under a cause or as backlinks.
        var related: [RelatedPostmortem]
        var backlinks: [Int]
    }

    /// What the page of `index` lists, worked out once per model (its key asks first, then its context).
    static func listed(_ index: Int, site: SiteModel) -> Listed {
        if let known = site.listedMemo.values.withLock({ $0[index] }) { return known }
        let archive = site.archive
        let postmortem = archive.postmortems[index]
        let rank = archive.chronologicalRank
        let isEarlier = { (other: Int) in rank[other] < rank[index] }
        // Explicit links either way are shown under Related postmortems, so nothing is listed twice.
        let links = Set(postmortem.related.flatMap { archive.byID[$0.value] ?? [] }).subtracting([index])
        let backlinks = archive.backlinks(to: index)
        let explicit = links.union(backlinks)
        var listed = Set<Int>()
        let causes = postmortem.allCauses.uniqued().map { id in
            let occurrences = site.recurrenceByCause[id]?.occurrences ?? []
            // Occurrences are oldest first: the ones before this incident, newest of them first.
            let earlier = occurrences.filter { isEarlier($0) && !explicit.contains($0) }
            let shown = Array(earlier.suffix(Self.othersLimit).reversed())
            listed.formUnion(shown)
            return Listed.Cause(id: id, shown: shown, earlier: earlier.count)
        }
        // Asked of every document sharing a service or tag (thousands at 10,000 documents, for
        // every page): the rank first, and the few excluded ones looked up without hashing.
        let linked = FewIndexes(links), excluded = FewIndexes(listed.union(backlinks))
        let related = archive.related(to: index, include: { ($0 != index) && (isEarlier($0) || linked.contains($0)) && !excluded.contains($0) })
        let made = Listed(causes: causes, related: related, backlinks: backlinks)
        site.listedMemo.values.withLock { $0[index] = made }
        return made
    }
}

/// ``PostmortemPage/listed(_:site:)`` by document index, shared by a model's copies (a model
/// made for other documents starts empty).
final class ListedMemo: Sendable {
    let values = Locked<[Int: PostmortemPage.Listed]>([:])
}

/// A set of document indexes, usually a handful: searched in a sorted array (no hashing).
struct FewIndexes {
    private let sorted: [Int]

    init<S: Sequence<Int>>(_ indexes: S) { sorted = Array(Set(indexes)).sorted() }

    func contains(_ index: Int) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == index
    }
}

import InquestCore

/// `postmortems/ID.html`: the header card, the rendered body with its timeline and action items,
/// recurring causes, related postmortems, backlinks and revision history.
struct PostmortemPage: Page {
    /// How many other incidents of a cause a postmortem page links (the cause page has them all).
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
        var fields = view.summary.fields

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

        // Causes with how often they struck and the other incidents they caused.
        fields["causes"] = .list(postmortem.allCauses.uniqued().map { id in
            let others = (site.recurrenceByCause[id]?.occurrences ?? []).filter { $0 != index }
            // A cause behind thousands of incidents must not put thousands of links on every one
            // of them (quadratic pages): the newest few are shown, the cause page lists them all.
            let shown = Array(site.newestFirst(others).prefix(Self.othersLimit))
            return site.causeRef(id).merging([
                "is_root": .bool(postmortem.rootCauses.contains { $0.value == id }),
                "description": archive.catalogue?.entry(id).map { .string($0.description) } ?? .string(""),
                "others": site.summaries(shown),
                "has_others": .bool(!others.isEmpty),
                "others_more": .int(others.count - shown.count),
                "has_more_others": .bool(others.count > shown.count),
                "in_catalogue": .bool(archive.catalogue?.entry(id) != nil),
            ])
        })
        fields["has_recurring_causes"] = .bool(postmortem.allCauses.contains { (site.recurrenceByCause[$0]?.count ?? 0) > 1 })

        let related = archive.related(to: index)
        let backlinks = archive.backlinks(to: index)
        fields["related"] = .list(related.map { related in
            site.summary(related.index).merging(["shared_causes": .list(related.sharedCauses.map(site.causeRef)),
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
                        "summary": .string(commit.summary), "url": site.commitURL(sha: commit.sha).template,
                    ].mapValues { $0 ?? .bool(false) })
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
        let key = hasher.finalizeHex() + ":" + site.bodyContextKey
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
        return .object(["postmortem": .object(fields)])
    }
}


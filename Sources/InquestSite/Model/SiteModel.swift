import InquestCore

/// Everything the pages need, computed once per build from the archive: page slugs, the
/// per-postmortem summaries every list shows, causes with their recurrence, and "now".
/// Pure and `Sendable`, so pages read it from any thread.
struct SiteModel: Sendable {
    private(set) var archive: Archive
    let settings: SiteSettings
    /// "Now" for overdue items: the commit time or SOURCE_DATE_EPOCH, never the wall clock.
    let now: CalendarDate?
    /// When the site was "built": the commit time or SOURCE_DATE_EPOCH; nil when neither is known.
    let buildTime: Timestamp?
    let postmortemSlugs: [String]
    let causeSlugs: [String: String]
    let serviceSlugs: [String: String]
    let tagSlugs: [String: String]
    /// Page slug of each action-item owner (`actions/owners/SLUG.html`).
    let ownerSlugByName: [String: String]
    /// The team each action-item owner names, if any (``team(ofOwner:)``), by owner.
    let teamByOwner: [String: String?]
    /// Postmortem indexes, newest incident first.
    let newestFirst: [Int]
    /// The year of each document's incident, by index (list parts are by year: read for every
    /// row of every list, without reaching into the document).
    let incidentYears: [Int?]
    /// Causes by recurrence, most first (``Archive/recurrence``).
    let recurrence: [CauseRecurrence]
    let recurrenceByCause: [String: CauseRecurrence]
    /// Page slug by document path, for rewriting links between postmortem files.
    let slugByPath: [String: String]
    /// Documents by their file name (a path's last component): what a body's link tails name.
    let documentsByFileName: [String: [Int]]
    private(set) var views: [PostmortemView]
    /// Every action item, oldest incident first, then position in its postmortem.
    private(set) var actionRefs: [ActionRef] = []
    /// Follow-through facts from git history (added, ticked, time to close), computed once.
    private(set) var followThrough: FollowThrough
    /// Index into ``FollowThrough/items`` by action item.
    private(set) var followThroughIndex = FollowThroughIndex()
    /// The search index (shards, document files, manifest), built once per site.
    var search = SearchIndex.empty
    /// Action items by owner handle, in the same order.
    private(set) var actionRefsByOwner: [String: [ActionRef]] = [:]
    /// Tracker rows made so far (``actionItemRow(_:)``); a model made for other facts starts empty.
    let actionRows = ActionRowMemo()
    /// What each postmortem page lists (``PostmortemPage/listed(_:site:)``), made so far.
    let listedMemo = ListedMemo()
    /// Fingerprint of everything a rendered Markdown body depends on besides its own bytes:
    /// the link targets and "now" (overdue badges) and the repository URL.
    let bodyContextKey: String
    /// The facts of each document the archive holds as a stub (``SiteStubs``), by index; nil for
    /// a parsed document.
    private(set) var stubFacts: [SiteDocumentFacts?]
    /// Reads the files of stubs made without their bytes (``SiteStubs/read``).
    private(set) var stubReader: (read: (@Sendable (String) -> [UInt8]?)?, reads: SiteStubs.ReadCount)

    /// - Parameters:
    ///   - searchIndex: false leaves ``search`` empty (``withSearchIndex()`` adds it): most of the
    ///     model's cost, which `inquest serve` pays only when a search file is requested.
    ///   - reusing: a previous model whose archive differs from `archive` only in the documents
    ///     at `changed`, swapped by ``Archive/replacing(_:)`` (same ids, dates, causes, services,
    ///     tags and links), with the same settings: the other documents' views are kept.
    ///   - searchCache: the search index's per-document data from a previous build (``SearchCache``).
    ///   - stubs: the facts of the documents `archive` holds as stubs (their views are made from
    ///     them). A stub the search index has no data for must be parsed first (``parsing(_:)``).
    ///   - concurrently: work ``followThrough`` out on another core (nil: from
    ///     ``concurrentFollowThrough`` documents on). The model is the same either way.
    init(archive: Archive, settings: SiteSettings, searchIndex: Bool = true, reusing: (model: SiteModel, changed: Set<Int>)? = nil,
         searchCache: [String: SearchCache.Entry] = [:], stubs: SiteStubs = SiteStubs(), concurrently: Bool? = nil) {
        self.archive = archive
        self.settings = settings
        stubFacts = stubs.isEmpty ? Array(repeating: nil, count: archive.postmortems.count)
            : stubs.inOrder(of: archive)
        stubMask = stubFacts.map { $0 != nil }
        stubReader = (stubs.read, stubs.reads)
        buildTime = Archive.referenceTime(history: archive.history, environment: settings.environment)
        now = buildTime?.localDate
        // What a model reusing a previous one keeps: the swapped documents have the same ids,
        // paths, dates, causes, services, tags and links (``Archive/replacing(_:)``), and the
        // history and "now" are the same, so only what their bodies make (views, action items
        // and their owners, follow-through) is worked out again.
        let now = self.now
        let kept = reusing.flatMap { reusing in
            reusing.model.views.count == archive.postmortems.count && reusing.model.now == now ? reusing : nil
        }
        // Follow-through reads only the archive and "now": worked out on another core while this
        // one makes the slugs and the views (a tenth of the model at 10,000 postmortems).
        let following: Background<FollowThrough>?
        if let kept {
            following = nil
            followThrough = kept.model.followThrough.replacing(kept.changed, in: archive)
        } else {
            following = concurrently ?? (archive.postmortems.count >= Self.concurrentFollowThrough)
                ? Background { FollowThrough(archive: archive, now: now) } : nil
            // Not read by the views (nor by anything below before the index).
            followThrough = FollowThrough(archive: Archive(postmortems: [], catalogue: nil), now: nil)
        }
        var owners = Set<String>()
        // Documents read in place here and below: iterating them copied (retained) every field of each.
        archive.postmortems.withUnsafeBufferPointer { documents in
            for index in documents.indices {
                for item in documents[index].actionItems { if let owner = item.owner { owners.insert(owner) } }
            }
        }
        ownerSlugByName = Slugs.assign(Array(owners), reserved: ["index"])
        var teamByOwner: [String: String?] = [:]
        for owner in owners { teamByOwner[owner] = Self.team(ofOwner: owner, teams: settings.teams) }
        self.teamByOwner = teamByOwner
        // Postmortem indexes, oldest incident first.
        let chronological: [Int]
        if let previous = kept?.model {
            chronological = previous.newestFirst.reversed()
            postmortemSlugs = previous.postmortemSlugs
            causeSlugs = previous.causeSlugs
            serviceSlugs = previous.serviceSlugs
            tagSlugs = previous.tagSlugs
            newestFirst = previous.newestFirst
            incidentYears = previous.incidentYears
            recurrence = previous.recurrence
            recurrenceByCause = previous.recurrenceByCause
            slugByPath = previous.slugByPath
            documentsByFileName = previous.documentsByFileName
            bodyContextKey = previous.bodyContextKey
        } else {
            postmortemSlugs = Slugs.postmortems(archive)
            var causes = Set(archive.byCause.keys)
            for entry in archive.catalogue?.entries ?? [] { causes.insert(entry.id) }
            // `index` is the list page of each folder.
            causeSlugs = Slugs.assign(Array(causes), reserved: ["index"])
            serviceSlugs = Slugs.assign(Array(archive.byService.keys), reserved: ["index"])
            tagSlugs = Slugs.assign(Array(archive.byTag.keys), reserved: ["index"])
            // Chronological order from the ranks, in one pass (``Archive/chronological`` sorts).
            var ranked = [Int](repeating: 0, count: archive.postmortems.count)
            for (index, position) in archive.chronologicalRank.enumerated() { ranked[position] = index }
            chronological = ranked
            newestFirst = ranked.reversed()
            incidentYears = archive.postmortems.withUnsafeBufferPointer { documents in documents.map { $0.date?.year } }
            recurrence = archive.recurrence
            recurrenceByCause = Dictionary(recurrence.map { ($0.cause, $0) }, uniquingKeysWith: { first, _ in first })
            var slugByPath: [String: String] = [:]
            slugByPath.reserveCapacity(archive.postmortems.count)
            var byFileName: [String: [Int]] = [:]
            byFileName.reserveCapacity(archive.postmortems.count)
            var hasher = SHA256()
            let slugs = postmortemSlugs
            archive.postmortems.withUnsafeBufferPointer { documents in
                for index in documents.indices {
                    slugByPath[documents[index].path] = slugs[index]
                    byFileName[RawDocument.lastComponent(of: documents[index].path), default: []].append(index)
                }
                // The archive is sorted by path: no sort of every path.
                for index in documents.indices {
                    hasher.update(documents[index].path)
                    hasher.update("\u{0}")
                    hasher.update(slugs[index])
                    hasher.update("\u{0}")
                }
            }
            self.slugByPath = slugByPath
            documentsByFileName = byFileName
            // ("Now" is not in it: a body reads only whether its action items are overdue, which
            // each postmortem's body key adds: ``PostmortemPage``.)
            hasher.update("repo:\(settings.repoURL ?? "-")\u{0}\(settings.repositoryPrefix)")
            bodyContextKey = hasher.finalizeHex()
        }

        views = []
        let partial = self
        if let kept {
            var views = kept.model.views
            for index in kept.changed where views.indices.contains(index) { views[index] = PostmortemView(index: index, model: partial) }
            self.views = views
        } else {
            // What a view reads, taken out of the model: a closure over the model copied (retained
            // every field of) it per document.
            let documents = archive.postmortems, facts = stubFacts, now = self.now
            views = parallelMap(Array(archive.postmortems.indices)) {
                PostmortemView(index: $0, postmortems: documents, facts: facts[$0], now: now)
            }
        }
        if kept == nil { followThrough = following?.value() ?? FollowThrough(archive: archive, now: now) }
        actionRefs = chronological.flatMap { index in views[index].actionItems.indices.map { ActionRef(postmortem: index, position: $0) } }
        followThroughIndex = FollowThroughIndex(followThrough, archive: archive, refs: actionRefs, views: views)
        var byOwner: [String: [ActionRef]] = [:]
        for index in chronological {
            let items = archive.postmortems[index].actionItems
            for position in items.indices {
                if let owner = items[position].owner { byOwner[owner, default: []].append(ActionRef(postmortem: index, position: position)) }
            }
        }
        actionRefsByOwner = byOwner
        if searchIndex { search = SearchIndex(model: self, cache: searchCache) }
    }

    /// From this many documents on, ``FollowThrough`` is worked out on another core (a thread
    /// costs more than a small archive's follow-through).
    static let concurrentFollowThrough = 2_000

    /// Forgets the search index's per-document cache data once it is saved (``SearchIndex/dropEntries()``).
    mutating func dropSearchEntries() { search.dropEntries() }

    /// This model with its search index built.
    func withSearchIndex(cache: [String: SearchCache.Entry] = [:]) -> SiteModel {
        var copy = self
        copy.search = SearchIndex(model: copy, cache: cache)
        return copy
    }

    /// Indexes of the documents held as stubs.
    var stubIndexes: [Int] { stubMask.indices.filter { stubMask[$0] } }
    /// Whether each document is a stub (``stubFacts`` is not nil), read without copying facts.
    private(set) var stubMask: [Bool]

    /// This model with the stub documents at `indexes` parsed (from the bytes they carry) and
    /// their views made again: what a model built from the parsed archive holds, since a stub
    /// carries every fact the indexes, slugs and other documents' views read.
    func parsing(_ indexes: [Int]) -> SiteModel {
        let todo = indexes.filter { stubMask.indices.contains($0) && stubMask[$0] }
        guard !todo.isEmpty else { return self }
        let parser = PostmortemParser(schema: settings.schema)
        let stubs = todo.map { archive.postmortems[$0] }
        let sizes = todo.map { stubFacts[$0]?.size ?? 0 }
        let reader = stubReader
        reader.reads.add(zip(stubs, sizes).filter { $0.0.source.bytes.count != $0.1 }.count)
        let parsed = parallelMap(Array(zip(stubs, sizes))) { stub, size -> Postmortem in
            guard stub.source.bytes.count != size else {
                return parser.parse(RawDocument(path: stub.path, bytes: stub.source.bytes, contentID: stub.contentID))
            }
            // Made without its bytes: read now. A file that changed since it was listed is parsed
            // with its own content id, never the stale one (and its facts then disagree or not:
            // either way the model below is made from what was parsed).
            let bytes = reader.read?(stub.path) ?? []
            let id = StatIndex.blobID(of: bytes)
            if id != stub.contentID { reader.reads.addStale() }
            return parser.parse(RawDocument(path: stub.path, bytes: bytes, contentID: id))
        }
        var documents = archive.postmortems
        for (index, postmortem) in zip(todo, parsed) { documents[index] = postmortem }
        var remaining = stubFacts
        var mask = stubMask
        for index in todo {
            remaining[index] = nil
            mask[index] = false
        }
        guard var swapped = archive.withDocuments(documents) else {
            // The parse disagrees with the stub's facts (it cannot, short of a damaged cache that
            // passed its checksum): the whole model is made again from the parsed documents.
            var rebuilt = Archive.withoutSimilarity(postmortems: documents, catalogue: archive.catalogue)
            rebuilt.history = archive.history
            var facts: [String: SiteDocumentFacts] = [:]
            for (index, fact) in remaining.enumerated() { if let fact { facts[archive.postmortems[index].path] = fact } }
            var model = SiteModel(archive: rebuilt, settings: settings, searchIndex: false, stubs: SiteStubs(facts: facts))
            model.stubReader = stubReader
            // The search index, when built, was made from the same bytes.
            model.search = search
            return model
        }
        swapped.history = archive.history
        var copy = self
        copy.archive = swapped
        copy.stubFacts = remaining
        copy.stubMask = mask
        let partial = copy
        let views = parallelMap(todo) { PostmortemView(index: $0, model: partial) }
        for (index, view) in zip(todo, views) { copy.views[index] = view }
        return copy
    }

    /// Size of document `index`'s bytes: a stub made without them has it from its facts.
    func byteCount(_ index: Int) -> Int {
        let count = archive.postmortems[index].source.bytes.count
        if count == 0, stubMask[index], let facts = stubFacts[index] { return facts.size }
        return count
    }

    /// Plain text of a document's Summary section (the feed shows it); nil without one.
    func summaryText(_ index: Int) -> String? {
        if let facts = stubFacts[index] { return facts.summaryText }
        return SiteStubs.summaryText(of: archive.postmortems[index])
    }

    // MARK: URLs (relative to the site root; templates prefix them with `root`)

    func postmortemURL(_ index: Int) -> String { "postmortems/\(postmortemSlugs[index]).html" }
    func causeURL(_ id: String) -> String { "causes/\(causeSlugs[id] ?? Slug.make(from: id)).html" }
    func serviceURL(_ name: String) -> String { "services/\(serviceSlugs[name] ?? Slug.make(from: name)).html" }
    func tagURL(_ name: String) -> String { "tags/\(tagSlugs[name] ?? Slug.make(from: name)).html" }

    // MARK: What a body depends on

    /// Document `index`'s link tails (``SiteDocumentFacts/linkTails``): from its stub's facts, or
    /// from its body's bytes.
    func linkTails(_ index: Int) -> [String]? {
        if let facts = stubFacts[index] { return facts.linkTails }
        return archive.postmortems.withUnsafeBufferPointer { documents in
            let bytes = documents[index].source.bytes
            return SiteDocumentFacts.linkTails(in: bytes[min(documents[index].bodyStart, bytes.count)...])
        }
    }

    /// The file names `tails` can end with: each tail, and each part of it after a space.
    static func linkedFileNames(_ tails: [String]) -> [String] {
        var names: [String] = []
        for tail in tails {
            names.append(tail)
            var rest = Substring(tail)
            while let space = rest.firstIndex(of: " ") {
                rest = rest[rest.index(after: space)...]
                names.append(String(rest))
            }
        }
        return names
    }

    /// What document `index`'s rendered body depends on besides its own bytes and its overdue
    /// flags: the repository settings, and the path and page of every document whose file name
    /// a link of the body can end with. Adding, removing or renaming any other document leaves it
    /// as it is (a body with no such links is not rendered again because the archive grew).
    /// ``bodyContextKey`` (every path) when the body's links cannot be told from its bytes.
    func bodyKey(_ index: Int) -> String {
        guard let tails = linkTails(index) else { return bodyContextKey }
        var hasher = SHA256()
        hasher.update("links\u{0}\(settings.repoURL ?? "-")\u{0}\(settings.repositoryPrefix)\u{0}")
        var linked: [Int] = []
        for name in Self.linkedFileNames(tails) { linked += documentsByFileName[name] ?? [] }
        archive.postmortems.withUnsafeBufferPointer { documents in
            for other in Set(linked).sorted() {
                hasher.update(documents[other].path)
                hasher.update("\u{0}")
                hasher.update(postmortemSlugs[other])
                hasher.update("\u{0}")
            }
        }
        return hasher.finalizeHex()
    }

    // MARK: Shared template values

    func summary(_ index: Int) -> TemplateValue { views[index].summary(in: self) }

    func summaries(_ indexes: [Int]) -> TemplateValue { .list(indexes.map { views[$0].summary(in: self) }) }

    /// Indexes newest first.
    func newestFirst(_ indexes: [Int]) -> [Int] {
        indexes.sorted { Archive.chronologicalOrder(archive.postmortems[$1], archive.postmortems[$0]) }
    }

    var severities: [String] { settings.schema.severities }

    /// `sev-1` … by position in the configured severities (most severe first), `sev-other` otherwise.
    func severityClass(_ severity: String?) -> String {
        guard let severity, let position = severities.firstIndex(of: severity) else { return "sev-other" }
        return "sev-\(min(position + 1, 5))"
    }

    func causeTitle(_ id: String) -> String {
        if let title = archive.catalogue?.entry(id)?.title, !title.isEmpty { return title }
        return id
    }

    /// A cause as a postmortem summary shows it: id, title, link and whether it struck more than
    /// once (which changes once, at the second incident), but no count.
    func causeLink(_ id: String) -> TemplateValue {
        .object(["id": .string(id), "title": .string(causeTitle(id)), "url": .string(causeURL(id)),
                 "recurring": .bool((recurrenceByCause[id]?.count ?? 0) > 1)])
    }

    /// A cause as lists show it: id, title, link and how often it struck.
    func causeRef(_ id: String) -> TemplateValue {
        let count = recurrenceByCause[id]?.count ?? 0
        return .object([
            "id": .string(id), "title": .string(causeTitle(id)), "url": .string(causeURL(id)),
            "count": .int(count), "count_label": .string(Format.count(count, "incident")), "recurring": .bool(count > 1),
        ])
    }

    /// Repository-relative path of a document (the workspace may sit in a subfolder).
    func repositoryPath(_ path: String) -> String {
        settings.repositoryPrefix.isEmpty ? path : settings.repositoryPrefix + "/" + path
    }

    /// Link to edit a document in the hosted repository, when `site.repo_url` is set. A
    /// `{path}` placeholder in the URL is replaced; otherwise GitHub/Gitea-style `edit/HEAD/<path>`.
    func editURL(path: String) -> String? {
        guard let repo = settings.repoURL else { return nil }
        let file = repositoryPath(path).split(separator: "/").map { URLPath.encode(String($0)) }.joined(separator: "/")
        if repo.contains("{path}") { return repo.replacingOccurrences(of: "{path}", with: file) }
        return repo + "/edit/HEAD/" + file
    }

    /// Link to a commit in the hosted repository, when `site.repo_url` is set (and has no `{path}` template).
    func commitURL(sha: String) -> String? {
        guard let repo = settings.repoURL, !repo.contains("{path}") else { return nil }
        return repo + "/commit/" + sha
    }

    /// Absolute URL of a page when a base URL is set.
    func absoluteURL(_ path: String) -> String? { settings.baseURL.map { $0 + path } }
}

/// Percent-encoding for URL path segments built from file names.
enum URLPath {
    static func encode(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) }
            else { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

import Foundation

import InquestCore

/// Page keys from declared dependencies: what each kind of page reads, as small digests computed
/// once per build, so that a page whose inputs did not change is recognised without building
/// its template context.
///
/// A page's **inputs key** hashes its identity (path, template, title, section), the build-wide
/// facts (``global``: generator, theme, settings, catalogue, history-wide facts; the commit's time
/// only for a theme that shows it), "now" when the page reads it (``nowKey``), and the digests of
/// the documents it can show:
///
/// - a document's **listing digest** (``documentDigests``) covers everything a page other than the
///   document's own reads about it: its summary (itself a value with every URL, label and flag a
///   list shows), its front-matter facts, its action items as lists show them (inline HTML,
///   state, owner link, whether overdue), and its git history. A body edit outside those (the
///   Summary section included: only the feed shows its text, and declares it) leaves it unchanged;
/// - a postmortem page adds its own file's content and everything a rendered body depends on,
///   and the listing digests of every document in its causes, services and tags (the only
///   documents its "earlier incidents" and "related" lists choose from) and of its links and
///   backlinks;
/// - a list part adds its rows; a cause, service, tag or owner page its group's documents;
///   archive-wide pages (index, feed, stats, tracker, …) every document (``archiveDigest``).
///
/// The key only has to be a superset of what the context reads: when it matches last build's,
/// the old file is linked; when it does not, the builder still compares the full context's key
/// (``SiteBuilder``), so a coarse declaration costs time, never correctness. A missing
/// declaration would be a stale page: `PageInputsTests` checks, over many kinds of edits, that
/// every page whose context changed also changed its inputs key. A page kind not declared here
/// gets no inputs key and is always judged by its context.
///
/// **Kept between builds.** A rebuild does work in proportion to the change, not the archive:
/// with the previous build's ``PageKeyState`` (stored in its ``BuildCache``), a document whose
/// content, slug, history and names are what they were keeps its listing digest without hashing,
/// and a page none of whose declared inputs can have changed keeps last build's key without
/// hashing (``reusedKey(for:model:)``). Both give exactly the key a computation would give (tested over
/// every kind of edit), so the shortcut never changes which pages are rebuilt.
struct PageInputs: Sendable {
    /// Build-wide facts every page depends on.
    let global: String
    /// "Now" (the commit's date), in the key of every page that reads it: archive-wide pages,
    /// cause, service, tag and owner pages and action item lists (open and overdue days), and
    /// any page whose template names it (``Theme/datedTemplates``). Not a postmortem page: it
    /// shows whether an item is overdue, which its listing digest holds. Every listing digest
    /// reads it (``documentContext``): a summary counts overdue items.
    let nowKey: String
    /// ``Theme/datedTemplates``.
    let datedTemplates: Set<String>
    /// What every document's listing digest reads besides the document, its slug, its history
    /// and its names ("now", the schema): when it changes, no digest is kept.
    let documentContext: String
    /// Listing digest of each document, by index.
    let documentDigests: [String]
    /// Each document's ``DocumentFacts``, encoded, by index: what places it in lists.
    private let placements: [String]
    /// Each document's content identity: its content id (a git blob id, or the hash a stub
    /// carries), else the hash of its bytes.
    let contentIDs: [String]
    /// Every document's listing digest, in path order: what archive-wide pages read.
    let archiveDigest: String
    /// Recurrence count of every cause (cause references show counts).
    let recurrenceDigest: String
    /// The archive's quarter range (every chart's axis).
    let quartersDigest: String
    /// What the next build needs to keep these keys.
    let state: PageKeyState
    /// Documents whose listing digest was computed rather than kept from the previous build.
    let digested: Int
    /// Which pages may keep last build's key; nil when none may (no previous state, or a
    /// build-wide fact changed).
    private let reuse: Reuse?
    /// Group digests and prefix chains, made the first time a page asks: a rebuild keys few pages.
    private let memo = GroupMemo()
    /// The archive's groups, by kind.
    private let byCause: [String: [Int]]
    private let byService: [String: [Int]]
    private let byTag: [String: [Int]]

    /// - Parameter previous: the previous build's cache: its page keys and ``PageKeyState``.
    init(model: SiteModel, theme: Theme, generator: String, previous: BuildCache? = nil) {
        let archive = model.archive
        byCause = archive.byCause
        byService = archive.byService
        byTag = archive.byTag
        let schema = StableDump.of(model.settings.schema)
        var writer = KeyWriter()
        writer.add("generator", generator, InquestSite.generatorVersion, theme.fingerprint)
        Self.addSettings(model.settings, schema: schema, into: &writer)
        // The commit's time to the second is read only by the feed's fallback date (keyed below)
        // and by a theme that names it; "now", its date, only by the pages that show overdue or
        // open days or name it (``nowKey``): a commit changes no other page's key.
        writer.add("time", theme.readsGenerationTime ? model.buildTime.map(Format.rfc3339) ?? "-" : "")
        writer.add("catalogue", archive.catalogue?.path ?? "-")
        for entry in archive.catalogue?.entries ?? [] {
            writer.add(entry.id, entry.title, entry.description, entry.category ?? "\u{1}")
            writer.list(entry.aliases)
        }
        if let history = archive.history {
            // (Its commit time is "now" above.)
            writer.add("history", history.isShallow ? "shallow" : "full", history.actionItems.isEmpty ? "no-items" : "items")
            for change in history.idChanges { writer.add(change.oldID, change.newID) }
        } else {
            writer.add("no history")
        }
        global = writer.digest()
        nowKey = model.now?.description ?? "-"
        datedTemplates = theme.datedTemplates
        var context = KeyWriter()
        context.add("documents", generator, InquestSite.generatorVersion, model.now?.description ?? "-", schema)
        documentContext = context.digest()

        // Names every listing digest reads (slugs, and whether a cause recurs): compared with
        // the previous build's, so that a document naming none that changed keeps its digest.
        let names = Self.names(model)
        let old = previous?.pageKeys
        var changedNames: Set<String> = []
        if let old {
            for (name, value) in names where old.names[name] != value { changedNames.insert(name) }
            for name in old.names.keys where names[name] == nil { changedNames.insert(name) }
        }
        let keepDigests = old?.documentContext == documentContext
        let changed = changedNames

        // Boxed: a closure capturing the model copied (retained every field of) it per document.
        let box = ModelBox(model)
        // Last build's records by path (the archive may name a path twice: the first is kept).
        var stored: [String: DocumentRecord] = [:]
        if let old {
            stored.reserveCapacity(old.documents.count)
            for record in old.documents where stored[record.path] == nil { stored[record.path] = record }
        }
        let storedByPath = stored
        let made = parallelMap(Array(0..<archive.postmortems.count)) { index -> Document in
            Self.document(index, model: box.model, stored: storedByPath, keepDigests: keepDigests, changed: changed)
        }
        documentDigests = made.map(\.record.digest)
        placements = made.map(\.record.facts)
        contentIDs = made.map(\.content)
        digested = made.count { $0.computed }
        var all = KeyWriter()
        for digest in documentDigests { all.add(digest) }
        archiveDigest = all.digest()
        var counts = KeyWriter()
        for recurrence in model.recurrence { counts.add(recurrence.cause, String(recurrence.count)) }
        recurrenceDigest = counts.digest()
        var quarters = KeyWriter()
        let firstQuarter: String = model.quarters.first.map { "\($0.year) \($0.quarter)" } ?? "-"
        let lastQuarter: String = model.quarters.last.map { "\($0.year) \($0.quarter)" } ?? "-"
        quarters.add(firstQuarter, lastQuarter)
        quartersDigest = quarters.digest()

        state = PageKeyState(global: global, documentContext: documentContext, bodyContext: model.bodyContextKey,
                             recurrence: recurrenceDigest, quarters: quartersDigest, names: names, documents: made.map(\.record))
        if let old, let pages = previous?.pages, old.global == global {
            reuse = Reuse(model: model, made: made, previous: old, stored: storedByPath, pages: pages, current: state,
                          changedNames: changedNames, datedTemplates: datedTemplates)
        } else {
            reuse = nil
        }
    }

    /// Document `index`'s listing digest, kept from `stored` (last build's records by path) when
    /// what it reads of the document is unchanged (`keepDigests`: nor the context; and it names
    /// none of the `changed` names), else computed. The model is borrowed and the document read
    /// in place: a copy of either retained every one of its fields, 10,000 times a build.
    private static func document(_ index: Int, model: borrowing SiteModel, stored storedByPath: [String: DocumentRecord],
                                 keepDigests: Bool, changed: Set<String>) -> Document {
        let (content, path, names) = model.archive.postmortems.withUnsafeBufferPointer { documents in
            (documents[index].contentID ?? SiteStubs.contentHash(documents[index].source.bytes), documents[index].path,
             changed.isEmpty ? [] : Self.names(of: documents[index]))
        }
        // What the digest reads of the document itself: its bytes, its page's slug, its history.
        // History fields written straight into it: its own digest is made only for a document
        // whose listing digest is computed.
        var own = KeyWriter()
        own.add(content, model.postmortemSlugs[index])
        Self.addHistory(model, index, into: &own)
        let validation = own.digest()
        let stored = storedByPath[path]
        if keepDigests, let stored, stored.validation == validation, !names.contains(where: changed.contains) {
            return Document(record: stored, content: content, status: .kept)
        }
        let digest = Self.documentDigest(model, index)
        let record = DocumentRecord(path: path, validation: validation, digest: digest, facts: Self.facts(model, index).encoded())
        let status: Document.Status = stored == nil ? .added
            : stored?.digest != digest ? .changed : (stored?.validation != validation ? .contentChanged : .kept)
        return Document(record: record, content: content, status: status, computed: true)
    }

    /// A document's listing digest as this build knows it: kept or computed.
    struct Document: Sendable {
        enum Status: Sendable {
            /// Same content, slug, history and listing digest as in the previous build.
            case kept
            /// Same listing digest, but its own file (or page path) changed: only its own page.
            case contentChanged
            /// Its listing digest changed: every page that lists it.
            case changed
            /// Not in the previous build.
            case added
        }

        var record: DocumentRecord
        /// Its content identity (``PageInputs/contentIDs``).
        var content: String
        var status: Status
        var computed = false
    }

    /// Every setting a page can show or depend on. The schema is written field by field through
    /// a deterministic dump (sets and dictionaries sorted): parsing depends on it.
    static func addSettings(_ settings: SiteSettings, schema: String, into writer: inout KeyWriter) {
        writer.add("settings", settings.title, settings.baseURL ?? "\u{1}", settings.repoURL ?? "\u{1}", settings.ticketURL ?? "\u{1}",
                   settings.repositoryPrefix)
        writer.list(settings.teams)
        writer.add(schema)
    }

    // MARK: Document digests

    /// The names a listing digest reads, with what it reads of them: each cause's slug and
    /// whether it recurs, each service's, tag's and owner's slug. Keys are the kind's letter
    /// and the name (``names(of:)``).
    static func names(_ model: SiteModel) -> [String: String] {
        var out: [String: String] = [:]
        for (cause, slug) in model.causeSlugs {
            let recurring = (model.recurrenceByCause[cause]?.count ?? 0) > 1
            let members = (model.archive.byCause[cause]?.count ?? 0) > 1
            out["c" + cause] = "\(slug) \(recurring) \(members)"
        }
        for (service, slug) in model.serviceSlugs { out["s" + service] = slug }
        for (tag, slug) in model.tagSlugs { out["t" + tag] = slug }
        for (owner, slug) in model.ownerSlugByName { out["o" + owner] = slug }
        return out
    }

    /// The keys (``names(_:)``) of the names document `postmortem` shows.
    static func names(of postmortem: Postmortem) -> [String] {
        postmortem.allCauses.map { "c" + $0 } + postmortem.services.map { "s" + $0 } + postmortem.tags.map { "t" + $0 }
            + postmortem.actionItems.compactMap { $0.owner.map { "o" + $0 } }
    }

    /// What git history says about a document, as its pages show it (commits, contributors,
    /// earlier paths, when each action item was added and ticked).
    static func historyDigest(_ model: borrowing SiteModel, _ index: Int) -> String {
        guard model.archive.history != nil else { return "-" }
        var writer = KeyWriter()
        addHistory(model, index, into: &writer)
        return writer.digest()
    }

    /// The fields ``historyDigest(_:_:)`` hashes.
    static func addHistory(_ model: borrowing SiteModel, _ index: Int, into writer: inout KeyWriter) {
        // The history read in place (binding it copied the whole history, for every document).
        guard model.archive.history != nil else {
            writer.add("no history")
            return
        }
        let path = model.archive.postmortems.withUnsafeBufferPointer { $0[index].path }
        let document = model.archive.history?.documents[path]
        let events = model.archive.history?.actionItems[path] ?? nil
        if let document {
            for commit in document.commits { addCommit(commit, into: &writer) }
            writer.list(document.contributors)
            writer.list(document.previousPaths)
        } else {
            writer.add("no document history")
        }
        for events in events ?? [] {
            if let events {
                writer.add("events")
                if let commit = events.added { addCommit(commit, into: &writer) } else { writer.add("-") }
                if let commit = events.ticked { addCommit(commit, into: &writer) } else { writer.add("-") }
            } else {
                writer.add("no events")
            }
        }
    }

    /// What a page other than document `index`'s own reads about it (see the type's documentation).
    static func documentDigest(_ model: borrowing SiteModel, _ index: Int) -> String {
        documentDigest(model, index, history: historyDigest(model, index))
    }

    /// ``documentDigest(_:_:)`` with the document's ``historyDigest(_:_:)`` already made.
    static func documentDigest(_ model: borrowing SiteModel, _ index: Int, history: String) -> String {
        let postmortem = model.archive.postmortems[index]
        let view = model.views[index]
        var writer = KeyWriter()
        writer.add(postmortem.path, postmortem.id, postmortem.title ?? "\u{1}", postmortem.date?.description ?? "-",
                   postmortem.severity ?? "\u{1}", postmortem.status?.rawValue ?? "-", model.postmortemURL(index))
        writer.list(postmortem.authors)
        writer.list(postmortem.services)
        writer.list(postmortem.rootCauses.map(\.value))
        writer.list(postmortem.contributingFactors.map(\.value))
        writer.list(postmortem.tags)
        writer.list(postmortem.related.map(\.value))
        for time in [postmortem.started, postmortem.detected, postmortem.mitigated, postmortem.resolved] {
            writer.add(time.map { "\($0.seconds) \($0.offsetMinutes)" } ?? "-")
        }
        writer.add([view.timeToDetect, view.timeToMitigate, view.timeToResolve].map { $0.map { String($0) } ?? "-" }.joined(separator: " "))
        // What the summary lists show adds to the facts above (``PostmortemView/summary(in:)``),
        // without making it: the links and filter slugs of its services, causes and tags (slugs
        // are assigned over the whole archive) and whether each cause recurs. The catalogue's
        // titles, the severities and "now" are in ``global``; git dates below.
        for service in postmortem.services {
            writer.add("service", service, model.serviceURL(service), model.serviceSlugs[service] ?? "\u{1}")
        }
        for cause in postmortem.allCauses {
            writer.add("cause", cause, model.causeURL(cause), model.causeSlugs[cause] ?? "\u{1}",
                       (model.recurrenceByCause[cause]?.count ?? 0) > 1 ? "recurring" : "once")
        }
        for tag in postmortem.tags { writer.add("tag", tag, model.tagURL(tag)) }
        // Not the plain text of its Summary section: only the feed shows it, and declares it
        // itself (``addFeedSummaries(model:into:)``). In this digest, an edit of the section
        // authors write most re-keyed every page that can list the document: 3,255 pages
        // rendered again at 10,000 postmortems, to write 7.
        // Action items as every list shows them; never their byte offsets, which a body edit above them moves.
        for item in view.actionItems {
            // Not `owner.map(model.ownerURL)`: a method reference captures (copies) the whole model.
            let ownerURL: String
            if let owner = item.item.owner { ownerURL = model.ownerURL(owner) } else { ownerURL = "-" }
            // Whether it is overdue (summaries count overdue items), not by how many days: the
            // pages that show the days read "now" themselves (``nowKey``), so a day that passes
            // does not change the digest of every document with an overdue item.
            writer.add("item", String(item.ordinal), item.item.text, item.item.state.rawValue, item.item.owner ?? "\u{1}",
                       item.item.ticket ?? "\u{1}", item.item.due?.description ?? "-",
                       item.isOverdue ? "overdue" : "-", ownerURL)
            // The Markdown both HTML forms are made from (with owner, ticket and due above).
            if let markdown = item.markdown { writer.add(bytes: markdown) } else { writer.add("no paragraph") }
        }
        // Git history (commits, contributors, action-item events), hashed on its own so that a
        // rebuild can tell it is unchanged without hashing the rest.
        writer.add("history", history)
        return writer.digest()
    }

    static func addCommit(_ commit: ArchiveHistory.Commit, into writer: inout KeyWriter) {
        writer.add(commit.sha, commit.shortSHA, commit.author, commit.summary)
        writer.add(int: commit.time.seconds)
        writer.add(int: commit.time.offsetMinutes)
    }

    /// The facts of document `index` that decide which lists hold it and where: kept with its
    /// digest, so that the next build knows where the document *was* when it changes.
    static func facts(_ model: borrowing SiteModel, _ index: Int) -> DocumentFacts {
        let postmortem = model.archive.postmortems[index]
        var items = KeyWriter()
        for item in model.views[index].actionItems {
            items.add(item.item.state.rawValue, item.item.owner ?? "\u{1}", item.item.ticket ?? "\u{1}", item.item.due?.description ?? "-",
                      item.isOverdue ? "overdue" : "-", item.daysOverdue.map { String($0) } ?? "-")
        }
        return DocumentFacts(day: postmortem.date?.daysSinceEpoch ?? .max, id: postmortem.id, path: postmortem.path,
                             causes: postmortem.allCauses.uniqued(), services: postmortem.services.uniqued(),
                             tags: postmortem.tags.uniqued(), related: postmortem.related.map(\.value).uniqued(),
                             owners: postmortem.actionItems.compactMap(\.owner).uniqued(), items: items.digest())
    }

    // MARK: Page keys

    /// The inputs key of `page`; nil for a page kind that declares nothing (judged by its context).
    func key(for page: any Page, model: SiteModel) -> String? {
        if let kept = reusedKey(for: page, model: model) { return kept }
        return computedKey(for: page, model: model)
    }

    /// Last build's inputs key of `page`, when none of its declared inputs can have changed
    /// since: exactly the key ``computedKey(for:model:)`` would make, found without hashing.
    func reusedKey(for page: any Page, model: SiteModel) -> String? {
        guard let reuse, let old = reuse.pages[page.path], old.inputs != "-" else { return nil }
        return reuse.keeps(page, model: model) ? old.inputs : nil
    }

    /// The inputs key of `page`, hashed.
    func computedKey(for page: any Page, model: SiteModel) -> String? {
        var writer = KeyWriter()
        writer.add(global, page.path, page.template, page.title, page.section ?? "\u{1}")
        if Self.readsNow(page, model: model, datedTemplates: datedTemplates) { writer.add("now", nowKey) }
        switch page {
        case let page as PostmortemPage:
            addPostmortemPage(page.index, model: model, into: &writer)
        case let page as ListPartPage:
            writer.add("part", page.parentURL, page.parentLabel, page.lede)
            // The pager is a function of its outline and the current part (the page's path); on a
            // part page it shows neither the list's total nor the parts' sizes.
            writer.add("pager", page.pager.home, page.pager.homeLabel)
            for link in page.pager.links { writer.add(link.year, String(link.number), link.path) }
            switch page.rows {
            case .postmortems(let indexes):
                for index in indexes { writer.add(documentDigests[index]) }
            case .actionItems(let refs):
                for ref in refs { writer.add(documentDigests[ref.postmortem], String(ref.position)) }
            }
        case let page as CausePage:
            writer.add("cause", page.cause, groupDigest(.cause, page.cause), quartersDigest)
        case let page as ServicePage:
            writer.add("service", page.service, groupDigest(.service, page.service), quartersDigest)
            addCausesElsewhere(byService[page.service], model: model, into: &writer)
        case let page as TagPage:
            writer.add("tag", page.tag, groupDigest(.tag, page.tag), quartersDigest)
            addCausesElsewhere(byTag[page.tag], model: model, into: &writer)
        case let page as OwnerPage:
            writer.add("owner", page.owner)
            for ref in page.refs(model) { writer.add(documentDigests[ref.postmortem], String(ref.position)) }
        case let page as SearchDataPage:
            // The context is the script itself: its digest stands for it.
            writer.add("search", page.inputsDigest(model))
        case let page where Self.isArchiveWide(page):
            writer.add("archive", archiveDigest, recurrenceDigest, quartersDigest)
            if page is FeedPage {
                // A feed without entries is dated by the commit.
                writer.add("feed", model.buildTime.map(Format.rfc3339) ?? "-")
                Self.addFeedSummaries(model: model, into: &writer)
            }
        default:
            return nil
        }
        return writer.digest()
    }

    /// The Summary text of each entry of the feed (the newest ``FeedPage/limit`` documents),
    /// which no listing digest holds. Which documents those are is in ``archiveDigest``.
    static func addFeedSummaries(model: SiteModel, into writer: inout KeyWriter) {
        for index in model.newestFirst.prefix(FeedPage.limit) { writer.add(model.summaryText(index) ?? "\u{1}") }
    }

    /// What a service's or tag's cause tally shows besides its members' listing digests (in its
    /// group digest): which of its causes struck outside the group. Not how often: that is on
    /// the cause page, and a service page keyed by every cause's count (``recurrenceDigest``)
    /// was rendered again for each new incident of any of its causes.
    func addCausesElsewhere(_ members: [Int]?, model: SiteModel, into writer: inout KeyWriter) {
        writer.add("elsewhere")
        for cause in model.causeTally(members ?? []) where model.struckElsewhere(cause.id, here: cause.count) { writer.add(cause.id) }
    }

    /// Whether `page` reads "now" (see ``nowKey``).
    static func readsNow(_ page: any Page, model: SiteModel, datedTemplates: Set<String>) -> Bool {
        if datedTemplates.contains(page.template) { return true }
        switch page {
        case is PostmortemPage:
            // It shows whether its items are overdue (in its own listing digest and body key),
            // never by how many days.
            return false
        case let page as ListPartPage:
            if case .actionItems = page.rows { return true }
            return false
        case is CausePage, is ServicePage, is TagPage, is OwnerPage:
            return true
        default:
            return isArchiveWide(page)
        }
    }

    /// Pages keyed by every document's listing digest (``archiveDigest``).
    static func isArchiveWide(_ page: any Page) -> Bool {
        switch page {
        case is IndexPage, is CausesPage, is ServicesPage, is TagsPage, is ActionItemsPage, is StatsPage, is SearchPage,
             is NotFoundPage, is FeedPage, is SitemapPage, is RedirectPage:
            return true
        default:
            return false
        }
    }

    /// A postmortem page: its file, everything a rendered body depends on besides it, its own
    /// listing facts, its links and backlinks, where the documents its cause lists and related
    /// list choose from are (the placement of those of its causes, services and tags that come
    /// before it: ``addEarlierPrefix(_:_:members:before:rank:into:)``), and the listing digests of
    /// the ones it shows (``PostmortemPage/listed(_:site:)``), plus whether each of its causes
    /// recurs (cause links show it, and it depends on the whole archive). The title of an older
    /// incident then re-keys the pages that show it, not every later page of its groups (3,250
    /// pages made again at 10,000 postmortems to render 25).
    private func addPostmortemPage(_ index: Int, model: SiteModel, into writer: inout KeyWriter) {
        let archive = model.archive
        let postmortem = archive.postmortems[index]
        let rank = archive.chronologicalRank
        // A stub (and a document read from git) carries its content id: the bytes are not hashed again.
        writer.add("postmortem", postmortem.path, String(model.byteCount(index)), contentIDs[index])
        // What the rendered body depends on: the paths and pages its links can name.
        writer.add("body", model.bodyKey(index))
        writer.add(documentDigests[index])
        for cause in postmortem.allCauses.uniqued() {
            let members = byCause[cause]
            writer.add("cause", cause, model.causeURL(cause), (members?.count ?? 0) > 1 ? "recurring" : "once")
            addEarlierPrefix(.cause, cause, members: members, before: index, rank: rank, into: &writer)
        }
        for service in postmortem.services.uniqued() {
            writer.add("service", service)
            addEarlierPrefix(.service, service, members: byService[service], before: index, rank: rank, into: &writer)
        }
        for tag in postmortem.tags.uniqued() {
            writer.add("tag", tag)
            addEarlierPrefix(.tag, tag, members: byTag[tag], before: index, rank: rank, into: &writer)
        }
        for link in postmortem.related.map(\.value) {
            writer.add("link", link)
            for other in archive.byID[link] ?? [] { writer.add(documentDigests[other]) }
        }
        writer.add("backlinks")
        for other in archive.relatedBy[postmortem.id] ?? [] { writer.add(documentDigests[other]) }
        // Which rows those are follows from the placements above; what they show is here.
        let listed = PostmortemPage.listed(index, site: model)
        writer.add("shown")
        for cause in listed.causes {
            writer.add(cause.id, String(cause.earlier))
            for other in cause.shown { writer.add(documentDigests[other]) }
        }
        writer.add("related")
        for related in listed.related { writer.add(documentDigests[related.index]) }
    }

    // MARK: Groups

    enum GroupKind: String, Sendable {
        case cause = "c", service = "s", tag = "t"
    }

    /// Digest of a cause's, service's or tag's documents, in the group's (chronological) order.
    func groupDigest(_ kind: GroupKind, _ name: String) -> String {
        let key = kind.rawValue + name
        if let known = memo.digests.withLock({ $0[key] }) { return known }
        guard let members = members(kind, name) else { return "-" }
        var group = KeyWriter()
        for index in members { group.add(documentDigests[index]) }
        let made = group.digest()
        memo.digests.withLock { $0[key] = made }
        return made
    }

    func members(_ kind: GroupKind, _ name: String) -> [Int]? {
        switch kind {
        case .cause: byCause[name]
        case .service: byService[name]
        case .tag: byTag[name]
        }
    }

    /// A group's chained prefix digests, as raw bytes (no String per document): digest `k`
    /// hashes digest `k - 1` with the placement of the group's `k`-th document (its encoded
    /// ``DocumentFacts`` up to its owners: day, id, path, causes, services, tags, links; digest
    /// 0 is 32 zero bytes), so a page reads the digest of any prefix without hashing the prefix
    /// again. Made for a group the first time a page of one of its documents is keyed.
    func chain(_ kind: GroupKind, _ name: String, members: [Int]) -> [UInt8] {
        let key = kind.rawValue + name
        if let known = memo.chains.withLock({ $0[key] }) { return known }
        var chain = [UInt8](repeating: 0, count: 32)
        chain.reserveCapacity((members.count + 1) * 32)
        for index in members {
            var hasher = SHA256()
            hasher.update(chain[(chain.count - 32)...])
            var facts = placements[index]
            facts.withUTF8 { hasher.update(UnsafeBufferPointer(rebasing: $0[..<DocumentFacts.placementEnd(of: $0)])) }
            chain.append(contentsOf: hasher.finalizeBytes())
        }
        memo.chains.withLock { $0[key] = chain }
        return chain
    }

    /// Adds the prefix digest of the group's documents that come before document `index` in
    /// chronological order (the group's order), with its length; a marker when `index`'s group
    /// is unknown. A postmortem page chooses its "earlier incidents" and related lists among the
    /// earlier documents of its groups only, so it declares the prefix before itself: a later
    /// incident (a new one, or an edit of the newest) does not re-key every page that shares a service.
    func addEarlierPrefix(_ kind: GroupKind, _ name: String, members: [Int]?, before index: Int, rank: [Int],
                          into writer: inout KeyWriter) {
        guard let members else {
            writer.add("-")
            return
        }
        let chain = chain(kind, name, members: members)
        // Members are sorted by rank: the first position whose rank is not below the document's.
        var low = 0, high = members.count
        let target = rank[index]
        while low < high {
            let middle = (low + high) / 2
            if rank[members[middle]] < target { low = middle + 1 } else { high = middle }
        }
        writer.add(String(low))
        writer.add(bytes: chain[(low * 32)..<(low * 32 + 32)])
    }

    /// Group digests and chains made so far (two threads may both make one; they store the same value).
    final class GroupMemo: Sendable {
        let digests = Locked<[String: String]>([:])
        let chains = Locked<[String: [UInt8]]>([:])
    }
}

// MARK: - Kept between builds

/// What a build keeps of its page keys for the next one, stored in its ``BuildCache``: the
/// build-wide digests, the names listing digests read, and per document what its listing digest
/// reads of the document itself, the digest, and the facts that place it in lists.
struct PageKeyState: Sendable, Equatable {
    var global: String
    var documentContext: String
    /// ``SiteModel/bodyContextKey``: what every rendered body depends on besides its bytes.
    var bodyContext: String
    var recurrence: String
    var quarters: String
    /// ``PageInputs/names(_:)``.
    var names: [String: String]
    /// Every document, in the archive's (path) order.
    var documents: [DocumentRecord]
}

/// One document as a build keyed it (``PageKeyState``).
struct DocumentRecord: Sendable, Equatable {
    var path: String
    /// Hash of what its listing digest reads of the document itself: its content identity, its
    /// page's slug and its history (``PageInputs/historyDigest(_:_:)``).
    var validation: String
    var digest: String
    /// ``DocumentFacts``, encoded: read only for a document that changed.
    var facts: String
}

/// Where a document sits in the site's lists: its chronological position (day, id, path), its
/// groups, its links, its action items' owners, and a digest of what places its action items
/// in the tracker's lists (state, owner, ticket, due, overdue).
struct DocumentFacts: Sendable, Equatable {
    /// Day of the incident since the epoch; `Int.max` when undated (the archive's order).
    var day: Int
    var id: String
    var path: String
    var causes: [String]
    var services: [String]
    var tags: [String]
    var related: [String]
    var owners: [String]
    var items: String

    /// Whether this document comes before `other` in the archive's chronological order (day, id, path).
    func isBefore(_ other: DocumentFacts) -> Bool {
        if day != other.day { return day < other.day }
        if id != other.id { return id < other.id }
        return path < other.path
    }

    /// One line without tabs or line breaks: fields split by U+001E, list items by U+001F, each
    /// item prefixed with `=` (an empty list and a list of one empty name differ) and escaped.
    /// The first seven fields are what places the document in lists (``placementEnd(of:)``).
    func encoded() -> String {
        func list(_ values: [String]) -> String { values.map { "=" + Self.escape($0) }.joined(separator: "\u{1F}") }
        return [String(day), Self.escape(id), Self.escape(path), list(causes), list(services), list(tags), list(related), list(owners),
                items].joined(separator: "\u{1E}")
    }

    /// Where the fields that place a document end in its ``encoded()`` bytes: day, id, path,
    /// causes, services, tags and links, before its owners and items (what a postmortem page's
    /// lists are chosen by). U+001E separates fields and escaping keeps it out of them.
    static func placementEnd(of encoded: UnsafeBufferPointer<UInt8>) -> Int {
        var fields = 0
        for position in encoded.indices where encoded[position] == 0x1E {
            fields += 1
            if fields == 7 { return position }
        }
        return encoded.count
    }

    /// The facts in `text` (``encoded()``); nil when damaged.
    init?(encoded text: String) {
        let fields = text.split(separator: "\u{1E}", omittingEmptySubsequences: false)
        guard fields.count == 9, let day = Int(fields[0]), let id = Self.unescape(fields[1]), let path = Self.unescape(fields[2]) else { return nil }
        func list(_ field: Substring) -> [String]? {
            if field.isEmpty { return [] }
            var out: [String] = []
            for item in field.split(separator: "\u{1F}", omittingEmptySubsequences: false) {
                guard item.first == "=", let value = Self.unescape(item.dropFirst()) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let causes = list(fields[3]), let services = list(fields[4]), let tags = list(fields[5]), let related = list(fields[6]),
              let owners = list(fields[7]) else { return nil }
        self.init(day: day, id: id, path: path, causes: causes, services: services, tags: tags, related: related, owners: owners,
                  items: String(fields[8]))
    }

    init(day: Int, id: String, path: String, causes: [String], services: [String], tags: [String], related: [String], owners: [String],
         items: String) {
        self.day = day
        self.id = id
        self.path = path
        self.causes = causes
        self.services = services
        self.tags = tags
        self.related = related
        self.owners = owners
        self.items = items
    }

    /// Percent-escapes `%`, tab, line breaks and the two separators.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x1E || $0 == 0x1F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%", "\t", "\n", "\r", "\u{1E}", "\u{1F}": out += "%" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ text: Substring) -> String? {
        // Bytes, not Foundation's `contains` (a `range(of:)` per call: 10,000 paths per rebuild).
        guard text.utf8.contains(0x25) else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == 0x25 else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension PageInputs {
    /// Which pages keep last build's inputs key (``PageInputs/reusedKey(for:model:)``): worked out from
    /// the documents that changed, their facts before and after, and the names that changed.
    ///
    /// A page keeps its key when every input it declares is provably what it was:
    /// - a postmortem page: its document kept its content, slug and listing digest; no document
    ///   whose file name its body's links can end with was added, removed or changed (or, for a
    ///   body whose links cannot be told, no path or page at all); no document that changed (as it
    ///   was, or as it is) comes before it in
    ///   one of its groups; none has an id it links to, or links to its id; its causes' names
    ///   (slug, recurrence) are unchanged;
    /// - a list part: no row changed, and every list keeps its members and their order: no
    ///   document was added or removed or moved in time, none joined or left the part's parent
    ///   group, and (for action-item lists) none changed what places its items;
    /// - a cause, service or tag page: no document that changed is or was in its group, its
    ///   name is unchanged, and the recurrence and quarter digests it declares are the same;
    /// - an owner page: as a list, and no document that changed has or had an item of its owner.
    /// Every other page (archive-wide, search, redirects, sitemaps: few, and cheap) is hashed.
    final class Reuse: Sendable {
        let pages: [String: BuildCache.Entry]
        /// By document index: its listing digest changed (or it is new).
        let dirty: [Bool]
        /// By document index: its own page's file, slug or listing digest changed.
        let ownChanged: [Bool]
        let bodySame: Bool
        let recurrenceSame: Bool
        let quartersSame: Bool
        /// Names whose slug (or, for a cause, recurrence) changed, by kind.
        let changedCauses: Set<String>
        let changedServices: Set<String>
        let changedTags: Set<String>
        let changedOwners: Set<String>
        /// For each cause, service and tag holding a changed document, now or before: the
        /// earliest such document.
        let causeFrontier: [String: DocumentFacts]
        let serviceFrontier: [String: DocumentFacts]
        let tagFrontier: [String: DocumentFacts]
        /// Ids of the changed documents (now and before), and the ids they link to.
        let dirtyIDs: Set<String>
        let dirtyLinks: Set<String>
        /// Owners of the changed documents' action items (now and before).
        let dirtyOwners: Set<String>
        /// File names of the documents added, removed, or whose content, page or history
        /// changed: a body whose links can end with one of them may render otherwise.
        let dirtyFileNames: Set<String>
        /// Parent pages whose lists gained or lost a document.
        let unstableParents: Set<String>
        /// Some document was added, removed or moved in time: every list may have shifted.
        let allListsUnstable: Bool
        /// Some changed document changed what places its action items.
        let actionListsUnstable: Bool

        /// "Now" is what it was (the document context holds it; the rest of it is in the global
        /// key, which reuse requires to be the same).
        let nowSame: Bool
        let datedTemplates: Set<String>

        init(model: SiteModel, made: [Document], previous: PageKeyState, stored: [String: DocumentRecord], pages: [String: BuildCache.Entry],
             current: PageKeyState, changedNames: Set<String>, datedTemplates: Set<String>) {
            self.pages = pages
            nowSame = previous.documentContext == current.documentContext
            self.datedTemplates = datedTemplates
            func names(_ kind: Character) -> Set<String> { Set(changedNames.filter { $0.first == kind }.map { String($0.dropFirst()) }) }
            changedCauses = names("c")
            changedServices = names("s")
            changedTags = names("t")
            changedOwners = names("o")
            bodySame = previous.bodyContext == current.bodyContext
            recurrenceSame = previous.recurrence == current.recurrence
            quartersSame = previous.quarters == current.quarters
            dirty = made.map { $0.status == .changed || $0.status == .added }
            ownChanged = made.map { $0.status != .kept }
            var versions: [DocumentFacts] = []
            var fileNames: Set<String> = []
            for (index, document) in made.enumerated() where document.status != .kept {
                fileNames.insert(RawDocument.lastComponent(of: model.archive.postmortems[index].path))
            }
            var moved = false
            var actionLists = false
            var parents: Set<String> = []
            // Documents that changed: both versions.
            for (index, document) in made.enumerated() where document.status == .changed || document.status == .added {
                let path = model.archive.postmortems[index].path
                guard let now = DocumentFacts(encoded: document.record.facts) else {
                    moved = true
                    continue
                }
                versions.append(now)
                guard let stored = stored[path], let before = DocumentFacts(encoded: stored.facts) else {
                    moved = true
                    continue
                }
                versions.append(before)
                if before.day != now.day || before.id != now.id { moved = true }
                if before.items != now.items || before.owners != now.owners { actionLists = true }
                for cause in Set(before.causes).symmetricDifference(now.causes) { parents.insert(model.causeURL(cause)) }
                for service in Set(before.services).symmetricDifference(now.services) { parents.insert(model.serviceURL(service)) }
                for tag in Set(before.tags).symmetricDifference(now.tags) { parents.insert(model.tagURL(tag)) }
            }
            // Documents removed since: their previous version. (None when none was added and the count is the same.)
            if made.contains(where: { $0.status == .added }) || previous.documents.count != made.count {
                for record in previous.documents where model.slugByPath[record.path] == nil {
                    moved = true
                    fileNames.insert(RawDocument.lastComponent(of: record.path))
                    if let before = DocumentFacts(encoded: record.facts) { versions.append(before) }
                }
            }
            var causes: [String: DocumentFacts] = [:], services: [String: DocumentFacts] = [:], tags: [String: DocumentFacts] = [:]
            func earliest(_ frontier: inout [String: DocumentFacts], _ names: [String], _ version: DocumentFacts) {
                for name in names where frontier[name].map({ !$0.isBefore(version) }) ?? true { frontier[name] = version }
            }
            var ids: Set<String> = [], links: Set<String> = [], owners: Set<String> = []
            for version in versions {
                earliest(&causes, version.causes, version)
                earliest(&services, version.services, version)
                earliest(&tags, version.tags, version)
                ids.insert(version.id)
                links.formUnion(version.related)
                owners.formUnion(version.owners)
            }
            causeFrontier = causes
            serviceFrontier = services
            tagFrontier = tags
            dirtyIDs = ids
            dirtyLinks = links
            dirtyOwners = owners
            dirtyFileNames = fileNames
            unstableParents = parents
            allListsUnstable = moved
            actionListsUnstable = actionLists
        }

        /// Whether `page` keeps last build's key (see the type's documentation).
        func keeps(_ page: any Page, model: SiteModel) -> Bool {
            if !nowSame, PageInputs.readsNow(page, model: model, datedTemplates: datedTemplates) { return false }
            switch page {
            case let page as PostmortemPage:
                return keepsPostmortemPage(page.index, model: model)
            case let page as ListPartPage:
                guard !allListsUnstable, !unstableParents.contains(page.parentURL) else { return false }
                switch page.rows {
                case .postmortems(let indexes):
                    return !indexes.contains { dirty[$0] }
                case .actionItems(let refs):
                    return !actionListsUnstable && !refs.contains { dirty[$0.postmortem] }
                }
            case let page as CausePage:
                return quartersSame && causeFrontier[page.cause] == nil && !changedCauses.contains(page.cause)
            case let page as ServicePage:
                return recurrenceSame && quartersSame && serviceFrontier[page.service] == nil && !changedServices.contains(page.service)
            case let page as TagPage:
                return recurrenceSame && quartersSame && tagFrontier[page.tag] == nil && !changedTags.contains(page.tag)
            case let page as OwnerPage:
                return !allListsUnstable && !actionListsUnstable && !dirtyOwners.contains(page.owner) && !changedOwners.contains(page.owner)
            default:
                return false
            }
        }

        private func keepsPostmortemPage(_ index: Int, model: SiteModel) -> Bool {
            guard !ownChanged[index] else { return false }
            // Its body: the documents its links can name, or (links it cannot tell) every path.
            if let tails = model.linkTails(index) {
                if !dirtyFileNames.isEmpty, SiteModel.linkedFileNames(tails).contains(where: dirtyFileNames.contains) { return false }
            } else if !bodySame {
                return false
            }
            // Unchanged documents keep their facts: the current ones are the stored ones.
            let postmortem = model.archive.postmortems[index]
            let position = (postmortem.date?.daysSinceEpoch ?? .max, postmortem.id, postmortem.path)
            // A changed document at or before this one in a group: the prefix it declares may differ.
            func changedBefore(_ frontier: [String: DocumentFacts], _ names: [String]) -> Bool {
                guard !frontier.isEmpty else { return false }
                return names.contains { name in frontier[name].map { !(position < ($0.day, $0.id, $0.path)) } ?? false }
            }
            if !changedCauses.isEmpty, postmortem.allCauses.contains(where: changedCauses.contains) { return false }
            if changedBefore(causeFrontier, postmortem.allCauses) || changedBefore(serviceFrontier, postmortem.services)
                || changedBefore(tagFrontier, postmortem.tags) { return false }
            if !dirtyIDs.isEmpty, postmortem.related.contains(where: { dirtyIDs.contains($0.value) }) { return false }
            return !dirtyLinks.contains(postmortem.id)
        }
    }
}

/// A model shared by reference with the closures of a parallel map.
final class ModelBox: Sendable {
    let model: SiteModel
    init(_ model: SiteModel) { self.model = model }
}

/// Length-prefixed fields hashed into a key: no two different field lists give the same bytes.
struct KeyWriter {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func add(_ fields: String...) {
        for field in fields { append(field) }
    }

    // The common arities without a variadic list (an array per call, tens of thousands a build).
    mutating func add(_ field: String) { append(field) }

    mutating func add(_ first: String, _ second: String) {
        append(first)
        append(second)
    }

    mutating func add(_ first: String, _ second: String, _ third: String, _ fourth: String) {
        append(first)
        append(second)
        append(third)
        append(fourth)
    }

    /// An integer as one field (8 bytes), without making a String.
    mutating func add(int value: Int) {
        appendLength(8)
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Raw bytes as one field.
    mutating func add(bytes field: ArraySlice<UInt8>) {
        appendLength(field.count)
        bytes.append(contentsOf: field)
    }

    /// A list, with its length (so `[a, b]` and `[a], [b]` differ).
    mutating func list(_ values: [String]) {
        append("#\(values.count)")
        for value in values { append(value) }
    }

    private mutating func append(_ field: String) {
        // A native string's bytes in place; a bridged one is made contiguous first.
        let done: Void? = field.utf8.withContiguousStorageIfAvailable { buffer in
            appendLength(buffer.count)
            bytes.append(contentsOf: buffer)
        }
        guard done == nil else { return }
        var field = field
        field.withUTF8 { buffer in
            appendLength(buffer.count)
            bytes.append(contentsOf: buffer)
        }
    }

    private mutating func appendLength(_ count: Int) {
        var count = count
        repeat {
            bytes.append(UInt8(count & 0x7f) | (count > 0x7f ? 0x80 : 0))
            count >>= 7
        } while count > 0
    }

    func digest() -> String { SHA256.hex(bytes) }
}

/// A deterministic text form of a value through reflection: sets and dictionaries are sorted,
/// since their iteration order changes from one process to the next.
enum StableDump {
    static func of(_ value: Any) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any, into out: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .set, .dictionary:
            var parts = mirror.children.map { child -> String in
                var text = ""
                write(child.value, into: &text)
                return text
            }
            parts.sort()
            out += "{" + parts.joined(separator: ",") + "}"
        case .struct, .class, .enum, .tuple, .collection, .optional:
            if mirror.children.isEmpty {
                out += "\(value)"
                return
            }
            out += "("
            for child in mirror.children {
                out += (child.label ?? "_") + ":"
                write(child.value, into: &out)
                out += ";"
            }
            out += ")"
        default:
            out += String(reflecting: value).utf8.count.description + ":" + String(reflecting: value)
        }
    }
}

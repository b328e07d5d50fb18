import InquestCore

/// Page keys from declared dependencies: what each kind of page reads, as small digests computed
/// once per build, so that a page whose inputs did not change is recognised without building
/// its template context.
///
/// A page's **inputs key** hashes its identity (path, template, title, section), the build-wide
/// facts (``global``: generator, theme, settings, "now", catalogue, history-wide facts) and the
/// digests of the documents it can show:
///
/// - a document's **listing digest** (``documentDigests``) covers everything a page other than the
///   document's own reads about it: its summary (itself a value with every URL, label and flag a
///   list shows), its front-matter facts, its action items as lists show them (inline HTML,
///   state, owner link, overdue days), the plain text of its Summary section (the feed), and its
///   git history. A body edit outside those leaves it unchanged;
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
struct PageInputs: Sendable {
    /// Build-wide facts every page depends on.
    let global: String
    /// Listing digest of each document, by index.
    let documentDigests: [String]
    /// Every document's listing digest, in path order: what archive-wide pages read.
    let archiveDigest: String
    /// Digest of each cause's, service's and tag's documents, in the group's (chronological) order.
    let causeDigests: [String: String]
    let serviceDigests: [String: String]
    let tagDigests: [String: String]
    /// For each cause, service and tag, the digests of its documents' chronological prefixes:
    /// `chains[group]` holds, 32 bytes each, the digest of the group's first `k` documents for
    /// every `k` (``prefixChains(_:digests:)``).
    /// A postmortem page chooses its "earlier incidents" and related lists among the earlier
    /// documents of its groups only, so it declares the prefix before itself: a later incident
    /// (a new one, or an edit of the newest) does not re-key every page that shares a service.
    let causeChains: [String: [UInt8]]
    let serviceChains: [String: [UInt8]]
    let tagChains: [String: [UInt8]]
    /// Recurrence count of every cause (cause references show counts).
    let recurrenceDigest: String
    /// The archive's quarter range (every chart's axis).
    let quartersDigest: String

    init(model: SiteModel, theme: Theme, generator: String) {
        let archive = model.archive
        var writer = KeyWriter()
        writer.add("generator", generator, InquestSite.generatorVersion, theme.fingerprint)
        Self.addSettings(model.settings, into: &writer)
        writer.add("now", model.now?.description ?? "-", model.buildTime.map(Format.rfc3339) ?? "-")
        writer.add("catalogue", archive.catalogue?.path ?? "-")
        for entry in archive.catalogue?.entries ?? [] {
            writer.add(entry.id, entry.title, entry.description, entry.category ?? "\u{1}")
            writer.list(entry.aliases)
        }
        if let history = archive.history {
            writer.add("history", history.isShallow ? "shallow" : "full", history.commitTime.map(Format.rfc3339) ?? "-",
                       history.actionItems.isEmpty ? "no-items" : "items")
            for change in history.idChanges { writer.add(change.oldID, change.newID) }
        } else {
            writer.add("no history")
        }
        // Slugs depend on every id (collisions get suffixes); the body's link rewriting on every path.
        writer.add("body", model.bodyContextKey)
        global = writer.digest()

        // Boxed: a closure capturing the model copied (retained every field of) it per document.
        let box = ModelBox(model)
        documentDigests = parallelMap(Array(0..<archive.postmortems.count)) { Self.documentDigest(box.model, $0) }
        var all = KeyWriter()
        for digest in documentDigests { all.add(digest) }
        archiveDigest = all.digest()
        let digests = documentDigests
        func groups(_ members: [String: [Int]]) -> [String: String] {
            members.mapValues { indexes in
                var group = KeyWriter()
                for index in indexes { group.add(digests[index]) }
                return group.digest()
            }
        }
        causeDigests = groups(archive.byCause)
        serviceDigests = groups(archive.byService)
        tagDigests = groups(archive.byTag)
        causeChains = Self.prefixChains(archive.byCause, digests: digests)
        serviceChains = Self.prefixChains(archive.byService, digests: digests)
        tagChains = Self.prefixChains(archive.byTag, digests: digests)
        var counts = KeyWriter()
        for recurrence in model.recurrence { counts.add(recurrence.cause, String(recurrence.count)) }
        recurrenceDigest = counts.digest()
        var quarters = KeyWriter()
        quarters.add(model.quarters.first.map { "\($0.year) \($0.quarter)" } ?? "-", model.quarters.last.map { "\($0.year) \($0.quarter)" } ?? "-")
        quartersDigest = quarters.digest()
    }

    /// Chained digests of every group's chronological prefixes, as raw bytes (no String per
    /// document per group): digest `k` hashes digest `k - 1` with the listing digest of the
    /// group's `k`-th document (digest 0 is 32 zero bytes), so a page reads the digest of any
    /// prefix without hashing the prefix again. Groups are independent: worked out on all cores.
    static func prefixChains(_ members: [String: [Int]], digests: [String]) -> [String: [UInt8]] {
        let groups = members.map { (name: $0.key, indexes: $0.value) }
        let chains = parallelMap(groups) { group -> [UInt8] in
            var chain = [UInt8](repeating: 0, count: 32)
            chain.reserveCapacity((group.indexes.count + 1) * 32)
            for index in group.indexes {
                var hasher = SHA256()
                hasher.update(chain[(chain.count - 32)...])
                hasher.update(digests[index])
                chain.append(contentsOf: hasher.finalizeBytes())
            }
            return chain
        }
        var out: [String: [UInt8]] = [:]
        out.reserveCapacity(groups.count)
        for (group, chain) in zip(groups, chains) { out[group.name] = chain }
        return out
    }

    /// Adds the prefix digest of `group`'s documents that come before document `index` in
    /// chronological order (the group's order), with its length; a marker when `index`'s group
    /// is unknown.
    static func addEarlierPrefix(_ chains: [String: [UInt8]], _ group: String, members: [Int]?, before index: Int, rank: [Int],
                                 into writer: inout KeyWriter) {
        guard let members, let chain = chains[group], chain.count == (members.count + 1) * 32 else {
            writer.add("-")
            return
        }
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

    /// Every setting a page can show or depend on. The schema is written field by field through
    /// a deterministic dump (sets and dictionaries sorted): parsing depends on it.
    static func addSettings(_ settings: SiteSettings, into writer: inout KeyWriter) {
        writer.add("settings", settings.title, settings.baseURL ?? "\u{1}", settings.repoURL ?? "\u{1}", settings.ticketURL ?? "\u{1}",
                   settings.repositoryPrefix)
        writer.list(settings.teams)
        writer.add(StableDump.of(settings.schema))
    }

    /// What a page other than document `index`'s own reads about it (see the type's documentation).
    static func documentDigest(_ model: borrowing SiteModel, _ index: Int) -> String {
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
        // The feed's summary text.
        writer.add(model.summaryText(index) ?? "\u{1}")
        // Action items as every list shows them; never their byte offsets, which a body edit above them moves.
        for item in view.actionItems {
            // Not `owner.map(model.ownerURL)`: a method reference captures (copies) the whole model.
            let ownerURL: String
            if let owner = item.item.owner { ownerURL = model.ownerURL(owner) } else { ownerURL = "-" }
            writer.add("item", String(item.ordinal), item.item.text, item.item.state.rawValue, item.item.owner ?? "\u{1}",
                       item.item.ticket ?? "\u{1}", item.item.due?.description ?? "-",
                       item.isOverdue ? "overdue" : "-", item.daysOverdue.map { String($0) } ?? "-",
                       ownerURL)
            // The Markdown both HTML forms are made from (with owner, ticket and due above).
            if let markdown = item.markdown { writer.add(bytes: markdown) } else { writer.add("no paragraph") }
        }
        if let history = model.archive.history {
            if let document = history.documents[postmortem.path] {
                for commit in document.commits { addCommit(commit, into: &writer) }
                writer.list(document.contributors)
                writer.list(document.previousPaths)
            } else {
                writer.add("no document history")
            }
            for events in history.actionItems[postmortem.path] ?? [] {
                if let events {
                    writer.add("events")
                    for commit in [events.added, events.ticked] {
                        if let commit { addCommit(commit, into: &writer) } else { writer.add("-") }
                    }
                } else {
                    writer.add("no events")
                }
            }
        }
        return writer.digest()
    }

    static func addCommit(_ commit: ArchiveHistory.Commit, into writer: inout KeyWriter) {
        writer.add(commit.sha, commit.shortSHA, commit.author, "\(commit.time.seconds) \(commit.time.offsetMinutes)", commit.summary)
    }

    /// The inputs key of `page`; nil for a page kind that declares nothing (judged by its context).
    func key(for page: any Page, model: SiteModel) -> String? {
        var writer = KeyWriter()
        writer.add(global, page.path, page.template, page.title, page.section ?? "\u{1}")
        switch page {
        case let page as PostmortemPage:
            addPostmortemPage(page.index, model: model, into: &writer)
        case let page as ListPartPage:
            writer.add("part", page.parentURL, page.parentLabel, page.lede)
            // The pager is a function of its outline and the current part (the page's path).
            writer.add("pager", page.pager.home, page.pager.homeLabel, String(page.pager.total))
            for link in page.pager.links { writer.add(link.year, String(link.number), link.path, String(link.count)) }
            switch page.rows {
            case .postmortems(let indexes):
                for index in indexes { writer.add(documentDigests[index]) }
            case .actionItems(let refs):
                for ref in refs { writer.add(documentDigests[ref.postmortem], String(ref.position)) }
            }
        case let page as CausePage:
            writer.add("cause", page.cause, causeDigests[page.cause] ?? "-", quartersDigest)
        case let page as ServicePage:
            writer.add("service", page.service, serviceDigests[page.service] ?? "-", recurrenceDigest, quartersDigest)
        case let page as TagPage:
            writer.add("tag", page.tag, tagDigests[page.tag] ?? "-", recurrenceDigest, quartersDigest)
        case let page as OwnerPage:
            writer.add("owner", page.owner)
            for ref in page.refs(model) { writer.add(documentDigests[ref.postmortem], String(ref.position)) }
        case let page as SearchDataPage:
            // The context is the script itself: its digest stands for it.
            writer.add("search", page.inputsDigest(model))
        case is IndexPage, is CausesPage, is ServicesPage, is TagsPage, is ActionItemsPage, is StatsPage, is SearchPage,
             is NotFoundPage, is FeedPage, is SitemapPage, is RedirectPage:
            writer.add("archive", archiveDigest, recurrenceDigest, quartersDigest)
        default:
            return nil
        }
        return writer.digest()
    }

    /// A postmortem page: its file, its own listing facts, its links and backlinks, and the
    /// documents its cause lists and related list choose from: those of its causes, services and
    /// tags that come before it (``addEarlierPrefix(_:_:members:before:rank:into:)``), plus whether each
    /// of its causes recurs (cause links show it, and it depends on the whole archive).
    private func addPostmortemPage(_ index: Int, model: SiteModel, into writer: inout KeyWriter) {
        let archive = model.archive
        let postmortem = archive.postmortems[index]
        let rank = archive.chronologicalRank
        // A stub (and a document read from git) carries its content id: the bytes are not hashed again.
        writer.add("postmortem", postmortem.path, String(postmortem.source.bytes.count),
                   postmortem.contentID ?? SiteStubs.contentHash(postmortem.source.bytes))
        writer.add(documentDigests[index])
        for cause in postmortem.allCauses.uniqued() {
            let members = archive.byCause[cause]
            writer.add("cause", cause, model.causeURL(cause), (members?.count ?? 0) > 1 ? "recurring" : "once")
            Self.addEarlierPrefix(causeChains, cause, members: members, before: index, rank: rank, into: &writer)
        }
        for service in postmortem.services.uniqued() {
            writer.add("service", service)
            Self.addEarlierPrefix(serviceChains, service, members: archive.byService[service], before: index, rank: rank, into: &writer)
        }
        for tag in postmortem.tags.uniqued() {
            writer.add("tag", tag)
            Self.addEarlierPrefix(tagChains, tag, members: archive.byTag[tag], before: index, rank: rank, into: &writer)
        }
        for link in postmortem.related.map(\.value) {
            writer.add("link", link)
            for other in archive.byID[link] ?? [] { writer.add(documentDigests[other]) }
        }
        writer.add("backlinks")
        for other in archive.relatedBy[postmortem.id] ?? [] { writer.add(documentDigests[other]) }
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

import Dispatch
import Foundation

/// The cross-document index, computed once per run and shared by the rules, the commands and the site.
public struct Archive: Sendable {
    /// Every postmortem, sorted by path.
    public private(set) var postmortems: [Postmortem]
    /// Indexes into ``postmortems`` by id (more than one means a duplicate id).
    public let byID: [String: [Int]]
    /// Indexes by cause id (root causes and contributing factors), oldest incident first.
    public let byCause: [String: [Int]]
    /// Indexes by service, oldest first (built on first use: lint never asks).
    public var byService: [String: [Int]] { siteIndexes.byService }
    /// Indexes by tag, oldest first (built on first use).
    public var byTag: [String: [Int]] { siteIndexes.byTag }
    /// The root-cause catalogue; nil when the file does not exist.
    public let catalogue: CauseCatalogue?
    /// Every document path, for link checks (built on first use; ``indexes(ofPath:)`` answers
    /// the same question without it).
    public var pathSet: Set<String> { siteIndexes.paths }
    /// Postmortems by the ids their `related` lists name (backlink index; built on first use).
    public var relatedBy: [String: [Int]] { siteIndexes.relatedBy }
    /// Root-cause texts that read alike without sharing a cause id, computed once (see ``SimilarityIndex``).
    public private(set) var similarity: SimilarityIndex
    /// Git history of the documents, when the archive was read from a repository (set by the git layer).
    public var history: ArchiveHistory?
    /// Each postmortem's position in chronological order (0 = oldest), by index.
    public let chronologicalRank: [Int]
    /// Open action items per postmortem, by index: (1-based line, ticket). Precomputed so
    /// recurrence rules do not walk every earlier document's items for every document.
    public private(set) var openActionItems: [[(line: Int, ticket: String?)]]
    /// Indexes by cause id, oldest first, of the postmortems that have open action items: the
    /// subsequence of ``byCause`` that `causes/open-action-items` needs, so a document does not
    /// walk every incident of its causes.
    public let openItemsByCause: [String: [Int]]
    /// Indexes by path (one entry, unless the input named a path twice), so rules find "this
    /// document" without comparing path strings over a cause's incidents.
    public let byPath: [String: [Int]]
    /// "id (date)" per postmortem, by index: how `causes/recurring` lists other incidents, made
    /// once (on first use) rather than for every document that cites the same cause.
    public var incidentLabels: [String] { siteIndexes.labels }

    /// ``incidentLabels``[`index`], made on its own: `causes/recurring` on one document lists a
    /// few incidents, and labelling all 10,000 for them cost more than the rest of the rule.
    public func incidentLabel(_ index: Int) -> String {
        siteIndexes.label(at: index) { postmortems.withUnsafeBufferPointer { LazyIndexes.label(id: $0[index].id, date: $0[index].date) } }
    }
    /// The indexes above that a lint run seldom or never reads, built when first asked for: at
    /// 10,000 cached documents building them was a tenth of a one-file lint.
    private let siteIndexes: LazyIndexes
    /// `causes/open-action-items`' running totals per cause (``OpenItemsTimeline``), made on
    /// first use; a copy whose documents or open items may differ gets its own.
    private(set) var openItemsTimelines = OpenItemsTimelines()

    public init(postmortems: [Postmortem], catalogue: CauseCatalogue?) {
        self.init(postmortems: postmortems, catalogue: catalogue, knownFacts: [], similarityFor: nil)
    }

    /// The archive without the similarity index (``similarity`` finds nothing): for readers that
    /// never ask which root causes read alike, such as the site, which then does not extract
    /// every document's Root Causes terms. Every other index is the one ``init(postmortems:catalogue:)`` builds.
    public static func withoutSimilarity(postmortems: [Postmortem], catalogue: CauseCatalogue?) -> Archive {
        let facts = postmortems.map { IndexedFacts(openItems: openItems(of: $0), terms: [], termIDs: []) }
        return Archive(postmortems: postmortems, catalogue: catalogue, knownFacts: facts, similarityFor: [])
    }

    /// This archive with each document swapped for `documents[i]`, the same document (same
    /// path, id, date, causes, services, tags and links) parsed in full where this archive holds
    /// lint's stub of it, and no similarity index: what ``withoutSimilarity(postmortems:catalogue:)``
    /// builds from `documents`, without working every index out again. Nil when a document or
    /// its open action items do not match (the caller then builds the archive).
    public func withDocuments(_ documents: [Postmortem]) -> Archive? {
        guard documents.count == postmortems.count else { return nil }
        let open = documents.map(Self.openItems(of:))
        let same = postmortems.withUnsafeBufferPointer { old in
            documents.withUnsafeBufferPointer { new in
                (0..<new.count).allSatisfy { index in
                    let a = old.baseAddress! + index, b = new.baseAddress! + index
                    // Values compared in place (no array of values made per list and document).
                    return a.pointee.path == b.pointee.path && a.pointee.id == b.pointee.id && a.pointee.date == b.pointee.date
                        && a.pointee.rootCauses.elementsEqual(b.pointee.rootCauses) { $0.value == $1.value }
                        && a.pointee.contributingFactors.elementsEqual(b.pointee.contributingFactors) { $0.value == $1.value }
                        && a.pointee.services == b.pointee.services && a.pointee.tags == b.pointee.tags
                        && a.pointee.related.elementsEqual(b.pointee.related) { $0.value == $1.value }
                        && open[index].count == openActionItems[index].count
                        && zip(open[index], openActionItems[index]).allSatisfy { $0.line == $1.line && $0.ticket == $1.ticket }
                }
            }
        }
        guard same else { return nil }
        var copy = self
        copy.postmortems = documents
        copy.openActionItems = open
        copy.openItemsTimelines = OpenItemsTimelines()
        copy.similarity = SimilarityIndex(neighbours: Array(repeating: [], count: documents.count))
        return copy
    }

    /// What the indexes read from a document besides its front-matter fields, precomputed (the
    /// lint cache keeps it, so a cached document enters the archive without its body).
    struct IndexedFacts: Sendable {
        var openItems: [(line: Int, ticket: String?)]
        var terms: [(key: String, value: Int)]
        /// The terms as ids into the `termTable` given to the initializer, instead of ``terms``.
        var termIDs: [(term: Int, count: Int)]?
    }

    /// Open action items as ``openActionItems`` lists them.
    static func openItems(of postmortem: Postmortem) -> [(line: Int, ticket: String?)] {
        postmortem.actionItems.filter { $0.state == .open }.map { (postmortem.line(of: $0), $0.ticket) }
    }

    /// The similarity terms of the Root Causes text.
    static func similarityTerms(of postmortem: Postmortem) -> [(key: String, value: Int)] {
        SimilarityIndex.sortedTerms(postmortem.section("Root Causes").map { RootCauseText.of($0) } ?? "")
    }

    /// - Parameters:
    ///   - knownFacts: precomputed facts, aligned with `postmortems` (or empty), used instead of
    ///     reading those documents' bodies.
    ///   - similarityFor: compute similar documents only for these paths (nil: for all).
    ///   - termTable: the terms ``IndexedFacts/termIDs`` index.
    ///   - precomputedSimilarity: the similarity index for exactly these postmortems in path
    ///     order and `similarityFor` (the lint cache computes it from stored frequencies), used
    ///     instead of computing it here.
    init(postmortems: [Postmortem], catalogue: CauseCatalogue?, knownFacts: [IndexedFacts?], termTable: [String] = [],
         similarityFor: Set<String>?, precomputedSimilarity: SimilarityIndex? = nil) {
        // Fields are read through buffer pointers: `array.map { $0.path }` and friends copied
        // (retained and released) every field of each postmortem, at 10,000 stubs a fifth of a
        // warm one-file lint.
        let count = postmortems.count
        let alignedFacts = knownFacts.count == count ? knownFacts : Array(repeating: nil, count: count)
        // Usually already in path order (sources list sorted): sorting would copy every postmortem.
        let inOrder = postmortems.withUnsafeBufferPointer { p in count < 2 || (1..<count).allSatisfy { p[$0 - 1].path < p[$0].path } }
        let sorted: [Postmortem]
        let facts: [IndexedFacts?]
        if inOrder {
            sorted = postmortems
            facts = alignedFacts
        } else {
            let order = postmortems.withUnsafeBufferPointer { p in Array(0..<count).sorted { p[$0].path < p[$1].path } }
            sorted = order.map { postmortems[$0] }
            facts = order.map { alignedFacts[$0] }
        }
        self.postmortems = sorted
        self.catalogue = catalogue
        var byCause: [String: [Int]] = [:]
        var days: [Int] = []
        var openItems: [[(line: Int, ticket: String?)]] = []
        days.reserveCapacity(count)
        openItems.reserveCapacity(count)
        // The id and path indexes (two dictionaries of every document) on another core while
        // this one makes the rest, for a large archive.
        let idsAndPaths = IndexTask(sorted, background: count >= 2_048)
        sorted.withUnsafeBufferPointer { p in
            for index in 0..<count {
                // Each distinct cause once per document, without building `allCauses`.
                Self.forEachDistinctCause(of: p[index]) { byCause[$0, default: []].append(index) }
                days.append(p[index].date?.daysSinceEpoch ?? .max)
                openItems.append(facts[index]?.openItems ?? Self.openItems(of: p[index]))
            }
        }
        // Chronological order (day, id, path): sorted as integers holding the day and the
        // position, then ids and paths compared only within a day (a few documents each), read
        // in place (no key struct retaining two Strings per document). The position breaks
        // the last ties as a stable sort would.
        var keys = days.enumerated().map { index, day in
            // Order-preserving for negative days too; undated documents (`.max`) last.
            UInt64(UInt32(bitPattern: Int32(clamping: day)) ^ 0x8000_0000) << 32 | UInt64(index)
        }
        keys.sort()
        var order = keys.map { Int($0 & 0xFFFF_FFFF) }
        sorted.withUnsafeBufferPointer { p in
            var start = 0
            while start < count {
                var end = start + 1
                while end < count, keys[end] >> 32 == keys[start] >> 32 { end += 1 }
                if end - start > 1 {
                    order[start..<end].sort { a, b in
                        if p[a].id != p[b].id { return p[a].id < p[b].id }
                        if p[a].path != p[b].path { return p[a].path < p[b].path }
                        return a < b
                    }
                }
                start = end
            }
        }
        var rank = Array(repeating: 0, count: count)
        for (position, index) in order.enumerated() { rank[index] = position }
        chronologicalRank = rank
        let chronological: (Int, Int) -> Bool = { a, b in rank[a] < rank[b] }
        openActionItems = openItems
        let (byID, byPath) = idsAndPaths.result()
        self.byID = byID
        let byCauseSorted = byCause.mapValues { $0.count < 2 ? $0 : $0.sorted(by: chronological) }
        self.byCause = byCauseSorted
        openItemsByCause = byCauseSorted.compactMapValues { indexes in
            let open = indexes.filter { !openItems[$0].isEmpty }
            return open.isEmpty ? nil : open
        }
        self.byPath = byPath
        siteIndexes = LazyIndexes(postmortems: sorted, rank: rank)
        // `causes/similar`, the index's only reader, reports an earlier incident that shares no
        // cause id with the document: only such pairs are kept (see ``similarityKeeps``).
        if let precomputedSimilarity, precomputedSimilarity.neighbours.count == count, inOrder {
            // Cause ids only for the documents the lists name (a run checking one document has
            // one non-empty list), not for the whole archive.
            similarity = Self.keepingUnshared(precomputedSimilarity, documents: sorted, rank: rank)
            return
        }
        var only: Set<Int>? = similarityFor.map { paths in
            var indexes: Set<Int> = []
            for path in paths { for index in byPath[path] ?? [] { indexes.insert(index) } }
            return indexes
        }
        // Every document asked for (a lint without a usable cache checks them all): the plain
        // pass over all pairs, which is cheaper than the one that filters by `only`.
        if let asked = only, !asked.isEmpty, asked.count == count { only = nil }
        // Nobody asks (the site's archive, or paths not in the archive): no terms, no cause ids.
        if let only, only.isEmpty {
            similarity = SimilarityIndex(neighbours: Array(repeating: [], count: count))
            return
        }
        // Terms are read from the text only for documents whose terms are not known (in parallel).
        let unknownTerms = (0..<count).filter { facts[$0]?.termIDs == nil }
        let computed = parallelMap(unknownTerms) { index in facts[index]?.terms ?? Self.similarityTerms(of: sorted[index]) }
        var termBags: [Int: [(key: String, value: Int)]] = [:]
        for (index, bag) in zip(unknownTerms, computed) { termBags[index] = bag }
        // The table is made only to name new terms: with every document's ids known, its size is all the index needs.
        var table = unknownTerms.isEmpty ? nil : TermTable(termTable)
        let idBags = (0..<count).map { facts[$0]?.termIDs ?? table!.ids(termBags[$0] ?? []) }
        let termCount = table?.strings.count ?? termTable.count
        if let only {
            // Lists of a few documents: the cause ids of just the documents they name (the
            // language server checks one document of thousands, keystroke after keystroke).
            similarity = Self.keepingUnshared(SimilarityIndex(idBags: idBags, termCount: termCount, only: only, filter: nil),
                                              documents: sorted, rank: rank)
        } else {
            similarity = SimilarityIndex(idBags: idBags, termCount: termCount, only: nil,
                                         filter: .earlierSharingNoGroup(rank: rank, groups: Self.causeIDs(sorted)))
        }
    }

    /// `index` with only the pairs ``similarityKeeps(_:_:rank:causes:)`` keeps, worked out with
    /// the cause ids of the documents its lists name. Lists made without the filter lose the
    /// same pairs here, in the same order, as the filtered pass leaves out.
    private static func keepingUnshared(_ index: SimilarityIndex, documents: [Postmortem], rank: [Int]) -> SimilarityIndex {
        var involved: Set<Int> = []
        for (document, matches) in index.neighbours.enumerated() where !matches.isEmpty {
            involved.insert(document)
            for match in matches { involved.insert(match.index) }
        }
        let causeIDs = causeIDs(documents, only: involved)
        return SimilarityIndex(neighbours: index.neighbours.enumerated().map { document, matches in
            matches.isEmpty ? matches : matches.filter { similarityKeeps(document, $0.index, rank: rank, causes: causeIDs) }
        })
    }

    /// Whether ``similarity`` lists `b` among `a`'s neighbours: `b` is an earlier incident
    /// (chronological rank) and the two share no cause id (root cause or contributing factor).
    /// `causes/similar` reports nothing else, and at 10,000 documents the other pairs are most of
    /// the similar ones (documents of one cause read alike).
    static func similarityKeeps(_ a: Int, _ b: Int, rank: [Int], causes: [[Int32]]) -> Bool {
        guard rank[b] < rank[a] else { return false }
        for cause in causes[a] where causes[b].contains(cause) { return false }
        return true
    }

    /// Each postmortem's distinct cause ids (``Postmortem/allCauses``) as small integers; with
    /// `only`, just those documents' (the others get none).
    static func causeIDs(_ postmortems: [Postmortem], only: Set<Int>? = nil) -> [[Int32]] {
        var ids: [String: Int32] = [:]
        return postmortems.indices.map { index in
            if let only, !only.contains(index) { return [] }
            var own: [Int32] = []
            for cause in postmortems[index].rootCauses.map(\.value) + postmortems[index].contributingFactors.map(\.value) {
                let id = ids[cause] ?? Int32(ids.count)
                ids[cause] = id
                if !own.contains(id) { own.append(id) }
            }
            return own
        }
    }

    /// Calls `body` once for each distinct cause id of `postmortem` (root causes, then
    /// contributing factors, first occurrence order), without allocating for the usual few.
    static func forEachDistinctCause(of postmortem: Postmortem, _ body: (String) -> Void) {
        let roots = postmortem.rootCauses, factors = postmortem.contributingFactors
        let total = roots.count + factors.count
        if total > 16 {
            var seen: Set<String> = []
            for cause in roots where seen.insert(cause.value).inserted { body(cause.value) }
            for cause in factors where seen.insert(cause.value).inserted { body(cause.value) }
            return
        }
        for index in 0..<total {
            let value = index < roots.count ? roots[index].value : factors[index - roots.count].value
            var repeated = false
            for earlier in 0..<index where (earlier < roots.count ? roots[earlier].value : factors[earlier - roots.count].value) == value {
                repeated = true
                break
            }
            if !repeated { body(value) }
        }
    }

    /// Each distinct value of `values` once (first occurrence order), without a Set for a few.
    static func distinct(_ values: [String]) -> [String] {
        guard values.count > 1 else { return values }
        guard values.count <= 8 else {
            var seen: Set<String> = []
            return values.filter { seen.insert($0).inserted }
        }
        var kept: [String] = []
        kept.reserveCapacity(values.count)
        for value in values where !kept.contains(value) { kept.append(value) }
        return kept
    }

    /// Oldest first: by incident date (undated last), then id, then path, so ties never depend on input order.
    public static func chronologicalOrder(_ a: Postmortem, _ b: Postmortem) -> Bool {
        switch (a.date, b.date) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return (a.id, a.path) < (b.id, b.path)
        }
    }


    /// A copy with `postmortem` (an edited version of a document already in the archive, same
    /// path) in place of the old one, reusing every index; nil when something the indexes are
    /// made of changed (id, date, causes, services, tags, related, the Root Causes text), and the
    /// archive must be built again. Lets an editor re-check a document per keystroke without
    /// re-indexing the archive.
    public func replacing(_ postmortem: Postmortem) -> Archive? {
        guard let index = byID[postmortem.id]?.first(where: { postmortems[$0].path == postmortem.path }),
              Self.indexedFacts(postmortems[index]) == Self.indexedFacts(postmortem) else { return nil }
        let openItems = postmortem.actionItems.filter { $0.state == .open }
            .map { (postmortem.line(of: $0), $0.ticket) }
        // ``openItemsByCause`` lists only documents with open items: a change of that needs a rebuild.
        guard openItems.isEmpty == openActionItems[index].isEmpty else { return nil }
        var copy = self
        copy.postmortems[index] = postmortem
        copy.openActionItems[index] = openItems
        copy.openItemsTimelines = OpenItemsTimelines()
        return copy
    }

    /// What ``init(postmortems:catalogue:)`` derives its indexes from.
    private static func indexedFacts(_ postmortem: Postmortem) -> [String] {
        [postmortem.id, postmortem.date.map(String.init(describing:)) ?? "",
         postmortem.allCauses.joined(separator: ","), postmortem.services.joined(separator: ","),
         postmortem.tags.joined(separator: ","), postmortem.related.map(\.value).joined(separator: ","),
         postmortem.section("Root Causes").map { RootCauseText.of($0) } ?? "\u{0}"]
    }

    /// The indexes of the postmortems at `path` (normally one).
    public func indexes(ofPath path: String) -> [Int] { byPath[path] ?? [] }

    /// Whether `index` is in `indexes`, a list in chronological order (as ``byCause`` keeps them):
    /// a binary search on the chronological rank.
    public func chronologicalList(_ indexes: [Int], contains index: Int) -> Bool {
        let rank = chronologicalRank[index]
        var low = 0, high = indexes.count
        while low < high {
            let mid = (low + high) / 2
            if chronologicalRank[indexes[mid]] < rank { low = mid + 1 } else { high = mid }
        }
        return low < indexes.count && indexes[low] == index
    }

    /// The postmortem with `id` (the first by path if the id is duplicated).
    public func postmortem(id: String) -> Postmortem? {
        byID[id]?.first.map { postmortems[$0] }
    }
}

/// ``Archive/byService``, ``Archive/byTag``, ``Archive/relatedBy`` and ``Archive/incidentLabels``,
/// built on first use from the archive's documents and chronological ranks. Shared by copies of
/// an archive: ``Archive/withDocuments(_:)`` and ``Archive/replacing(_:)`` only swap in
/// documents with the same services, tags, links, ids and dates, so the indexes stay right.
final class LazyIndexes: @unchecked Sendable {
    private let lock = NSLock()
    /// Dropped once every index is built.
    private var postmortems: [Postmortem]?
    private let rank: [Int]
    private var services: [String: [Int]]?
    private var tags: [String: [Int]]?
    private var related: [String: [Int]]?
    private var incidentLabels: [String]?
    private var pathSet: Set<String>?
    private var singleLabels = 0

    init(postmortems: [Postmortem], rank: [Int]) {
        self.postmortems = postmortems
        self.rank = rank
    }

    var byService: [String: [Int]] { value(\.services) { $0.services } }
    var byTag: [String: [Int]] { value(\.tags) { $0.tags } }
    var relatedBy: [String: [Int]] { value(\.related) { $0.related.map(\.value) } }

    var labels: [String] {
        lock.lock()
        defer { lock.unlock() }
        if let incidentLabels { return incidentLabels }
        let made = (postmortems ?? []).map(Self.label)
        incidentLabels = made
        release()
        return made
    }

    var paths: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        if let pathSet { return pathSet }
        var made: Set<String> = []
        made.reserveCapacity(postmortems?.count ?? 0)
        for postmortem in postmortems ?? [] { made.insert(postmortem.path) }
        pathSet = made
        release()
        return made
    }

    /// How ``Archive/incidentLabels`` names a document: "id (date)".
    static func label(_ postmortem: Postmortem) -> String { label(id: postmortem.id, date: postmortem.date) }

    static func label(id: String, date: CalendarDate?) -> String {
        "\(id) (\(date.map(String.init(describing:)) ?? "undated"))"
    }

    /// Label `index`: from the list once it is built; made alone for the first few hundred asks
    /// (a run that checks one document), after which the whole list is built (a run that checks
    /// every document asks for labels hundreds of thousands of times).
    func label(at index: Int, alone: () -> String) -> String {
        lock.lock()
        if let incidentLabels {
            lock.unlock()
            return incidentLabels[index]
        }
        singleLabels += 1
        let whole = singleLabels > 512
        lock.unlock()
        return whole ? labels[index] : alone()
    }

    /// The index in `slot`, made (under the lock) from each document's `values`, oldest first.
    private func value(_ slot: ReferenceWritableKeyPath<LazyIndexes, [String: [Int]]?>, _ values: (Postmortem) -> [String]) -> [String: [Int]] {
        lock.lock()
        defer { lock.unlock() }
        if let built = self[keyPath: slot] { return built }
        var index: [String: [Int]] = [:]
        (postmortems ?? []).withUnsafeBufferPointer { p in
            for position in p.indices {
                for value in Archive.distinct(values(p[position])) { index[value, default: []].append(position) }
            }
        }
        let rank = self.rank
        let built = index.mapValues { $0.count < 2 ? $0 : $0.sorted { rank[$0] < rank[$1] } }
        self[keyPath: slot] = built
        release()
        return built
    }

    private func release() {
        if services != nil, tags != nil, related != nil, incidentLabels != nil, pathSet != nil { postmortems = nil }
    }
}

/// ``Archive/byID`` and ``Archive/byPath``, made on another thread when asked to.
private final class IndexTask: @unchecked Sendable {
    private let group = DispatchGroup()
    private var made: ([String: [Int]], [String: [Int]]) = ([:], [:])

    init(_ postmortems: [Postmortem], background: Bool) {
        if background {
            DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in made = Self.make(postmortems) }
        } else {
            made = Self.make(postmortems)
        }
    }

    func result() -> ([String: [Int]], [String: [Int]]) {
        group.wait()
        return made
    }

    private static func make(_ postmortems: [Postmortem]) -> ([String: [Int]], [String: [Int]]) {
        var byID: [String: [Int]] = [:]
        var byPath: [String: [Int]] = [:]
        byID.reserveCapacity(postmortems.count)
        byPath.reserveCapacity(postmortems.count)
        postmortems.withUnsafeBufferPointer { p in
            for index in p.indices {
                byID[p[index].id, default: []].append(index)
                byPath[p[index].path, default: []].append(index)
            }
        }
        return (byID, byPath)
    }
}

/// How often a cause struck: the postmortems citing it (root cause or contributing factor),
/// oldest first.
public struct CauseRecurrence: Sendable {
    public var cause: String
    /// Indexes into ``Archive/postmortems``, oldest incident first.
    public var occurrences: [Int]
    public var first: CalendarDate?
    public var last: CalendarDate?

    public var count: Int { occurrences.count }
}

/// An action item with the postmortem it belongs to, for archive-wide reports.
public struct ArchiveActionItem: Sendable {
    public var postmortem: Int
    public var item: ActionItem
    /// 1-based line of the item in its file.
    public var line: Int

    /// True when the item is open and its due date is before `now`.
    public func isOverdue(now: CalendarDate?) -> Bool {
        guard item.state == .open, let due = item.due, let now else { return false }
        return due < now
    }

    /// Whole days an overdue item is past its due date as of `now`; nil when it is not overdue.
    public func daysOverdue(now: CalendarDate?) -> Int? {
        guard isOverdue(now: now), let due = item.due, let now else { return nil }
        return now.daysSinceEpoch - due.daysSinceEpoch
    }

    public init(postmortem: Int, item: ActionItem, line: Int) {
        self.postmortem = postmortem
        self.item = item
        self.line = line
    }
}

/// A postmortem related to another, with the score that ranked it.
public struct RelatedPostmortem: Sendable, Equatable {
    public var index: Int
    public var score: Int
    public var sharedCauses: [String]
}

extension Archive {
    /// Weights of the related-postmortem ranking: a shared cause says more than a shared service,
    /// which says more than a shared tag. Explicit `related` links count as much as two causes.
    public static let relatedWeights = (cause: 3, service: 2, tag: 1, link: 6)

    /// Causes sorted by recurrence (most first), then id.
    public var recurrence: [CauseRecurrence] {
        var ids = Set(byCause.keys)
        for entry in catalogue?.entries ?? [] { ids.insert(entry.id) }
        return ids.map { cause in
            let occurrences = byCause[cause] ?? []
            return CauseRecurrence(cause: cause, occurrences: occurrences,
                                   first: occurrences.first.flatMap { postmortems[$0].date },
                                   last: occurrences.last.flatMap { postmortems[$0].date })
        }.sorted { ($0.count, $1.cause) > ($1.count, $0.cause) }
    }

    /// Every action item across the archive, by postmortem (oldest first) then position.
    public var actionItems: [ArchiveActionItem] {
        chronological.flatMap { index in
            postmortems[index].actionItems.map { item in
                ArchiveActionItem(postmortem: index, item: item, line: postmortems[index].line(of: item))
            }
        }
    }

    /// Indexes of all postmortems, oldest incident first.
    public var chronological: [Int] {
        postmortems.indices.sorted { chronologicalRank[$0] < chronologicalRank[$1] }
    }

    /// Postmortems whose `related` lists name `index` (backlinks), oldest first.
    public func backlinks(to index: Int) -> [Int] {
        let id = postmortems[index].id
        return (relatedBy[id] ?? []).filter { $0 != index }
    }

    /// Related postmortems ranked by weighted overlap (causes > services > tags, explicit links
    /// strongest); ties broken by date (newest first) then id, so the order is stable.
    /// `include` narrows the candidates (the site keeps only earlier incidents, so a new one does
    /// not change older pages).
    public func related(to index: Int, limit: Int = 5, include: ((Int) -> Bool)? = nil) -> [RelatedPostmortem] {
        let postmortem = postmortems[index]
        // Scores in an array by index (every weight is positive, so 0 means "not a candidate"):
        // a shared service or tag makes thousands of candidates at 10,000 documents, and a
        // dictionary entry per candidate per page cost more than the rest of the page.
        var scores = [Int](repeating: 0, count: postmortems.count)
        var candidates: [Int] = []
        func add(_ others: [Int]?, _ weight: Int) {
            for other in others ?? [] where other != index {
                if scores[other] == 0 { candidates.append(other) }
                scores[other] += weight
            }
        }
        let causes = Set(postmortem.allCauses)
        for cause in causes { add(byCause[cause], Self.relatedWeights.cause) }
        for service in Set(postmortem.services) { add(byService[service], Self.relatedWeights.service) }
        for tag in Set(postmortem.tags) { add(byTag[tag], Self.relatedWeights.tag) }
        for link in Set(postmortem.related.map(\.value)) { add(byID[link], Self.relatedWeights.link) }
        add(backlinks(to: index), Self.relatedWeights.link)
        // Top-k selection: a cause shared by thousands of incidents must not mean sorting
        // thousands of candidates for every page (that made large archives quadratic). The
        // order is total (paths are unique), so the candidates' order does not matter.
        // Ties are broken reading the postmortems in place: `let x = postmortems[i]` copied (and
        // retained every field of) two postmortems per comparison, and most candidates of a
        // common service or tag tie on score.
        var best: [RelatedPostmortem] = []
        postmortems.withUnsafeBufferPointer { p in
            func ranksBefore(_ a: RelatedPostmortem, _ b: RelatedPostmortem) -> Bool {
                if a.score != b.score { return a.score > b.score }
                let x = p.baseAddress! + a.index, y = p.baseAddress! + b.index
                if x.pointee.date != y.pointee.date {
                    return (x.pointee.date?.daysSinceEpoch ?? .min) > (y.pointee.date?.daysSinceEpoch ?? .min)
                }
                if x.pointee.id != y.pointee.id { return x.pointee.id < y.pointee.id }
                return x.pointee.path < y.pointee.path
            }
            for candidate in candidates where include?(candidate) ?? true {
                let related = RelatedPostmortem(index: candidate, score: scores[candidate], sharedCauses: [])
                guard best.count < limit || ranksBefore(related, best[best.count - 1]) else { continue }
                let position = best.firstIndex { ranksBefore(related, $0) } ?? best.count
                best.insert(related, at: position)
                if best.count > limit { best.removeLast() }
            }
        }
        // The causes each shares: those of this document that the other cites too.
        return best.map { found in
            RelatedPostmortem(index: found.index, score: found.score,
                              sharedCauses: causes.filter { postmortems[found.index].allCauses.contains($0) }.sorted())
        }
    }

    /// "Now" for overdue items: the commit being read, else SOURCE_DATE_EPOCH, never the wall clock.
    public static func referenceDate(history: ArchiveHistory?, environment: [String: String]) -> CalendarDate? {
        referenceTime(history: history, environment: environment)?.localDate
    }

    /// The moment a build or report describes: the time of the commit being read, else
    /// SOURCE_DATE_EPOCH (UTC); nil when neither is known. Never the wall clock, so the same commit
    /// always gives the same output. ``referenceDate(history:environment:)`` is its calendar day.
    public static func referenceTime(history: ArchiveHistory?, environment: [String: String]) -> Timestamp? {
        if let time = history?.commitTime { return time }
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(Int.init) {
            return Timestamp(seconds: epoch, offsetMinutes: 0)
        }
        return nil
    }
}

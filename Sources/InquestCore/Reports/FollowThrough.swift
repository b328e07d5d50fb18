/// Follow-through on action items, from git history: when each item was added and ticked, how
/// long closing took, closure rate and age of open items per quarter, team and service, items
/// ticked without a ticket, and incidents that recurred while an earlier incident's item for
/// the same cause was still open. Shared by `inquest report actions` and the site.
public struct FollowThrough: Sendable {
    /// One action item with its history.
    public struct Item: Sendable {
        public var entry: ArchiveActionItem
        /// Commit that added it (nil without history, or when never committed).
        public var added: ArchiveHistory.Commit?
        /// Commit that ticked it; nil while open.
        public var ticked: ArchiveHistory.Commit?
        /// Days from the adding commit to the ticking commit (nil unless ticked after being added).
        public var daysToClose: Int?
        /// Days an open item has been open, from the adding commit to the reference date.
        public var openDays: Int?
        /// Done, but without a ticket to show what was done.
        public var tickedWithoutTicket: Bool
    }

    /// Aggregates of a group of items (a quarter, a team, a service).
    public struct Group: Sendable {
        public var key: String
        public var total: Int
        public var done: Int
        public var open: Int { total - done }
        /// Done items in percent of all, rounded down.
        public var closurePercent: Int { total == 0 ? 0 : done * 100 / total }
        /// Time to close of the items ticked after being added.
        public var daysToClose: Distribution?
        /// Age of the open items as of the reference date.
        public var openAge: Distribution?
    }

    /// An incident whose cause had struck before while an action item from an earlier incident
    /// of that cause was still open.
    public struct RecurrenceWhileOpen: Sendable {
        public var cause: String
        /// The incident that recurred.
        public var postmortem: Int
        /// Earlier incidents of the cause with an item open at that date, newest first.
        public var earlier: [Int]
        /// How many of their items were open.
        public var openItems: Int
    }

    public var items: [Item]
    /// True when history was available (added/ticked facts are known).
    public var hasHistory: Bool
    /// True when the clone is shallow: the oldest commits are missing, so "added" dates may be
    /// the shallow boundary's and times to close too short.
    public var isShallow: Bool
    public var now: CalendarDate?
    private var archive: Archive

    public init(archive: Archive, now: CalendarDate?) {
        self.archive = archive
        self.now = now
        let history = archive.history
        hasHistory = history.map { !$0.actionItems.isEmpty } ?? false
        isShallow = history?.isShallow ?? false
        var out: [Item] = []
        // Document by document in chronological order (the order of ``Archive/actionItems``),
        // without building that list: each document's history is looked up once.
        let rank = archive.chronologicalRank
        var chronological = [Int](repeating: 0, count: rank.count)
        for (index, position) in rank.enumerated() { chronological[position] = index }
        // Sized once: an item is a large value, and growing the list copied every one made so far.
        archive.postmortems.withUnsafeBufferPointer { documents in
            out.reserveCapacity(documents.reduce(0) { $0 + $1.actionItems.count })
        }
        for index in chronological {
            Self.appendItems(of: index, in: archive, now: now, to: &out)
        }
        items = out
    }

    /// This follow-through for `archive`: this one's archive with the documents at `changed`
    /// swapped by ``Archive/replacing(_:)`` (same dates, so the same chronological order, and
    /// the same history), with the same `now`. Only their items are worked out again: a save in
    /// `inquest serve` (the whole pass was a seventh of a save's work at 10,000 postmortems).
    public func replacing(_ changed: Set<Int>, in archive: Archive) -> FollowThrough {
        var copy = self
        copy.archive = archive
        let rank = archive.chronologicalRank
        // Items are in chronological order of their documents: each document's run is found by
        // its rank and replaced with its items as they are now (none, or more, or fewer).
        for index in changed where rank.indices.contains(index) {
            let target = rank[index]
            let start = copy.firstItem { rank[$0] >= target }
            let end = copy.firstItem { rank[$0] > target }
            var fresh: [Item] = []
            Self.appendItems(of: index, in: archive, now: now, to: &fresh)
            copy.items.replaceSubrange(start..<end, with: fresh)
        }
        return copy
    }

    /// The position of the first item whose document passes `isAtOrAfter` (false for every
    /// document before some point in chronological order, true from it on): a binary search.
    private func firstItem(_ isAtOrAfter: (Int) -> Bool) -> Int {
        var low = 0, high = items.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrAfter(items[middle].entry.postmortem) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Appends the items of the document at `index`, with their history, to `out`.
    private static func appendItems(of index: Int, in archive: Archive, now: CalendarDate?, to out: inout [Item]) {
        // Read in place: a copy of the document retained every one of its fields.
        let (items, path) = archive.postmortems.withUnsafeBufferPointer { ($0[index].actionItems, $0[index].path) }
        guard !items.isEmpty else { return }
        let documentEvents = archive.history?.actionItems[path]
        for item in items {
            let position = items.firstIndex { $0.bytes == item.bytes } ?? 0
            let line = item.line ?? archive.postmortems.withUnsafeBufferPointer { $0[index].line(of: item) }
            let entry = ArchiveActionItem(postmortem: index, item: item, line: line)
            let events = documentEvents.flatMap { position < $0.count ? $0[position] : nil }
            let added = events?.added
            let ticked = item.state == .done ? events?.ticked : nil
            var daysToClose: Int?
            if let added, let ticked, events?.doneWhenAdded == false {
                daysToClose = max(0, ticked.time.localDate.daysSinceEpoch - added.time.localDate.daysSinceEpoch)
            }
            var openDays: Int?
            if item.state == .open, let added, let now {
                openDays = max(0, now.daysSinceEpoch - added.time.localDate.daysSinceEpoch)
            }
            out.append(Item(entry: entry, added: added, ticked: ticked, daysToClose: daysToClose, openDays: openDays,
                            tickedWithoutTicket: item.state == .done && (item.ticket ?? "").isEmpty))
        }
    }

    /// Groups by a key of each item (items with several keys count in each), sorted by key.
    public func groups(by keys: (Item) -> [String]) -> [Group] {
        var members: [String: [Item]] = [:]
        for item in items { for key in keys(item) { members[key, default: []].append(item) } }
        return members.keys.sorted().map { key in
            let list = members[key]!
            return Group(key: key, total: list.count, done: list.count { $0.entry.item.state == .done },
                         daysToClose: Distribution(list.compactMap(\.daysToClose)), openAge: Distribution(list.compactMap(\.openDays)))
        }
    }

    /// By the quarter of the incident (`2025 Q1`); undated incidents are left out.
    public var byQuarter: [Group] {
        groups { item in archive.postmortems[item.entry.postmortem].date.map { [Quarter($0).description] } ?? [] }
    }

    /// By the incident's services.
    public var byService: [Group] {
        groups { item in Array(Set(archive.postmortems[item.entry.postmortem].services)) }
    }

    /// By owner handle (the site maps handles to teams).
    public var byOwner: [Group] {
        groups { item in item.entry.item.owner.map { [$0] } ?? [] }
    }

    /// Done items without a ticket.
    public var tickedWithoutTicket: [Item] { items.filter(\.tickedWithoutTicket) }

    /// Whether `item` was open on `date`: added on or before it (or the incident's date when
    /// history does not say) and not ticked by then. Without history, open means open today.
    func wasOpen(_ item: Item, on date: CalendarDate) -> Bool {
        let start = item.added?.time.localDate ?? archive.postmortems[item.entry.postmortem].date
        if let start, start > date { return false }
        if item.entry.item.state == .open { return true }
        guard let ticked = item.ticked else { return false }
        return ticked.time.localDate > date
    }

    /// For `cause`, the incidents that struck while an earlier incident's action item was open.
    public func recurrencesWhileOpen(cause: String) -> [RecurrenceWhileOpen] {
        let occurrences = archive.byCause[cause] ?? []
        guard occurrences.count > 1 else { return [] }
        var itemsByPostmortem: [Int: [Item]] = [:]
        let members = Set(occurrences)
        for item in items where members.contains(item.entry.postmortem) { itemsByPostmortem[item.entry.postmortem, default: []].append(item) }
        var out: [RecurrenceWhileOpen] = []
        // Items of earlier incidents that may still be open; pruned as dates advance (an item
        // ticked before one incident was ticked before every later one too).
        var candidates: [Item] = []
        for index in occurrences {
            guard let date = archive.postmortems[index].date else { continue }
            candidates.removeAll { item in item.entry.item.state == .done && (item.ticked.map { $0.time.localDate <= date } ?? true) }
            let open = candidates.filter { wasOpen($0, on: date) }
            if !open.isEmpty {
                var earlier: [Int] = []
                for item in open.reversed() where !earlier.contains(item.entry.postmortem) { earlier.append(item.entry.postmortem) }
                out.append(RecurrenceWhileOpen(cause: cause, postmortem: index, earlier: earlier, openItems: open.count))
            }
            candidates += itemsByPostmortem[index] ?? []
        }
        return out
    }
}

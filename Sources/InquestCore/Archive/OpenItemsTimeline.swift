import Foundation

/// For one cause, how many open action items its documents with open items hold before a given
/// moment, as `causes/open-action-items` counts "earlier" (``OpenActionItemsRule/isEarlier(_:than:)``:
/// by `started` when both documents have one, else by `date`): sorted times with running totals,
/// so a document's count is two binary searches instead of a walk over every incident of the
/// cause (which made the rule quadratic in the size of a cause: 3,000 incidents of one cause at
/// 10,000 documents).
struct OpenItemsTimeline: Sendable {
    /// Documents with `started`: their start instants (seconds), ascending, and the items of the first n.
    private var starts: [Int] = []
    private var startTotals: [Int] = [0]
    /// Documents without `started` but with a date: their days, ascending, with running totals.
    private var unstartedDays: [CalendarDate] = []
    private var unstartedTotals: [Int] = [0]
    /// Every dated document: days ascending, with running totals.
    private var days: [CalendarDate] = []
    private var dayTotals: [Int] = [0]

    /// - Parameter members: the cause's documents with open items, with their times and item counts.
    init(_ members: [(started: Timestamp?, date: CalendarDate?, items: Int)]) {
        let started = members.compactMap { member in member.started.map { ($0.seconds, member.items) } }.sorted { $0.0 < $1.0 }
        let unstarted = members.compactMap { member in member.started == nil ? member.date.map { ($0, member.items) } : nil }.sorted { $0.0 < $1.0 }
        let dated = members.compactMap { member in member.date.map { ($0, member.items) } }.sorted { $0.0 < $1.0 }
        starts = started.map(\.0)
        for item in started { startTotals.append(startTotals.last! + item.1) }
        unstartedDays = unstarted.map(\.0)
        for item in unstarted { unstartedTotals.append(unstartedTotals.last! + item.1) }
        days = dated.map(\.0)
        for item in dated { dayTotals.append(dayTotals.last! + item.1) }
    }

    /// The open items of the documents earlier than one that started at `started` on `date`.
    func itemsBefore(started: Timestamp?, date: CalendarDate?) -> Int {
        if let started {
            var total = startTotals[Self.countBelow(starts, started.seconds)]
            // Documents without a start of their own are compared by date.
            if let date { total += unstartedTotals[Self.countBelow(unstartedDays, date)] }
            return total
        }
        guard let date else { return 0 }
        return dayTotals[Self.countBelow(days, date)]
    }

    /// How many of the ascending `values` are strictly below `value`.
    private static func countBelow<T: Comparable>(_ values: [T], _ value: T) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The timelines of an archive's causes, made on first use (a run that checks one document
/// needs one or two) and shared by the threads that check documents.
final class OpenItemsTimelines: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [String: OpenItemsTimeline] = [:]

    func timeline(_ cause: String, make: () -> OpenItemsTimeline) -> OpenItemsTimeline {
        lock.lock()
        defer { lock.unlock() }
        if let timeline = made[cause] { return timeline }
        let timeline = make()
        made[cause] = timeline
        return timeline
    }
}

extension Archive {
    /// The open action items of the documents of `cause` that are earlier (as
    /// `causes/open-action-items` counts) than a document that started at `started` on `date`.
    func openItemsBefore(cause: String, started: Timestamp?, date: CalendarDate?) -> Int {
        guard let members = openItemsByCause[cause] else { return 0 }
        let timeline = openItemsTimelines.timeline(cause) {
            postmortems.withUnsafeBufferPointer { p in
                OpenItemsTimeline(members.map { index in
                    let postmortem = p.baseAddress! + index
                    return (postmortem.pointee.started, postmortem.pointee.date, openActionItems[index].count)
                })
            }
        }
        return timeline.itemsBefore(started: started, date: date)
    }
}

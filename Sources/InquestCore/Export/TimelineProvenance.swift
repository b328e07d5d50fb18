/// Where a timeline entry's date and zone came from, as the export names them.
struct TimelineProvenance {
    var date: String?
    var zone: String?

    init(_ entry: TimelineEntry) {
        // Filled from the timeline parser's per-entry sources once it records them.
        date = nil
        zone = nil
    }
}

import InquestCore

/// Long lists split into pages that stay small at any archive size, with URLs that do not move.
///
/// A list of at most ``size`` rows stays on its own page. A longer one is split by the year of
/// each row's incident, and a year with more than ``size`` rows into parts counted **from the
/// oldest**, so a new incident only ever adds to the newest part of its year: an old incident's
/// list URL (`archive/2021.html`, `archive/2021-2.html`) stays what it was. The landing page keeps
/// the newest rows and links every part.
enum Paging {
    /// Rows per page. A postmortem row is about 1 KB of HTML, an action-item row a little more,
    /// so a full page stays far below the 300 KB budget.
    static let size = 100

    /// One part of a split list.
    struct Part<Row: Sendable>: Sendable {
        /// Output path: `FOLDER/YEAR.html`, `FOLDER/YEAR-2.html`, `FOLDER/undated.html`.
        var path: String
        /// `2024`, or `undated`.
        var year: String
        /// 1-based part within the year.
        var number: Int
        /// Rows, oldest first.
        var rows: [Row]

        /// `2024`, `2024 (2)`: what links and titles show.
        var label: String { number == 1 ? year : "\(year) (\(number))" }
    }

    /// Splits `oldestFirst` rows into parts under `folder`; empty when the list fits on one page.
    static func split<Row>(_ oldestFirst: [Row], folder: String, size: Int = size, year: (Row) -> Int?) -> [Part<Row>] {
        guard oldestFirst.count > size else { return [] }
        var byYear: [Int: [Row]] = [:]
        var undated: [Row] = []
        for row in oldestFirst {
            if let value = year(row) { byYear[value, default: []].append(row) } else { undated.append(row) }
        }
        var parts: [Part<Row>] = []
        func add(_ name: String, _ rows: [Row]) {
            var number = 1
            var start = 0
            while start < rows.count {
                let end = min(start + size, rows.count)
                parts.append(Part(path: "\(folder)/\(name)\(number == 1 ? "" : "-\(number)").html", year: name, number: number,
                                  rows: Array(rows[start..<end])))
                number += 1
                start = end
            }
        }
        for value in byYear.keys.sorted() { add(String(value), byYear[value]!) }
        if !undated.isEmpty { add("undated", undated) }
        return parts
    }

    /// The `pager` template value: every part grouped by year, newest year first, the current
    /// one marked. `home` is the landing page (the newest rows).
    static func pager<Row>(_ parts: [Part<Row>], current: String?, home: String, homeLabel: String, total: Int) -> TemplateValue {
        PagerOutline(parts, home: home, homeLabel: homeLabel, total: total).value(current: current)
    }
}

/// What a pager shows of each part of a list, shared by all the list's part pages: each part
/// page builds its own `pager` value from it only when rendered. (A value built for every part
/// page up front links every other part: quadratic, 137 MB at 10,000 postmortems.)
///
/// A pager names the parts, never how many rows each holds, and only the landing page says how
/// many the list has (`total`): a new incident then changes the part it joins and the landing
/// page, not every part of its list (at 10,000 postmortems, 900 pages rendered for one new
/// incident, each for a count in its pager).
struct PagerOutline: Sendable {
    struct Link: Sendable {
        var year: String
        var number: Int
        var path: String
    }

    let links: [Link]
    let home: String
    let homeLabel: String
    let total: Int

    init<Row>(_ parts: [Paging.Part<Row>], home: String, homeLabel: String, total: Int) {
        links = parts.map { Link(year: $0.year, number: $0.number, path: $0.path) }
        self.home = home
        self.homeLabel = homeLabel
        self.total = total
    }

    /// The `pager` template value with the part at `current` marked (nil: the landing page).
    func value(current: String?) -> TemplateValue {
        var years: [(String, [TemplateValue])] = []
        for part in links {
            let link: TemplateValue = .object([
                "label": .string(part.number == 1 ? part.year : String(part.number)),
                "title": .string(part.number == 1 ? part.year : "\(part.year) (\(part.number))"), "url": .string(part.path),
                "current": .bool(part.path == current),
            ])
            if let last = years.last, last.0 == part.year { years[years.count - 1].1.append(link) } else { years.append((part.year, [link])) }
        }
        // Newest year first, undated last; parts within a year in order.
        let dated = years.filter { $0.0 != "undated" }.reversed()
        let ordered = Array(dated) + years.filter { $0.0 == "undated" }
        var fields: TemplateObject = [
            "has_pages": .bool(!links.isEmpty),
            "home_url": .string(home), "home_label": .string(homeLabel), "at_home": .bool(current == nil),
            "years": .list(ordered.map { .object(["year": .string($0.0), "pages": .list($0.1)]) }),
        ]
        if current == nil { fields["total"] = .int(total) }
        return .object(fields)
    }
}

/// One part of a split list: the rows of one year (or part of a year) of a postmortem list or an
/// action-item list, with the pager back to the others. Rendered by the `list-part` template.
struct ListPartPage: Page {
    enum Rows: Sendable {
        /// Postmortem indexes, newest first.
        case postmortems([Int])
        /// Action items as (postmortem index, 0-based position), in display order.
        case actionItems([ActionRef])
    }

    let path: String
    let title: String
    let template = "list-part"
    let section: String?
    /// The page this list belongs to (breadcrumb).
    let parentURL: String
    let parentLabel: String
    let rows: Rows
    /// The list's parts, for this page's pager (built when the page renders).
    let pager: PagerOutline
    /// A sentence above the list ("Incidents with this cause in 2024").
    let lede: String

    func context(_ site: SiteModel, theme: Theme) -> TemplateValue {
        var fields: TemplateObject = [
            "parent_url": .string(parentURL), "parent_label": .string(parentLabel), "lede": .string(lede), "pager": pager.value(current: path),
            "postmortems": .list([]), "items": .list([]), "is_postmortems": false, "is_action_items": false,
        ]
        switch rows {
        case .postmortems(let indexes):
            fields["postmortems"] = site.summaries(indexes)
            fields["is_postmortems"] = true
        case .actionItems(let refs):
            fields["items"] = .list(refs.map { site.actionItemRow($0) })
            fields["is_action_items"] = true
        }
        return .object(fields)
    }
}

/// An action item by where it lives: its postmortem's index and its 0-based position there.
struct ActionRef: Sendable, Hashable {
    var postmortem: Int
    var position: Int
}

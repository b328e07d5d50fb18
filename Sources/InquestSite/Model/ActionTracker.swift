import InquestCore

/// The action-item tracker's facts: who owns what, which team, which service, and the links.
extension SiteModel {
    /// A ticket as a link: an http(s) URL as written, else `site.ticket_url` with `{ticket}`
    /// replaced (percent-encoded); nil when neither applies.
    func ticketURL(_ ticket: String) -> String? {
        if ticket.hasPrefix("http"), HTMLText.isSafeURL(ticket) { return ticket }
        guard let template = settings.ticketURL else { return nil }
        let url = template.replacingOccurrences(of: "{ticket}", with: URLPath.encode(ticket))
        return HTMLText.isSafeURL(url) ? url : nil
    }

    /// The team an owner handle names: a handle listed in `blameless.teams`, or one that reads as
    /// a team (`@dba-team`, `@team-dba`, `@org/dba`); nil for a person's handle.
    func team(ofOwner owner: String?) -> String? {
        guard let owner, !owner.isEmpty else { return nil }
        if settings.teams.contains(owner) { return owner }
        let name = owner.hasPrefix("@") ? owner.dropFirst() : Substring(owner)
        if name.contains("/") { return owner }
        let lower = name.lowercased()
        if lower.hasSuffix("-team") || lower.hasPrefix("team-") || lower.hasSuffix("-squad") || lower == "team" { return owner }
        return nil
    }

    func actionItem(_ ref: ActionRef) -> ActionItemView { views[ref.postmortem].actionItems[ref.position] }

    /// Every action item in display order: by incident, oldest first, then position.
    var allActionRefs: [ActionRef] { actionRefs }

    /// An action item as the tracker's table row: the action-item fields plus `team`, `services`,
    /// `days_overdue`, `owner_url` and the sort and filter keys.
    func actionItemRow(_ ref: ActionRef) -> TemplateValue {
        let view = actionItem(ref)
        let postmortem = archive.postmortems[ref.postmortem]
        let team = team(ofOwner: view.item.owner)
        let services = postmortem.services.uniqued().sorted()
        return view.value(in: self, withPostmortem: true).merging([
            "team": team.template ?? .bool(false),
            "owner_url": view.item.owner.map { .string(ownerURL($0)) } ?? .bool(false),
            "services": .list(services.map { .object(["name": .string($0), "url": .string(serviceURL($0))]) }),
            "days_overdue": view.daysOverdue.map { .int($0) } ?? .bool(false),
            "days_overdue_label": view.daysOverdue.map { .string(Format.count($0, "day")) } ?? .bool(false),
            "filter_owner": .string(view.item.owner ?? ""),
            "filter_team": .string(team ?? ""),
            "filter_services": .string(services.compactMap { serviceSlugs[$0] }.joined(separator: " ")),
            "sort_due": .string(view.item.due?.description ?? ""),
            "sort_overdue": .int(view.daysOverdue ?? -1),
            "sort_date": .string(postmortem.date?.description ?? ""),
        ])
    }

    func ownerURL(_ owner: String) -> String { "actions/owners/\(ownerSlugByName[owner] ?? Slug.make(from: owner)).html" }
}

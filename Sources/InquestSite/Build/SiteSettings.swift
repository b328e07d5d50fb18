import InquestCore

/// Site-wide settings: `site:` from inquest.yml, command-line overrides, and the environment.
public struct SiteSettings: Sendable {
    /// The site's name (`site.title`).
    public var title: String
    /// Where the site is served, with a trailing slash: an http(s) URL or an absolute path
    /// (`site.base_url` or `--base-url`). Pages always link relatively; the base URL is only used
    /// for the feed, the sitemap, canonical links and the 404 page (served at any depth).
    public var baseURL: String?
    /// The hosted repository (`site.repo_url`), without a trailing slash, for edit and commit links.
    public var repoURL: String?
    /// Link template for action-item tickets (`site.ticket_url`, containing `{ticket}`), http(s) only.
    public var ticketURL: String?
    /// @handles that name teams (`blameless.teams`): an action item owned by one has that team.
    public var teams: [String] = []
    /// The workspace's folder inside the git repository ("" at the root), for edit links.
    public var repositoryPrefix: String
    /// The schema: severities order the severity badges and charts.
    public var schema: Schema
    /// The process environment; only `SOURCE_DATE_EPOCH` is read.
    public var environment: [String: String]

    public init(title: String = "Postmortems", baseURL: String? = nil, repoURL: String? = nil, repositoryPrefix: String = "",
                schema: Schema = Schema(), environment: [String: String] = [:]) {
        self.title = title
        self.baseURL = baseURL.flatMap(Self.normaliseBase)
        self.repoURL = repoURL.flatMap(Self.normaliseRepo)
        self.repositoryPrefix = repositoryPrefix
        self.schema = schema
        self.environment = environment
    }

    /// Settings from a configuration, with an optional `--base-url` override.
    public init(configuration: Configuration, baseURL: String? = nil, repositoryPrefix: String = "", environment: [String: String]) {
        self.init(title: configuration.site.title, baseURL: baseURL ?? configuration.site.baseURL, repoURL: configuration.site.repoURL,
                  repositoryPrefix: repositoryPrefix, schema: configuration.schema, environment: environment)
        ticketURL = configuration.site.ticketURL.flatMap(Self.normaliseTicket)
        teams = configuration.blameless.teams
    }

    /// The base URL when it is absolute (http or https): the feed's and sitemap's links.
    public var absoluteBaseURL: String? {
        guard let baseURL, baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else { return nil }
        return baseURL
    }

    /// The path of the base URL (`/`, `/sub/`): links that work at any depth on the same host.
    public var basePath: String? {
        guard let baseURL else { return nil }
        if baseURL.hasPrefix("/") { return baseURL }
        guard let scheme = baseURL.range(of: "://") else { return nil }
        let afterHost = baseURL[scheme.upperBound...].firstIndex(of: "/")
        return afterHost.map { String(baseURL[$0...]) } ?? "/"
    }

    /// http(s) URLs and absolute paths, with a trailing slash; anything else (`javascript:`, …) is dropped.
    static func normaliseBase(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard SiteURL.problem(withBase: trimmed) == nil else { return nil }
        return trimmed.hasSuffix("/") ? trimmed : trimmed + "/"
    }

    /// An http(s) template containing `{ticket}`; anything else is dropped.
    static func normaliseTicket(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://"), trimmed.contains("{ticket}"),
              !trimmed.contains(where: { $0 == "\"" || $0 == "<" || $0 == ">" || $0 == " " || $0 == "\\" }) else { return nil }
        return trimmed
    }

    static func normaliseRepo(_ url: String) -> String? {
        var trimmed = url.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://"),
              !trimmed.contains(where: { $0 == "\"" || $0 == "<" || $0 == ">" || $0 == " " || $0 == "\\" }) else { return nil }
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasSuffix(".git") { trimmed.removeLast(4) }
        return trimmed
    }
}

import Foundation

import Foundation

/// Links to the rule documentation a team publishes (`docs_url` in `inquest.yml`), for SARIF's
/// `helpUri`/`informationUri` and the language server's `codeDescription`.
///
/// `docs_url` is either one page for every rule (`https://git.example/tools/inquest/blob/main/README.md#rules`)
/// or a template where `{rule}` becomes the rule id as is (`https://docs.example/inquest/rules/{rule}.html`,
/// `…/rules.md#{rule}`): rule ids are lowercase letters, digits, `-` and `/`, all valid in a URI's
/// path and fragment, so no escaping is needed.
public struct DocsURL: Sendable, Equatable {
    public static let placeholder = "{rule}"

    /// The configured value, validated by `problem(with:)`.
    public var template: String

    public init(_ template: String) {
        self.template = template
    }

    /// Why `text` cannot be a `docs_url`; nil when it can.
    public static func problem(with text: String) -> String? {
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else { return "must be an absolute http(s) URL" }
        if let problem = SiteURL.problem(withBase: text) { return problem }
        // Braces other than `{rule}` are a misspelt placeholder (`{id}`, `{ticket}`) or not URI
        // characters at all; either way the link would be broken in every editor and alert.
        let expanded = text.replacingOccurrences(of: placeholder, with: "x/y")
        if expanded.contains("{") || expanded.contains("}") { return "may only contain the placeholder '{rule}'" }
        guard let url = URL(string: expanded), url.host?.isEmpty == false else { return "is not a valid URL" }
        return nil
    }

    /// The page documenting `rule`.
    public func help(for rule: String) -> String {
        template.replacingOccurrences(of: Self.placeholder, with: rule)
    }

    /// The page about the tool as a whole (SARIF `toolComponent.informationUri`): the URL without
    /// its fragment, when `{rule}` appears only in the fragment (or not at all); nil when the rule
    /// id is part of the page's path, since no page then documents Inquest as a whole.
    public var information: String? {
        let page = template.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return page.contains(Self.placeholder) ? nil : String(page)
    }
}

import Foundation
import InquestCore
import InquestSite

/// What the preview adds to an HTML page, and only in the preview: a panel listing the lint
/// findings of the page's document (and problems reloading the configuration or theme), the
/// stylesheet for it, and a script that reloads the page when the archive changes. The built
/// site (`inquest build`) never contains any of it.
enum PreviewMarkup {
    /// Folder of the preview's own files (site-relative); site pages never start with `_inquest/`.
    static let folder = "_inquest/"
    static let scriptPath = folder + "preview.js"
    static let stylePath = folder + "preview.css"
    static let changesPath = folder + "changes"

    /// `html` with the panel after `<body…>`, the stylesheet and script before `</head>`, and the
    /// page's Content-Security-Policy allowing requests back to this server (`connect-src 'self'`)
    /// so the script can wait for changes. Script and style stay external files: the policy
    /// forbids inline ones, and the preview keeps it otherwise as it is.
    static func inject(into html: [UInt8], version: Int, documentPath: String?, diagnostics: [Diagnostic], problems: [String]) -> [UInt8] {
        var text = String(decoding: html, as: UTF8.self)
        text = allowingConnections(text)
        let head = "<link rel=\"stylesheet\" href=\"/\(stylePath)\">"
            + "<script src=\"/\(scriptPath)\" data-inquest-version=\"\(version)\" defer></script>"
        if let end = text.range(of: "</head>") {
            text.insert(contentsOf: head, at: end.lowerBound)
        } else {
            text = head + text
        }
        let panel = self.panel(documentPath: documentPath, diagnostics: diagnostics, problems: problems)
        if let body = text.range(of: "<body"), let close = text[body.upperBound...].firstIndex(of: ">") {
            text.insert(contentsOf: panel, at: text.index(after: close))
        } else {
            text = panel + text
        }
        return Array(text.utf8)
    }

    /// The panel: always present in the preview (so the author sees the document is clean),
    /// listing `line:column`, severity, message and rule of each finding.
    static func panel(documentPath: String?, diagnostics: [Diagnostic], problems: [String]) -> String {
        var out = "<aside class=\"inquest-preview\" id=\"inquest-preview\" aria-label=\"Preview\">"
        for problem in problems {
            out += "<p class=\"inquest-preview-problem\" role=\"alert\">\(escape(problem))</p>"
        }
        if let documentPath {
            let errors = diagnostics.count { $0.severity == .error }, warnings = diagnostics.count { $0.severity == .warning }
            let others = diagnostics.count - errors - warnings
            var summary = diagnostics.isEmpty ? "no findings" : [count(errors, "error"), count(warnings, "warning"), count(others, "note")]
                .compactMap { $0 }.joined(separator: ", ")
            summary = "\(escape(documentPath)): \(summary)"
            out += "<details class=\"inquest-preview-lint\"\(diagnostics.isEmpty ? "" : " open")><summary>\(summary)</summary>"
            if !diagnostics.isEmpty {
                out += "<ol class=\"inquest-preview-diagnostics\">"
                for diagnostic in diagnostics {
                    let start = diagnostic.range.start
                    out += "<li class=\"inquest-preview-\(diagnostic.severity.rawValue)\">"
                        + "<span class=\"inquest-preview-position\">\(start.line):\(start.column)</span> "
                        + "<span class=\"inquest-preview-severity\">\(diagnostic.severity.rawValue)</span> "
                        + "<span class=\"inquest-preview-message\">\(escape(diagnostic.message))</span> "
                        + "<code class=\"inquest-preview-rule\">\(escape(diagnostic.rule))</code>"
                        + (diagnostic.suggestion.map { " <span class=\"inquest-preview-suggestion\">\(escape($0))</span>" } ?? "")
                        + "</li>"
                }
                out += "</ol>"
            }
            out += "</details>"
        }
        return out + "</aside>"
    }

    /// Replaces the `connect-src` directive of a `<meta http-equiv="Content-Security-Policy">`
    /// (or adds one) so that `fetch` to this server is allowed; other directives are kept.
    static func allowingConnections(_ text: String) -> String {
        guard let meta = text.range(of: "http-equiv=\"Content-Security-Policy\""),
              let contentStart = text[meta.upperBound...].range(of: "content=\""),
              let contentEnd = text[contentStart.upperBound...].firstIndex(of: "\"") else { return text }
        let policy = text[contentStart.upperBound..<contentEnd]
        var directives = policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        directives.removeAll { $0.hasPrefix("connect-src") }
        directives.append("connect-src 'self'")
        return text.replacingCharacters(in: contentStart.upperBound..<contentEnd, with: directives.joined(separator: "; "))
    }

    private static func count(_ n: Int, _ noun: String) -> String? {
        n == 0 ? nil : "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// The site's escaper (`& < > " '` on UTF-8 bytes, so a mark after `"` cannot hide it).
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// Waits for the next change (a long poll: the request returns when the archive's version
    /// differs from the page's, or after a while with the same one), then reloads the page.
    /// Long polling rather than Server-Sent Events: one short-lived request at a time, which any
    /// HTTP/1.1 server and client handle, and which a test drives with a plain GET.
    static let script = """
        // Inquest preview: reload when the archive changes (served by `inquest serve` only).
        (function () {
          "use strict";
          var tag = document.currentScript;
          var version = tag ? tag.getAttribute("data-inquest-version") : "0";
          function wait() {
            fetch("/\(changesPath)?since=" + encodeURIComponent(version), { cache: "no-store" })
              .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
              .then(function (state) {
                if (String(state.version) !== String(version)) { window.location.reload(); } else { wait(); }
              })
              .catch(function () { setTimeout(wait, 1000); });
          }
          wait();
        })();

        """

    static let style = """
        /* Inquest preview panel (served by `inquest serve` only). */
        .inquest-preview { font: 14px/1.45 system-ui, sans-serif; background: #fffbe8; color: #1c1e22;
          border-bottom: 2px solid #d9b21f; padding: .5rem 1rem; }
        .inquest-preview:empty { display: none; }
        .inquest-preview summary { cursor: pointer; font-weight: 600; }
        .inquest-preview ol { margin: .4rem 0 .2rem; padding-left: 1.2rem; }
        .inquest-preview li { margin: .15rem 0; }
        .inquest-preview-position { font-family: ui-monospace, monospace; }
        .inquest-preview-severity { font-weight: 600; text-transform: uppercase; font-size: .8em; }
        .inquest-preview-error .inquest-preview-severity, .inquest-preview-problem { color: #8f1d12; }
        .inquest-preview-warning .inquest-preview-severity { color: #7f3a00; }
        .inquest-preview-rule { color: #565d69; }
        .inquest-preview-suggestion { color: #565d69; font-style: italic; }
        .inquest-preview-problem { margin: .2rem 0; font-weight: 600; }

        """
}

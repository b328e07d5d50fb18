import Mustache

/// The templates and assets a site is rendered with: the default theme embedded in the binary
/// (``EmbeddedTheme``, generated from the repository's `site/` folder), with a repository's own
/// `site/` files replacing it file by file.
public struct Theme: Sendable {
    /// Template sources by name (`index`, `layout`, …): `site/templates/NAME.mustache`.
    public let templates: [String: String]
    /// Static files by path below `assets/` (`site.css`, …), copied to `assets/` in the output.
    public let assets: [String: [UInt8]]
    /// Which theme files came from the repository rather than the embedded theme.
    public let overridden: [String]
    /// Hash of every template and asset: part of every page's cache key.
    let fingerprint: String
    /// Whether any template mentions `generated_datetime`, the commit's time to the second. Only
    /// then is it in the pages' context and keys: otherwise a commit that changes no page's content
    /// (the same day; "now" is a date) leaves every page's key as it was. A textual test, so it
    /// errs towards yes (a mention in a comment counts); a name can only be read by writing it.
    let readsGenerationTime: Bool
    static let generationTimeName = "generated_datetime"
    /// Templates that name "now" or the commit's date (`site.now`, `site.generated`, a `now`
    /// field), themselves or through a partial or parent they name: the pages rendered with them
    /// are keyed by the date (``PageInputs/nowKey``). A tag-level reading that errs towards yes: a
    /// template that changes its delimiters or names a partial dynamically counts.
    let datedTemplates: Set<String>
    let library: MustacheLibrary
    /// The templates compiled against ``TemplateValue`` (all of the embedded theme's; an
    /// override using what only swift-mustache renders is left to it).
    let compiled: CompiledTheme

    init(templates: [String: String], assets: [String: [UInt8]], overridden: [String], fingerprint: String, library: MustacheLibrary,
         compiled: CompiledTheme) {
        self.templates = templates
        self.assets = assets
        self.overridden = overridden
        self.fingerprint = fingerprint
        self.library = library
        self.compiled = compiled
        readsGenerationTime = templates.values.contains { $0.contains(Self.generationTimeName) }
        datedTemplates = Self.datedTemplates(templates)
    }

    /// See ``datedTemplates``.
    static func datedTemplates(_ templates: [String: String]) -> Set<String> {
        let dated: Set<Substring> = ["now", "generated", Substring(generationTimeName)]
        var names: [String: (dated: Bool, uses: [String])] = [:]
        for (name, text) in templates {
            var isDated = text.contains("{{=")
            var uses: [String] = []
            var rest = text[...]
            while let open = rest.range(of: "{{") {
                guard let close = rest[open.upperBound...].range(of: "}}") else { break }
                var tag = rest[open.upperBound..<close.lowerBound].drop { $0 == "{" || $0 == " " }
                if let kind = tag.first, kind == ">" || kind == "<" {
                    tag = tag.dropFirst().drop { $0 == " " }
                    if tag.first == "*" { isDated = true }
                    uses.append(String(tag.prefix { !$0.isWhitespace && $0 != "}" }))
                } else if tag.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }).contains(where: dated.contains) {
                    isDated = true
                }
                rest = rest[close.upperBound...]
            }
            names[name] = (isDated, uses)
        }
        // Through the partials and parents each names, to any depth.
        var result: Set<String> = []
        for name in names.keys {
            var seen: Set<String> = [name], pending = [name]
            while let next = pending.popLast() {
                guard let entry = names[next] else { continue }
                if entry.dated {
                    result.insert(name)
                    break
                }
                for used in entry.uses where seen.insert(used).inserted { pending.append(used) }
            }
        }
        return result
    }

    /// The embedded theme with `overrides` applied.
    /// - Parameter overrides: files of a repository's `site/` folder, by path relative to it
    ///   (`templates/index.mustache`, `assets/site.css`). Other files are ignored.
    /// - Throws: ``SiteError`` for a template that does not parse, with its file, line and column.
    public static func load(overrides: [String: [UInt8]] = [:]) throws(SiteError) -> Theme {
        var files: [String: [UInt8]] = EmbeddedTheme.files.mapValues { Array($0.utf8) }
        var overridden: [String] = []
        for (path, bytes) in overrides.sorted(by: { $0.key < $1.key }) {
            guard isThemeFile(path) else { continue }
            if files[path] != bytes { overridden.append(path) }
            files[path] = bytes
        }
        // Nothing overridden: the embedded theme, parsed and compiled once per process (`serve`
        // loads the theme for every preview session and a build loads it once; it is a value).
        if overridden.isEmpty { return try embedded.get().withRowMemo() }
        return try make(files: files, overridden: overridden).withRowMemo()
    }

    /// This theme with an empty ``RowMemo`` of its own: each load (a build, a preview session)
    /// keeps its rows for as long as it is used, not for the process.
    func withRowMemo() -> Theme {
        Theme(templates: templates, assets: assets, overridden: overridden, fingerprint: fingerprint, library: library,
              compiled: compiled.withRowMemo())
    }

    private static let embedded: Result<Theme, SiteError> = {
        do throws(SiteError) {
            return .success(try make(files: EmbeddedTheme.files.mapValues { Array($0.utf8) }, overridden: []))
        } catch {
            return .failure(error)
        }
    }()

    /// The theme of exactly `files` (paths below `site/`).
    private static func make(files: [String: [UInt8]], overridden: [String]) throws(SiteError) -> Theme {
        var templates: [String: String] = [:]
        var assets: [String: [UInt8]] = [:]
        var hasher = SHA256()
        for path in files.keys.sorted() {
            let bytes = files[path]!
            hasher.update(path + "\u{0}\(bytes.count)\u{0}")
            hasher.update(bytes)
            if path.hasPrefix("templates/") {
                let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
                guard let text = String(validatingUTF8: bytes) else { throw SiteError("site/\(path): not UTF-8 text") }
                templates[name] = text
            } else {
                assets[String(path.dropFirst("assets/".count))] = bytes
            }
        }
        let (library, compiled) = try compile(templates)
        for required in Pages.requiredTemplates where templates[required] == nil {
            throw SiteError("the theme has no template '\(required)' (site/templates/\(required).mustache)")
        }
        return Theme(templates: templates, assets: assets, overridden: overridden, fingerprint: hasher.finalizeHex(), library: library,
                     compiled: compiled)
    }

    /// Parses `templates` (by name) with swift-mustache, the escaper's pragma in front of each,
    /// and compiles those it can (``CompiledTheme``).
    /// - Throws: ``SiteError`` for a template that does not parse, with its file, line and column.
    static func compile(_ templates: [String: String]) throws(SiteError) -> (MustacheLibrary, CompiledTheme) {
        _ = escaperRegistered
        var library = MustacheLibrary()
        for name in templates.keys.sorted() {
            do {
                try library.register(escaperPragma + templates[name]!, named: name)
            } catch let error as MustacheTemplate.ParserError {
                // The pragma line added above is not the author's: count lines from theirs.
                let line = max(1, error.context.lineNumber - 1)
                throw SiteError("site/templates/\(name).mustache:\(line):\(error.context.columnNumber): template error: \(error.error)")
            } catch {
                throw SiteError("site/templates/\(name).mustache: template error: \(error)")
            }
        }
        return (library, CompiledTheme.compile(library, names: templates.keys.sorted()))
    }

    /// This theme rendering every template with swift-mustache (tests compare the two).
    func withoutCompiledTemplates() -> Theme {
        Theme(templates: templates, assets: assets, overridden: overridden, fingerprint: fingerprint, library: library, compiled: .empty)
    }

    /// Selects ``ByteHTMLEscaper`` for `{{…}}` in a template. Prepended on a line of its own to
    /// every template (theme overrides too): a standalone tag, so it adds nothing to the output
    /// and leaves the first line of the template standalone or not as it was. Each template needs
    /// it, partials included, because swift-mustache resets the escaper when it enters a partial.
    static let escaperPragma = "{{% CONTENT_TYPE: INQUEST_HTML}}\n"

    /// Registered once per process, before the first template is parsed.
    private static let escaperRegistered: Void = {
        MustacheContentTypes.register(ByteHTMLEscaper(), named: "INQUEST_HTML")
    }()

    /// `templates/NAME.mustache` (flat) or `assets/…` with plain path segments.
    static func isThemeFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ SitePath.isSafeSegment(String($0)) }) else { return false }
        if parts[0] == "templates" { return parts.count == 2 && parts[1].hasSuffix(".mustache") && parts[1].count > ".mustache".count }
        return parts[0] == "assets"
    }

    /// Renders template `name` with `context`.
    func render(_ name: String, _ context: TemplateValue) -> String {
        guard let template = compiled.templates[name] else { return renderWithMustache(name, context) }
        return String(decoding: TemplateRenderer.render(template, context, theme: compiled), as: UTF8.self)
    }

    /// Renders template `name` with `context`, as UTF-8.
    func renderBytes(_ name: String, _ context: TemplateValue) -> [UInt8] {
        guard let template = compiled.templates[name] else { return Array(renderWithMustache(name, context).utf8) }
        return TemplateRenderer.render(template, context, theme: compiled)
    }

    /// Renders template `name` with swift-mustache: templates that do not compile, and the tests
    /// that compare both renderers.
    func renderWithMustache(_ name: String, _ context: TemplateValue) -> String {
        library.render(context.mustacheValue(), withTemplate: name) ?? ""
    }
}

/// HTML escaping for `{{…}}` on UTF-8 bytes (``HTMLText/escape(_:)``): the same five characters as
/// swift-mustache's own escaper, which looks each `Character` up in a dictionary and copies every
/// string, 15% of a build's instructions.
struct ByteHTMLEscaper: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
}

extension String {
    init?(validatingUTF8 bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var out = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): out.append(scalar)
            case .emptyInput: self = String(out); return
            case .error: return nil
            }
        }
    }
}

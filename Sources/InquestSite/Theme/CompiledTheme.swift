import Mustache
import Synchronization

/// The theme's templates compiled once into trees that render ``TemplateValue``s directly.
///
/// swift-mustache renders `Any` values: every `{{name}}` casts each value on the context stack to
/// its protocols (`MustacheParent`, `MustacheCustomRenderable`, …), and every page's context has
/// to be converted to such values first; together that was a third of a build. Here the
/// templates swift-mustache parsed (its parser, so whitespace, standalone lines and inheritance
/// are read exactly as it reads them) are taken apart once, when the theme is loaded, into
/// ``CompiledTemplate`` nodes, and ``TemplateRenderer`` walks them with the page's own
/// `TemplateValue`s: a name lookup is a `switch` and a dictionary read, output is appended to one
/// byte buffer, and text is escaped on bytes straight into it.
///
/// The renderer reproduces swift-mustache's rendering rules for the values pages produce
/// (sections over lists, booleans, text, numbers and objects; inverted sections; dotted and
/// `.`-anchored names; partials with indentation; `{{<parent}}`/`{{$block}}` inheritance, outer
/// overrides first). Anything else a theme can contain — transforms (`{{uppercased(name)}}`,
/// `{{#first()}}`), dynamic partials (`{{>*name}}`), another content type — makes the template
/// (and every template that includes it) render with swift-mustache instead, as before; so does
/// a swift-mustache whose parsed form this code does not recognise. `CompiledThemeTests`
/// compares both renderers on the embedded theme's every page and on generated templates.
struct CompiledTheme: Sendable {
    /// Compiled templates by name: only those that, with every partial they include, compile.
    let templates: [String: CompiledTemplate]
    /// Keyed list rows rendered once and replayed (``RowMemo``); nil renders every row.
    var rowMemo: RowMemo?

    static let empty = CompiledTheme(templates: [:])

    /// These templates with an empty row memo of their own (one per build).
    func withRowMemo() -> CompiledTheme {
        var theme = self
        theme.rowMemo = RowMemo()
        return theme
    }

    /// Compiles the templates `names` of `library`.
    static func compile(_ library: MustacheLibrary, names: [String]) -> CompiledTheme {
        var compiled: [String: CompiledTemplate] = [:]
        var partials: [String: Set<String>] = [:]
        for name in names {
            guard let template = library.getTemplate(named: name) else { continue }
            var compiler = TemplateCompiler()
            // Theme.load prepends the byte escaper's pragma to every template; a template that
            // starts otherwise escapes with another escaper until its first tag and is left alone.
            guard let tokens = compiler.tokens(of: template), let first = tokens.first,
                  compiler.isByteEscaperPragma(first),
                  let root = compiler.compile(tokens) else { continue }
            compiled[name] = root
            partials[name] = compiler.partialNames
        }
        // A partial that exists but does not compile makes its includers render with
        // swift-mustache too; a partial that does not exist renders nothing in both.
        var changed = true
        while changed {
            changed = false
            for (name, used) in partials where compiled[name] != nil {
                if used.contains(where: { library.getTemplate(named: $0) != nil && compiled[$0] == nil }) {
                    compiled[name] = nil
                    changed = true
                }
            }
        }
        return CompiledTheme(templates: compiled)
    }
}

/// A compiled template: its nodes, in order. A class so that partials and block overrides are
/// shared, not copied, between the templates that use them.
final class CompiledTemplate: Sendable {
    /// The nodes as objects (``RenderNode``), for ``TemplateRenderer``.
    private let renderNodes: [RenderNode]
    /// ``renderNodes`` without reference counting: the renderer walks them without a retain
    /// and a release per node and per payload, which reading the enum cases out of `nodes`
    /// cost (a good part of a page's rendering). `renderNodes` keeps them alive.
    let unmanagedNodes: [Unmanaged<RenderNode>]
    /// The largest page rendered from this template so far: the next one's buffer starts that
    /// large (a list page grew its buffer four times from the default, copying it each time).
    let sizeHint = Atomic<Int>(0)

    init(_ nodes: [TemplateNode]) {
        renderNodes = nodes.map(RenderNode.init)
        unmanagedNodes = renderNodes.map { Unmanaged.passUnretained($0) }
    }
}

/// A ``TemplateNode`` as an object with a kind and immutable fields, which the renderer reads
/// in place. The fields it reads for every node are also kept without reference counting
/// (``text``, ``nameRef``, ``bodyRef``): reading an array or a class reference out of a node
/// retained and released it, a good part of rendering a page's many small nodes.
final class RenderNode: @unchecked Sendable {
    enum Kind: UInt8, Sendable { case text, variable, section, inverted, block, partial }
    let kind: Kind
    /// `.text`: the bytes; `.block`, `.partial`: the indentation (empty for none).
    let bytes: [UInt8]
    /// `.text`: ``bytes``, in memory this node owns (freed with it).
    let text: UnsafeBufferPointer<UInt8>
    /// `.variable`: whether it escapes.
    let escaped: Bool
    /// `.variable`, `.section`, `.inverted`.
    let name: TemplateName?
    /// ``name``, unretained (``name`` keeps it alive).
    let nameRef: Unmanaged<TemplateName>?
    /// `.section`, `.inverted`: the body; `.block`: the default.
    let body: CompiledTemplate?
    /// ``body``, unretained (``body`` keeps it alive).
    let bodyRef: Unmanaged<CompiledTemplate>?
    /// `.block`, `.partial`: the block's or the partial's name.
    let label: String
    /// `.partial`: the block overrides of a `{{<parent}}`.
    let overrides: [String: CompiledTemplate]?

    init(_ node: TemplateNode) {
        var bytes: [UInt8] = [], escaped = false, name: TemplateName?, body: CompiledTemplate?, label = ""
        var overrides: [String: CompiledTemplate]?
        switch node {
        case .text(let text): kind = .text; bytes = text
        case .variable(let variable, let isEscaped): kind = .variable; name = variable; escaped = isEscaped
        case .section(let section, let template): kind = .section; name = section; body = template
        case .inverted(let section, let template): kind = .inverted; name = section; body = template
        case .block(let block, let fallback, let indentation): kind = .block; label = block; body = fallback; bytes = indentation ?? []
        case .partial(let partial, let indentation, let inherits): kind = .partial; label = partial; bytes = indentation ?? []; overrides = inherits
        }
        self.bytes = bytes
        let text = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: kind == .text ? bytes.count : 0)
        if kind == .text { _ = text.initialize(from: bytes) }
        self.text = UnsafeBufferPointer(text)
        self.escaped = escaped
        self.name = name
        nameRef = name.map { Unmanaged.passUnretained($0) }
        self.body = body
        bodyRef = body.map { Unmanaged.passUnretained($0) }
        self.label = label
        self.overrides = overrides
    }

    deinit { text.deallocate() }
}

/// One piece of a compiled template.
enum TemplateNode: Sendable {
    /// Literal text, UTF-8.
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}`.
    case variable(TemplateName, escaped: Bool)
    /// `{{#name}}…{{/name}}`.
    case section(TemplateName, CompiledTemplate)
    /// `{{^name}}…{{/name}}`.
    case inverted(TemplateName, CompiledTemplate)
    /// `{{$name}}default{{/name}}` outside a `{{<parent}}`: the override passed down, or the default.
    case block(String, default: CompiledTemplate, indentation: [UInt8]?)
    /// `{{>name}}` (no overrides) or `{{<name}}…{{/name}}` (block overrides); indentation when standalone.
    case partial(String, indentation: [UInt8]?, overrides: [String: CompiledTemplate]?)
}

/// A variable or section name: `.`-separated parts looked up in the context stack from the top
/// (the first part; the rest inside what it found), or only in the current value when the name
/// starts with `.`. No parts (`{{.}}`) is the current value.
/// (A class: a node holding it is copied at every render, with one reference to count.)
final class TemplateName: Sendable {
    let parts: [String]
    let currentOnly: Bool
    /// The part looked up in the stack (nil when ``currentOnly``) and the parts looked up in
    /// what it found, split once here rather than at every lookup.
    let first: String?
    let rest: [String]
    /// ``TemplateObject/hash(_:)`` of ``first`` and of each of ``rest``: worked out here once,
    /// not at every lookup.
    let firstHash: UInt64
    let restHashes: [UInt64]

    init(_ name: String) {
        parts = name.split(separator: ".").map(String.init)
        currentOnly = name.first == "." || parts.isEmpty
        first = currentOnly ? nil : parts[0]
        rest = currentOnly ? parts : Array(parts.dropFirst())
        firstHash = first.map(TemplateObject.hash) ?? 0
        restHashes = rest.map(TemplateObject.hash)
    }
}

/// Reads swift-mustache's parsed templates through `Mirror` (its token type is internal) and
/// builds ``CompiledTemplate``s. Any token or shape it does not know fails the compilation.
private struct TemplateCompiler {
    /// Names of the partials and parents the compiled templates include.
    var partialNames: Set<String> = []

    func tokens(of template: MustacheTemplate) -> [Any]? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value else { return nil }
        let mirror = Mirror(reflecting: tokens)
        guard mirror.displayStyle == .collection else { return nil }
        return mirror.children.map(\.value)
    }

    /// The enum case name and payload of a token.
    private func token(_ value: Any) -> (name: String, payload: Any)? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .enum, let only = mirror.children.first, let label = only.label else { return nil }
        return (label, only.value)
    }

    private func field(_ payload: Any, _ label: String) -> Any? {
        Mirror(reflecting: payload).children.first(where: { $0.label == label })?.value
    }

    /// An optional field (`String?`, …): nil when the field is missing or of another type,
    /// `.some(nil)` when it holds nil. (Cast from `Any`, not `Any?`: casting an `Any?` holding
    /// a nil optional to `T?` fails.)
    private func optionalField<T>(_ payload: Any, _ label: String, as type: T.Type) -> T?? {
        guard let value = field(payload, label) else { return nil }
        return value as? T?
    }

    func isByteEscaperPragma(_ value: Any) -> Bool {
        guard let (name, payload) = token(value), name == "contentType" else { return false }
        return payload is ByteHTMLEscaper
    }

    /// The name of a variable or section, nil when it has transforms (not compiled).
    private func plainName(_ payload: Any) -> TemplateName? {
        guard let name = field(payload, "name") as? String, let transforms = field(payload, "transforms") as? [String],
              transforms.isEmpty else { return nil }
        return TemplateName(name)
    }

    private mutating func compile(template value: Any?) -> CompiledTemplate? {
        guard let template = value as? MustacheTemplate, let tokens = tokens(of: template) else { return nil }
        return compile(tokens)
    }

    mutating func compile(_ tokens: [Any]) -> CompiledTemplate? {
        var nodes: [TemplateNode] = []
        for value in tokens {
            guard let (name, payload) = token(value) else { return nil }
            switch name {
            case "text":
                guard let text = payload as? String else { return nil }
                if case .text(let previous)? = nodes.last {
                    // Adjacent texts render as one: same output, fewer nodes (indentation is
                    // only inserted before a node that follows a newline, and a text node's
                    // own newlines are never indented, so merging is only safe without one).
                    if previous.last != UInt8(ascii: "\n") {
                        nodes[nodes.count - 1] = .text(previous + Array(text.utf8))
                        continue
                    }
                }
                nodes.append(.text(Array(text.utf8)))
            case "variable", "unescapedVariable":
                guard let variable = plainName(payload) else { return nil }
                nodes.append(.variable(variable, escaped: name == "variable"))
            case "section", "invertedSection":
                guard let section = plainName(payload), let body = compile(template: field(payload, "template")) else { return nil }
                nodes.append(name == "section" ? .section(section, body) : .inverted(section, body))
            case "blockExpansion":
                guard let block = field(payload, "name") as? String, let body = compile(template: field(payload, "default")),
                      let indentation = optionalField(payload, "indentation", as: String.self) else { return nil }
                nodes.append(.block(block, default: body, indentation: indentation.map { Array($0.utf8) }))
            case "partial":
                guard let partial = field(payload, ".0") as? String,
                      let indentation = optionalField(payload, "indentation", as: String.self),
                      let inherits = optionalField(payload, "inherits", as: [String: MustacheTemplate].self) else { return nil }
                var overrides: [String: CompiledTemplate]?
                if let inherits {
                    var compiled: [String: CompiledTemplate] = [:]
                    for (block, template) in inherits {
                        guard let body = compile(template: template) else { return nil }
                        compiled[block] = body
                    }
                    overrides = compiled
                }
                partialNames.insert(partial)
                nodes.append(.partial(partial, indentation: indentation.map { Array($0.utf8) }, overrides: overrides))
            case "contentType":
                // The pragma Theme.load adds (or the same one written again) changes nothing:
                // every template starts with it, so `{{…}}` always escapes with ByteHTMLEscaper.
                guard payload is ByteHTMLEscaper else { return nil }
            default:
                // Dynamic partials, and whatever a later swift-mustache adds.
                return nil
            }
        }
        return CompiledTemplate(nodes)
    }
}

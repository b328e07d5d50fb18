/// Renders a ``CompiledTemplate`` with a ``TemplateValue`` into UTF-8 bytes, by swift-mustache's
/// rules (see ``CompiledTheme``):
///
/// - A name is looked up in the context stack from the top; only objects have fields. Its
///   further parts are looked up in what the first one found, and only there.
/// - `{{name}}` prints text (escaped), numbers, and `true`/`false`; a missing name prints nothing.
/// - A section renders once per item of a list (each item pushed), once for `true` (nothing
///   pushed), once for any other found value (pushed: text, numbers — `0` too — and objects);
///   an inverted section renders for a missing name, `false` and an empty list (pushed).
/// - Partials and blocks indent their lines: before each node whose output follows a `\n` that
///   the same template rendered (not `\r\n`, which is one `Character` in Swift), as
///   swift-mustache's `render(context:)` does, so its exact output is kept where it departs
///   from the spec (a list item's first line, for instance).
/// - Block overrides passed to a parent are merged with the ones already in force; the outer
///   ones win.
struct TemplateRenderer {
    private let theme: CompiledTheme
    private var out: [UInt8] = []
    private var stack: [TemplateValue] = []
    /// The fields of each frame of ``stack`` (empty for a frame that is not an object), kept
    /// beside it so that a name is looked up in each frame's fields in place: taking the
    /// fields out of a `TemplateValue` copied them (a retain and a release per frame tried).
    private var frameFields: [Frame] = []
    /// Deferred values computed during this render, by key (a key stands for one value).
    private var computed: [String: TemplateValue] = [:]

    /// `template` rendered with `context` as the root of the stack.
    static func render(_ template: CompiledTemplate, _ context: TemplateValue, theme: CompiledTheme) -> [UInt8] {
        var renderer = TemplateRenderer(theme: theme)
        let hint = template.sizeHint.load(ordering: .relaxed)
        renderer.out.reserveCapacity(max(16 * 1024, hint))
        renderer.push(renderer.frame(context))
        renderer.render(template, indentation: nil, inherited: nil)
        if renderer.out.count > hint { template.sizeHint.store(renderer.out.count, ordering: .relaxed) }
        return renderer.out
    }

    private init(theme: CompiledTheme) { self.theme = theme }

    private mutating func render(_ template: CompiledTemplate, indentation: [UInt8]?, inherited: [String: CompiledTemplate]?) {
        // Nodes are read in place (``CompiledTemplate/unmanagedNodes``): no retain and release
        // per node.
        let nodes = template.unmanagedNodes
        guard let indentation, !indentation.isEmpty else {
            for node in nodes { node._withUnsafeGuaranteedRef { render($0, indentation: indentation, inherited: inherited) } }
            return
        }
        let start = out.count
        for node in nodes {
            let end = out.count
            let afterNewline = end > start && out[end - 1] == UInt8(ascii: "\n") && !(end - 2 >= start && out[end - 2] == UInt8(ascii: "\r"))
            if afterNewline { out.append(contentsOf: indentation) }
            let mark = out.count
            node._withUnsafeGuaranteedRef { render($0, indentation: indentation, inherited: inherited) }
            // The indentation goes only before output: take it back when the node printed nothing.
            if afterNewline, out.count == mark { out.removeLast(indentation.count) }
        }
    }

    private mutating func render(_ node: RenderNode, indentation: [UInt8]?, inherited: [String: CompiledTemplate]?) {
        switch node.kind {
        case .text:
            out.append(contentsOf: node.text)
        case .variable:
            if let value = node.nameRef.unsafelyUnwrapped._withUnsafeGuaranteedRef({ lookup($0) }) { print(value, escaped: node.escaped) }
        case .section:
            guard let value = node.nameRef.unsafelyUnwrapped._withUnsafeGuaranteedRef({ lookup($0) }) else { return }
            node.bodyRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { section(value, $0, indentation: indentation, inherited: inherited) }
        case .inverted:
            let value = node.nameRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { lookup($0) }
            node.bodyRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { body in
                if let value {
                    inverted(value, body, indentation: indentation, inherited: inherited)
                } else {
                    render(body, indentation: indentation, inherited: inherited)
                }
            }
        case .block:
            render(inherited?[node.label] ?? node.body!, indentation: Self.indent(indentation, node.bytes), inherited: inherited)
        case .partial:
            // Not compiled means absent from the theme (CompiledTheme.compile): it renders nothing.
            guard let template = theme.templates[node.label] else { return }
            var passed = inherited
            if let overrides = node.overrides {
                passed = inherited.map { $0.merging(overrides) { outer, _ in outer } } ?? overrides
            }
            render(template, indentation: Self.indent(indentation, node.bytes), inherited: passed)
        }
    }

    /// The indentation inside a partial or block indented by `added` (empty for none).
    private static func indent(_ current: [UInt8]?, _ added: [UInt8]) -> [UInt8]? {
        guard !added.isEmpty else { return current }
        return (current ?? []) + added
    }

    @inline(never)
    private mutating func section(_ value: TemplateValue, _ body: CompiledTemplate, indentation: [UInt8]?, inherited: [String: CompiledTemplate]?) {
        switch value {
        case .keyed(_, let inner, _):
            section(inner, body, indentation: indentation, inherited: inherited)
        case .deferred:
            section(resolve(value), body, indentation: indentation, inherited: inherited)
        case .list(let items):
            for item in items {
                push(frame(item))
                render(body, indentation: indentation, inherited: inherited)
                pop()
            }
        case .bool(let flag):
            if flag { render(body, indentation: indentation, inherited: inherited) }
        case .string, .int, .object:
            push(value)
            render(body, indentation: indentation, inherited: inherited)
            pop()
        }
    }

    @inline(never)
    private mutating func inverted(_ value: TemplateValue, _ body: CompiledTemplate, indentation: [UInt8]?, inherited: [String: CompiledTemplate]?) {
        switch value {
        case .keyed(_, let inner, _):
            inverted(inner, body, indentation: indentation, inherited: inherited)
        case .deferred:
            inverted(resolve(value), body, indentation: indentation, inherited: inherited)
        case .list(let items):
            // swift-mustache pushes the empty list, where names are not found.
            guard items.isEmpty else { return }
            push(value)
            render(body, indentation: indentation, inherited: inherited)
            pop()
        case .bool(let flag):
            if !flag { render(body, indentation: indentation, inherited: inherited) }
        case .string, .int, .object:
            return
        }
    }

    private mutating func print(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .string(let text):
            if escaped { HTMLText.appendEscaped(text, to: &out) } else { out.append(contentsOf: text.utf8) }
        case .int(let number):
            out.append(contentsOf: String(number).utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .keyed(_, let inner, _):
            print(inner, escaped: escaped)
        case .deferred:
            print(resolve(value), escaped: escaped)
        case .list, .object:
            // What swift-mustache prints for them (`String(describing:)` of its own values):
            // useless on a page, but the same.
            let text = String(describing: value.mustacheValue())
            if escaped { HTMLText.appendEscaped(text, to: &out) } else { out.append(contentsOf: text.utf8) }
        }
    }

    private mutating func lookup(_ name: TemplateName) -> TemplateValue? {
        var value: TemplateValue
        if let first = name.first {
            guard let found = Self.find(first, hash: name.firstHash, in: frameFields) else { return nil }
            value = found
        } else {
            value = stack[stack.count - 1]
        }
        if name.rest.isEmpty { return value }
        for (part, hash) in zip(name.rest, name.restHashes) {
            guard let child = child(of: value, part, hash: hash) else { return nil }
            value = child
        }
        return value
    }

    /// The value of the first frame from the top that has field `name` (whose hash is `hash`).
    /// Frames are never keyed or deferred (``frame(_:)``), so only objects have fields. A frame
    /// whose mask lacks the name's bit is passed over without touching its fields.
    private static func find(_ name: String, hash: UInt64, in frameFields: [Frame]) -> TemplateValue? {
        let bit = TemplateObject.bit(hash)
        return frameFields.withUnsafeBufferPointer { frames in
            var level = frames.count
            while level > 0 {
                level -= 1
                if frames[level].mask & bit != 0, let value = frames[level].fields.value(named: name, hash: hash) { return value }
            }
            return nil
        }
    }

    /// A stack frame's fields and their mask (``TemplateObject/mask``), read once when pushed.
    private struct Frame {
        let mask: UInt64
        let fields: TemplateObject
    }

    private mutating func push(_ frame: TemplateValue) {
        stack.append(frame)
        if case .object(let fields) = frame {
            frameFields.append(Frame(mask: fields.mask, fields: fields))
        } else {
            frameFields.append(Frame(mask: 0, fields: TemplateObject()))
        }
    }

    private mutating func pop() {
        stack.removeLast()
        frameFields.removeLast()
    }

    /// A list item as a stack frame: a keyed value is its value, a deferred one computed (what
    /// a lookup in it would do first; it is computed once per render either way).
    private mutating func frame(_ item: TemplateValue) -> TemplateValue {
        switch item {
        case .keyed(_, let inner, _): frame(inner)
        case .deferred: frame(resolve(item))
        default: item
        }
    }

    private mutating func child(of value: TemplateValue, _ name: String, hash: UInt64) -> TemplateValue? {
        switch value {
        case .object(let fields): fields.value(named: name, hash: hash)
        case .keyed(_, let inner, _): child(of: inner, name, hash: hash)
        case .deferred: child(of: resolve(value), name, hash: hash)
        case .string, .int, .bool, .list: nil
        }
    }

    /// A deferred value computed once per render (swift-mustache's context conversion computed
    /// it once per page).
    private mutating func resolve(_ value: TemplateValue) -> TemplateValue {
        guard case .deferred(let key, let compute) = value else { return value }
        if let known = computed[key] { return known }
        let result = compute()
        computed[key] = result
        return result
    }
}

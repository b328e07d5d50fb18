import Foundation

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
    /// The keyed list item whose output is being recorded for ``RowMemo``, if any.
    private var recording: Recording?

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
            if recording != nil {
                node.nameRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { recordVariable($0, escaped: node.escaped) }
                return
            }
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
            // A block's content comes from the page's overrides: not recorded.
            recording?.failed = true
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
            let memoized = recording == nil && (indentation?.isEmpty ?? true)
            for item in items {
                if memoized, case .keyed(let key, _, _) = item, let memo = theme.rowMemo {
                    renderRow(item, key: key, body, memo: memo, inherited: inherited)
                    continue
                }
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
            if let depth = recording?.depth, !Self.has(first, hash: name.firstHash, in: frameFields, from: depth) {
                // Found (or not) outside the recorded item: the recording holds only while it is the same.
                let outside = Self.find(first, hash: name.firstHash, in: frameFields)
                recording!.guardValue(first, hash: name.firstHash, outside)
                guard let outside else { return nil }
                value = outside
            } else {
                guard let found = Self.find(first, hash: name.firstHash, in: frameFields) else { return nil }
                value = found
            }
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

    /// Whether a frame at `depth` or above has field `name`.
    private static func has(_ name: String, hash: UInt64, in frameFields: [Frame], from depth: Int) -> Bool {
        let bit = TemplateObject.bit(hash)
        return frameFields.withUnsafeBufferPointer { frames in
            var level = frames.count
            while level > depth {
                level -= 1
                if frames[level].mask & bit != 0, frames[level].fields.value(named: name, hash: hash) != nil { return true }
            }
            return false
        }
    }

    // MARK: Rows rendered once (RowMemo)

    /// What is being recorded of one keyed list item's output.
    private struct Recording {
        /// The item's frame: names found below it are the page's, not the item's.
        let depth: Int
        /// Where the item's output starts in ``out``.
        let start: Int
        /// Each hole and the bytes its text took in ``out``.
        var holes: [(hole: RowMemo.Hole, start: Int, end: Int)] = []
        var guards: [RowMemo.Guard] = []
        var failed = false

        mutating func guardValue(_ name: String, hash: UInt64, _ value: TemplateValue?) {
            guard let scalar = RowMemo.Scalar(value) else { failed = true; return }
            guards.append(RowMemo.Guard(name: name, hash: hash, value: scalar))
        }
    }

    /// `{{name}}` while recording: a plain name found outside the item, holding text, leaves a
    /// hole filled from the page at each replay (`root` differs with the page's depth).
    private mutating func recordVariable(_ name: TemplateName, escaped: Bool) {
        if let first = name.first, name.rest.isEmpty, let depth = recording?.depth,
           !Self.has(first, hash: name.firstHash, in: frameFields, from: depth),
           case .string(let text)? = Self.find(first, hash: name.firstHash, in: frameFields) {
            let start = out.count
            if escaped { HTMLText.appendEscaped(text, to: &out) } else { out.append(contentsOf: text.utf8) }
            recording!.holes.append((RowMemo.Hole(offset: 0, name: first, hash: name.firstHash, escaped: escaped), start, out.count))
            return
        }
        if let value = lookup(name) { print(value, escaped: escaped) }
    }

    /// One keyed item of a list: its output replayed from `memo` when recorded before on a page
    /// with the same values outside the item, else rendered (and recorded).
    private mutating func renderRow(_ item: TemplateValue, key: String, _ body: CompiledTemplate, memo: RowMemo,
                                    inherited: [String: CompiledTemplate]?) {
        let memoKey = RowMemo.Key(body: ObjectIdentifier(body), item: key)
        if let row = memo.row(memoKey), replay(row) {
            memo.replayed()
            return
        }
        push(frame(item))
        recording = Recording(depth: stack.count - 1, start: out.count)
        render(body, indentation: nil, inherited: inherited)
        let recorded = recording!
        recording = nil
        pop()
        guard !recorded.failed else { return }
        // The bytes without the holes' text; each hole at its offset in them.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(out.count - recorded.start)
        var holes: [RowMemo.Hole] = []
        var position = recorded.start
        for (hole, start, end) in recorded.holes {
            bytes.append(contentsOf: out[position..<start])
            holes.append(RowMemo.Hole(offset: bytes.count, name: hole.name, hash: hole.hash, escaped: hole.escaped))
            position = end
        }
        bytes.append(contentsOf: out[position..<out.count])
        memo.store(memoKey, RowMemo.Row(bytes: bytes, holes: holes, guards: recorded.guards))
    }

    /// Appends `row`'s output on this page, if the values it read outside its item are the same here.
    private mutating func replay(_ row: RowMemo.Row) -> Bool {
        for check in row.guards {
            guard RowMemo.Scalar(Self.find(check.name, hash: check.hash, in: frameFields)) == check.value else { return false }
        }
        var texts: [String] = []
        texts.reserveCapacity(row.holes.count)
        for hole in row.holes {
            guard case .string(let text)? = Self.find(hole.name, hash: hole.hash, in: frameFields) else { return false }
            texts.append(text)
        }
        var position = 0
        row.bytes.withUnsafeBufferPointer { bytes in
            for (hole, text) in zip(row.holes, texts) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<hole.offset]))
                if hole.escaped { HTMLText.appendEscaped(text, to: &out) } else { out.append(contentsOf: text.utf8) }
                position = hole.offset
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position...]))
        }
        return true
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
        // A deferred value may differ from page to page: not recorded.
        recording?.failed = true
        if let known = computed[key] { return known }
        let result = compute()
        computed[key] = result
        return result
    }
}

/// Rows of keyed list items (a postmortem's summary, an action item's row) rendered once per
/// build and replayed on every other page that lists them: a summary is listed on about seven
/// list pages and an action item on four, and those rows were half of a cold build's HTML.
///
/// A row is recorded by its list body and its item's key (the item's content): what the body
/// printed, with a hole wherever it printed a name found outside the item (`{{root}}`, which
/// differs with the page's depth), and the value of every other name it read outside the item
/// (the guards). It is replayed only where every guard has the same value, with the page's own
/// values in the holes; a row whose body reads anything else from outside (a block, a deferred
/// value, an object) is not recorded. Rows are kept up to ``budget`` bytes (all of them at 1,000
/// postmortems, about 5 MB; a sixth at 10,000, where more would raise the build's peak memory),
/// for the life of the ``Theme`` value that holds the memo (one per build).
final class RowMemo: @unchecked Sendable {
    struct Key: Hashable {
        let body: ObjectIdentifier
        let item: String
    }

    /// Where a name's text goes in a row's bytes.
    struct Hole {
        let offset: Int
        let name: String
        let hash: UInt64
        let escaped: Bool
    }

    /// A value read outside the item, as compared at replay.
    enum Scalar: Equatable {
        case missing, text(String), number(Int), flag(Bool)

        init?(_ value: TemplateValue?) {
            switch value {
            case nil: self = .missing
            case .string(let text)?: self = .text(text)
            case .int(let number)?: self = .number(number)
            case .bool(let flag)?: self = .flag(flag)
            default: return nil
            }
        }

        /// Texts compare by their bytes: Swift's `==` takes canonically equivalent spellings
        /// ("é" and "e" + U+0301) as equal, and a row replayed on that guard would print the
        /// other page's bytes.
        static func == (a: Scalar, b: Scalar) -> Bool {
            switch (a, b) {
            case (.missing, .missing): true
            case let (.text(x), .text(y)): x.utf8.elementsEqual(y.utf8)
            case let (.number(x), .number(y)): x == y
            case let (.flag(x), .flag(y)): x == y
            default: false
            }
        }
    }

    struct Guard {
        let name: String
        let hash: UInt64
        let value: Scalar
    }

    struct Row {
        let bytes: [UInt8]
        let holes: [Hole]
        let guards: [Guard]
    }

    /// Bytes of rows kept at most.
    let budget: Int
    private let lock = NSLock()
    private var rows: [Key: Row] = [:]
    private var size = 0

    init(budget: Int = 8 << 20) { self.budget = budget }

    /// Rows replayed (tests).
    private(set) var replays = 0

    func row(_ key: Key) -> Row? { lock.withLock { rows[key] } }

    func replayed() { lock.withLock { replays += 1 } }

    func store(_ key: Key, _ row: Row) {
        lock.withLock {
            guard rows[key] == nil, size + row.bytes.count <= budget else { return }
            rows[key] = row
            size += row.bytes.count
        }
    }

    /// Rows kept (tests).
    var count: Int { lock.withLock { rows.count } }
    var replayCount: Int { lock.withLock { replays } }
}

import CYaml

/// The common shape of front-matter and of `inquest.yml` and `causes.yml` — a mapping of scalar
/// keys to scalars, lists and mappings of the same, nested a few levels — read straight from
/// libyaml's event parser (the C library Yams ships and wraps), without composing Yams nodes.
///
/// Yams' composer builds a class per node and checks duplicate keys by hashing each key with its
/// resolved tag, which runs regular expressions per key (compiling them first: the
/// configuration and the catalogue of every run paid for that): for front-matter that was most of the
/// YAML cost. Anything outside the subset — a root that is not a mapping, collections as keys,
/// nesting deeper than ``maxDepth``, anchors, aliases,
/// explicit tags, several documents, duplicate keys, any syntax error — answers
/// ``Outcome/unsupported`` and the caller takes the full Yams path, so diagnostics and results
/// are those of the full path (`YAMLFastPathTests` compares both on many inputs).
enum YAMLEventFastPath {
    enum Outcome {
        case parsed(YAMLNode?)
        case unsupported
    }

    /// Collections nested deeper than this go to the full path (which bounds nesting itself).
    static let maxDepth = 32

    static func parse(_ text: String, in source: SourceText, firstLine: Int) -> Outcome {
        var text = text
        return text.withUTF8 { buffer -> Outcome in
            // libyaml asserts on a null input; an empty text is the full path's business.
            guard let base = buffer.baseAddress, buffer.count > 0 else { return .unsupported }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .unsupported }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, buffer.count)
            return withUnsafeMutablePointer(to: &parser) { parser in
                var reader = EventReader(parser: parser, source: source, firstLine: firstLine)
                defer { reader.finish() }
                return reader.document() ?? .unsupported
            }
        }
    }

    /// Pulls events one at a time into one `yaml_event_t` (each freed when the next is parsed:
    /// every event is read before the next is asked for, so none needs a box of its own);
    /// every method returns nil for "not in the subset".
    private struct EventReader {
        let parser: UnsafeMutablePointer<yaml_parser_t>
        let source: SourceText
        let firstLine: Int
        var budget = YAMLTreeParser.nodeBudget
        /// The event last parsed, owned until the next one is parsed or ``finish()``.
        var event = yaml_event_t()
        var live = false

        init(parser: UnsafeMutablePointer<yaml_parser_t>, source: SourceText, firstLine: Int) {
            self.parser = parser
            self.source = source
            self.firstLine = firstLine
        }

        /// Parses the next event into ``event`` (freeing the previous one); false on a libyaml error.
        mutating func next() -> Bool {
            finish()
            guard yaml_parser_parse(parser, &event) == 1 else { return false }
            live = true
            return true
        }

        /// Frees the current event.
        mutating func finish() {
            if live { yaml_event_delete(&event) }
            live = false
        }

        mutating func document() -> Outcome? {
            guard next(), event.type == YAML_STREAM_START_EVENT, next() else { return nil }
            if event.type == YAML_STREAM_END_EVENT { return .parsed(nil) }
            guard event.type == YAML_DOCUMENT_START_EVENT, next() else { return nil }
            // The root must be an untagged, unanchored mapping.
            guard event.type == YAML_MAPPING_START_EVENT, event.data.mapping_start.anchor == nil,
                  event.data.mapping_start.tag == nil || event.data.mapping_start.implicit != 0 else { return nil }
            let rootStart = start(of: event)
            guard let pairs = mappingPairs(depth: 1) else { return nil }
            guard next(), event.type == YAML_DOCUMENT_END_EVENT, next(), event.type == YAML_STREAM_END_EVENT else { return nil }
            budget -= 1
            guard budget >= 0 else { return nil }
            return .parsed(YAMLNode(kind: .mapping(pairs), bytes: YAMLTreeParser.collectionRange(start: rootStart, source: source)))
        }

        /// Key/value pairs up to the mapping's end; keys must be distinct strings.
        mutating func mappingPairs(depth: Int) -> [(key: YAMLNode, value: YAMLNode)]? {
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            var keys = Set<String>()
            while true {
                guard next() else { return nil }
                if event.type == YAML_MAPPING_END_EVENT { return pairs }
                guard let key = scalar(), let name = key.scalar else { return nil }
                // Yams reports duplicates (keys equal as strings and resolved tags); leave them to it.
                guard keys.insert(name).inserted else { return nil }
                guard next(), let value = node(depth: depth) else { return nil }
                pairs.append((key, value))
            }
        }

        /// The node starting at the current event: a scalar, a sequence or a mapping (untagged,
        /// unanchored) of such nodes; `depth` counts the collections it is in.
        mutating func node(depth: Int) -> YAMLNode? {
            switch event.type {
            case YAML_SEQUENCE_START_EVENT:
                guard depth < maxDepth, event.data.sequence_start.anchor == nil,
                      event.data.sequence_start.tag == nil || event.data.sequence_start.implicit != 0 else { return nil }
                let sequenceStart = start(of: event)
                var items: [YAMLNode] = []
                while true {
                    guard next() else { return nil }
                    if event.type == YAML_SEQUENCE_END_EVENT { break }
                    guard let item = node(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                budget -= 1
                guard budget >= 0 else { return nil }
                return YAMLNode(kind: .sequence(items), bytes: YAMLTreeParser.collectionRange(start: sequenceStart, source: source))
            case YAML_MAPPING_START_EVENT:
                guard depth < maxDepth, event.data.mapping_start.anchor == nil,
                      event.data.mapping_start.tag == nil || event.data.mapping_start.implicit != 0 else { return nil }
                let mappingStart = start(of: event)
                guard let pairs = mappingPairs(depth: depth + 1) else { return nil }
                budget -= 1
                guard budget >= 0 else { return nil }
                return YAMLNode(kind: .mapping(pairs), bytes: YAMLTreeParser.collectionRange(start: mappingStart, source: source))
            default:
                return scalar()
            }
        }

        /// The file offset where an event starts (libyaml's marks are 0-based).
        func start(of event: yaml_event_t) -> Int {
            YAMLTreeParser.markOffset(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, source: source, firstLine: firstLine)
        }

        /// The current event as a node when it is an untagged, unanchored scalar; nil otherwise.
        /// (Read before the next event is parsed, which frees this one's text.)
        mutating func scalar() -> YAMLNode? {
            scalar(event: event)
        }

        private mutating func scalar(event: yaml_event_t) -> YAMLNode? {
            guard event.type == YAML_SCALAR_EVENT, event.data.scalar.anchor == nil, event.data.scalar.tag == nil else { return nil }
            budget -= 1
            guard budget >= 0 else { return nil }
            let style = event.data.scalar.style
            let string = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
            return YAMLTreeParser.scalarNode(string, plain: style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE,
                                             quoted: style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE,
                                             start: start(of: event), source: source)
        }
    }
}

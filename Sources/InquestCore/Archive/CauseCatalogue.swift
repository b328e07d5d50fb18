/// The root-cause catalogue (`postmortems/causes.yml`): cause id → title, description, category, aliases.
public struct CauseCatalogue: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var title: String
        public var description: String
        public var category: String?
        public var aliases: [String]
        /// Where the entry's key is in the catalogue file.
        public var bytes: Range<Int>
    }

    public var path: String
    public var source: SourceText
    public var entries: [Entry]
    /// Problems with the file itself (`causes/invalid-catalogue`).
    public var problems: [(message: String, bytes: Range<Int>)]

    public func entry(_ id: String) -> Entry? { entries.first { $0.id == id } }

    /// Reads and validates the catalogue. Never throws: problems are collected.
    public static func parse(_ document: RawDocument) -> CauseCatalogue {
        let source = SourceText(bytes: document.bytes)
        var catalogue = CauseCatalogue(path: document.path, source: source, entries: [], problems: [])
        if let problem = PostmortemParser.encodingProblem(document.bytes) {
            catalogue.problems.append((problem.message, problem.bytes))
            return catalogue
        }
        let bom = FrontMatterSplitter.bomLength(document.bytes)
        let text = String(decoding: document.bytes[bom...], as: UTF8.self)
        let root: YAMLNode?
        do {
            root = try YAMLTreeParser.parse(text, in: source, firstLine: 1)
        } catch {
            catalogue.problems.append((error.message, error.offset..<error.offset + 1))
            return catalogue
        }
        guard let root else { return catalogue }
        guard let pairs = root.mapping else {
            catalogue.problems.append(("the catalogue must be a mapping of cause id to {title, description}, found \(root.typeName)", root.bytes))
            return catalogue
        }
        var seen: Set<String> = []
        for (key, value) in pairs {
            guard let id = key.scalar, Slug.isValid(id) else {
                catalogue.problems.append(("cause id '\(key.scalar ?? key.typeName)' must be a slug ([a-z0-9][a-z0-9-]*)", key.bytes))
                continue
            }
            guard seen.insert(id).inserted else {
                catalogue.problems.append(("cause '\(id)' is defined twice", key.bytes))
                continue
            }
            guard let fields = value.mapping else {
                catalogue.problems.append(("cause '\(id)' must be a mapping with title and description, found \(value.typeName)", value.isNull ? key.bytes : value.bytes))
                continue
            }
            var entry = Entry(id: id, title: "", description: "", category: nil, aliases: [], bytes: key.bytes)
            var hasTitle = false, hasDescription = false
            for (fieldKey, fieldValue) in fields {
                switch fieldKey.scalar {
                case "title":
                    if let title = fieldValue.scalar, !fieldValue.isNull, !title.isEmpty { entry.title = title; hasTitle = true }
                    else { catalogue.problems.append(("'title' of cause '\(id)' must be a non-empty string", fieldValue.bytes)); hasTitle = true }
                case "description":
                    if let description = fieldValue.scalar, !fieldValue.isNull { entry.description = description; hasDescription = true }
                    else { catalogue.problems.append(("'description' of cause '\(id)' must be a string", fieldValue.bytes)); hasDescription = true }
                case "category":
                    if let category = fieldValue.scalar, !fieldValue.isNull { entry.category = category }
                    else { catalogue.problems.append(("'category' of cause '\(id)' must be a string", fieldValue.bytes)) }
                case "aliases":
                    if let items = fieldValue.sequence, items.allSatisfy({ $0.scalar != nil && !$0.isNull }) { entry.aliases = items.compactMap(\.scalar) }
                    else { catalogue.problems.append(("'aliases' of cause '\(id)' must be a list of strings", fieldValue.bytes)) }
                default:
                    catalogue.problems.append(("unknown key '\(fieldKey.scalar ?? "?")' in cause '\(id)'; expected title, description, category, aliases", fieldKey.bytes))
                }
            }
            if !hasTitle { catalogue.problems.append(("cause '\(id)' has no title", key.bytes)) }
            if !hasDescription { catalogue.problems.append(("cause '\(id)' has no description", key.bytes)) }
            catalogue.entries.append(entry)
        }
        return catalogue
    }
}

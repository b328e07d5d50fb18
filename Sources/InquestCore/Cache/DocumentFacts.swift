import Foundation

/// What the archive-wide checks read from a document (its id, date, causes, links, open action
/// items, Root Causes terms …), small enough to keep per document in the lint cache. A cached
/// document enters the ``Archive`` as a stub ``Postmortem`` made from these facts, so the
/// cross-document rules run unchanged without the document being read or parsed.
struct DocumentFacts: Sendable {
    var path: String
    var id: String
    var date: CalendarDate?
    var started: Timestamp?
    var rootCauses: [String]
    var contributingFactors: [String]
    var services: [String]
    var tags: [String]
    var related: [String]
    var suppressions: [Suppression]
    var indexed: Archive.IndexedFacts
    /// ``digest`` and ``termsDigest``, when worked out already (on the core that parsed the document).
    var digests: (facts: Digest20, terms: Digest20)?

    init(_ postmortem: Postmortem) {
        path = postmortem.path
        id = postmortem.id
        date = postmortem.date
        started = postmortem.started
        rootCauses = postmortem.rootCauses.map(\.value)
        contributingFactors = postmortem.contributingFactors.map(\.value)
        services = postmortem.services
        tags = postmortem.tags
        related = postmortem.related.map(\.value)
        suppressions = postmortem.suppressions
        indexed = Archive.IndexedFacts(openItems: Archive.openItems(of: postmortem), terms: Archive.similarityTerms(of: postmortem))
    }

    /// A postmortem carrying only these facts (empty body, no front-matter), with `source` for
    /// printing diagnostics when the document was read.
    func stub(source: SourceText, contentID: String?) -> Postmortem {
        Postmortem(path: path, source: source, contentID: contentID, id: id, frontMatter: nil, syntaxProblems: [],
                   title: nil, date: date, status: nil, severity: nil, authors: [], services: services,
                   started: started, detected: nil, mitigated: nil, resolved: nil,
                   rootCauses: rootCauses.map { Located($0, bytes: 0..<0) },
                   contributingFactors: contributingFactors.map { Located($0, bytes: 0..<0) },
                   tags: tags, related: related.map { Located($0, bytes: 0..<0) },
                   body: MarkdownNode(kind: .document, literal: nil, bytes: 0..<0, children: []), bodyStart: 0,
                   sections: [], timeline: [], actionItems: [], suppressions: suppressions)
    }

    // MARK: Encoding

    func encode(into writer: inout CacheWriter) {
        writer.string(path)
        writer.string(id)
        writer.optionalDate(date)
        writer.optionalTimestamp(started)
        writer.strings(rootCauses)
        writer.strings(contributingFactors)
        writer.strings(services)
        writer.strings(tags)
        writer.strings(related)
        writer.unsigned(UInt64(suppressions.count))
        for suppression in suppressions {
            writer.strings(suppression.rules)
            switch suppression.scope {
            case .file: writer.bool(false)
            case let .lines(range): writer.bool(true); writer.int(range.lowerBound); writer.int(range.upperBound)
            }
            writer.int(suppression.bytes.lowerBound)
            writer.int(suppression.bytes.upperBound)
        }
        writer.unsigned(UInt64(indexed.openItems.count))
        for item in indexed.openItems { writer.int(item.line); writer.optionalString(item.ticket) }
    }

    /// A digest of every fact, terms included: two documents with equal digests look the same to
    /// every cross-document rule.
    var digest: String {
        var writer = CacheWriter()
        encode(into: &writer)
        writer.unsigned(UInt64(indexed.terms.count))
        for term in indexed.terms { writer.string(term.key); writer.int(term.value) }
        return ContentID.of(writer.bytes)
    }

    /// A digest of the similarity terms alone (their strings and counts): together with every
    /// document's path, id and dates it decides which documents read alike (``CachedLint``).
    /// Only for facts computed from a parse (decoded facts carry no terms).
    var termsDigest: Digest20 {
        var writer = CacheWriter()
        writer.unsigned(UInt64(indexed.terms.count))
        for term in indexed.terms { writer.string(term.key); writer.int(term.value) }
        return Digest20.of(writer.bytes)
    }

    /// The similarity terms as ids into `table` (added to it when new), in the cache's format.
    func encodeTerms(into table: inout TermTable) -> [UInt8] {
        var writer = CacheWriter()
        writer.unsigned(UInt64(indexed.terms.count))
        for term in indexed.terms { writer.unsigned(UInt64(table.id(term.key))); writer.int(term.value) }
        return writer.bytes
    }

    /// Reads what ``encodeTerms(into:)`` wrote; every id must be below `tableCount`.
    static func decodeTerms(from reader: inout CacheReader, tableCount: Int) throws(CacheReader.Failure) -> [(term: Int, count: Int)] {
        let count = try reader.count()
        var terms: [(term: Int, count: Int)] = []
        terms.reserveCapacity(count)
        for _ in 0..<count {
            let id = try reader.unsigned()
            guard id < UInt64(tableCount) else { throw .init() }
            terms.append((Int(id), try reader.int()))
        }
        return terms
    }

    /// The stub ``stub(source:contentID:)`` makes from the facts ``encode(into:)`` wrote, read
    /// straight from the bytes (no facts value in between), with its open action items. The
    /// stored path is skipped (the caller's `path` is the entry's); the short lists (causes,
    /// services, tags, links, suppressed rules) share one String per distinct value through
    /// `interner`, so 10,000 stubs do not allocate the same few hundred names again and again.
    static func stub(from reader: inout CacheReader, path: String, source: SourceText, contentID: String?,
                     interner: inout StringInterner) throws(CacheReader.Failure) -> (Postmortem, [(line: Int, ticket: String?)]) {
        _ = try reader.stringRange()
        let id = try reader.string()
        let date = try reader.optionalDate()
        let started = try reader.optionalTimestamp()
        func located() throws(CacheReader.Failure) -> [Located<String>] {
            let count = try reader.count()
            guard count > 0 else { return [] }
            var values: [Located<String>] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(Located(try interner.string(&reader), bytes: 0..<0)) }
            return values
        }
        func strings(_ reader: inout CacheReader) throws(CacheReader.Failure) -> [String] {
            let count = try reader.count()
            guard count > 0 else { return [] }
            var values: [String] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try interner.string(&reader)) }
            return values
        }
        let rootCauses = try located()
        let contributingFactors = try located()
        let services = try strings(&reader)
        let tags = try strings(&reader)
        let related = try located()
        let suppressions = try Self.decodeSuppressions(from: &reader, rules: strings)
        let openItems = try Self.decodeOpenItems(from: &reader)
        let stub = Postmortem(path: path, source: source, contentID: contentID, id: id, frontMatter: nil, syntaxProblems: [],
                              title: nil, date: date, status: nil, severity: nil, authors: [], services: services,
                              started: started, detected: nil, mitigated: nil, resolved: nil,
                              rootCauses: rootCauses, contributingFactors: contributingFactors, tags: tags, related: related,
                              body: emptyBody, bodyStart: 0, sections: [], timeline: [], actionItems: [], suppressions: suppressions)
        return (stub, openItems)
    }

    /// The suppressions as both decoders read them; `rules` reads one suppression's rule ids
    /// (interned by the stub decoder).
    static func decodeSuppressions(from reader: inout CacheReader,
                                   rules: (inout CacheReader) throws(CacheReader.Failure) -> [String]) throws(CacheReader.Failure) -> [Suppression] {
        var suppressions: [Suppression] = []
        for _ in 0..<(try reader.count()) {
            let ruleIDs = try rules(&reader)
            let scope: Suppression.Scope
            if try reader.bool() {
                let low = try reader.int(), high = try reader.int()
                guard low <= high else { throw .init() }
                scope = .lines(low...high)
            } else {
                scope = .file
            }
            let low = try reader.int(), high = try reader.int()
            guard low <= high else { throw .init() }
            suppressions.append(Suppression(rules: ruleIDs, scope: scope, bytes: low..<high))
        }
        return suppressions
    }

    /// The open action items' lines and tickets, stored after the suppressions.
    static func decodeOpenItems(from reader: inout CacheReader) throws(CacheReader.Failure) -> [(line: Int, ticket: String?)] {
        var openItems: [(line: Int, ticket: String?)] = []
        for _ in 0..<(try reader.count()) { openItems.append((try reader.int(), try reader.optionalString())) }
        return openItems
    }

    /// The body every stub carries.
    static let emptyBody = MarkdownNode(kind: .document, literal: nil, bytes: 0..<0, children: [])

    /// The facts without the similarity terms (see ``decodeTerms(from:tableCount:)``).
    init(from reader: inout CacheReader) throws(CacheReader.Failure) {
        path = try reader.string()
        id = try reader.string()
        date = try reader.optionalDate()
        started = try reader.optionalTimestamp()
        rootCauses = try reader.strings()
        contributingFactors = try reader.strings()
        services = try reader.strings()
        tags = try reader.strings()
        related = try reader.strings()
        suppressions = try Self.decodeSuppressions(from: &reader) { reader throws(CacheReader.Failure) in try reader.strings() }
        let openItems = try Self.decodeOpenItems(from: &reader)
        indexed = Archive.IndexedFacts(openItems: openItems, terms: [])
    }
}

/// Diagnostics in the cache's byte format.
enum DiagnosticCoding {
    static func encode(_ diagnostics: [Diagnostic], into writer: inout CacheWriter) {
        writer.unsigned(UInt64(diagnostics.count))
        for diagnostic in diagnostics {
            writer.string(diagnostic.file)
            writer.int(diagnostic.range.start.line)
            writer.int(diagnostic.range.start.column)
            writer.int(diagnostic.range.end.line)
            writer.int(diagnostic.range.end.column)
            writer.string(diagnostic.severity.rawValue)
            writer.string(diagnostic.rule)
            writer.string(diagnostic.message)
            writer.optionalString(diagnostic.suggestion)
            writer.bool(diagnostic.fix != nil)
            if let fix = diagnostic.fix {
                writer.int(fix.bytes.lowerBound)
                writer.int(fix.bytes.upperBound)
                writer.string(fix.replacement)
            }
        }
    }

    static func decode(from reader: inout CacheReader) throws(CacheReader.Failure) -> [Diagnostic] {
        var interner = StringInterner()
        return try decode(from: &reader, path: nil, interner: &interner)
    }

    /// ``decode(from:)`` sharing Strings: the file when it is `path` (a document's own findings),
    /// and rule ids and suggestions through `interner`.
    static func decode(from reader: inout CacheReader, path: String?, interner: inout StringInterner) throws(CacheReader.Failure) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let count = try reader.count()
        diagnostics.reserveCapacity(count)
        var path = path
        for _ in 0..<count {
            let range = try reader.stringRange()
            let bytes = UnsafeBufferPointer(start: reader.buffer.base + range.lowerBound, count: range.count)
            let file: String
            if let own = path, own.utf8.count == bytes.count, bytes.count > 0, path!.withUTF8({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                file = own
            } else {
                file = String(decoding: bytes, as: UTF8.self)
            }
            let start = SourcePosition(line: try reader.int(), column: try reader.int())
            let end = SourcePosition(line: try reader.int(), column: try reader.int())
            guard let severity = Severity(rawValue: try interner.string(&reader)) else { throw .init() }
            let rule = try interner.string(&reader)
            let message = try reader.string()
            let suggestion = try reader.bool() ? try interner.string(&reader) : nil
            var fix: Fix?
            if try reader.bool() {
                let low = try reader.int(), high = try reader.int()
                guard low <= high else { throw .init() }
                fix = Fix(bytes: low..<high, replacement: try reader.string())
            }
            var diagnostic = Diagnostic(file: file, range: SourceRange(start: start, end: end), severity: severity, rule: rule,
                                        message: message, suggestion: suggestion, fix: fix)
            // SourceRange's initializer clamps end ≥ start; keep exactly what was stored.
            diagnostic.range.end = end
            diagnostics.append(diagnostic)
        }
        return diagnostics
    }
}

/// One String per distinct short value read from a cache (cause ids, services, tags, rule ids):
/// an open-addressing table keyed by the bytes, so a value seen before costs a hash and a
/// comparison instead of an allocation. Values of up to 15 bytes are stored inline by String and
/// are not interned.
struct StringInterner {
    private var slots: [String?] = Array(repeating: nil, count: 256)
    private var hashes: [UInt64] = Array(repeating: 0, count: 256)
    private var used = 0

    /// The length-prefixed string at the reader's position, shared when seen before.
    mutating func string(_ reader: inout CacheReader) throws(CacheReader.Failure) -> String {
        let range = try reader.stringRange()
        return string(UnsafeBufferPointer(start: reader.buffer.base + range.lowerBound, count: range.count))
    }

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > 15 else { return String(decoding: bytes, as: UTF8.self) }
        let hash = StableHash.value(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while let existing = slots[slot] {
            if hashes[slot] == hash, Self.equal(existing, bytes) { return existing }
            slot = (slot + 1) & mask
        }
        let value = String(decoding: bytes, as: UTF8.self)
        slots[slot] = value
        hashes[slot] = hash
        used += 1
        if used * 2 > slots.count { grow() }
        return value
    }

    private static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var string = string
        return string.withUTF8 { stored in
            stored.count == bytes.count && (bytes.count == 0 || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    private mutating func grow() {
        let old = zip(slots, hashes).compactMap { slot, hash in slot.map { ($0, hash) } }
        slots = Array(repeating: nil, count: slots.count * 2)
        hashes = Array(repeating: 0, count: slots.count)
        let mask = slots.count - 1
        for (value, hash) in old {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != nil { slot = (slot + 1) & mask }
            slots[slot] = value
            hashes[slot] = hash
        }
    }
}

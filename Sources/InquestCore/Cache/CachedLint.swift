import Foundation

/// A lint run prepared with the persistent cache (``LintCache``): only documents whose content
/// is not in the cache are read and parsed; the others enter the archive as stubs made from their
/// cached facts, and a reported document whose inputs are all unchanged gets its cached
/// diagnostics back instead of being checked again.
///
/// Exactness. A document's document-rule diagnostics (suppressions applied) depend on its path
/// and bytes, the configuration, the catalogue, the git author names, the Inquest build, what
/// the cross-document rules read from the other documents, and (`git/id-changed`) its version at
/// the base of `--changed-since`/`--staged`. The first five make the file's key (a mismatch
/// ignores the whole file); content is keyed by git blob id; the cross-document part by
/// ``archiveDigest``, a digest over every document's facts (the only things those rules read
/// from other documents); the base version by the entry's run key. Archive rules always run.
/// Documents an archive rule reports on (duplicate ids, run-wide notes) are parsed, since the
/// finding needs their front-matter.
public struct CachedLint: Sendable {
    /// What happened, for tests and `--cache-stats`-style checks: counts, not timings.
    public struct Statistics: Sendable, Equatable {
        /// Documents read (or whose blob was read) this run.
        public var read = 0
        /// Documents hashed because neither a blob id nor a trusted stamp named their content.
        public var hashed = 0
        /// Documents parsed.
        public var parsed = 0
        /// Documents the document rules checked.
        public var checked = 0
        /// Reported documents whose diagnostics came from the cache.
        public var reused = 0
        /// True when a cache file was found and accepted.
        public var hit = false
    }

    var cache: LintCache
    var key: String
    var snapshot: LintCache.Snapshot?
    /// Per input document (same order): its content key, and fresh facts/diagnostics bookkeeping.
    var keys: [String: String]
    var stamps: [String: FileStamp]
    var fresh: [String: DocumentFacts]
    var archiveDigest: String
    var factsDigests: [String: String]
    var evaluate: Set<String>
    var reused: [String: [Diagnostic]]
    var runKeys: [String: String]
    public private(set) var statistics: Statistics

    /// The key of the cache file: everything every entry depends on besides its own content.
    static func fileKey(workspace: Workspace, catalogue: RawDocument?, authorNames: [String]) -> String? {
        guard let configuration = workspace.configurationDigest else { return nil }
        var parts = ["inquest \(InquestVersion.current)", BuildIdentity.current, configuration, workspace.configurationPath ?? "-",
                     RuleRegistry.ids.sorted().joined(separator: ",")]
        if let catalogue { parts += [catalogue.path, ContentID.of(catalogue.bytes)] } else { parts.append("no catalogue") }
        parts.append(ContentID.of(Array(authorNames.joined(separator: "\n").utf8)))
        return ContentID.of(Array(parts.joined(separator: "\u{0}").utf8))
    }

    /// Reads what must be read and parses what must be parsed.
    ///
    /// - Parameters:
    ///   - input: the run's documents, possibly only listed; on return every document that is
    ///     parsed, checked or has diagnostics to print is loaded.
    ///   - reported: the paths the run reports on (nil: all).
    ///   - noticePath: the document a run-wide git note would go on, when one will be made.
    /// - Returns: the prepared run and the archive (stubs for cached documents).
    static func prepare(input: inout LintInput, source: some DocumentSource, cache: LintCache, key: String,
                        configuration: Configuration, reported: Set<String>?, base: GitBaseState?,
                        noticePath: String?) throws(SourceError) -> (CachedLint, Archive) {
        var statistics = Statistics()
        let snapshot = cache.load(key: key)
        statistics.hit = snapshot != nil
        let entries = snapshot?.entries ?? [:]
        var keys: [String: String] = [:]
        var stamps: [String: FileStamp] = [:]
        // 1. Content keys: blob ids from git, trusted stamps, else read and hash.
        for index in input.documents.indices {
            let document = input.documents[index]
            if let stamp = document.stamp { stamps[document.path] = stamp }
            if let id = document.contentID { keys[document.path] = id; continue }
            if let stamp = document.stamp, let entry = entries[document.path], entry.stamp == stamp,
               let written = snapshot?.written, stamp.modified < written - cache.racyWindow, stamp.changed < written - cache.racyWindow {
                keys[document.path] = entry.contentKey
                continue
            }
            if !input.documents[index].isLoaded {
                input.documents[index] = try source.load(document)
                input.documents[index].stamp = document.stamp
                statistics.read += 1
            }
            keys[document.path] = ContentID.of(input.documents[index].bytes)
            statistics.hashed += 1
        }
        func cached(_ path: String) -> LintCache.Entry? {
            guard let entry = entries[path], entry.contentKey == keys[path] else { return nil }
            return entry
        }
        // 2. Documents not in the cache are parsed.
        var parse = Set(input.documents.map(\.path).filter { cached($0) == nil })
        // 3. The archive digest, over every document's facts.
        let parser = PostmortemParser(schema: configuration.schema)
        var parsed: [String: Postmortem] = [:]
        func parseNow(_ paths: Set<String>) throws(SourceError) {
            var todo: [RawDocument] = []
            for index in input.documents.indices where paths.contains(input.documents[index].path) && parsed[input.documents[index].path] == nil {
                if !input.documents[index].isLoaded {
                    let stamp = input.documents[index].stamp
                    input.documents[index] = try source.load(input.documents[index])
                    input.documents[index].stamp = stamp
                    statistics.read += 1
                }
                todo.append(input.documents[index])
            }
            for postmortem in parallelMap(todo, { parser.parse($0) }) { parsed[postmortem.path] = postmortem }
            statistics.parsed += todo.count
        }
        try parseNow(parse)
        var fresh: [String: DocumentFacts] = [:]
        var factsDigests: [String: String] = [:]
        var ids: [String: String] = [:]
        for (path, postmortem) in parsed {
            let facts = DocumentFacts(postmortem)
            fresh[path] = facts
            factsDigests[path] = facts.digest
        }
        for document in input.documents {
            if let entry = cached(document.path), factsDigests[document.path] == nil { factsDigests[document.path] = entry.factsDigest }
            ids[document.path] = fresh[document.path]?.id ?? cached(document.path)?.id
        }
        var digestInput = CacheWriter()
        for path in factsDigests.keys.sorted() { digestInput.string(path); digestInput.string(factsDigests[path]!) }
        let archiveDigest = ContentID.of(digestInput.bytes)

        // 4. Which reported documents are checked again, and which reuse their diagnostics.
        var idCount: [String: Int] = [:]
        for id in ids.values { idCount[id, default: 0] += 1 }
        var evaluate: Set<String> = []
        var reused: [String: [Diagnostic]] = [:]
        var runKeys: [String: String] = [:]
        for document in input.documents where reported?.contains(document.path) ?? true {
            let path = document.path
            let runKey = base?.documents[path].map { "\($0.path)\u{0}\($0.id)\u{0}\($0.status?.rawValue ?? "-")" } ?? "-"
            runKeys[path] = runKey
            if let entry = cached(path), let stored = entry.diagnostics, stored.archiveDigest == archiveDigest, stored.runKey == runKey,
               let snapshot {
                var reader = CacheReader(snapshot.buffer, range: stored.bytes)
                if let diagnostics = try? DiagnosticCoding.decode(from: &reader), reader.isAtEnd {
                    reused[path] = diagnostics
                    continue
                }
            }
            evaluate.insert(path)
        }
        // Archive-rule findings need the document itself: duplicate ids and the run-wide note.
        var full = evaluate
        for document in input.documents where reported?.contains(document.path) ?? true {
            if let id = ids[document.path], idCount[id, default: 0] > 1 { full.insert(document.path) }
        }
        if let noticePath { full.insert(noticePath) }
        parse = full.subtracting(parsed.keys)
        try parseNow(parse)
        statistics.checked = evaluate.count
        statistics.reused = reused.count

        // 5. Stubs for the rest; reported documents with diagnostics to print are read.
        // Terms only matter to `causes/similar` on a checked document.
        let needsTerms = !evaluate.isEmpty
        let termTable = needsTerms ? try? snapshot?.terms() : nil
        var postmortems: [Postmortem] = []
        var known: [String: Archive.IndexedFacts] = [:]
        for index in input.documents.indices {
            let path = input.documents[index].path
            if let postmortem = parsed[path] { postmortems.append(postmortem); continue }
            guard let entry = cached(path), let snapshot else { continue }
            var reader = CacheReader(snapshot.buffer, range: entry.facts)
            var termReader = CacheReader(snapshot.buffer, range: entry.terms)
            let termIDs = termTable.flatMap { try? DocumentFacts.decodeTerms(from: &termReader, tableCount: $0.count) }
            guard var facts = try? DocumentFacts(from: &reader), reader.isAtEnd, !needsTerms || termIDs != nil else {
                // A damaged entry in a whole file: parse the document after all.
                try parseNow([path])
                if let postmortem = parsed[path] {
                    postmortems.append(postmortem)
                    fresh[path] = DocumentFacts(postmortem)
                }
                continue
            }
            facts.path = path
            if !(reused[path]?.isEmpty ?? true), !input.documents[index].isLoaded {
                let stamp = input.documents[index].stamp
                input.documents[index] = try source.load(input.documents[index])
                input.documents[index].stamp = stamp
                statistics.read += 1
            }
            let document = input.documents[index]
            postmortems.append(facts.stub(source: SourceText(bytes: document.isLoaded ? document.bytes : []), contentID: document.contentID))
            facts.indexed.termIDs = termIDs ?? []
            known[path] = facts.indexed
        }
        let archive = Archive(postmortems: postmortems, catalogue: input.catalogue.map(CauseCatalogue.parse), known: known,
                              termTable: termTable ?? [], similarityFor: evaluate)
        let run = CachedLint(cache: cache, key: key, snapshot: snapshot, keys: keys, stamps: stamps, fresh: fresh,
                             archiveDigest: archiveDigest, factsDigests: factsDigests, evaluate: evaluate, reused: reused,
                             runKeys: runKeys, statistics: statistics)
        return (run, archive)
    }

    /// Lints with the prepared state and writes the cache back.
    func lint(_ linter: Linter, input: LintInput, archive: Archive) -> LintResult {
        let pass = linter.lint(input, archive: archive, evaluate: evaluate, reused: reused)
        save(pass.documentDiagnostics, documents: input.documents)
        return pass.result
    }

    /// Rewriting the whole file costs more than a few documents do: when only this many entries
    /// would change, the file is left as it is and the next run parses those few again.
    static func smallChange(_ documents: Int) -> Int { max(8, documents / 200) }

    private func save(_ diagnostics: [String: [Diagnostic]], documents: [RawDocument]) {
        // Entries that differ from the file: new content, new diagnostics, new stamps, added or removed paths.
        var changes = fresh.count + diagnostics.keys.filter { fresh[$0] == nil }.count
        if let snapshot {
            let paths = Set(documents.map(\.path))
            changes += snapshot.entries.keys.filter { !paths.contains($0) }.count
            // A run without stamps (`--rev`, `--staged`) keeps the stamps stored: they still name the same content.
            for document in documents where fresh[document.path] == nil {
                if let stamp = stamps[document.path], snapshot.entries[document.path]?.stamp != stamp { changes += 1 }
            }
            if changes <= Self.smallChange(documents.count) { return }
        }
        var changed = snapshot == nil || changes > 0
        // New terms are appended to the old table, so cached entries' term ids stay valid.
        let oldTable = try? snapshot?.terms()
        var table = TermTable(oldTable ?? [])
        var records: [LintCache.Record] = []
        records.reserveCapacity(documents.count)
        for document in documents.sorted(by: { $0.path < $1.path }) {
            let path = document.path
            guard let contentKey = keys[path], let factsDigest = factsDigests[path] else { continue }
            let old = snapshot?.entries[path].flatMap { $0.contentKey == contentKey ? $0 : nil }
            var facts: [UInt8]
            var terms: [UInt8]
            var id: String
            if let computed = fresh[path] {
                var writer = CacheWriter()
                computed.encode(into: &writer)
                facts = writer.bytes
                terms = computed.encodeTerms(into: &table)
                id = computed.id
            } else if let old, let snapshot, oldTable != nil {
                facts = Array(snapshot.buffer[old.facts])
                terms = Array(snapshot.buffer[old.terms])
                id = old.id
            } else {
                changed = true
                continue
            }
            var stored: (archiveDigest: String, runKey: String, bytes: [UInt8])?
            if let found = diagnostics[path] {
                var writer = CacheWriter()
                DiagnosticCoding.encode(found, into: &writer)
                stored = (archiveDigest, runKeys[path] ?? "-", writer.bytes)
            } else if let previous = old?.diagnostics, let snapshot {
                stored = (previous.archiveDigest, previous.runKey, Array(snapshot.buffer[previous.bytes]))
            }
            let stamp = stamps[path] ?? old?.stamp
            if stamp != old?.stamp { changed = true }
            records.append(LintCache.Record(path: path, contentKey: contentKey, stamp: stamp, id: id, factsDigest: factsDigest,
                                            facts: facts, terms: terms, diagnostics: stored))
        }
        guard changed else { return }
        cache.save(LintCache.encode(records, key: key, termTable: table.strings))
    }
}

/// Identifies the running build, so a cache written by another build of the same version
/// (a developer's rebuild with a changed rule) is never trusted.
enum BuildIdentity {
    static let current: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else {
            return CommandLine.arguments.first ?? "unknown"
        }
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }()
}

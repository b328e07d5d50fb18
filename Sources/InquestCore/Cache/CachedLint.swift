import Foundation
import InquestBlameless

/// A lint run prepared with the persistent cache (``LintCache``): only documents whose content
/// is not in the cache are read and parsed; the others enter the archive as stubs made from their
/// cached facts, and a reported document whose inputs are all unchanged gets its cached
/// diagnostics back instead of being checked again.
///
/// Exactness. A document's document-rule diagnostics (suppressions applied) depend on its path
/// and bytes, the configuration, the catalogue, the git author names, the Inquest build, what
/// the cross-document rules read from the other documents, and (`git/id-changed`) its version at
/// the base of `--changed-since`/`--staged`. The configuration, the catalogue and the build make
/// the file's key (a mismatch ignores the whole file); content is keyed by git blob id; the
/// cross-document part by the document's dependency digest (``dependencies(of:neighbours:)``);
/// the base version by the entry's run key; the author names by the digest in the entry's
/// ``DiagnosticBasis``: when they differ from the names the file was written under, a document
/// whose text holds none of the first names that came or went keeps its diagnostics (the
/// blameless rules find a commit author only by their full name, or their first name in an
/// actor's position). Archive rules always run.
///
/// What the document rules read from other documents, and so what the dependency digest covers:
/// whether the ids its `related` names and the paths its links lead to exist (every id, for the
/// suggestion, when one does not: ``RunDigests/global``); every fact of the documents
/// that share one of its causes (`causes/recurring`, `causes/open-action-items`: ``RunDigests/groups``);
/// and the causes and links of the documents its Root Causes read like (`causes/similar` quotes
/// them and asks whether they share a cause: the neighbour paths stored with its diagnostics),
/// plus which earlier documents share one of its causes (``RunDigests/earlierInGroups``: the
/// neighbours leave out look-alikes that share a cause, so one that stops sharing it is seen there). The cause groups matter only to `causes/recurring` and `causes/open-action-items`,
/// whose findings a document without suppressions keeps apart (``GroupRules``): a `root_causes`
/// edit then works those out again for the documents of the old and the new cause from the
/// archive's facts, and checks again only the edited document, those similar to it and the
/// documents of those causes that have suppressions.
/// Which documents read alike depends on every document's Root Causes terms (``RunDigests/terms``):
/// an entry stores the similar documents it found, with the scores the rule prints, and the terms
/// digest they were found under. When the terms changed, a reused document's similar documents
/// are worked out again from the stored terms, and it is checked again only if they differ.
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
        /// Documents whose similarity terms were decoded or computed for `causes/similar`: with
        /// the stored frequencies and postings, only the checked documents and their candidates.
        public var termBags = 0
        /// True when the run worked out every document's digests (``RunDigests``) to check cached
        /// diagnostics; a run whose reported documents all changed does not need them.
        public var digested = false
        /// Reused documents whose cause-group findings (``GroupRules``) were worked out again
        /// from the archive's facts, without reading or parsing them.
        public var regrouped = 0
        /// Documents whose printed diagnostics quote lines stored in the cache (``Excerpts``)
        /// instead of the file, which was not read.
        public var quoted = 0
        /// Reused documents whose similar documents (`causes/similar`) were worked out again
        /// from the stored terms because some document's Root Causes terms changed; those whose
        /// list came out different are checked again (and counted in ``checked``).
        public var resimilar = 0
        /// Reused documents read to see whether a commit author who came or went since their
        /// diagnostics were stored is named in them; those that are are checked again.
        public var authorChecked = 0
    }

    var cache: LintCache
    var key: String
    var snapshot: LintCache.Snapshot?
    /// Per input document, in ``LintInput/documents`` order (arrays, not dictionaries keyed by
    /// path: hashing 10,000 paths a dozen times cost more than the one document that changed).
    var keys: [Digest20]
    var stamps: [FileStamp?]
    /// The snapshot entry at the same path, or -1 (its content may differ: see ``keys``).
    var entryOf: [Int]
    /// The facts of the documents parsed this run, by input index.
    var fresh: [Int: DocumentFacts]
    /// The facts digests, ``RunDigests/global`` and ``RunDigests/groups``, when the run needed
    /// them already (a reused document's check); else worked out by a cache write that needs them.
    var digests: RunDigests?
    /// Each input document as the archive holds it (parsed, or a stub of its cached facts), in input order.
    var known: [Postmortem]
    var evaluate: Set<String>
    var reused: [String: [Diagnostic]]
    var runKeys: [String: String]
    /// Reused documents whose cause-group findings must be worked out again (a cause they cite
    /// gained, lost or changed an incident): input index, their causes' source ranges, and the
    /// digest of their groups now.
    var groupWork: [String: (index: Int, causes: [SourceRange], dependencies: Digest20)] = [:]
    /// Reused documents whose diagnostics were found to hold under this run's terms or author
    /// names (their similar documents worked out again, their text searched for the names that
    /// came or went): the cache stores them with the new basis, so the next run does not look again.
    var rebased: [String: DiagnosticBasis] = [:]
    /// This run's git author names (stored in the file) and their digest (with each entry).
    var authorNames: [String] = []
    var authorsDigest = Digest20.zero
    public private(set) var statistics: Statistics
    /// Each input document's open items and Root Causes terms as the archive was made from
    /// them (term ids into ``termTable`` for cached documents, terms for parsed ones), in
    /// input order. With `allTerms`, every cached document's terms are there: what an editor
    /// session keeps (``LiveArchive``).
    var indexedFacts: [Archive.IndexedFacts?] = []
    /// The terms ``indexedFacts``' ids name (the cache file's table; empty when none was read).
    var termTable: [String] = []

    /// The key of the cache file: everything every entry depends on besides its own content.
    /// Not the git author names: entries keep the digest of those they were worked out under
    /// (``DiagnosticBasis``), so a new author re-checks only the documents that name them.
    static func fileKey(workspace: Workspace, catalogue: RawDocument?) -> String? {
        guard let configuration = workspace.configurationDigest else { return nil }
        var parts = ["inquest \(InquestVersion.current)", BuildIdentity.current, configuration, workspace.configurationPath ?? "-",
                     RuleRegistry.ids.sorted().joined(separator: ",")]
        if let catalogue { parts += [catalogue.path, ContentID.of(catalogue.bytes)] } else { parts.append("no catalogue") }
        return ContentID.of(Array(parts.joined(separator: "\u{0}").utf8))
    }

    /// For each document, the index of the snapshot entry with the same path (-1: none), and
    /// which entries were matched. Documents listed in path order meet entries stored in path
    /// order in one merge that compares bytes; anything else falls back to a dictionary.
    static func match(_ documents: [RawDocument], snapshot: LintCache.Snapshot?) -> [Int] {
        var entryOf = [Int](repeating: -1, count: documents.count)
        guard let snapshot, !snapshot.entries.isEmpty else { return entryOf }
        let entries = snapshot.entries
        var merged = snapshot.sorted
        if merged {
            var next = 0
            var previous: String?
            for index in documents.indices {
                var path = documents[index].path
                if let previous, !bytewiseLess(previous, path) { merged = false; break }
                previous = path
                var found = -1
                path.withUTF8 { bytes in
                    while next < entries.count {
                        let order = snapshot.compare(entries[next].path, bytes)
                        if order < 0 { next += 1; continue }
                        if order == 0 { found = next; next += 1 }
                        break
                    }
                }
                entryOf[index] = found
            }
        }
        if !merged {
            var byPath: [String: Int] = [:]
            byPath.reserveCapacity(entries.count)
            for index in entries.indices { byPath[snapshot.path(of: entries[index])] = index }
            for index in documents.indices { entryOf[index] = byPath[documents[index].path] ?? -1 }
        }
        return entryOf
    }

    /// `a` before `b` comparing UTF-8 bytes (the cache file's order).
    static func bytewiseLess(_ a: String, _ b: String) -> Bool {
        // Native strings are read in place; others (bridged, never in practice here) copied once.
        if let result = a.utf8.withContiguousStorageIfAvailable({ x in
            b.utf8.withContiguousStorageIfAvailable { y in less(x, y) }
        }), let result { return result }
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in less(x, y) } }
    }

    private static func less(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(x.count, y.count)
        let result = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
        return result < 0 || (result == 0 && x.count < y.count)
    }

    /// Reads what must be read and parses what must be parsed.
    ///
    /// - Parameters:
    ///   - input: the run's documents, possibly only listed; on return every document that is
    ///     parsed, checked or has diagnostics to print is loaded.
    ///   - reported: the paths the run reports on (nil: all).
    ///   - noticePath: the document a run-wide git note would go on, when one will be made.
    ///   - printed: whether the diagnostics will be printed: their documents' text is then read
    ///     (formatters quote it). A run that only counts them (`inquest build`) reads no more than
    ///     lint itself needs.
    /// - Returns: the prepared run and the archive (stubs for cached documents).
    static func prepare(input: inout LintInput, source: some DocumentSource, cache: LintCache, key: String,
                        configuration: Configuration, reported: Set<String>?, base: GitBaseState?,
                        noticePath: String?, loader: SnapshotLoader? = nil, printed: Bool = true,
                        allTerms: Bool = false, authorNames: [String] = []) throws(SourceError) -> (CachedLint, Archive) {
        var statistics = Statistics()
        // Read on another thread while the archive was listed, when the caller started it.
        var decoded = loader?.result(key: key)
        let snapshot = loader == nil ? cache.load(key: key) : decoded?.snapshot
        statistics.hit = snapshot != nil
        let count = input.documents.count
        let entryOf = match(input.documents, snapshot: snapshot)
        var keys = [Digest20](repeating: .zero, count: count)
        var stamps = [FileStamp?](repeating: nil, count: count)
        func load(_ index: Int) throws(SourceError) {
            guard !input.documents[index].isLoaded else { return }
            let stamp = input.documents[index].stamp
            input.documents[index] = try source.load(input.documents[index])
            input.documents[index].stamp = stamp
            statistics.read += 1
        }
        // 1. Content keys: blob ids from git, trusted stamps, else read and hash.
        for index in 0..<count {
            let stamp = input.documents[index].stamp
            // A document named by the source (git, or the stat index) is not known by its stamp
            // here: its stamp is not stored either, as for `--rev`, so that new stamps alone (every
            // file of a fresh clone) do not rewrite this file. A stored stamp that no longer
            // holds only means hashing, in a run without the stat index.
            if let id = input.documents[index].contentID, let digest = Digest20(hex: id) { keys[index] = digest; continue }
            stamps[index] = stamp
            if let stamp, let snapshot, entryOf[index] >= 0, snapshot.entries[entryOf[index]].stamp == stamp,
               stamp.modified < snapshot.written - cache.racyWindow, stamp.changed < snapshot.written - cache.racyWindow {
                keys[index] = snapshot.entries[entryOf[index]].contentKey
                continue
            }
            try load(index)
            keys[index] = Digest20.of(input.documents[index].bytes)
            // Named now, as a stat index or git would have named it (the site keys pages by it).
            input.documents[index].contentID = keys[index].hex
            statistics.hashed += 1
        }
        /// The entry holding this document's content, if any.
        func cached(_ index: Int) -> LintCache.Entry? {
            guard let snapshot, entryOf[index] >= 0 else { return nil }
            let entry = snapshot.entries[entryOf[index]]
            return entry.contentKey == keys[index] ? entry : nil
        }
        // 2. Every document as the archive will hold it: documents not in the cache are parsed;
        // the others are stubs decoded from their cached facts (a damaged entry in a whole file
        // is parsed after all). One array in input order, filled in place.
        // Made when a document is first parsed: its heading table normalises every section name
        // and alias of the schema, which a warm run that parses nothing never needs.
        var parser: PostmortemParser?
        let empty = SourceText(bytes: [])
        var isParsed = [Bool](repeating: false, count: count)
        var fresh: [Int: DocumentFacts] = [:]
        var known = [Archive.IndexedFacts?](repeating: nil, count: count)
        var postmortems: [Postmortem] = []
        var parse: [Int] = []
        if decoded != nil, decoded!.stubs.count == count, entryOf.indices.allSatisfy({ entryOf[$0] == $0 }) {
            // The usual case: the documents are the cache's entries, in order. The loader's array
            // is taken over (moved, so it stays uniquely referenced and is changed in place, not copied).
            swap(&postmortems, &decoded!.stubs)
            let valid = decoded!.valid, openItems = decoded!.openItems
            for index in 0..<count {
                if cached(index) != nil, valid[index] {
                    if let id = input.documents[index].contentID { postmortems[index].contentID = id }
                    known[index] = Archive.IndexedFacts(openItems: openItems[index], terms: [], termIDs: nil)
                } else {
                    parse.append(index)
                }
            }
        } else {
            postmortems.reserveCapacity(count)
            var interner = StringInterner()
            for index in 0..<count {
                let document = input.documents[index]
                if let entry = cached(index), let snapshot {
                    if let decoded, decoded.valid[entryOf[index]] {
                        var stub = decoded.stubs[entryOf[index]]
                        stub.contentID = document.contentID
                        postmortems.append(stub)
                        known[index] = Archive.IndexedFacts(openItems: decoded.openItems[entryOf[index]], terms: [], termIDs: nil)
                        continue
                    }
                    var reader = CacheReader(snapshot.buffer, range: entry.facts)
                    if let (stub, items) = try? DocumentFacts.stub(from: &reader, path: document.path, source: empty, contentID: document.contentID,
                                                                    interner: &interner), reader.isAtEnd {
                        postmortems.append(stub)
                        known[index] = Archive.IndexedFacts(openItems: items, terms: [], termIDs: nil)
                        continue
                    }
                }
                postmortems.append(placeholder(path: document.path, source: empty))
                parse.append(index)
            }
        }
        func parseNow(_ indexes: [Int]) throws(SourceError) {
            var todo: [Int] = []
            var queued: Set<Int> = []
            for index in indexes where !isParsed[index] && queued.insert(index).inserted {
                try load(index)
                todo.append(index)
            }
            guard !todo.isEmpty else { return }
            let documents = todo.map { input.documents[$0] }
            if parser == nil { parser = PostmortemParser(schema: configuration.schema) }
            let parser = parser!
            // Parsing, the facts (similarity terms included) and their digests on every core.
            let results = parallelMap(documents) { document -> (Postmortem, DocumentFacts) in
                let postmortem = parser.parse(document)
                var facts = DocumentFacts(postmortem)
                facts.digests = (Digest20(hex: facts.digest) ?? .zero, facts.termsDigest)
                return (postmortem, facts)
            }
            for (index, result) in zip(todo, results) {
                postmortems[index] = result.0
                fresh[index] = result.1
                known[index] = result.1.indexed
                isParsed[index] = true
            }
            statistics.parsed += todo.count
        }
        try parseNow(parse)
        // 3. What each document's diagnostics can depend on besides itself.
        // Worked out when first needed: a run whose reported documents all changed (`lint FILE`
        // after an edit) and that writes no cache never needs them.
        var runDigests: RunDigests?
        func digestsNow() -> RunDigests {
            if let runDigests { return runDigests }
            let made = RunDigests(postmortems: postmortems, fresh: fresh, cached: cached)
            runDigests = made
            statistics.digested = true
            return made
        }
        var finder: PathFinder?

        // 4. Which reported documents are checked again, and which reuse their diagnostics.
        // A few reported documents (`lint FILE`, `--staged`) are found by comparing paths, not
        // by hashing every path of the archive.
        var reportedIndexes: [Int] = []
        if let reported {
            if reported.count <= 8 {
                let wanted = Array(reported)
                for index in 0..<count where wanted.contains(input.documents[index].path) { reportedIndexes.append(index) }
            } else {
                for index in 0..<count where reported.contains(input.documents[index].path) { reportedIndexes.append(index) }
            }
        } else {
            reportedIndexes = Array(0..<count)
        }
        var evaluate: Set<String> = []
        var reused: [String: [Diagnostic]] = [:]
        var runKeys: [String: String] = [:]
        var groupWork: [String: (index: Int, causes: [SourceRange], dependencies: Digest20)] = [:]
        // Reused documents stored when the archive's Root Causes terms were otherwise: their
        // similar documents are worked out again below, and they are checked only if those differ.
        var resimilar: [Int: DiagnosticBasis] = [:]
        // Reused documents whose basis changes (new terms, new author names) once it is found to hold.
        var rebased: [Int: DiagnosticBasis] = [:]
        // Author names that came or went since the file was written: the texts that decide
        // whether a document stored under the file's names reads otherwise now (nil: unknown).
        let authorsDigest = Self.authorsDigest(authorNames)
        let fileAuthors = snapshot?.authorNames()
        let fileAuthorsDigest = fileAuthors.map(Self.authorsDigest)
        let namesToFind = fileAuthors.flatMap { Self.firstNames(changedFrom: $0, to: authorNames) }
        var authorCheck: [Int] = []
        var groupDigests: [String: Digest20] = [:]
        var diagnosticStrings = StringInterner()
        for index in reportedIndexes {
            let path = input.documents[index].path
            var runKey = base?.documents[path].map { "\($0.path)\u{0}\($0.id)\u{0}\($0.status?.rawValue ?? "-")" } ?? "-"
            runKeys[path] = runKey
            if let entry = cached(index), let stored = entry.diagnostics, let snapshot,
               runKey.withUTF8({ snapshot.compare(stored.runKey, $0) == 0 }),
               let basis = DiagnosticBasis(snapshot, stored.neighbours) {
                let digests = digestsNow()
                // Diagnostics kept apart from the cause-group findings do not depend on the groups;
                // without similar documents either, their digest is the same for every document.
                if finder == nil { finder = PathFinder(input.documents) }
                let dependencies = Self.dependencies(of: index, neighbours: basis.paths, links: basis.links, digests: digests,
                                                     groups: entry.grouped == nil ? digests.groups : nil,
                                                     earlier: digests.earlierInGroups[index], postmortems: postmortems,
                                                     find: { finder?.index(of: $0) })
                guard dependencies == stored.dependencies else { evaluate.insert(path); continue }
                if basis.authors != authorsDigest {
                    // Stored under other author names: reused if none that came or went is in its text.
                    guard basis.authors == fileAuthorsDigest, let names = namesToFind else { evaluate.insert(path); continue }
                    if !names.isEmpty { authorCheck.append(index) }
                    rebased[index, default: basis].authors = authorsDigest
                }
                if basis.terms != digests.terms { resimilar[index] = basis }
                var reader = CacheReader(snapshot.buffer, range: stored.bytes)
                if var diagnostics = try? DiagnosticCoding.decode(from: &reader, path: path, interner: &diagnosticStrings), reader.isAtEnd {
                    if let grouped = entry.grouped {
                        // The cause-group findings: stored while the groups are as they were,
                        // else worked out again from the archive's facts when linting.
                        // Documents citing the same causes share their groups' digest.
                        let cited = Self.causes(of: postmortems[index])
                        let citedKey = cited.joined(separator: "\u{0}")
                        let now = groupDigests[citedKey] ?? GroupRules.dependencies(causes: cited, groups: digests.groups)
                        groupDigests[citedKey] = now
                        var groupReader = CacheReader(snapshot.buffer, range: grouped.bytes)
                        if now == grouped.dependencies,
                           let found = try? DiagnosticCoding.decode(from: &groupReader, path: path, interner: &diagnosticStrings),
                           groupReader.isAtEnd {
                            diagnostics += found
                        } else {
                            // Worked out again from the causes' stored positions (a damaged list: checked whole).
                            guard let causes = GroupRules.decodeCauses(snapshot, grouped.causes),
                                  causes.count == postmortems[index].rootCauses.count + postmortems[index].contributingFactors.count else {
                                evaluate.insert(path)
                                continue
                            }
                            groupWork[path] = (index, causes, now)
                        }
                    }
                    reused[path] = diagnostics
                    continue
                }
            }
            evaluate.insert(path)
        }
        if !authorCheck.isEmpty, let names = namesToFind {
            let unread = authorCheck.filter { !input.documents[$0].isLoaded }
            try loadAll(unread, into: &input, source: source)
            statistics.read += unread.count
            statistics.authorChecked = authorCheck.count
            for index in authorCheck where Self.containsAny(names, in: input.documents[index].bytes) {
                let path = input.documents[index].path
                reused[path] = nil
                groupWork[path] = nil
                resimilar[index] = nil
                rebased[index] = nil
                evaluate.insert(path)
            }
        }
        // Archive-rule findings need the document itself: duplicate ids and the run-wide note.
        var full = reportedIndexes.filter { evaluate.contains(input.documents[$0].path) }
        if reportedIndexes.count <= 8 {
            postmortems.withUnsafeBufferPointer { p in
                for index in reportedIndexes {
                    let mine = p[index].id
                    if (0..<count).contains(where: { $0 != index && p[$0].id == mine }) { full.append(index) }
                }
            }
        } else {
            var idCount: [String: Int] = [:]
            idCount.reserveCapacity(count)
            postmortems.withUnsafeBufferPointer { p in
                for index in 0..<count { idCount[p[index].id, default: 0] += 1 }
            }
            for index in reportedIndexes where idCount[postmortems[index].id, default: 0] > 1 { full.append(index) }
        }
        if let noticePath {
            for index in 0..<count where input.documents[index].path == noticePath { full.append(index) }
        }
        try parseNow(full)
        statistics.checked = evaluate.count
        statistics.reused = reused.count
        statistics.regrouped = groupWork.count

        // 5. Terms only matter to `causes/similar` on a checked document: from the frequencies
        // and postings stored in the cache when it can (only the candidates' terms are decoded),
        // else from every document's terms.
        let needsTerms = !evaluate.isEmpty || allTerms || !resimilar.isEmpty
        let termTable = needsTerms ? try? snapshot?.terms() : nil
        let inPathOrder = count < 2 || (1..<count).allSatisfy { input.documents[$0 - 1].path < input.documents[$0].path }
        var similarity: SimilarityIndex?
        /// Reused documents become checked ones (`causes/similar` may find otherwise now).
        func check(_ indexes: [Int]) throws(SourceError) {
            for index in indexes {
                let path = input.documents[index].path
                reused[path] = nil
                groupWork[path] = nil
                rebased[index] = nil
                evaluate.insert(path)
            }
            try parseNow(indexes)
            statistics.checked = evaluate.count
            statistics.reused = reused.count
            statistics.regrouped = groupWork.count
        }
        // Every document's list to work out (a new document, or a Root Causes edit: every term's
        // weight moved): the archive's pass over all pairs, from every document's stored terms.
        // It scores each pair once and skips the pairs `causes/similar` never reads, where the
        // partial pass scores each document from its own side (twice the pairs at 10,000
        // documents, and all of them). Both give the lists a lint without the cache gives.
        var wholePass = false
        if !needsTerms {
            similarity = SimilarityIndex(neighbours: Array(repeating: [], count: count))
        } else if inPathOrder, !allTerms, let snapshot, let termTable {
            let only = reportedIndexes.filter { evaluate.contains(input.documents[$0].path) || resimilar[$0] != nil }
            if only.count == count, count > 1 {
                wholePass = true
            } else if let partial = partialSimilarity(snapshot: snapshot, table: termTable, count: count, only: only, fresh: fresh,
                                                      entry: { index in cached(index).map { _ in entryOf[index] } }) {
                similarity = partial.index
                statistics.termBags = partial.bags
            }
        }
        if similarity == nil, !resimilar.isEmpty, !wholePass {
            // Without the stored frequencies (a damaged file, an editor's run with every term):
            // checked again, as every document was before similar documents were compared.
            try check(resimilar.keys.sorted())
            resimilar = [:]
        }
        if needsTerms && similarity == nil {
            for index in 0..<count where !isParsed[index] {
                guard let entry = cached(index), let snapshot else { continue }
                var termReader = CacheReader(snapshot.buffer, range: entry.terms)
                guard let table = termTable, let termIDs = try? DocumentFacts.decodeTerms(from: &termReader, tableCount: table.count) else {
                    // A damaged entry in a whole file: parse the document after all.
                    try parseNow([index])
                    continue
                }
                known[index]?.termIDs = termIDs
                statistics.termBags += 1
            }
        } else {
            for index in 0..<count where !isParsed[index] { known[index]?.termIDs = [] }
        }
        // Stubs whose file was read (hashed, or reported with diagnostics to print) carry its text.
        // Printed diagnostics quote only the lines they start on: those come from the cache entry
        // (``Excerpts``) when it holds every one and no fix needs the whole text (`--fix`).
        func quoted(_ index: Int, path: String) -> SourceText? {
            guard let entry = cached(index), let stored = entry.diagnostics, let snapshot else { return nil }
            var lines: [Int] = []
            if let diagnostics = reused[path] {
                for diagnostic in diagnostics {
                    guard diagnostic.fix == nil else { return nil }
                    lines.append(diagnostic.range.start.line)
                }
            }
            if let work = groupWork[path] { lines += work.causes.map(\.start.line) }
            return Excerpts.source(snapshot.buffer, stored.excerpts, lines: lines)
        }
        var toRead: [Int] = []
        for index in 0..<count where !isParsed[index] && !input.documents[index].isLoaded {
            let path = input.documents[index].path
            // Cause-group findings still to be worked out may well have something to print.
            guard (printed && !(reused[path]?.isEmpty ?? true)) || groupWork[path] != nil else { continue }
            if printed, let text = quoted(index, path: path) {
                postmortems[index].source = text
                statistics.quoted += 1
                continue
            }
            toRead.append(index)
        }
        try loadAll(toRead, into: &input, source: source)
        statistics.read += toRead.count
        for index in 0..<count where !isParsed[index] && input.documents[index].isLoaded {
            postmortems[index].source = SourceText(bytes: input.documents[index].bytes)
        }
        func makeArchive() -> Archive {
            // With the whole pass, every document is asked for (``Archive`` then runs it).
            var asked = evaluate
            if wholePass { for index in resimilar.keys { asked.insert(input.documents[index].path) } }
            return Archive(postmortems: postmortems, catalogue: input.catalogue.map(CauseCatalogue.parse), knownFacts: known,
                           termTable: termTable ?? [], similarityFor: asked, precomputedSimilarity: similarity)
        }
        var archive = makeArchive()
        // Its lists stand for a second archive made below: checking a document does not change its terms.
        if wholePass {
            similarity = archive.similarity
            wholePass = false
        }
        // 6. Reused documents stored under other Root Causes terms keep their diagnostics when
        // their similar documents, best first, with the scores `causes/similar` prints, are what
        // they were (the rest of what it reads of them is in the dependency digest); the others
        // are checked again. Compared on the archive's lists, which keep only what the rule reads.
        if !resimilar.isEmpty {
            statistics.resimilar = resimilar.count
            var differ: [Int] = []
            for (index, stored) in resimilar {
                let path = input.documents[index].path
                guard let own = archive.byPath[path]?.first, archive.similarity.neighbours.indices.contains(own) else {
                    differ.append(index)
                    continue
                }
                let terms = runDigests?.terms ?? .zero
                let now = DiagnosticBasis(archive.similarity.neighbours[own], archive: archive, terms: terms, authors: authorsDigest)
                if now.paths == stored.paths && now.percents == stored.percents {
                    rebased[index, default: stored].terms = terms
                } else {
                    differ.append(index)
                }
            }
            if !differ.isEmpty {
                try check(differ.sorted())
                archive = makeArchive()
            }
        }
        var run = CachedLint(cache: cache, key: key, snapshot: snapshot, keys: keys, stamps: stamps, entryOf: entryOf, fresh: fresh,
                             digests: runDigests, known: postmortems, evaluate: evaluate, reused: reused,
                             runKeys: runKeys, groupWork: groupWork,
                             rebased: Dictionary(rebased.map { (input.documents[$0.key].path, $0.value) }) { first, _ in first },
                             authorNames: authorNames, authorsDigest: authorsDigest, statistics: statistics)
        if allTerms {
            run.indexedFacts = known
            run.termTable = termTable ?? []
        }
        return (run, archive)
    }

    /// Stands in for a document until it is parsed.
    static func placeholder(path: String, source: SourceText) -> Postmortem {
        Postmortem(path: path, source: source, contentID: nil, id: "", frontMatter: nil, syntaxProblems: [],
                   title: nil, date: nil, status: nil, severity: nil, authors: [], services: [],
                   started: nil, detected: nil, mitigated: nil, resolved: nil, rootCauses: [], contributingFactors: [],
                   tags: [], related: [], body: DocumentFacts.emptyBody, bodyStart: 0, sections: [], timeline: [], actionItems: [],
                   suppressions: [])
    }

    /// Reads the listed documents at `indexes`: in the working tree on every core (each read is
    /// an open, a read and a close of its own file), from git one by one.
    static func loadAll(_ indexes: [Int], into input: inout LintInput, source: any DocumentSource) throws(SourceError) {
        guard !indexes.isEmpty else { return }
        guard !source.isSnapshot, indexes.count > 16 else {
            for index in indexes {
                let stamp = input.documents[index].stamp
                input.documents[index] = try source.load(input.documents[index])
                input.documents[index].stamp = stamp
            }
            return
        }
        let listed = indexes.map { input.documents[$0] }
        nonisolated(unsafe) let shared = source
        let results = parallelMap(listed) { document -> Result<RawDocument, SourceError> in
            do throws(SourceError) { return .success(try shared.load(document)) } catch { return .failure(error) }
        }
        for (index, result) in zip(indexes, results) {
            let stamp = input.documents[index].stamp
            switch result {
            case let .success(document): input.documents[index] = document
            case let .failure(error): throw error
            }
            input.documents[index].stamp = stamp
        }
    }

    /// The similarity index for the documents in `only` (indexes into the run's documents, in
    /// path order) from the snapshot's stored frequencies, postings and norms: its frequencies
    /// corrected for entries no document uses any more and for documents not in the cache, then
    /// the documents sharing a candidate term with `only`, weighed from their stored norms, or
    /// from their bags where a norm no longer holds. Nil when anything does not add
    /// up (a damaged list, an entry used twice): the caller then decodes every document's terms.
    static func partialSimilarity(snapshot: LintCache.Snapshot, table: [String], count: Int, only: [Int], fresh: [Int: DocumentFacts],
                                  entry: (Int) -> Int?) -> (index: SimilarityIndex, bags: Int)? {
        guard let stored = snapshot.storedSimilarity(), stored.termCount <= table.count else { return nil }
        let entries = snapshot.entries
        var documentOf = [Int](repeating: -1, count: entries.count)
        for index in 0..<count {
            guard let ordinal = entry(index) else { continue }
            guard documentOf[ordinal] < 0 else { return nil }
            documentOf[ordinal] = index
        }
        var bags = 0
        func storedBag(_ ordinal: Int) -> [(term: Int, count: Int)]? {
            bags += 1
            var reader = CacheReader(snapshot.buffer, range: entries[ordinal].terms)
            guard let bag = try? DocumentFacts.decodeTerms(from: &reader, tableCount: table.count), reader.isAtEnd else { return nil }
            return bag
        }
        var frequency = (0..<table.count).map { $0 < stored.termCount ? stored.frequency($0) : 0 }
        // Entries whose document changed or went away no longer count.
        for ordinal in entries.indices where documentOf[ordinal] < 0 {
            guard let bag = storedBag(ordinal) else { return nil }
            for item in bag { frequency[item.term] -= 1 }
        }
        // Documents not in the cache count with their fresh terms (new terms get new ids).
        var terms: TermTable?
        var freshBags: [Int: [(term: Int, count: Int)]] = [:]
        for index in 0..<count where entry(index) == nil {
            guard let facts = fresh[index] else { return nil }
            if terms == nil { terms = TermTable(table) }
            let bag = terms!.ids(facts.indexed.terms)
            if frequency.count < terms!.strings.count { frequency += Array(repeating: 0, count: terms!.strings.count - frequency.count) }
            for item in bag { frequency[item.term] += 1 }
            freshBags[index] = bag
            bags += 1
        }
        guard !frequency.contains(where: { $0 < 0 }) else { return nil }
        func bag(_ index: Int) -> [(term: Int, count: Int)]? {
            if let bag = freshBags[index] { return bag }
            return entry(index).flatMap(storedBag)
        }
        var onlyBags: [[(term: Int, count: Int)]] = []
        for index in only {
            guard let bag = bag(index) else { return nil }
            onlyBags.append(bag)
        }
        let queried = SimilarityIndex.queriedTerms(onlyBags, documentFrequency: frequency,
                                                   cutoff: SimilarityIndex.candidateCutoff(documentCount: count))
        // A candidate's stored norm holds while the archive has as many documents as when it was
        // stored and none of its terms changed frequency: then its weight for a queried term is
        // the term's count there times the term's weight over that norm, as the full pass would
        // compute it, and its terms need not be read. Other candidates are weighed from their bags.
        let normsHold = stored.documentCount == count
        var stale = [Bool](repeating: false, count: entries.count)
        if normsHold {
            for term in frequency.indices where (term < stored.termCount ? stored.frequency(term) : 0) != frequency[term] {
                guard let list = stored.entries(term, entryCount: entries.count) else { return nil }
                for item in list { stale[item.ordinal] = true }
            }
        }
        let onlySet = Set(only)
        var weights = SimilarityIndex.Weights(documentCount: count, termCount: frequency.count)
        var weighed: [Int: [(document: Int, weight: Double)]] = [:]
        var candidates = onlySet
        for term in queried.indices where queried[term] {
            guard let list = stored.entries(term, entryCount: entries.count) else { return nil }
            for item in list where documentOf[item.ordinal] >= 0 {
                let document = documentOf[item.ordinal]
                guard !onlySet.contains(document) else { continue }
                if normsHold && !stale[item.ordinal] {
                    let weight = weights.weight(term: term, count: item.count, documentFrequency: frequency)
                    weighed[term, default: []].append((document, SimilarityIndex.Weights.normalised(weight, norm: stored.norm(item.ordinal))))
                } else {
                    candidates.insert(document)
                }
            }
        }
        for (index, bag) in freshBags where bag.contains(where: { queried[$0.term] }) { candidates.insert(index) }
        var relevant: [(index: Int, bag: [(term: Int, count: Int)])] = []
        for index in candidates.sorted() {
            guard let bag = bag(index) else { return nil }
            relevant.append((index, bag))
        }
        let neighbours = SimilarityIndex.neighbours(documentCount: count, documentFrequency: frequency, relevant: relevant,
                                                    weighed: weighed, only: onlySet, threshold: SimilarityIndex.threshold)
        return (SimilarityIndex(neighbours: neighbours), bags)
    }

    /// Lints with the prepared state and writes the cache back.
    func lint(_ linter: Linter, input: LintInput, archive: Archive) -> LintResult {
        var reused = self.reused
        // Cause-group findings of reused documents whose groups changed, from the archive's facts.
        let work = groupWork.sorted { $0.key < $1.key }
        let found = parallelMap(work) { path, item -> [Diagnostic] in
            let index = archive.postmortems.indices.contains(item.index) && archive.postmortems[item.index].path == path
                ? item.index : archive.indexes(ofPath: path).first
            guard let index else { return [] }
            return GroupRules.diagnostics(of: archive.postmortems[index], causes: item.causes, archive: archive, linter: linter)
        }
        var regrouped: [String: (dependencies: Digest20, diagnostics: [Diagnostic])] = [:]
        for ((path, item), diagnostics) in zip(work, found) {
            reused[path, default: []] += diagnostics
            regrouped[path] = (item.dependencies, diagnostics)
        }
        let pass = linter.lint(input, archive: archive, evaluate: evaluate, reused: reused)
        // Encoded and written while the build goes on when it allows it (``BackgroundWork``).
        let documents = input.documents, diagnostics = pass.documentDiagnostics, groups = regrouped
        BackgroundWork.start(writing: cache.url) { [self] in
            save(diagnostics, regrouped: groups, documents: documents, archive: archive)
        }
        return pass.result
    }

    /// A document's distinct causes (root causes and contributing factors), sorted.
    static func causes(of postmortem: Postmortem) -> [String] {
        var causes: [String] = []
        Archive.forEachDistinctCause(of: postmortem) { causes.append($0) }
        return causes.count < 2 ? causes : causes.sorted()
    }

    /// Input index by path (the first, when a path is listed twice).
    static func pathIndex(_ documents: [RawDocument]) -> [String: Int] {
        var out: [String: Int] = [:]
        out.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() where out[document.path] == nil { out[document.path] = index }
        return out
    }

    /// What an entry's diagnostics were worked out under besides its dependency digest: the
    /// similar documents `causes/similar` looked at (earlier ones sharing no cause, best first,
    /// with the scores it prints), the digest of every document's Root Causes terms they were
    /// found under (``RunDigests/terms``), and the digest of the git author names the blameless
    /// rules knew (``authorsDigest(_:)``).
    struct DiagnosticBasis: Equatable {
        var terms: Digest20
        var authors: Digest20
        var paths: [String]
        var percents: [Int]
        /// The paths the document's links lead to (``BrokenLinkRule/linkedPaths(of:)``): the
        /// dependency digest holds whether each exists.
        var links: [String] = []

        /// A document's list in `archive`'s similarity index.
        init(_ matches: [SimilarityIndex.Match], archive: Archive, terms: Digest20, authors: Digest20) {
            self.terms = terms
            self.authors = authors
            paths = matches.map { archive.postmortems[$0.index].path }
            percents = matches.map { SimilarRootCausesRule.percent($0.score) }
        }

        /// The list stored at `range`; nil when damaged.
        init?(_ snapshot: LintCache.Snapshot, _ range: Range<Int>) {
            var reader = CacheReader(snapshot.buffer, range: range)
            guard let terms = try? reader.digest(), let authors = try? reader.digest(), let paths = try? reader.strings(),
                  let count = try? reader.count(),
                  count == paths.count else { return nil }
            var percents: [Int] = []
            percents.reserveCapacity(count)
            for _ in 0..<count {
                guard let percent = try? reader.int() else { return nil }
                percents.append(percent)
            }
            guard let links = try? reader.strings(), reader.isAtEnd else { return nil }
            self.links = links
            self.terms = terms
            self.authors = authors
            self.paths = paths
            self.percents = percents
        }

        func encoded() -> ArraySlice<UInt8> {
            var writer = CacheWriter()
            writer.digest(terms)
            writer.digest(authors)
            writer.strings(paths)
            writer.unsigned(UInt64(percents.count))
            for percent in percents { writer.int(percent) }
            writer.strings(links)
            return writer.bytes[...]
        }
    }

    /// Whether `text` is what ``Slug/derived(from:maxLength:)`` (at 120) makes of it, told from its
    /// bytes when it is lowercase ASCII letters and digits with single inner hyphens (every
    /// related id, at 10,000 documents per warm run); other text is asked of `Slug` itself.
    static func isOwnSlug(_ text: String) -> Bool {
        var previous: UInt8 = UInt8(ascii: "-")
        var plain = text.utf8.count <= 120
        for byte in text.utf8 where plain {
            plain = isLowercaseLetterOrDigit(byte) || (byte == UInt8(ascii: "-") && previous != UInt8(ascii: "-"))
            previous = byte
        }
        if plain && previous != UInt8(ascii: "-") { return true }
        return Slug.derived(from: text, maxLength: 120) == text
    }

    /// An ASCII lowercase letter or digit.
    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }

    /// The digest of a run's git author names (the blameless rules flag them in prose).
    static func authorsDigest(_ names: [String]) -> Digest20 {
        var writer = CacheWriter()
        writer.strings(names)
        return Digest20.of(writer.bytes)
    }

    /// What a text must contain to read otherwise for the author names that are in one list and
    /// not the other (``BlamelessOptions/firstNameNorm(ofFullName:)``), each once; nil when one of
    /// them has a character a text may spell otherwise (an apostrophe, a hyphen).
    static func firstNames(changedFrom old: [String], to new: [String]) -> [[UInt8]]? {
        var found: Set<[UInt8]> = []
        for name in Set(old).symmetricDifference(new) {
            guard let norm = BlamelessOptions.firstNameNorm(ofFullName: name) else { continue }
            let bytes = Array(norm.utf8)
            for byte in bytes where byte < 0x80 && !isLowercaseLetterOrDigit(byte) { return nil }
            found.insert(bytes)
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Whether `text`, its ASCII letters lowercased, contains one of `words` (lowercase): any
    /// occurrence, also one next to a non-ASCII byte (which ``ByteSearch/scan(_:for:)`` leaves undecided).
    static func containsAny(_ words: [[UInt8]], in text: [UInt8]) -> Bool {
        guard !words.isEmpty, !text.isEmpty else { return false }
        return text.withUnsafeBufferPointer { haystack in
            words.contains { word in word.isEmpty || word.withUnsafeBufferPointer { ByteSearch.scan(haystack, for: $0) != false } }
        }
    }

    /// The digest of everything document `index`'s document-rule diagnostics read from other
    /// documents (see the type's documentation): whether each id in its `related` exists (and,
    /// when one does not or is not a slug, ``RunDigests/global``: the suggestion is the closest
    /// of every id, the fix the slug when that id exists);
    /// whether each path its links lead to exists (`links`, ``BrokenLinkRule/linkedPaths(of:)``);
    /// the groups of its causes (nil for diagnostics kept apart from the cause-group findings,
    /// ``GroupRules``: nothing else reads the groups); and the id, date, causes and links of
    /// `neighbours` (the documents its Root Causes read like, by path; a path no longer in the
    /// archive makes the digest differ). Not every document's path, id and date: a new incident
    /// then re-checked every document of the archive.
    static func dependencies(of index: Int, neighbours: [String], links: [String], digests: RunDigests, groups: [String: Digest20]?,
                             earlier: Digest20, postmortems: [Postmortem], find: (String) -> Int?) -> Digest20 {
        var writer = CacheWriter(capacity: 128)
        if postmortems.indices.contains(index) {
            var unknown = false
            // Read in place: `postmortems[index].related` copied (retained every field of) the document.
            let related = postmortems.withUnsafeBufferPointer { ($0.baseAddress! + index).pointee.related }
            writer.unsigned(UInt64(related.count))
            for link in related {
                let exists = digests.ids.contains(link.value)
                writer.string(link.value)
                writer.bool(exists)
                // An entry that is not a slug gets the slug as a fix when that id exists
                // (`schema/invalid-value`): which ids exist then matters too.
                if !exists || !Self.isOwnSlug(link.value) { unknown = true }
            }
            if unknown { writer.digest(digests.global) }
        }
        writer.unsigned(UInt64(links.count))
        for path in links {
            writer.string(path)
            writer.bool(find(path) != nil)
        }
        writer.digest(earlier)
        writer.bool(groups != nil)
        if let groups, postmortems.indices.contains(index) {
            for cause in causes(of: postmortems[index]) {
                writer.string(cause)
                writer.digest(groups[cause] ?? .zero)
            }
        }
        writer.unsigned(UInt64(neighbours.count))
        for path in neighbours {
            writer.string(path)
            guard let other = find(path), postmortems.indices.contains(other) else { writer.bool(false); continue }
            let found = postmortems[other]
            writer.bool(true)
            writer.string(found.id)
            writer.bool(found.date != nil)
            if let date = found.date { writer.int(date.daysSinceEpoch) }
            writer.strings(found.rootCauses.map(\.value))
            writer.strings(found.contributingFactors.map(\.value))
            writer.strings(found.related.map(\.value))
        }
        return Digest20.of(writer.bytes)
    }

    /// Rewriting the whole file costs more than a few documents do: when only this many entries
    /// would change, the file is left as it is and the next run parses those few again.
    static func smallChange(_ documents: Int) -> Int { max(8, documents / 200) }

    private func save(_ diagnostics: [String: [Diagnostic]], regrouped: [String: (dependencies: Digest20, diagnostics: [Diagnostic])],
                      documents: [RawDocument], archive: Archive) {
        guard documents.count == keys.count else { return }
        let count = documents.count
        func cached(_ index: Int) -> LintCache.Entry? {
            guard let snapshot, entryOf[index] >= 0 else { return nil }
            let entry = snapshot.entries[entryOf[index]]
            return entry.contentKey == keys[index] ? entry : nil
        }
        // Entries that differ from the file: new content, new diagnostics, new stamps, added or removed paths.
        var changes = 0
        var withDiagnostics = 0
        changes += fresh.count
        for index in 0..<count where fresh[index] == nil && diagnostics[documents[index].path] != nil { withDiagnostics += 1 }
        changes += withDiagnostics
        changes += rebased.count
        if let snapshot {
            var matched = [Bool](repeating: false, count: snapshot.entries.count)
            for index in 0..<count where entryOf[index] >= 0 { matched[entryOf[index]] = true }
            changes += matched.lazy.filter { !$0 }.count
            // A run without stamps (`--rev`, `--staged`) keeps the stamps stored: they still name the same content.
            for index in 0..<count where fresh[index] == nil {
                if let stamp = stamps[index], entryOf[index] < 0 || snapshot.entries[entryOf[index]].stamp != stamp { changes += 1 }
            }
            if changes <= Self.smallChange(count) { return }
        }
        let digests = self.digests ?? RunDigests(postmortems: known, fresh: fresh, cached: cached)
        var changed = snapshot == nil || changes > 0
        // New terms are appended to the old table, so cached entries' term ids stay valid.
        let oldTable = try? snapshot?.terms()
        var table = TermTable(oldTable ?? [])
        var order = Array(0..<count)
        if !(order.indices.dropFirst().allSatisfy { Self.bytewiseLess(documents[$0 - 1].path, documents[$0].path) }) {
            order.sort { Self.bytewiseLess(documents[$0].path, documents[$1].path) }
        }
        var records: [LintCache.Record] = []
        records.reserveCapacity(count)
        var finder: PathFinder?
        var previous: String?
        for index in order {
            let path = documents[index].path
            // One entry per path (the input may name a path twice).
            if let previous, previous == path { continue }
            previous = path
            let old = cached(index)
            var facts: ArraySlice<UInt8>
            var terms: ArraySlice<UInt8>
            let termsDigest: Digest20
            if let computed = fresh[index] {
                termsDigest = computed.digests?.terms ?? computed.termsDigest
                var writer = CacheWriter()
                computed.encode(into: &writer)
                facts = writer.bytes[...]
                terms = computed.encodeTerms(into: &table)[...]
            } else if let old, let snapshot, oldTable != nil {
                termsDigest = old.termsDigest
                facts = snapshot.buffer[old.facts]
                terms = snapshot.buffer[old.terms]
            } else {
                changed = true
                continue
            }
            var stored: (dependencies: Digest20, runKey: String, bytes: ArraySlice<UInt8>, neighbours: ArraySlice<UInt8>,
                         excerpts: ArraySlice<UInt8>)?
            var grouped: (causes: ArraySlice<UInt8>, dependencies: Digest20, bytes: ArraySlice<UInt8>)?
            if var found = diagnostics[path] {
                // The lines the diagnostics quote, and those of its causes (where cause-group
                // findings worked out again start), from the document as parsed this run.
                var excerpts = Excerpts.none
                if fresh[index] != nil, let own = archive.byPath[path]?.first {
                    let postmortem = archive.postmortems[own]
                    var lines = found.map(\.range.start.line)
                    for cause in postmortem.rootCauses + postmortem.contributingFactors {
                        lines.append(postmortem.source.lineIndex(of: cause.bytes.lowerBound) + 1)
                    }
                    excerpts = Excerpts.encode(lines: lines, source: postmortem.source)
                }
                // A document without suppressions keeps its cause-group findings apart: its other
                // diagnostics then hold whatever the groups become.
                if let own = archive.byPath[path]?.first, archive.postmortems[own].suppressions.isEmpty, known.indices.contains(index) {
                    let postmortem = archive.postmortems[own]
                    var groupWriter = CacheWriter()
                    DiagnosticCoding.encode(found.filter { GroupRules.ids.contains($0.rule) }, into: &groupWriter)
                    found.removeAll { GroupRules.ids.contains($0.rule) }
                    grouped = (GroupRules.encodeCauses(postmortem)[...], GroupRules.dependencies(of: known[index], groups: digests.groups),
                               groupWriter.bytes[...])
                }
                var writer = CacheWriter()
                DiagnosticCoding.encode(found, into: &writer)
                // The similar documents `causes/similar` looked at: earlier ones sharing no cause.
                var basis = DiagnosticBasis([], archive: archive, terms: digests.terms, authors: authorsDigest)
                if let own = archive.byPath[path]?.first, archive.similarity.neighbours.indices.contains(own) {
                    basis = DiagnosticBasis(archive.similarity.neighbours[own], archive: archive, terms: digests.terms, authors: authorsDigest)
                }
                if let own = archive.byPath[path]?.first { basis.links = BrokenLinkRule.linkedPaths(of: archive.postmortems[own]) }
                if finder == nil { finder = PathFinder(documents) }
                let dependencies = Self.dependencies(of: index, neighbours: basis.paths, links: basis.links, digests: digests,
                                                     groups: grouped == nil ? digests.groups : nil,
                                                     earlier: digests.earlierInGroups[index], postmortems: known,
                                                     find: { finder?.index(of: $0) })
                stored = (dependencies, runKeys[path] ?? "-", writer.bytes[...], basis.encoded(), excerpts[...])
            } else if let previous = old?.diagnostics, let snapshot {
                // Diagnostics found to hold under this run's terms or author names are stored with them.
                stored = (previous.dependencies, String(decoding: snapshot.buffer[previous.runKey], as: UTF8.self), snapshot.buffer[previous.bytes],
                          rebased[path]?.encoded() ?? snapshot.buffer[previous.neighbours], snapshot.buffer[previous.excerpts])
                if let kept = old?.grouped {
                    if let now = regrouped[path] {
                        var writer = CacheWriter()
                        DiagnosticCoding.encode(now.diagnostics, into: &writer)
                        grouped = (snapshot.buffer[kept.causes], now.dependencies, writer.bytes[...])
                    } else {
                        grouped = (snapshot.buffer[kept.causes], kept.dependencies, snapshot.buffer[kept.bytes])
                    }
                }
            }
            let stamp = stamps[index] ?? old?.stamp
            if stamp != old?.stamp { changed = true }
            records.append(LintCache.Record(path: path, contentKey: keys[index], stamp: stamp, factsDigest: digests.facts[index],
                                            termsDigest: termsDigest, facts: facts, terms: terms, diagnostics: stored, grouped: grouped))
        }
        guard changed else { return }
        cache.save(LintCache.encode(records, key: key, termTable: table.strings, authors: authorNames))
    }
}

/// The input index of a path (the first, when a path is listed twice): a binary search when the
/// documents are listed in strictly increasing path order (the usual case: no table of 10,000
/// hashed paths for a warm run's neighbour lookups), a dictionary otherwise.
struct PathFinder {
    private let paths: [String]
    private let table: [String: Int]?

    init(_ documents: [RawDocument]) {
        let paths = documents.map(\.path)
        self.paths = paths
        let increasing = paths.withUnsafeBufferPointer { p in p.count < 2 || (1..<p.count).allSatisfy { p[$0 - 1] < p[$0] } }
        table = increasing ? nil : CachedLint.pathIndex(documents)
    }

    func index(of path: String) -> Int? {
        if let table { return table[path] }
        var low = 0, high = paths.count
        while low < high {
            let mid = (low + high) / 2
            if paths[mid] < path { low = mid + 1 } else { high = mid }
        }
        return low < paths.count && paths[low] == path ? low : nil
    }
}

/// What every document's cached diagnostics are checked against (see ``CachedLint``): each
/// document's facts digest, the digest of every document's path, id and dates (``global``), of
/// every document's Root Causes terms (``terms``), and per cause the digest of its documents'
/// paths and facts (``groups``).
struct RunDigests {
    var facts: [Digest20]
    var global: Digest20
    /// Every document's id: whether the ids a document's `related` names exist.
    var ids: Set<String>
    /// Every document's path and terms digest. Only `causes/similar` reads the terms (through
    /// the similarity index), and an entry stores the similar documents it found under them:
    /// when this differs, those are worked out again from the stored terms, not every document
    /// checked again (an edit of one document's Root Causes was a whole cold lint).
    var terms: Digest20
    var groups: [String: Digest20]
    /// Per document: which documents share one of its causes among those not dated after it
    /// (undated ones always count). `causes/similar` reports an earlier document that reads alike
    /// only when the two share no cause, and ``SimilarityIndex`` lists only such pairs, so the
    /// stored neighbours cannot see an earlier look-alike *leave* a shared cause: this digest
    /// does. Dated by day, a superset of the chronological "earlier" the rule uses; an edit of
    /// the newest incident changes no other document's.
    var earlierInGroups: [Digest20]

    /// - Parameter cached: the cache entry holding document `index`'s content, if any.
    init(postmortems: [Postmortem], fresh: [Int: DocumentFacts], cached: (Int) -> LintCache.Entry?) {
        let count = postmortems.count
        var facts = [Digest20](repeating: .zero, count: count)
        var globalInput = CacheWriter(capacity: count * 100)
        var ids: Set<String> = []
        ids.reserveCapacity(count)
        var termsInput = CacheWriter(capacity: count * 40)
        // One pass over the documents for everything (each pass over 10,000 stubs is mostly
        // cache misses): the global input, the cause groups' inputs by cause ordinal, and what
        // ``earlierInGroups`` needs.
        var membership = CauseMembership(count: count)
        var groupInputs: [CacheWriter] = []
        postmortems.withUnsafeBufferPointer { p in
            for index in 0..<count {
                let computed = fresh[index]
                let entry = computed == nil ? cached(index) : nil
                if let computed {
                    facts[index] = computed.digests?.facts ?? Digest20(hex: computed.digest) ?? .zero
                } else if let entry {
                    facts[index] = entry.factsDigest
                }
                let path = p[index].path
                globalInput.string(path)
                globalInput.bool(true)
                globalInput.string(p[index].id)
                ids.insert(p[index].id)
                let date = p[index].date
                globalInput.bool(date != nil)
                if let date { globalInput.int(date.year); globalInput.int(date.month); globalInput.int(date.day) }
                globalInput.bool(p[index].started != nil)
                if let started = p[index].started { globalInput.int(started.seconds); globalInput.int(started.offsetMinutes) }
                termsInput.string(path)
                if let computed {
                    termsInput.digest(computed.digests?.terms ?? computed.termsDigest)
                } else if let entry {
                    termsInput.digest(entry.termsDigest)
                } else {
                    termsInput.bool(false)
                }
                let digest = facts[index]
                membership.add(index, path: path, day: date?.daysSinceEpoch, of: p[index]) { ordinal in
                    if ordinal == groupInputs.count { groupInputs.append(CacheWriter()) }
                    Self.appendMember(&groupInputs[ordinal], path: path, digest: digest)
                }
            }
        }
        self.facts = facts
        global = Digest20.of(globalInput.bytes)
        self.ids = ids
        terms = Digest20.of(termsInput.bytes)
        var groups: [String: Digest20] = [:]
        groups.reserveCapacity(groupInputs.count)
        for (ordinal, input) in groupInputs.enumerated() { groups[membership.names[ordinal]] = Digest20.of(input.bytes) }
        self.groups = groups
        earlierInGroups = Self.earlierInGroups(membership)
    }

    /// Which documents cite which causes, by cause ordinal (first seen, first numbered), with
    /// the documents' paths and days: what ``earlierInGroups`` works from.
    struct CauseMembership {
        var days: [Int?]
        var paths: [String]
        /// Cause names by ordinal.
        var names: [String] = []
        var ordinals: [String: Int] = [:]
        /// Per cause ordinal, its documents in input order.
        var members: [[Int]] = []
        /// Each document's distinct causes as ordinals: `cited[citedStart[i]..<citedStart[i + 1]]`.
        var cited: [Int] = []
        var citedStart: [Int] = [0]

        init(count: Int) {
            days = [Int?](repeating: nil, count: count)
            paths = [String](repeating: "", count: count)
            cited.reserveCapacity(count * 3)
            citedStart.reserveCapacity(count + 1)
        }

        /// Document `index` (added in order), calling `body` with each of its distinct causes' ordinals.
        mutating func add(_ index: Int, path: String, day: Int?, of postmortem: Postmortem, _ body: (Int) -> Void) {
            days[index] = day
            paths[index] = path
            Archive.forEachDistinctCause(of: postmortem) { cause in
                let ordinal: Int
                if let known = ordinals[cause] {
                    ordinal = known
                } else {
                    ordinal = names.count
                    ordinals[cause] = ordinal
                    names.append(cause)
                    members.append([])
                }
                members[ordinal].append(index)
                cited.append(ordinal)
                body(ordinal)
            }
            citedStart.append(cited.count)
        }
    }

    /// ``earlierInGroups`` of every document: per cause, the members sorted by (day, path) with
    /// chained prefix digests, so each document reads its prefix with a binary search.
    static func earlierInGroups(_ postmortems: [Postmortem]) -> [Digest20] {
        var membership = CauseMembership(count: postmortems.count)
        for index in postmortems.indices {
            membership.add(index, path: postmortems[index].path, day: postmortems[index].date?.daysSinceEpoch, of: postmortems[index]) { _ in }
        }
        return earlierInGroups(membership)
    }

    static func earlierInGroups(_ membership: CauseMembership) -> [Digest20] {
        let count = membership.days.count
        let days = membership.days, paths = membership.paths, names = membership.names
        let cited = membership.cited, citedStart = membership.citedStart
        // Per cause: dated members' days in order, the chain (entry k = digest of the first k
        // members' paths), and the digest of the undated members' paths. One writer for every
        // digest (no allocation per member).
        var writer = CacheWriter(capacity: 256)
        var tableDays: [[Int]] = []
        var chains: [[Digest20]] = []
        var undated: [Digest20] = []
        tableDays.reserveCapacity(membership.members.count)
        chains.reserveCapacity(membership.members.count)
        undated.reserveCapacity(membership.members.count)
        for indexes in membership.members {
            var dated = indexes.filter { days[$0] != nil }
            dated.sort { days[$0]! != days[$1]! ? days[$0]! < days[$1]! : paths[$0] < paths[$1] }
            var chain: [Digest20] = [.zero]
            chain.reserveCapacity(dated.count + 1)
            for index in dated {
                writer.reset()
                writer.digest(chain[chain.count - 1])
                writer.string(paths[index])
                chain.append(Digest20.of(writer.bytes))
            }
            writer.reset()
            for index in indexes where days[index] == nil { writer.string(paths[index]) }
            undated.append(Digest20.of(writer.bytes))
            tableDays.append(dated.map { days[$0]! })
            chains.append(chain)
        }
        var out: [Digest20] = []
        out.reserveCapacity(count)
        var mine: [Int] = []
        for index in 0..<count {
            // Its causes sorted by name, as ``CachedLint/causes(of:)`` gives them.
            mine.removeAll(keepingCapacity: true)
            mine.append(contentsOf: cited[citedStart[index]..<citedStart[index + 1]])
            if mine.count > 1 { mine.sort { names[$0] < names[$1] } }
            writer.reset()
            for ordinal in mine {
                // Members dated on or before this document's day; all of them when it is undated.
                let table = tableDays[ordinal]
                var low = 0, high = table.count
                if let day = days[index] {
                    while low < high {
                        let mid = (low + high) / 2
                        if table[mid] <= day { low = mid + 1 } else { high = mid }
                    }
                } else {
                    low = table.count
                }
                writer.string(names[ordinal])
                writer.digest(chains[ordinal][low])
                writer.digest(undated[ordinal])
            }
            out.append(Digest20.of(writer.bytes))
        }
        return out
    }

    /// A cause group's digest input: a member's path and facts digest.
    private static func appendMember(_ writer: inout CacheWriter, path: String, digest: Digest20) {
        writer.string(path)
        writer.digest(digest)
    }
}

extension CachedLint {
    /// The document rules whose findings depend on the other documents of the document's causes
    /// (`causes/recurring`, `causes/open-action-items`). A cached document without suppressions
    /// keeps their findings apart from its other diagnostics, valid for the digest of its causes'
    /// groups; when a group changes (a `root_causes` edit elsewhere), they are worked out again
    /// from the archive's facts (the rules read only the stub's path, id, dates and causes, and
    /// the archive's indexes) with the causes' stored source ranges, instead of reading, parsing
    /// and checking every document of the old and the new cause. Suppressions are left out of
    /// this: whether one is used depends on every finding, so such a document's diagnostics keep
    /// depending on its groups and it is checked again whole.
    enum GroupRules {
        static let ids: Set<String> = [RecurringCauseRule().id, OpenActionItemsRule().id]

        /// The source ranges of a parsed document's root causes, then contributing factors.
        static func encodeCauses(_ postmortem: Postmortem) -> [UInt8] {
            var writer = CacheWriter()
            let causes = postmortem.rootCauses + postmortem.contributingFactors
            writer.unsigned(UInt64(causes.count))
            for cause in causes {
                let range = postmortem.source.range(of: cause.bytes)
                writer.int(range.start.line)
                writer.int(range.start.column)
                writer.int(range.end.line)
                writer.int(range.end.column)
            }
            return writer.bytes
        }

        /// What ``encodeCauses(_:)`` wrote; nil when damaged.
        static func decodeCauses(_ snapshot: LintCache.Snapshot, _ range: Range<Int>) -> [SourceRange]? {
            var reader = CacheReader(snapshot.buffer, range: range)
            do throws(CacheReader.Failure) {
                let count = try reader.count()
                var ranges: [SourceRange] = []
                ranges.reserveCapacity(count)
                for _ in 0..<count {
                    let start = SourcePosition(line: try reader.int(), column: try reader.int())
                    let end = SourcePosition(line: try reader.int(), column: try reader.int())
                    ranges.append(SourceRange(start: start, end: end))
                }
                return reader.isAtEnd ? ranges : nil
            } catch {
                return nil
            }
        }

        /// The digest of the groups of a document's causes (``RunDigests/groups``).
        static func dependencies(of postmortem: Postmortem, groups: [String: Digest20]) -> Digest20 {
            dependencies(causes: CachedLint.causes(of: postmortem), groups: groups)
        }

        /// ``dependencies(of:groups:)`` for a document's distinct causes, sorted.
        static func dependencies(causes: [String], groups: [String: Digest20]) -> Digest20 {
            var writer = CacheWriter(capacity: 64)
            for cause in causes {
                writer.string(cause)
                writer.digest(groups[cause] ?? .zero)
            }
            return Digest20.of(writer.bytes)
        }

        /// The group rules' diagnostics of `stub` (a document of `archive`, maybe a stub), as the
        /// linter reports them: the rules run on a copy whose causes point at their ordinals,
        /// and each finding takes the stored source range of its cause.
        /// - Parameter causes: the source ranges of its root causes and contributing factors.
        static func diagnostics(of stub: Postmortem, causes: [SourceRange], archive: Archive, linter: Linter) -> [Diagnostic] {
            let roots = stub.rootCauses.count
            guard causes.count == roots + stub.contributingFactors.count else { return [] }
            var probe = stub
            probe.rootCauses = stub.rootCauses.enumerated().map { Located($0.element.value, bytes: $0.offset..<$0.offset + 1) }
            probe.contributingFactors = stub.contributingFactors.enumerated().map {
                Located($0.element.value, bytes: roots + $0.offset..<roots + $0.offset + 1)
            }
            var out: [Diagnostic] = []
            // In the linter's rule order, as a full check adds them.
            for rule in linter.documentRules {
                guard ids.contains(rule.id), let severity = linter.level(of: rule) else { continue }
                let found: [(bytes: Range<Int>, message: Finding.Message)]
                let suggestion: String
                switch rule {
                case is RecurringCauseRule:
                    found = RecurringCauseRule.found(in: probe, archive: archive)
                    suggestion = RecurringCauseRule.suggestion
                case is OpenActionItemsRule:
                    found = OpenActionItemsRule.found(in: probe, archive: archive)
                    suggestion = OpenActionItemsRule.suggestion
                default:
                    continue
                }
                for item in found where causes.indices.contains(item.bytes.lowerBound) {
                    out.append(Diagnostic(file: stub.path, range: causes[item.bytes.lowerBound], severity: severity, rule: rule.id,
                                          message: item.message.text, suggestion: suggestion))
                }
            }
            return out
        }
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

extension CachedLint {
    /// The source lines a document's cached diagnostics quote. Formatters show (and fingerprint)
    /// only the line a diagnostic starts on, so a warm run that prints thousands of notes needs
    /// those lines, not every file: they are stored with the diagnostics (with the lines of the
    /// document's causes, where cause-group findings worked out again start) and stand in for the
    /// file as a text with the same line count, every other line empty. Valid exactly as long as
    /// the diagnostics: the entry's content key is the file's.
    ///
    /// Encoding: a flag (false: nothing stored, the file is read), the line count, then per line
    /// in ascending order its 1-based number and its bytes with their line feed (none on the last line).
    enum Excerpts {
        /// Nothing stored: the file is read when its diagnostics are printed.
        static let none: [UInt8] = [0]

        /// Longer files are read (a damaged count cannot make a huge text).
        static let maxLineCount = 1 << 22

        /// The lines (1-based numbers, any order, repeats allowed) of `source`, as stored.
        static func encode(lines: [Int], source: SourceText) -> [UInt8] {
            var writer = CacheWriter()
            writer.bool(true)
            writer.unsigned(UInt64(source.lineCount))
            let numbers = Set(lines.filter { $0 >= 1 && $0 <= source.lineCount }).sorted()
            writer.unsigned(UInt64(numbers.count))
            for line in numbers {
                let start = source.lineStarts[line - 1]
                let end = line < source.lineCount ? source.lineStarts[line] : source.bytes.count
                writer.int(line)
                writer.block(source.bytes[start..<end])
            }
            return writer.bytes
        }

        /// A text with the stored lines in place and every other line empty, when the stored
        /// lines include every one of `lines` that the file has; nil when they do not (or the
        /// entry is damaged or stores none): the caller reads the file.
        static func source(_ buffer: CacheBytes, _ range: Range<Int>, lines: [Int]) -> SourceText? {
            var reader = CacheReader(buffer, range: range)
            do throws(CacheReader.Failure) {
                guard try reader.bool() else { return nil }
                // (Not bounded by the bytes left, as a count is: the text of the other lines is not stored.)
                let lineCount = Int(try reader.unsigned())
                let stored = try reader.count()
                guard lineCount >= 1, lineCount <= Self.maxLineCount else { return nil }
                var numbers: [Int] = []
                var ranges: [Range<Int>] = []
                numbers.reserveCapacity(stored)
                ranges.reserveCapacity(stored)
                var size = 0
                for _ in 0..<stored {
                    let line = try reader.int()
                    let bytes = try reader.block()
                    // Ascending, in the file, each a whole line: ending in its line feed (its only
                    // one) except the last line of the file, which has none.
                    guard line >= 1, line <= lineCount, line > (numbers.last ?? 0) else { return nil }
                    let body = line < lineCount ? bytes.count - 1 : bytes.count
                    guard body >= 0, body == 0 || memchr(buffer.base + bytes.lowerBound, 0x0A, body) == nil else { return nil }
                    if line < lineCount { guard buffer[bytes.upperBound - 1] == 0x0A else { return nil } }
                    numbers.append(line)
                    ranges.append(bytes)
                    size += bytes.count
                }
                guard reader.isAtEnd else { return nil }
                for line in lines where line >= 1 && line <= lineCount {
                    guard Self.contains(numbers, line) else { return nil }
                }
                // The text and its line table together (no search for line feeds afterwards).
                var text: [UInt8] = []
                text.reserveCapacity(lineCount + size)
                var starts: [Int] = [0]
                starts.reserveCapacity(lineCount)
                var next = 0
                for line in 1...lineCount {
                    if next < numbers.count, numbers[next] == line {
                        text.append(contentsOf: UnsafeBufferPointer(rebasing: buffer.buffer[ranges[next]]))
                        next += 1
                    } else if line < lineCount {
                        text.append(0x0A)
                    }
                    if line < lineCount { starts.append(text.count) }
                }
                return SourceText(bytes: text, lineStarts: starts)
            } catch {
                return nil
            }
        }

        private static func contains(_ sorted: [Int], _ value: Int) -> Bool {
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < value { low = mid + 1 } else { high = mid }
            }
            return low < sorted.count && sorted[low] == value
        }
    }
}

import Foundation
import InquestCore

/// A build as the command line runs it: read the archive (working tree or `--rev`) with its git
/// history, load the theme with the repository's `site/` overrides, render, write.
public enum SiteBuild {
    /// The workspace folder holding theme overrides.
    public static let themeFolder = "site"

    /// Parses the archive from `reader` and attaches its git history. History is optional: a
    /// repository whose history cannot be read still builds, with front-matter dates.
    /// - Returns: the archive and a warning when history was unavailable.
    /// - Parameters:
    ///   - parsed: the archive already parsed from `reader` (by lint), to skip a second parse.
    ///   - historyCache: where the history of the last build is kept (``HistoryCache``); nil reads it all.
    public static func loadArchive(reader: ArchiveReader, parsed: Archive? = nil,
                                   historyCache: HistoryCache? = nil) throws(SiteError) -> (archive: Archive, warning: String?) {
        let workspace = reader.workspace
        var archive: Archive
        if let parsed {
            archive = parsed
        } else {
            var input: LintInput
            do {
                input = try workspace.lintInput(source: reader.source, paths: [], from: workspace.root)
            } catch {
                throw SiteError(error.message)
            }
            // Pages are keyed by content id: the blob id, with or without the caches.
            input.identifyContent()
            archive = Linter(configuration: workspace.configuration).buildArchive(input)
        }
        var warning: String?
        do {
            BuildTrace.mark("history start")
            archive.history = try reader.history(for: archive, cache: historyCache)
            BuildTrace.mark("history done")
        } catch {
            if error.isCorruptObject { throw SiteError(error.message) }
            warning = "git history unavailable (\(error.message)); using front-matter dates"
        }
        return (archive, warning)
    }

    /// What ``lint(reader:cache:siteFacts:)`` found.
    public struct Linted: Sendable {
        /// Lint errors of the source.
        public var errors: Int
        /// The whole archive, parsed (nil when lint could not run: the build then reads the
        /// archive itself and reports the problem). With a site facts cache, the documents it
        /// knew are stubs (``stubs``).
        public var archive: Archive?
        /// The lint cache's counts (documents parsed and checked by lint), when a cache was used.
        public var statistics: CachedLint.Statistics?
        /// Documents parsed here, after lint, because lint took them from its cache.
        public var parsedForPages = 0
        /// The documents ``archive`` holds as stubs, from the site facts cache.
        public var stubs = SiteStubs()
        /// Whether the archive was made from the site facts while lint ran, not from lint's archive.
        public var alongside = false
        /// Why lint could not run (a file gone or unreadable while it read, say): its counts are
        /// then unknown, not zero. The build goes on from the archive it has (or reads one and
        /// reports what stops it), but reports this, refuses with `--strict`, and keeps no input
        /// digest, so the next build lints again.
        public var failure: String?
        /// Lint still running on another core (the archive was made alongside it): ``errors`` and
        /// ``statistics`` are known once ``finished()`` waited for it.
        var pending: Background<Result<(plan: LintPlan, errors: Int), SourceError>>?

        /// Whether lint is still running (``pending``).
        public var isPending: Bool { pending != nil }

        /// This result with lint finished: its errors and statistics filled in. (A lint that
        /// could not run counts no errors, as ``SiteBuild/lint(reader:cache:siteFacts:)`` says
        /// when it fails before the archive is made; the archive, read without it, stands.)
        public func finished() -> Linted {
            guard let pending else { return self }
            var done = self
            done.pending = nil
            switch pending.value() {
            case .success(let result):
                done.errors = result.errors
                done.statistics = result.plan.cached?.statistics
            case .failure(let error):
                done.errors = 0
                done.failure = error.message
            }
            return done
        }
    }

    /// Lints the source and returns the archive with the error count. With the lint cache
    /// (``LintCache``), only changed documents are parsed and linted; the documents the cache
    /// answered for enter lint's archive as stubs (facts only), so they are read here for the
    /// pages: taken as stubs from `siteFacts` (``SiteFactsCache``) when it knows their bytes,
    /// else parsed (a fraction of what linting them costs). The archive is assembled exactly as
    /// a build without the caches assembles it; ``SiteBuilder`` parses a stub only when a page
    /// needs its body.
    ///
    /// Lint runs on another core (``LintPlan/detach(reader:cache:)``: the reader and its
    /// repository stay on this thread). When the site facts cache knows all but a few documents
    /// of the working tree, the site's archive is made here from it meanwhile, without lint's
    /// (``alongside(linting:detached:stored:siteFacts:)``); otherwise lint's parse is shared.
    /// - Parameter finishing: false returns as soon as the archive is made, with lint possibly
    ///   still running (``Linted/isPending``; ``Linted/finished()`` waits for it): a build needs
    ///   lint's counts only when it writes its cache.
    public static func lint(reader: ArchiveReader, cache: LintCache?, siteFacts: SiteFactsCache? = nil, finishing: Bool = true) -> Linted {
        // Decoded on another core while lint starts.
        let storedLoad = siteFacts.map { facts in Background { facts.load() } }
        let detached: LintPlan.Detached
        do throws(SourceError) {
            detached = try LintPlan.detach(reader: reader, cache: cache)
        } catch {
            return Linted(errors: 0, archive: nil, failure: error.message)
        }
        let linting = Background { () -> Result<(plan: LintPlan, errors: Int), SourceError> in
            // Only the counts are used: lint reads no document just to quote it.
            do throws(SourceError) {
                BuildTrace.mark("lint thread start")
                let plan = try LintPlan.make(detached: detached, cache: cache, identifyContent: true, printed: false)
                BuildTrace.mark("lint plan made")
                let errors = plan.lint().summary.errors
                BuildTrace.mark("lint done")
                return .success((plan, errors))
            } catch {
                return .failure(error)
            }
        }
        BuildTrace.mark("lint detached+started")
        if let storedLoad, let siteFacts,
           let linted = alongside(linting: linting, detached: detached, stored: storedLoad.value(), siteFacts: siteFacts) {
            return finishing ? linted.finished() : linted
        }
        let plan: LintPlan, errors: Int
        switch linting.value() {
        case .success(let result): (plan, errors) = result
        case .failure(let error): return Linted(errors: 0, archive: nil, failure: error.message)
        }
        guard let cached = plan.cached else { return Linted(errors: errors, archive: plan.archive) }
        var parsed: [String: Postmortem] = [:]
        for postmortem in plan.archive.postmortems where !isStub(postmortem) { parsed[postmortem.path] = postmortem }
        let byPath = parsed
        // The documents lint did not parse are read here for the pages (once: the stat index
        // named their content without reading them), on every core, and parsed on all cores.
        guard let documents = try? detached.source.loadAll(plan.input.documents.filter({ byPath[$0.path] == nil })) else {
            return Linted(errors: errors, archive: nil, statistics: cached.statistics)
        }
        let stored = storedLoad?.value() ?? [:]
        let parser = PostmortemParser(schema: plan.workspace.configuration.schema)
        let known = siteFacts != nil
        let fresh = parallelMap(documents) { document -> (postmortem: Postmortem, hash: String?, stub: SiteDocumentFacts?) in
            guard known else { return (parser.parse(document), nil, nil) }
            return stubOrParsed(document, stored: stored, parser: parser)
        }
        // In the input's order, as a build without the cache has them.
        var next = fresh.makeIterator()
        var full: [Postmortem] = []
        full.reserveCapacity(plan.input.documents.count)
        // Gathered here and given to the stubs once: `SiteStubs.facts` is a computed property,
        // and setting one entry through it copied the whole table (quadratic: 2.6 s of a
        // `publish` at 10,000 postmortems).
        var stubFacts: [String: SiteDocumentFacts] = [:]
        for document in plan.input.documents {
            if let postmortem = byPath[document.path] {
                full.append(postmortem)
            } else if let made = next.next() {
                full.append(made.postmortem)
                if let facts = made.stub { stubFacts[document.path] = facts }
            } else {
                return Linted(errors: errors, archive: nil, statistics: cached.statistics)
            }
        }
        let stubs = SiteStubs(facts: stubFacts)
        if let siteFacts {
            saveFacts(siteFacts, stored: stored, documents: plan.input.documents, parsed: byPath,
                      freshParsed: fresh.count { $0.stub == nil && $0.hash != nil }, fresh: { fresh })
        }
        // The site never asks which root causes read alike: no similarity terms to extract. Lint's
        // archive already holds every index, worked out from the same facts: only its documents change.
        let archive = plan.archive.withDocuments(full) ?? Archive.withoutSimilarity(postmortems: full, catalogue: plan.archive.catalogue)
        // Lint's plan and the documents read for it are dropped at exit, not here (a one-shot build).
        ExitTeardown.keep((plan, fresh, stored))
        return Linted(errors: errors, archive: archive, statistics: cached.statistics, parsedForPages: fresh.count - stubs.count,
                      stubs: stubs)
    }

    /// The site's archive made from the site facts while lint runs on another core, when the
    /// source is the working tree and the cache knows the content of all but a few documents
    /// (those are parsed here; lint parses them too, on its core): the same archive the shared
    /// parse gives, since a stub carries every fact the archive's indexes read
    /// (``Archive/withoutSimilarity(postmortems:catalogue:)`` is what a build without lint's
    /// archive makes). Nil when those conditions do not hold (the caller shares lint's parse).
    private static func alongside(linting: Background<Result<(plan: LintPlan, errors: Int), SourceError>>, detached: LintPlan.Detached,
                                  stored: [String: SiteFactsCache.Entry], siteFacts: SiteFactsCache) -> Linted? {
        // From git, lint's reads and these would share one repository across threads.
        guard !detached.source.isSnapshot, !stored.isEmpty,
              let input = try? detached.workspace.lintInput(source: detached.source, paths: [], from: detached.workspace.root,
                                                            listOnly: true) else { return nil }
        BuildTrace.mark("alongside: listed")
        // Each document's entry, looked up once (10,000 paths hashed per lookup pass).
        let entries = input.documents.map { stored[$0.path] }
        var misses = 0, present = 0
        var known: [Bool] = []
        known.reserveCapacity(entries.count)
        for (document, entry) in zip(input.documents, entries) {
            if entry != nil { present += 1 }
            let same = document.contentID != nil && entry?.contentHash == document.contentID
            if !same { misses += 1 }
            known.append(same)
        }
        guard misses <= max(8, input.documents.count / 200) else { return nil }
        // Only the documents the cache does not know are read: a stub's file is read when a page
        // shows its body (``SiteStubs/read``), and its size and action items' paragraphs are in its facts.
        let toRead = input.documents.indices.filter { !known[$0] }
        guard let read = try? detached.source.loadAll(toRead.map { input.documents[$0] }) else { return nil }
        let parser = PostmortemParser(schema: detached.workspace.configuration.schema)
        // Only those are parsed (on every core); the others' stubs were made with the cache
        // (``SiteFactsCache/prefetching()``), so they are taken in one pass here.
        let parsed = parallelMap(read) { stubOrParsed($0, stored: stored, parser: parser) }
        BuildTrace.mark("alongside: changed parsed")
        // The documents, their content hashes and (by position: no table of 10,000 paths to make
        // here and look up in the site model) their stubs' facts, each document copied once.
        let count = input.documents.count
        var full: [Postmortem] = []
        var hashes: [String?] = []
        var ordered: [SiteDocumentFacts?] = []
        full.reserveCapacity(count)
        hashes.reserveCapacity(count)
        ordered.reserveCapacity(count)
        var next = parsed.makeIterator()
        for index in input.documents.indices {
            // Known: listed with a content id equal to its entry's content hash.
            if known[index], let hash = input.documents[index].contentID, let entry = entries[index] {
                full.append(entry.stub ?? entry.facts.stub(source: SourceText(bytes: []), contentID: hash))
                hashes.append(hash)
                ordered.append(entry.facts)
            } else if let made = next.next() {
                full.append(made.postmortem)
                hashes.append(made.hash)
                ordered.append(made.stub)
            } else {
                return nil
            }
        }
        nonisolated(unsafe) let source = detached.source
        let stubs = SiteStubs(ordered: ordered, read: { path in (try? source.file(path))?.bytes })
        BuildTrace.mark("alongside: stubs")
        let freshParsed = zip(hashes, ordered).count { $0.0 != nil && $0.1 == nil }
        saveFacts(siteFacts, stored: stored, documents: input.documents, parsed: [:], freshParsed: freshParsed,
                  fresh: { (0..<count).map { (full[$0], hashes[$0], ordered[$0]) } }, present: present)
        BuildTrace.mark("alongside: saveFacts")
        let archive = Archive.withoutSimilarity(postmortems: full, catalogue: input.catalogue.map(CauseCatalogue.parse))
        BuildTrace.mark("alongside: archive")
        ExitTeardown.keep((linting, full, ordered, stored))
        // Lint goes on running: its counts are waited for when needed (``Linted/finished()``).
        return Linted(errors: 0, archive: archive, parsedForPages: count - stubs.count, stubs: stubs, alongside: true,
                      pending: linting)
    }

    /// Rewrites the site facts cache when more than a few documents are new to it or gone (like
    /// the search cache: rewriting the whole file costs more than parsing a few documents again).
    /// - Parameter present: how many of `documents` `stored` has, when the caller counted them.
    /// - Parameters:
    ///   - freshParsed: how many of `fresh` were parsed here (no stub, a hash).
    ///   - fresh: every document read for the site with its content hash and its stub's facts,
    ///     made only when the cache is rewritten.
    private static func saveFacts(_ cache: SiteFactsCache, stored: [String: SiteFactsCache.Entry], documents: [RawDocument],
                                  parsed: [String: Postmortem], freshParsed: Int,
                                  fresh: () -> [(postmortem: Postmortem, hash: String?, stub: SiteDocumentFacts?)],
                                  present counted: Int? = nil) {
        // Counted first: most builds save nothing, and then build nothing.
        var lintParsed: [(path: String, postmortem: Postmortem, hash: String)] = []
        for document in documents where !parsed.isEmpty && document.isLoaded {
            guard let postmortem = parsed[document.path] else { continue }
            let hash = document.contentID ?? StatIndex.blobID(of: document.bytes)
            if stored[document.path]?.contentHash != hash { lintParsed.append((document.path, postmortem, hash)) }
        }
        let new = lintParsed.count + freshParsed
        var present = counted ?? 0
        if counted == nil {
            for document in documents where stored[document.path] != nil { present += 1 }
        }
        let gone = stored.count - present
        let small = max(8, documents.count / 200)
        guard stored.isEmpty ? new > 0 : (new > small || gone > small) else { return }
        var entries: [String: SiteFactsCache.Entry] = [:]
        entries.reserveCapacity(documents.count)
        var todo = lintParsed
        for made in fresh() {
            guard let hash = made.hash else { continue }
            if let facts = made.stub {
                entries[made.postmortem.path] = SiteFactsCache.Entry(contentHash: hash, facts: facts)
            } else {
                todo.append((made.postmortem.path, made.postmortem, hash))
            }
        }
        // Documents lint parsed whose stored facts are still current.
        let recomputed = Set(lintParsed.map(\.path))
        for (path, _) in parsed where entries[path] == nil && !recomputed.contains(path) {
            if let entry = stored[path] { entries[path] = entry }
        }
        // Facts of the parsed documents are worked out on all cores.
        let facts = parallelMap(todo) { item in SiteStubs.facts(of: item.postmortem) }
        for (item, fact) in zip(todo, facts) { entries[item.path] = SiteFactsCache.Entry(contentHash: item.hash, facts: fact) }
        cache.save(entries)
    }

    /// A document as the site's archive holds it: a stub made from the stored site facts when
    /// they describe exactly these bytes, otherwise parsed. Either way its content id is known
    /// from now on (a git blob id, as `--rev` documents carry), so page keys read it instead of
    /// hashing the bytes again.
    private static func stubOrParsed(_ document: RawDocument, stored: [String: SiteFactsCache.Entry],
                                     parser: PostmortemParser) -> (postmortem: Postmortem, hash: String?, stub: SiteDocumentFacts?) {
        let hash = document.contentID ?? StatIndex.blobID(of: document.bytes)
        if let entry = stored[document.path], entry.contentHash == hash {
            return (entry.facts.stub(source: SourceText(bytes: document.bytes), contentID: hash), hash, entry.facts)
        }
        var named = document
        named.contentID = hash
        return (parser.parse(named), hash, nil)
    }

    /// A document the lint cache answered for: lint's archive holds only its cached facts (no
    /// front-matter, no body). A parsed document that looks the same is merely parsed again.
    static func isStub(_ postmortem: Postmortem) -> Bool {
        postmortem.frontMatter == nil && postmortem.sections.isEmpty && postmortem.body.children.isEmpty
    }

    /// The repository's own theme files (`site/templates/*.mustache`, `site/assets/**`), read
    /// from the revision for `--rev`, else from the working tree.
    public static func themeOverrides(reader: ArchiveReader) throws(SiteError) -> [String: [UInt8]] {
        if case .revision = reader.selection {
            do {
                var out: [String: [UInt8]] = [:]
                for file in try reader.source.files(under: themeFolder, where: Theme.isThemeFile) {
                    out[String(file.path.dropFirst(themeFolder.count + 1))] = file.bytes
                }
                return out
            } catch {
                if error.isCorruptObject { throw SiteError(error.message) }
                throw SiteError("\(reader.source.label): cannot read the theme in \(themeFolder)/: \(error.message)")
            }
        }
        return themeOverrides(folder: reader.workspace.root.appendingPathComponent(themeFolder))
    }

    /// Theme files in a folder on disk; symbolic links are never followed.
    public static func themeOverrides(folder: URL) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        func walk(_ url: URL, _ relative: String, depth: Int) {
            guard depth < 16, let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() {
                let child = url.appendingPathComponent(name)
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(child.path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: walk(child, path, depth: depth + 1)
                case S_IFREG where Theme.isThemeFile(path) && info.st_size <= 16 * 1024 * 1024:
                    if let data = FileManager.default.contents(atPath: child.path) { out[path] = Array(data) }
                default: continue
                }
            }
        }
        walk(folder, "", depth: 0)
        return out
    }

    /// What a build did, for the command's summary line.
    public struct Summary: Sendable {
        public var output: URL
        public var pages: Int
        public var rendered: Int
        public var reused: Int
        public var files: Int
        /// Output files written; the others were kept from the previous build (left in place, or
        /// hard-linked into a site swapped in whole).
        public var written: Int = 0
        /// Documents whose search data was computed (the rest came from the ``SearchCache``).
        public var searchComputed: Int = 0
        /// Page contexts built (pages whose declared inputs changed, or that declare none).
        public var contexts: Int = 0
        /// Stub documents parsed by the build because a page needed their body.
        public var parsedForPages: Int = 0
        public var index: URL { output.appendingPathComponent(RenderedSite.indexPath) }
    }

    /// Builds the site of `archive` into `output`, streaming pages to disk and reusing the
    /// unchanged files of the previous build there: an incremental build updates the previous
    /// site in place, touching only the files that change (``SiteWriter/OutputTree``).
    /// - Parameters:
    ///   - inputs: the ``BuildInputs`` digest of what `archive` was read from, stored with the
    ///     site so that the next build can tell nothing changed; nil when unknown.
    ///   - lintErrors: lint errors of those inputs, stored with the digest.
    ///   - stubs: the documents `archive` holds as stubs (``lint(reader:cache:siteFacts:)``).
    ///   - pendingLintErrors: when lint still runs (``Linted/isPending``): waits for its error
    ///     count, which the cache stores; asked once the pages are written. Replaces `lintErrors`.
    ///     Nil when lint could not run: the cache then keeps no input digest.
    ///   - prepared: the output folder's check and listing, started earlier (``PreparedOutput``);
    ///     nil does it here. It must be for the same `output`, `protected`, `generator` and `incremental`.
    public static func build(archive: Archive, settings: SiteSettings, theme: Theme, output: URL, protected: [URL],
                             generator: String = InquestSite.generatorIdentity(), incremental: Bool = true,
                             inputs: String? = nil, lintErrors: Int = 0, searchCache: SearchCache? = nil,
                             stubs: SiteStubs = SiteStubs(), prepared: PreparedOutput? = nil,
                             pendingLintErrors: (@Sendable () -> Int?)? = nil) throws(SiteError) -> Summary {
        let preparedOutput = prepared ?? PreparedOutput(output: output, protected: protected, generator: generator,
                                                        incremental: incremental, now: true)
        let builder = SiteBuilder(archive: archive, settings: settings, theme: theme, generator: generator, searchCache: searchCache,
                                  stubs: stubs)
        // The tree is taken once the site model is made (the previous output is still being
        // listed on another core meanwhile); its error, if any, is thrown then, before any page.
        var taken: SiteWriter.OutputTree?
        let written = try builder.write(taking: { () throws(SiteError) -> SiteWriter.OutputTree in
            let tree = try preparedOutput.tree()
            taken = tree
            return tree
        }, inputs: inputs, lintErrors: lintErrors, pendingLintErrors: pendingLintErrors)
        guard let tree = taken else { throw SiteError("internal error: the output folder was never prepared") }
        BuildTrace.mark("pages written")
        try tree.commit(cache: written.cache)
        BuildTrace.mark("committed")
        // Committed: the previous build's cache and listing (15,000 entries each at 10,000
        // postmortems) and the new cache are left for the process exit to drop (a one-shot build).
        ExitTeardown.keep((preparedOutput, tree, written))
        return Summary(output: tree.output, pages: written.rendered + written.reused, rendered: written.rendered,
                       reused: written.reused, files: written.files, written: written.written, searchComputed: written.searchComputed,
                       contexts: written.contexts, parsedForPages: written.parsedForPages)
    }

    /// The previous output's check, cache and listing (``SiteWriter/OutputTree``), made on another
    /// core while the archive is read: it depends on nothing the build reads, and at 10,000
    /// postmortems decoding the previous build's cache and listing its 15,000 files is a tenth of
    /// a rebuild. Its error (a folder that is not the site's) is thrown when the tree is taken, where a
    /// build without it would have thrown it.
    public final class PreparedOutput: Sendable {
        private let work: Background<Result<SiteWriter.OutputTree, SiteError>>

        /// Starts checking and listing `output` (see ``SiteBuild/build(archive:settings:theme:output:protected:generator:incremental:inputs:lintErrors:searchCache:stubs:prepared:)``).
        /// - Parameter now: make it on this thread (no other core is worth waking).
        /// - Parameter whileWaiting: called when another build holds the output's lock, before waiting for it.
        public init(output: URL, protected: [URL], generator: String, incremental: Bool, now: Bool = false,
                    whileWaiting: (@Sendable () -> Void)? = nil) {
            let make: @Sendable () -> Result<SiteWriter.OutputTree, SiteError> = {
                do throws(SiteError) {
                    defer { BuildTrace.mark("output tree made") }
                    return .success(try SiteWriter.OutputTree(output: output, protected: protected, generator: generator,
                                                              reusePrevious: incremental, update: incremental, whileWaiting: whileWaiting))
                } catch {
                    return .failure(error)
                }
            }
            work = now ? .finished(make()) : Background(make)
        }

        /// The tree, once made.
        func tree() throws(SiteError) -> SiteWriter.OutputTree {
            try work.value().get()
        }
    }
}

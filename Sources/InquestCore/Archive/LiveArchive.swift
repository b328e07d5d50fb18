/// An archive kept current one document at a time while an author types (the language server's).
///
/// Most edits change nothing the archive's indexes are made of: the document is swapped in
/// (``Archive/replacing(_:)``). An edit that does (a cause, a date, a link, the Root Causes text)
/// needs the indexes made again. ``Archive/init(postmortems:catalogue:)`` would also extract the
/// Root Causes terms of every document and compare every pair: at 10,000 postmortems, half a
/// second per keystroke typed into Root Causes. Here each document's indexed facts (open action
/// items and Root Causes terms) are kept, so only the edited document's are worked out again, and
/// similarity is worked out only for the document being checked (the only one whose findings are
/// reported). Its findings are those of a full archive: similarity for one document is exactly
/// its row of the full index (the lint cache relies on the same, and its tests compare them).
public struct LiveArchive: Sendable {
    /// Every document, in path order (the archive's order: it is not sorted again per edit).
    public private(set) var documents: [Postmortem]
    /// The root-cause catalogue; nil when there is none.
    public private(set) var catalogue: CauseCatalogue?
    /// Each document's position in ``documents``, by path.
    private var position: [String: Int]
    /// Each document's open items and Root Causes terms (as ids into ``terms``), aligned with
    /// ``documents``; empty until the first edit that changes the indexes works them out.
    private var facts: [Archive.IndexedFacts?] = []
    /// The terms ``facts`` name. Terms of replaced texts stay (a term no document holds changes
    /// no score), so the ids of the other documents' terms never change.
    private var terms = TermTable()
    /// The archive as of the last change, and the paths its similarity index covers (nil: all).
    private var current: (archive: Archive, similarityFor: Set<String>?)?

    /// Starts from `archive` (every document parsed, its similarity index complete).
    public init(_ archive: Archive) {
        var documents: [Postmortem] = []
        var position: [String: Int] = [:]
        documents.reserveCapacity(archive.postmortems.count)
        position.reserveCapacity(archive.postmortems.count)
        // The archive keeps its documents in path order; a path it holds twice is kept once.
        for postmortem in archive.postmortems where position[postmortem.path] == nil {
            position[postmortem.path] = documents.count
            documents.append(postmortem)
        }
        self.documents = documents
        self.position = position
        catalogue = archive.catalogue
        current = (archive, nil)
    }

    /// Starts from what an editor session's plan read (``LintPlan/make(reader:paths:from:changedSince:loadHistory:judgeStagedChange:overlay:cache:identifyContent:forEditing:)``
    /// with `forEditing`): with the lint cache, its documents are mostly stubs (their facts, no
    /// body), which a session never parses unless they are opened; their open items and terms
    /// come from the cache. Without it, every document is parsed, as ``init(_:)`` takes them.
    public init(plan: LintPlan) {
        self.init(plan.archive)
        guard let cached = plan.cached, cached.indexedFacts.count == plan.input.documents.count else { return }
        // The facts are in input order; the archive's documents in path order.
        var byPath: [String: Archive.IndexedFacts] = [:]
        byPath.reserveCapacity(cached.indexedFacts.count)
        for (document, fact) in zip(plan.input.documents, cached.indexedFacts) {
            if let fact { byPath[document.path] = fact }
        }
        terms = TermTable(cached.termTable)
        var aligned: [Archive.IndexedFacts?] = []
        aligned.reserveCapacity(documents.count)
        for postmortem in documents {
            guard var fact = byPath[postmortem.path] else {
                // A parsed document without facts: its own (a stub always has them).
                aligned.append(Self.facts(of: postmortem, terms: &terms))
                continue
            }
            // A document parsed by this run carries its terms as text: named in the table.
            if fact.termIDs == nil { fact.termIDs = terms.ids(fact.terms.isEmpty ? Archive.similarityTerms(of: postmortem) : fact.terms) }
            fact.terms = []
            aligned.append(fact)
        }
        facts = aligned
        // Similarity was worked out for no document: the first check works it out for its own.
        current = (plan.archive, [])
    }

    /// The document at `path`, if any.
    public func postmortem(at path: String) -> Postmortem? {
        position[path].map { documents[$0] }
    }

    /// Replaces a document (an edit, an opened buffer, a file read again on save), or adds it.
    public mutating func update(_ postmortem: Postmortem) {
        let known = facts.isEmpty ? nil : Self.facts(of: postmortem, terms: &terms)
        if let index = position[postmortem.path] {
            documents[index] = postmortem
            if !facts.isEmpty { facts[index] = known }
            // Most keystrokes change nothing the indexes are made of: the document is swapped in.
            if let current, let swapped = current.archive.replacing(postmortem) {
                self.current = (swapped, current.similarityFor)
                return
            }
        } else {
            let index = documents.firstIndex { $0.path > postmortem.path } ?? documents.count
            documents.insert(postmortem, at: index)
            if !facts.isEmpty { facts.insert(known, at: index) }
            reindex()
        }
        current = nil
    }

    /// Replaces the catalogue (nil: the file is gone).
    public mutating func setCatalogue(_ catalogue: CauseCatalogue?) {
        self.catalogue = catalogue
        current = nil
    }

    /// Forgets a deleted document.
    public mutating func remove(path: String) {
        guard let index = position[path] else { return }
        documents.remove(at: index)
        if !facts.isEmpty { facts.remove(at: index) }
        reindex()
        current = nil
    }

    /// The archive to check the document at `path` against: every index complete, and the
    /// similarity index at least for `path`.
    public mutating func archive(checking path: String) -> Archive {
        if let current, current.similarityFor.map({ $0.contains(path) }) ?? true { return current.archive }
        if facts.isEmpty {
            // The first time: every document's facts, on every core (later edits work out one).
            let bags = parallelMap(documents) { postmortem in
                (open: Archive.openItems(of: postmortem), terms: Archive.similarityTerms(of: postmortem))
            }
            facts = bags.map { Archive.IndexedFacts(openItems: $0.open, terms: [], termIDs: terms.ids($0.terms)) }
        }
        let archive = Archive(postmortems: documents, catalogue: catalogue, knownFacts: facts, termTable: terms.strings,
                              similarityFor: [path])
        current = (archive, [path])
        return archive
    }

    /// ``position`` after documents were added or removed.
    private mutating func reindex() {
        position.removeAll(keepingCapacity: true)
        for (index, postmortem) in documents.enumerated() { position[postmortem.path] = index }
    }

    /// A document's indexed facts, its terms named in `terms`.
    private static func facts(of postmortem: Postmortem, terms: inout TermTable) -> Archive.IndexedFacts {
        Archive.IndexedFacts(openItems: Archive.openItems(of: postmortem), terms: [],
                             termIDs: terms.ids(Archive.similarityTerms(of: postmortem)))
    }
}

import InquestCore

extension SearchIndex {
    /// Which documents changed since the ``SearchState`` was written, by position: the index
    /// numbers documents oldest first, so an edit or a newest incident keeps every other
    /// document's id, and the update touches only what the changed documents' terms touch.
    struct Plan: Sendable {
        /// Model indexes by document id (oldest incident first).
        let order: [Int]
        /// Ids whose data is computed: edited documents and new ones at the end.
        let changed: [Int]
        /// Ids of the state whose data goes: edited documents and removed ones at the end.
        let removed: [Int]
        /// Ids whose data is unchanged but whose page URL changed (their document file changes).
        let moved: [Int]

        /// The most changed documents an update takes on (more: the index is built in full from
        /// the state's rows, and the state written again): ``SiteBuilder``'s small-change rule.
        static func limit(_ documents: Int) -> Int { max(8, documents / 200) }

        /// nil when more than ``limit(_:)`` documents changed, or they moved (a document dated
        /// between others shifts every later id: nearly every file changes anyway).
        init?(model: SiteModel, state: SearchState) {
            let order = model.archive.chronological
            let old = state.documentCount, new = order.count
            let limit = Self.limit(max(old, new))
            guard abs(new - old) <= limit else { return nil }
            var changed: [Int] = [], moved: [Int] = []
            let sameCatalogue = state.catalogue == SearchIndex.catalogueDigest(model)
            for id in 0..<min(old, new) {
                if !state.hasKey(id, ofDocument: order[id], model: model, sameCatalogue: sameCatalogue) {
                    changed.append(id)
                    if changed.count > limit { return nil }
                } else if !state.hasURL(id, ofDocument: order[id], model: model) {
                    moved.append(id)
                }
            }
            var removed = changed
            changed += Array(min(old, new)..<new)
            removed += Array(min(old, new)..<old)
            guard max(changed.count, removed.count) <= limit else { return nil }
            self.order = order
            self.changed = changed
            self.removed = removed
            self.moved = moved
        }
    }

    /// A term's postings before and after the update (documents ascending).
    private struct Change {
        var removed: [(doc: Int, tf: Int)] = []
        var added: [(doc: Int, tf: Int)] = []

        var isNoOp: Bool {
            removed.count == added.count && !zip(removed, added).contains { $0.doc != $1.doc || $0.tf != $1.tf }
        }
    }

    /// The index of `model` made from `state` and the documents `plan` lists: their old terms
    /// leave the postings, their new ones enter, and only the files whose bytes can change are
    /// made: the shards of the terms whose postings changed, the document files of the changed
    /// documents, the prefix files of terms whose document frequency changed, and the manifest.
    /// The rest are left in the state (their digests, stored there, stand for them). The same
    /// bytes as ``init(model:cache:)`` (tested over random edit sequences).
    ///
    /// nil when the shard count changes (every term moves: the index is built in full) or the
    /// state is damaged. The documents at `plan.changed` must be parsed (not stubs).
    init?(updating state: SearchState, model: SiteModel, plan: Plan) {
        let archive = model.archive
        let oldCount = state.documentCount, newCount = plan.order.count
        let fresh = parallelMap(plan.changed) { id in SearchIndex.entry(archive.postmortems[plan.order[id]], model: model) }
        // Term changes, by term number (new terms numbered after the state's).
        var changes: [UInt32: Change] = [:]
        var freshLengths: [Int: Int] = [:], freshTails: [Int: String] = [:]
        for id in plan.removed {
            guard let old = state.entry(id) else { return nil }
            for (term, tf) in zip(old.ids, old.counts) { changes[term, default: Change()].removed.append((id, tf)) }
        }
        var newTerms: [String] = []
        var newNumbers: [String: UInt32] = [:]
        for (id, entry) in zip(plan.changed, fresh) {
            freshLengths[id] = entry.length
            freshTails[id] = entry.tail
            for (term, tf) in zip(entry.terms, entry.counts) {
                let number: UInt32
                if let known = state.number(of: term) ?? newNumbers[term] {
                    number = known
                } else {
                    number = UInt32(state.termCount + newTerms.count)
                    newNumbers[term] = number
                    newTerms.append(term)
                }
                changes[number, default: Change()].added.append((id, tf))
            }
        }
        func name(_ number: UInt32) -> String {
            Int(number) < state.termCount ? state.term(Int(number)) : newTerms[Int(number) - state.termCount]
        }
        let shardCount = state.shardCount
        var byShard: [Int: [UInt32]] = [:]
        for (number, change) in changes where !change.isNoOp {
            byShard[SearchText.shard(of: name(number), count: shardCount), default: []].append(number)
        }

        // Postings of the touched shards.
        var postingsDelta = 0, liveDelta = 0
        var frequencies: [UInt32: Int] = [:]
        var shardScripts: [Int: String] = [:]
        for (shard, numbers) in byShard {
            guard var terms = state.shard(shard) else { return nil }
            var position: [UInt32: Int] = [:]
            for (index, term) in terms.enumerated() { position[term.term] = index }
            var added: [(term: UInt32, postings: [(doc: Int, tf: Int)])] = []
            for number in numbers {
                let change = changes[number]!
                let at = position[number]
                var postings = at.map { terms[$0].postings } ?? []
                let before = postings.count
                let gone = Set(change.removed.map(\.doc))
                if !gone.isEmpty { postings.removeAll { gone.contains($0.doc) } }
                postings += change.added
                postings.sort { $0.doc < $1.doc }
                postingsDelta += postings.count - before
                liveDelta += (postings.isEmpty ? 0 : 1) - (before == 0 ? 0 : 1)
                if postings.count != before { frequencies[number] = postings.count }
                if let at { terms[at].postings = postings } else if !postings.isEmpty { added.append((number, postings)) }
            }
            terms.removeAll { $0.postings.isEmpty }
            terms += added
            let names = Dictionary(uniqueKeysWithValues: terms.map { ($0.term, name($0.term)) })
            terms.sort { names[$0.term]! < names[$1.term]! }
            shardScripts[shard] = SearchIndex.shardScript(shard) { out in
                for (index, term) in terms.enumerated() {
                    SearchIndex.appendShardTerm(names[term.term]!, term.postings, first: index == 0, to: &out)
                }
            }
        }
        let postings = state.totalPostings + postingsDelta, live = state.liveTerms + liveDelta
        guard SearchIndex.shardCount(postings: postings, terms: live) == shardCount else { return nil }

        // Document files of the changed, removed and moved documents.
        let oldFiles = (oldCount + SearchIndex.documentsPerFile - 1) / SearchIndex.documentsPerFile
        let newFiles = (newCount + SearchIndex.documentsPerFile - 1) / SearchIndex.documentsPerFile
        var touchedFiles = Set<Int>()
        for id in plan.changed + plan.removed + plan.moved where id / SearchIndex.documentsPerFile < newFiles {
            touchedFiles.insert(id / SearchIndex.documentsPerFile)
        }
        var documentScripts: [Int: String] = [:]
        for file in touchedFiles {
            let start = file * SearchIndex.documentsPerFile
            let ids = start..<min(newCount, start + SearchIndex.documentsPerFile)
            var tails: [Int: String] = [:]
            for id in ids {
                guard let tail = freshTails[id] ?? state.tail(id) else { return nil }
                tails[id] = tail
            }
            documentScripts[file] = SearchIndex.documentScript(ids, url: { model.postmortemURL(plan.order[$0]) }, tail: { tails[$0]! })
        }

        // Prefix files of the terms whose document frequency changed.
        var touchedPrefixes: [String: [UInt32]] = [:]
        for number in frequencies.keys {
            let term = name(number)
            if SearchIndex.prefixKey(term) != nil { touchedPrefixes[String(term.prefix(1)), default: []].append(number) }
        }
        var prefixList: [(file: String, script: Files.Script, keys: String, oldIndex: Int?)] = []
        var remade: [String: (script: String, keys: String)] = [:]
        var emptied = Set<String>()
        for (file, numbers) in touchedPrefixes {
            var terms: [UInt32: Int] = [:]
            if let index = state.prefixFiles.firstIndex(of: file) {
                guard let stored = state.prefix(index) else { return nil }
                for term in stored { terms[term.term] = term.df }
            }
            for number in numbers { terms[number] = frequencies[number]! }
            let listed = terms.filter { $0.value > 0 }.map { (name: name($0.key), df: $0.value) }.sorted { $0.name < $1.name }
            if listed.isEmpty { emptied.insert(file) } else { remade[file] = SearchIndex.prefixScript(listed) }
        }
        for (index, file) in state.prefixFiles.enumerated() where remade[file] == nil && !emptied.contains(file) {
            prefixList.append((file, .stored(index), state.prefixKeys(index), index))
        }
        for (file, made) in remade { prefixList.append((file, .made(made.script), made.keys, nil)) }
        prefixList.sort { $0.file < $1.file }

        // The manifest, always made (every length, the shard count, the prefix keys).
        var lengths: [Int] = []
        lengths.reserveCapacity(newCount)
        for id in 0..<newCount { lengths.append(freshLengths[id] ?? state.length(id)) }
        let manifest = SearchIndex.manifestScript(lengths: lengths, shards: shardCount, keys: prefixList.map(\.keys).joined())

        // Digests: the made files hashed (on all cores), the others read from the state.
        let shards: [Files.Script] = (0..<shardCount).map { shard in shardScripts[shard].map { .made($0) } ?? .stored(shard) }
        let documents: [Files.Script] = (0..<newFiles).map { file in documentScripts[file].map { .made($0) } ?? .stored(file) }
        let prefixes = prefixList.map(\.script)
        let storedPosition: [Int] = shards.indices.map { 1 + $0 } + documents.indices.map { 1 + shardCount + $0 }
            + prefixList.map { $0.oldIndex.map { 1 + shardCount + oldFiles + $0 } ?? -1 }
        let scripts: [Files.Script] = [.made(manifest)] + shards + documents + prefixes
        let digests = parallelMap(Array(scripts.indices)) { index -> String in
            switch scripts[index] {
            case .made(let text): SHA256.hex(text)
            case .stored: state.digest(storedPosition[index - 1])
            }
        }
        self.init(manifest: manifest, files: Files(shards: shards, documents: documents, prefixes: prefixes, digests: digests, state: state),
                  prefixFiles: prefixList.map(\.file), computed: fresh.count)
    }
}

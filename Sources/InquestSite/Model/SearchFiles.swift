import InquestCore

extension SearchIndex {
    /// Everything a full index is made of, kept until the ``SearchState`` is written from it.
    struct Snapshot: Sendable {
        /// One document's data, its terms by number.
        struct Row: Sendable {
            var ids: [UInt32]
            var counts: [Int]
            var length: Int
            var tail: String
        }

        /// Per document, by id (oldest incident first): ``SearchIndex/documentKey(_:model:)``, page URL, data.
        var keys: [String]
        var urls: [String]
        var rows: [Row]
        /// Terms by number, and the numbers sorted by term.
        var terms: [String]
        var sortedTerms: [Int]
        /// Postings by term number, documents ascending.
        var postings: [[(doc: Int, tf: Int)]]
        /// Term numbers of each shard, sorted by term.
        var shards: [[Int]]
        /// Each prefix file: its character, its two-character keys, its terms (sorted).
        var prefixes: [(file: String, keys: String, terms: [Int])]
        var totalPostings: Int
        /// Terms with at least one posting.
        var liveTerms: Int
        /// Digest of every output file: manifest, shards, document files, prefix files.
        var digests: [String]
        /// ``SearchIndex/catalogueDigest(_:)``.
        var catalogue: String
    }

    /// The output files of an index: each one's script, made (a full build, or a file an update
    /// changed) or left in the ``SearchState`` it is unchanged in (made again from there only when
    /// a page asks: its old file was missing), and each one's digest.
    final class Files: Sendable {
        enum Script: Sendable {
            case made(String)
            /// The file of that number in ``state`` (same bytes).
            case stored(Int)
        }

        let shards: [Script]
        let documents: [Script]
        let prefixes: [Script]
        /// Manifest, shards, document files, prefix files.
        let digests: [String]
        let state: SearchState?

        /// Every file made: their digests are computed here, on all cores.
        init(manifest: String, shards: [String], documents: [String], prefixes: [String]) {
            self.shards = shards.map { .made($0) }
            self.documents = documents.map { .made($0) }
            self.prefixes = prefixes.map { .made($0) }
            state = nil
            digests = manifest.isEmpty && shards.isEmpty ? [] : parallelMap([manifest] + shards + documents + prefixes) { SHA256.hex($0) }
        }

        init(shards: [Script], documents: [Script], prefixes: [Script], digests: [String], state: SearchState) {
            self.shards = shards
            self.documents = documents
            self.prefixes = prefixes
            self.digests = digests
            self.state = state
        }

        var allDigests: [String] { digests }

        private func position(_ part: SearchDataPage.Part) -> Int {
            switch part {
            case .manifest: 0
            case .shard(let shard): 1 + shard
            case .document(let file): 1 + shards.count + file
            case .prefix(_, let index): 1 + shards.count + documents.count + index
            }
        }

        func digest(_ part: SearchDataPage.Part) -> String {
            let position = position(part)
            return digests.indices.contains(position) ? digests[position] : SHA256.hex("")
        }

        func script(_ part: SearchDataPage.Part, manifest: String) -> String {
            switch part {
            case .manifest: return manifest
            case .shard(let shard): return text(shards[shard]) { state, number in Self.shard(number, in: state) }
            case .document(let file): return text(documents[file]) { state, number in Self.document(number, in: state) }
            case .prefix(_, let index): return text(prefixes[index]) { state, number in Self.prefix(number, in: state) }
            }
        }

        private func text(_ script: Script, _ make: (SearchState, Int) -> String) -> String {
            switch script {
            case .made(let text): text
            // A stored file exists only beside a state; an index built in full has none.
            case .stored(let number): state.map { make($0, number) } ?? ""
            }
        }

        /// Shard `number` as the state holds it (same shard count).
        static func shard(_ number: Int, in state: SearchState) -> String {
            let terms = state.shard(number) ?? []
            return SearchIndex.shardScript(number) { out in
                for (position, term) in terms.enumerated() {
                    SearchIndex.appendShardTerm(state.term(Int(term.term)), term.postings, first: position == 0, to: &out)
                }
            }
        }

        /// Document file `number` as the state holds it.
        static func document(_ number: Int, in state: SearchState) -> String {
            let start = number * SearchIndex.documentsPerFile
            let ids = start..<min(state.documentCount, start + SearchIndex.documentsPerFile)
            return SearchIndex.documentScript(ids, url: state.url, tail: { state.tail($0) ?? "" })
        }

        /// Prefix file `number` (its position in the state's list) as the state holds it.
        static func prefix(_ number: Int, in state: SearchState) -> String {
            let terms = state.prefix(number) ?? []
            return SearchIndex.prefixScript(terms.map { (state.term(Int($0.term)), $0.df) }).script
        }
    }
}

extension SearchIndex {
    /// The catalogue's ids and titles in order: what every document's key reads besides its own
    /// bytes and path (``documentKey(_:model:)``).
    static func catalogueDigest(_ model: SiteModel) -> String {
        var hasher = SHA256()
        for entry in model.archive.catalogue?.entries ?? [] { hasher.update(entry.id + "\u{0}" + entry.title + "\u{0}") }
        hasher.update(model.archive.catalogue == nil ? "none" : "catalogue")
        return hasher.finalizeHex()
    }

    /// How many shard, document and prefix files this index made (the rest are left in its state).
    var madeFiles: (shards: Int, documents: Int, prefixes: Int) { files.madeCounts }
}

extension SearchIndex.Files {
    var madeCounts: (shards: Int, documents: Int, prefixes: Int) {
        func made(_ scripts: [Script]) -> Int { scripts.filter { if case .made = $0 { true } else { false } }.count }
        return (made(shards), made(documents), made(prefixes))
    }
}

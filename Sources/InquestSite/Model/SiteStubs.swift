import Foundation
import InquestCore

/// Documents an archive holds as stubs (``SiteDocumentFacts/stub(source:contentID:)``): their
/// facts came from the ``SiteFactsCache`` instead of a parse. Every list, index and declared page
/// key reads the same values from a stub as from the parsed document; a stub is parsed (from the
/// bytes it carries) only when something needs its body: its own page is rendered, or the search
/// index has no data for it (``SiteModel/parsing(_:)``).
public struct SiteStubs: Sendable {
    /// Facts of the stub documents, by path.
    public var facts: [String: SiteDocumentFacts] {
        get {
            guard let ordered else { return byPath }
            var out: [String: SiteDocumentFacts] = [:]
            for case let fact? in ordered { out[fact.path] = fact }
            return out
        }
        set {
            byPath = newValue
            ordered = nil
            count = newValue.count
        }
    }
    private var byPath: [String: SiteDocumentFacts]
    /// The same facts by position in the archive they were made for (nil for a parsed
    /// document), when the maker knows it (``init(ordered:read:)``): a rebuild at 10,000
    /// documents then hashes no path to find a stub's facts (``inOrder(of:)``).
    private var ordered: [SiteDocumentFacts?]?
    /// How many documents are stubs.
    public private(set) var count: Int

    /// Reads a stub's current bytes by path, for stubs made without them (their source is empty
    /// while their facts' ``SiteDocumentFacts/size`` is not): the file is read only when a page
    /// shows its body or the search index needs it (``SiteModel/parsing(_:)``). Nil when every
    /// stub carries its bytes.
    public var read: (@Sendable (String) -> [UInt8]?)?
    /// How many stub files ``read`` was asked for (tests prove unneeded files stay unread).
    public let reads = ReadCount()

    public init(facts: [String: SiteDocumentFacts] = [:], read: (@Sendable (String) -> [UInt8]?)? = nil) {
        byPath = facts
        count = facts.count
        self.read = read
    }

    /// Stubs given by position: `ordered[i]` holds the facts of the archive's document `i` when
    /// it is a stub, nil when it was parsed.
    public init(ordered: [SiteDocumentFacts?], read: (@Sendable (String) -> [UInt8]?)? = nil) {
        byPath = [:]
        self.ordered = ordered
        count = ordered.count { $0 != nil }
        self.read = read
    }

    /// The facts of each document of `archive` held as a stub (nil for a parsed one), by
    /// position: from the stubs' own order when it is `archive`'s (same count, same path at
    /// every stub's position), else looked up by path.
    func inOrder(of archive: Archive) -> [SiteDocumentFacts?] {
        let documents = archive.postmortems
        if let ordered, ordered.count == documents.count {
            var out = ordered
            var matches = true
            for index in documents.indices {
                guard let fact = ordered[index] else { continue }
                if fact.path != documents[index].path {
                    matches = false
                    break
                }
                if !SiteBuild.isStub(documents[index]) { out[index] = nil }
            }
            if matches { return out }
        }
        let table = facts
        return documents.map { SiteBuild.isStub($0) ? table[$0.path] : nil }
    }

    /// A count shared by the copies of a ``SiteStubs`` (the models made from it).
    public final class ReadCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        private var changed = 0
        public var value: Int { lock.lock(); defer { lock.unlock() }; return count }
        /// Files read whose content was no longer what the stub was made from (changed during
        /// the build): their pages' declared keys were worked out from the stale content id.
        public var stale: Int { lock.lock(); defer { lock.unlock() }; return changed }
        func add(_ amount: Int) { lock.lock(); count += amount; lock.unlock() }
        func addStale() { lock.lock(); changed += 1; lock.unlock() }
    }

    public var isEmpty: Bool { count == 0 }

    /// The facts of a parsed document, as the site reads them (see ``SiteDocumentFacts``).
    public static func facts(of postmortem: Postmortem) -> SiteDocumentFacts {
        SiteDocumentFacts(postmortem, paragraphs: PostmortemView.firstParagraphs(of: postmortem).mapValues(\.bytes),
                          summaryText: summaryText(of: postmortem))
    }

    /// What the site facts cache keys a working-tree document's bytes by: their SHA-256, which
    /// is also what page keys hash a document's bytes to (a stub carries it as its content id, so
    /// its bytes are hashed once per build). Documents read from git carry their blob id instead.
    public static func contentHash(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }

    /// The Summary section's plain text as the feed shows it; nil without the section.
    static func summaryText(of postmortem: Postmortem) -> String? {
        postmortem.section("Summary").map { $0.contentBlocks.map(\.plainText).joined(separator: " ") }
    }
}

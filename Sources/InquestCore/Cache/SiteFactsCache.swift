import Foundation

/// The site's per-document facts (``SiteDocumentFacts``) kept between builds, keyed by the
/// document's path and a hash of its bytes (the caller's choice; ``Entry/contentHash``), under a file key naming everything a parse depends
/// on besides them (the caller's generator identity and configuration digest). A rebuild takes
/// an unchanged document's facts from here instead of parsing it.
///
/// Like the lint cache it sits beside, the file is a hint: a missing, damaged or foreign file is
/// ignored (every document is parsed), a write failure only costs the speed-up, and the site is
/// byte-identical with or without it (tests compare).
public struct SiteFactsCache: Sendable {
    /// The cache file.
    public let url: URL
    /// Everything every entry depends on besides its own path and bytes.
    public let key: String

    /// The stored entries with their stubs, read on another core since ``prefetching()`` (nil
    /// when ``cancelPrefetch()`` stopped it first).
    private var prefetched: Background<[String: Entry]?>?
    private var cancelled: Cancellation?

    /// Set once: a prefetch that is no longer wanted stops decoding.
    final class Cancellation: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
        func set() { lock.lock(); value = true; lock.unlock() }
    }

    public init(url: URL, key: String) {
        self.url = url
        self.key = key
    }

    /// This cache with its file read, decoded and every entry's stub made
    /// (``Entry/stub``) on another core from now on: none of it depends on what the build reads
    /// first. ``load()`` then waits for that instead of reading, and returns the file as it was
    /// read then: a prefetching cache serves one build.
    public func prefetching() -> SiteFactsCache {
        var copy = self
        let plain = SiteFactsCache(url: url, key: key)
        let cancelled = Cancellation()
        copy.cancelled = cancelled
        copy.prefetched = Background { plain.load(stubs: true, cancelled: cancelled) }
        return copy
    }

    /// Stops the prefetch (``prefetching()``) when the build turns out to need nothing (its
    /// inputs did not change): the other core stops decoding. A later ``load()`` reads the file itself.
    public func cancelPrefetch() {
        cancelled?.set()
    }

    /// The cache beside the lint cache (`$GIT_DIR/inquest/` or `.inquest-cache/`), for `generator`
    /// and the workspace's configuration; nil when the configuration cannot be identified.
    public static func beside(_ lintCache: LintCache, workspace: Workspace, generator: String) -> SiteFactsCache? {
        guard let file = lintCache.sibling("site-facts", formatVersion: formatVersion, workspace: workspace, generator: generator) else { return nil }
        return SiteFactsCache(url: file.url, key: ContentID.of(Array(file.keyText.utf8)))
    }

    /// One document's entry: the hash of the bytes its facts were made from, and the facts.
    public struct Entry: Sendable, Equatable {
        public var contentHash: String
        public var facts: SiteDocumentFacts
        /// ``facts``' stub made without its bytes, with ``contentHash`` as its content id, when
        /// the cache was read by ``prefetching()``: made there, on another core.
        public var stub: Postmortem?

        public init(contentHash: String, facts: SiteDocumentFacts) {
            self.contentHash = contentHash
            self.facts = facts
        }

        public static func == (a: Entry, b: Entry) -> Bool { a.contentHash == b.contentHash && a.facts == b.facts }
    }

    // 2: sizes, action items' lines and paragraph bytes (stubs are made without reading their files).
    // 3: the body's link tails (``SiteDocumentFacts/linkTails``).
    static let formatVersion = 3
    static let magic = "inquest-site-facts"

    /// The stored entries by path; empty when the file is missing, damaged or foreign.
    public func load() -> [String: Entry] {
        if let prefetched, let entries = prefetched.value() { return entries }
        return load(stubs: false) ?? [:]
    }

    /// - Parameters:
    ///   - stubs: make each entry's ``Entry/stub`` too.
    ///   - cancelled: stops the decoding when set (nil is returned).
    func load(stubs: Bool, cancelled: Cancellation? = nil) -> [String: Entry]? {
        BackgroundWork.wait(for: url)
        // Mapped, as the lint cache is: no copy of a 10 MB file into fresh memory.
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [:] }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0, info.st_size < 1 << 31,
              let bytes = CacheBytes(mapping: descriptor, size: Int(info.st_size)) else { return [:] }
        return Self.decode(bytes, key: key, stubs: stubs, cancelled: cancelled) ?? (cancelled?.isSet == true ? nil : [:])
    }

    /// Writes `entries` atomically (temporary file, then rename); failures are ignored.
    public func save(_ entries: [String: Entry]) {
        let url = self.url, key = self.key
        // Encoded and written while the build goes on when it allows it (``BackgroundWork``).
        BackgroundWork.start(writing: url) { LintCache(url: url).save(Self.encode(entries, key: key)) }
    }

    // MARK: Format: a header line (magic, version, key, checksum), then the entries by path.

    static func encode(_ entries: [String: Entry], key: String) -> [UInt8] {
        var writer = CacheWriter(capacity: entries.count * 1024)
        writer.unsigned(UInt64(entries.count))
        for path in entries.keys.sorted() {
            let entry = entries[path]!
            writer.string(entry.contentHash)
            entry.facts.encode(into: &writer)
        }
        let payload = writer.bytes
        return Array("\(magic)\t\(formatVersion)\t\(key)\t\(CacheChecksum.of(payload, from: 0))\n".utf8) + payload
    }

    static func decode(_ bytes: [UInt8], key: String) -> [String: Entry]? {
        decode(CacheBytes(bytes), key: key)
    }

    static func decode(_ bytes: CacheBytes, key: String, stubs: Bool = false, cancelled: Cancellation? = nil) -> [String: Entry]? {
        let buffer = bytes.buffer
        // The header line is short: looked for in the first bytes only.
        guard let newline = buffer.prefix(4096).firstIndex(of: 0x0a) else { return nil }
        let header = String(decoding: UnsafeBufferPointer(rebasing: buffer[..<newline]), as: UTF8.self)
            .split(separator: "\t", omittingEmptySubsequences: false)
        guard header.count == 4, header[0] == magic, header[1] == String(formatVersion), header[2] == key,
              header[3] == String(CacheChecksum.of(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[(newline + 1)...])))
        else { return nil }
        var reader = CacheReader(bytes, range: (newline + 1)..<bytes.count)
        do throws(CacheReader.Failure) {
            let count = try reader.count()
            var entries: [String: Entry] = [:]
            entries.reserveCapacity(count)
            for number in 0..<count {
                if number & 511 == 0, let cancelled, cancelled.isSet { return nil }
                let hash = try reader.string()
                let facts = try SiteDocumentFacts(from: &reader)
                var entry = Entry(contentHash: hash, facts: facts)
                if stubs { entry.stub = facts.stub(source: SourceText(bytes: []), contentID: hash) }
                entries[facts.path] = entry
            }
            guard reader.isAtEnd else { return nil }
            return entries
        } catch {
            return nil
        }
    }
}

import Foundation

/// The incremental build's manifest: for every output file, the hash of everything it was
/// rendered from (theme, template, path and its whole context: every fact the page reads), the
/// hash of its declared inputs (``PageInputs``: found without building the context), the
/// hash and size of the bytes written; and a digest of the build's inputs (``BuildInputs``).
///
/// A page whose key matches last build's, and whose file is still intact, is hard-linked from the
/// previous output instead of rendered; a page rendered again to the same bytes is linked too, so
/// a file is written only when its bytes change. When the input digest matches, nothing is
/// parsed, rendered or written at all (``SiteBuild/unchanged(output:protected:inputs:generator:)``).
///
/// It also keeps what the next build needs to keep page keys without hashing them
/// (``PageKeyState``: per document its listing digest, what that digest reads of the document,
/// and where the document sits in lists; `keys`, `name` and `doc` lines after the pages). A
/// damaged key state is dropped on its own: every key is then computed.
///
/// Stored as `.inquest-cache.tsv` inside the output folder, so it travels with the site it
/// describes and a deleted site never leaves a stale cache behind. Its bytes depend only on the
/// inputs (no inode, no clock), so the same commit still gives a byte-identical folder. Tab-separated
/// lines rather than JSON: at 10,000 postmortems it has 23,000 entries, and a no-op rebuild
/// reads it in a few milliseconds.
public struct BuildCache: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Hash of the page's whole context (for an asset: of its bytes).
        public var key: String
        /// Hash of the page's declared inputs (``PageInputs``), computed without building its
        /// context; "-" when the page kind declares none.
        public var inputs: String
        /// Hash of the bytes written, to link an identical re-render instead of writing it.
        public var sha256: String
        /// Size of the bytes written: a file whose size changed since was edited or damaged.
        public var size: Int

        public init(key: String, sha256: String, size: Int, inputs: String = "-") {
            self.key = key
            self.inputs = inputs
            self.sha256 = sha256
            self.size = size
        }
    }

    /// Bumped when rendering changes in ways the keys cannot see (new generator code).
    public static let formatVersion = 4
    public static let fileName = ".inquest-cache.tsv"
    static let magic = "inquest-build-cache"

    public var version: Int
    public var generator: String
    /// ``BuildInputs`` digest of the build that wrote the site; nil when unknown (`--rev`, tests).
    public var inputs: String?
    /// Lint errors of those inputs, so that a build skipped as unchanged still warns (or refuses with `--strict`).
    public var lintErrors: Int
    /// Pages by output path.
    public var pages: [String: Entry]
    /// Theme assets by output path (`assets/…`).
    public var assets: [String: Entry]
    /// What the next build needs to keep page keys without hashing them (``PageInputs``); nil
    /// when unknown (an older cache, or a damaged entry: every key is then computed).
    var pageKeys: PageKeyState? {
        didSet { pageKeyLines = PrecomputedLines() }
    }
    /// ``pageKeys``' lines, when encoded ahead (``setPageKeys(_:lines:)``); not part of the value.
    private var pageKeyLines = PrecomputedLines()

    /// Sets ``pageKeys`` with its lines as ``pageKeyLines(_:)`` encodes them, made on another core
    /// while the pages were worked out: ``encoded()`` then only appends them.
    mutating func setPageKeys(_ keys: PageKeyState?, lines: [UInt8]?) {
        pageKeys = keys
        if keys != nil { pageKeyLines = PrecomputedLines(bytes: lines) }
    }

    /// Bytes made ahead of time from a value the cache holds: equal whatever they hold, so that a
    /// cache compares by what it describes.
    private struct PrecomputedLines: Sendable, Equatable {
        var bytes: [UInt8]?
        static func == (_: Self, _: Self) -> Bool { true }
    }

    public init(generator: String = InquestSite.generatorVersion, pages: [String: Entry] = [:], assets: [String: Entry] = [:],
                inputs: String? = nil, lintErrors: Int = 0) {
        version = Self.formatVersion
        self.generator = generator
        self.pages = pages
        self.assets = assets
        self.inputs = inputs
        self.lintErrors = lintErrors
    }

    /// Every output file the cache describes.
    public var files: [String: Entry] { pages.merging(assets) { page, _ in page } }

    /// Sorted lines: the same build writes the same bytes.
    public func encoded() -> [UInt8] {
        var text = "\(Self.magic)\t\(version)\n"
        text += "generator\t\(Self.clean(generator))\n"
        text += "inputs\t\(inputs ?? "-")\n"
        text += "lint-errors\t\(lintErrors)\n"
        var bytes = Array(text.utf8)
        // 15,000 lines at 10,000 postmortems, appended as bytes (no String per line).
        bytes.reserveCapacity(bytes.count + (pages.count + assets.count) * 240 + (pageKeys?.documents.count ?? 0) * 320)
        let tab = UInt8(ascii: "\t")
        for (kind, entries) in [("page", pages), ("asset", assets)] {
            // Sorted with their entries (no lookup by path per line).
            for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
                bytes.append(contentsOf: kind.utf8)
                bytes.append(tab)
                bytes.append(contentsOf: path.utf8)
                bytes.append(tab)
                bytes.append(contentsOf: entry.key.utf8)
                bytes.append(tab)
                bytes.append(contentsOf: entry.sha256.utf8)
                bytes.append(tab)
                appendDecimal(entry.size, to: &bytes)
                bytes.append(tab)
                bytes.append(contentsOf: entry.inputs.utf8)
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        if let lines = pageKeyLines.bytes {
            bytes.append(contentsOf: lines)
        } else if let keys = pageKeys {
            bytes.append(contentsOf: Self.pageKeyLines(keys))
        }
        return bytes
    }

    /// The `keys`, `name` and `doc` lines of `keys`.
    static func pageKeyLines(_ keys: PageKeyState) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.documents.count * 320 + 1024)
        let tab = UInt8(ascii: "\t")
        do {
            bytes.append(contentsOf: "keys\t\(keys.global)\t\(keys.documentContext)\t\(keys.bodyContext)\t\(keys.recurrence)\t\(keys.quarters)\n".utf8)
            for name in keys.names.keys.sorted() {
                bytes.append(contentsOf: "name\t\(DocumentFacts.escape(name))\t\(DocumentFacts.escape(keys.names[name]!))\n".utf8)
            }
            // In the archive's order (by path): 10,000 lines, appended without a sort or a String per line.
            for document in keys.documents {
                bytes.append(contentsOf: "doc\t".utf8)
                bytes.append(contentsOf: DocumentFacts.escape(document.path).utf8)
                bytes.append(tab)
                bytes.append(contentsOf: document.validation.utf8)
                bytes.append(tab)
                bytes.append(contentsOf: document.digest.utf8)
                bytes.append(tab)
                bytes.append(contentsOf: document.facts.utf8)
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        return bytes
    }

    /// `value`'s decimal digits (what `String(value)` spells), without making a String.
    private func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value > 0 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(0x30 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// The cache in `bytes`; nil when unreadable, damaged, or written by another generator.
    public static func decode(_ bytes: [UInt8], generator: String) -> BuildCache? {
        var cache = BuildCache(generator: generator)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else { return nil }
        lines.removeLast()
        guard lines.count >= 4,
              fields(lines[0]) == [magic, String(formatVersion)],
              fields(lines[1]) == ["generator", clean(generator)] else { return nil }
        let inputs = fields(lines[2]), errors = fields(lines[3])
        guard inputs.count == 2, inputs[0] == "inputs", errors.count == 2, errors[0] == "lint-errors",
              let lintErrors = Int(errors[1]), lintErrors >= 0 else { return nil }
        cache.inputs = inputs[1] == "-" ? nil : inputs[1]
        cache.lintErrors = lintErrors
        cache.pages.reserveCapacity(lines.count)
        var keys: PageKeyState?
        var keysDamaged = false
        for line in lines.dropFirst(4) {
            // Page keys: kept only when every line of them reads (a damaged one is ignored, never trusted).
            if line.starts(with: "keys\t".utf8) || line.starts(with: "name\t".utf8) || line.starts(with: "doc\t".utf8) {
                if !keysDamaged, !readKeys(line, into: &keys) { keysDamaged = true }
                continue
            }
            // Split in place: 23,000 lines at 10,000 postmortems, read twice by every rebuild.
            var tabs: [Int] = []
            tabs.reserveCapacity(5)
            for index in line.indices where line[index] == 0x09 {
                tabs.append(index)
                if tabs.count > 5 { return nil }
            }
            guard tabs.count == 5 else { return nil }
            func field(_ number: Int) -> ArraySlice<UInt8> {
                line[(number == 0 ? line.startIndex : tabs[number - 1] + 1)..<(number == 5 ? line.endIndex : tabs[number])]
            }
            var size = 0
            let digits = field(4)
            guard !digits.isEmpty, digits.count <= 15 else { return nil }
            for byte in digits {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                size = size * 10 + Int(byte - 0x30)
            }
            let path = String(decoding: field(1), as: UTF8.self)
            guard isSafePath(path) else { return nil }
            let entry = Entry(key: String(decoding: field(2), as: UTF8.self), sha256: String(decoding: field(3), as: UTF8.self), size: size,
                              inputs: String(decoding: field(5), as: UTF8.self))
            let kind = field(0)
            if kind.elementsEqual("page".utf8) {
                cache.pages[path] = entry
            } else if kind.elementsEqual("asset".utf8) {
                cache.assets[path] = entry
            } else {
                return nil
            }
        }
        cache.pageKeys = keysDamaged ? nil : keys
        return cache
    }

    /// Reads one line of the page-key state (`keys`, then `name` and `doc` lines); false when damaged.
    private static func readKeys(_ line: ArraySlice<UInt8>, into keys: inout PageKeyState?) -> Bool {
        // Fields split in place (10,000 `doc` lines at 10,000 postmortems, read by every rebuild).
        var fields: [Range<Int>] = []
        fields.reserveCapacity(6)
        var start = line.startIndex
        for index in line.indices where line[index] == 0x09 {
            fields.append(start..<index)
            start = index + 1
            if fields.count > 6 { return false }
        }
        fields.append(start..<line.endIndex)
        func text(_ number: Int) -> String { String(decoding: line[fields[number]], as: UTF8.self) }
        let kind = line[fields[0]]
        if kind.elementsEqual("doc".utf8) {
            guard keys != nil, fields.count == 5, let path = DocumentFacts.unescape(Substring(text(1))) else { return false }
            keys?.documents.append(DocumentRecord(path: path, validation: text(2), digest: text(3), facts: text(4)))
        } else if kind.elementsEqual("name".utf8) {
            guard keys != nil, fields.count == 3, let name = DocumentFacts.unescape(Substring(text(1))),
                  let value = DocumentFacts.unescape(Substring(text(2))) else { return false }
            keys?.names[name] = value
        } else {
            guard keys == nil, fields.count == 6 else { return false }
            keys = PageKeyState(global: text(1), documentContext: text(2), bodyContext: text(3), recurrence: text(4), quarters: text(5),
                                names: [:], documents: [])
        }
        return true
    }

    /// The input digest recorded by the cache file in `folder`, read from its first lines only
    /// (a rebuild whose inputs changed learns it without decoding the whole file); nil when
    /// missing, unreadable or from another format.
    static func recordedInputs(folder: URL) -> String? {
        let descriptor = open(folder.appendingPathComponent(fileName).path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: 4096)
        let count = head.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        let lines = head[..<count].split(separator: UInt8(ascii: "\n"), maxSplits: 3, omittingEmptySubsequences: false)
        guard lines.count == 4, fields(lines[0]) == [magic, String(formatVersion)] else { return nil }
        let inputs = fields(lines[2])
        return inputs.count == 2 && inputs[0] == "inputs" ? inputs[1] : nil
    }

    /// ``SitePath/isSafe(_:)`` without building substrings (23,000 paths per no-op build): the
    /// same characters, no segment empty, starting with a dot or longer than 200 bytes.
    static func isSafePath(_ path: String) -> Bool {
        var segment = 0
        for byte in path.utf8 {
            if byte == 0x2f {
                guard segment > 0 else { return false }
                segment = 0
                continue
            }
            let ok = (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2d || byte == 0x5f || byte == 0x2e
            guard ok, !(segment == 0 && byte == 0x2e) else { return false }
            segment += 1
            guard segment <= 200 else { return false }
        }
        return segment > 0
    }

    private static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The generator identity on one line without tabs (it comes from the binary's path metadata).
    private static func clean(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}

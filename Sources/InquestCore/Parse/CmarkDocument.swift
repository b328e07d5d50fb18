import CCmarkGFM
import Foundation

/// The GitHub extensions Inquest enables everywhere it parses or renders Markdown.
let gfmExtensionNames = ["table", "tasklist", "strikethrough", "autolink", "tagfilter"]

/// cmark-gfm's extension registry must be set up exactly once per process; a global `let`
/// is initialised once, thread-safely, on first use.
private let cmarkExtensionsRegistered: Void = {
    cmark_gfm_core_extensions_ensure_registered()
}()

/// cmark-gfm keeps the table of special inline characters in one process-wide array that every
/// parse edits: the extensions' characters (`:` and `w` for autolinks, `~`, `|` …) are added when a
/// parser starts on a document's inlines and removed when it is done (github/cmark-gfm#176, not
/// merged in the 0.29 Debian ships). Two documents finished at once race on it: one thread removes
/// `:` while the other is parsing, whose URLs then stay plain text — output that depended on thread
/// timing (`CmarkConcurrencyTests` saw hundreds of 4,000 documents lose their links). Inline
/// parsing, inside `cmark_parser_finish`, therefore runs one document at a time; block parsing
/// (`cmark_parser_feed`) stays parallel.
private let inlineParsing = NSLock()

/// Owner of one parsed cmark-gfm document tree. Frees the tree in `deinit`.
///
/// Not thread-safe: use one instance from one thread. Values extracted from it
/// (``MarkdownNode``) are plain Swift values and can go anywhere.
public final class CmarkDocument {
    let root: OpaquePointer
    let extensions: UnsafeMutablePointer<cmark_llist>?

    /// Parses `bytes` with source positions and the GFM extensions.
    public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        _ = cmarkExtensionsRegistered
        let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES)!
        defer { cmark_parser_free(parser) }
        for name in gfmExtensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        let fed: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        if fed == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    cmark_parser_feed(parser, chars.baseAddress, chars.count)
                }
            }
        }
        inlineParsing.lock()
        root = cmark_parser_finish(parser)
        inlineParsing.unlock()
        // The extension list belongs to the parser; copy it so rendering can use it after the parser is gone.
        extensions = Self.copyExtensions(of: parser)
    }

    /// Parses `bytes` (the body of `source`, from `bodyStart`) and converts the tree to
    /// ``MarkdownNode``s, with cmark's memory taken from this thread's ``CmarkArena`` and given
    /// back at once after the conversion: what the linter's parse needs, without a `malloc` and a
    /// `free` per cmark node, buffer and literal. The same tree as
    /// `CmarkDocument(bytes:).tree(in:bodyStart:)` (`CmarkArenaTests`).
    static func tree(parsing bytes: ArraySlice<UInt8>, in source: SourceText, bodyStart: Int) -> MarkdownNode {
        guard CmarkArena.suits(bodyBytes: bytes.count) else { return CmarkDocument(bytes: bytes).tree(in: source, bodyStart: bodyStart) }
        return CmarkArena.withArena { arena in
            guard arena else { return CmarkDocument(bytes: bytes).tree(in: source, bodyStart: bodyStart) }
            _ = cmarkExtensionsRegistered
            // Everything below is allocated from the arena: no `cmark_parser_free` or
            // `cmark_node_free` (the arena is reset when this closure returns).
            let parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES, CmarkArena.memory)!
            for name in gfmExtensionNames {
                if let ext = cmark_find_syntax_extension(name) {
                    cmark_parser_attach_syntax_extension(parser, ext)
                }
            }
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    cmark_parser_feed(parser, chars.baseAddress, chars.count)
                }
            }
            inlineParsing.lock()
            let root = cmark_parser_finish(parser)!
            inlineParsing.unlock()
            return Self.tree(of: root, in: source, bodyStart: bodyStart)
        }
    }

    deinit {
        if let extensions { cmark_llist_free(cmark_get_default_mem_allocator(), extensions) }
        cmark_node_free(root)
    }

    private static func copyExtensions(of parser: OpaquePointer) -> UnsafeMutablePointer<cmark_llist>? {
        var copy: UnsafeMutablePointer<cmark_llist>?
        var cursor = cmark_parser_get_syntax_extensions(parser)
        while let node = cursor {
            copy = cmark_llist_append(cmark_get_default_mem_allocator(), copy, node.pointee.data)
            cursor = node.pointee.next
        }
        return copy
    }

    /// Safe HTML: raw HTML is omitted (cmark-gfm's default safe mode), `javascript:` URLs are
    /// dropped by cmark, and the tagfilter extension neutralises dangerous tags.
    public func renderHTML() -> String {
        guard let html = cmark_render_html(root, CMARK_OPT_FOOTNOTES, extensions) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

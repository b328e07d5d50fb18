import CCmarkGFM

/// A plain-value copy of a cmark-gfm node, with its byte range in the file.
public struct MarkdownNode: Sendable {
    public enum Kind: Sendable, Equatable {
        case document, heading(level: Int), paragraph, list(ordered: Bool), item(task: TaskState?)
        case blockQuote, codeBlock(info: String), htmlBlock, thematicBreak
        case table, tableRow(header: Bool), tableCell, footnoteDefinition
        case text, code, softBreak, lineBreak, emphasis, strong, strikethrough
        case link(url: String), image(url: String), htmlInline, footnoteReference, other(String)
    }

    public enum TaskState: Sendable, Equatable { case open, done }

    public var kind: Kind
    /// The literal of text, code, HTML and code-block nodes.
    public var literal: String?
    /// Byte range in the file; for inline nodes it is the enclosing block's range when cmark has none.
    public var bytes: Range<Int>
    public var children: [MarkdownNode]

    /// True for block-level nodes.
    public var isBlock: Bool {
        switch kind {
        case .document, .heading, .paragraph, .list, .item, .blockQuote, .codeBlock, .htmlBlock,
             .thematicBreak, .table, .tableRow, .tableCell, .footnoteDefinition: true
        default: false
        }
    }

    /// Visible text with inline markup removed (code spans kept as their text).
    public var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    private func appendPlainText(to out: inout String) {
        switch kind {
        case .text, .code: out += literal ?? ""
        case .softBreak, .lineBreak: out += " "
        case .htmlInline, .htmlBlock: break
        default:
            for child in children {
                if child.isBlock, !out.isEmpty, out.last != " " { out += " " }
                child.appendPlainText(to: &out)
            }
        }
    }

    /// Depth-first visit of this node and its descendants.
    public func walk(_ visit: (MarkdownNode) -> Void) {
        visit(self)
        // Children are passed borrowed: `for child in children` copies each one (a retain per field).
        children.withUnsafeBufferPointer { children in
            for index in children.indices { children[index].walk(visit) }
        }
    }
}

extension CmarkDocument {
    /// Converts the cmark tree to ``MarkdownNode`` values located in the file.
    ///
    /// - Parameters:
    ///   - source: the whole file.
    ///   - bodyStart: byte offset at which the parsed text began in the file.
    ///   - maxDepth: nodes nested deeper than this are dropped (their text stays in the parent's
    ///     range) so a pathological document cannot exhaust the stack.
    public func tree(in source: SourceText, bodyStart: Int, maxDepth: Int = 200) -> MarkdownNode {
        Self.tree(of: root, in: source, bodyStart: bodyStart, maxDepth: maxDepth)
    }

    /// ``tree(in:bodyStart:maxDepth:)`` of the tree under `root`.
    static func tree(of root: OpaquePointer, in source: SourceText, bodyStart: Int, maxDepth: Int = 200) -> MarkdownNode {
        let firstLine = source.lineIndex(of: bodyStart) + 1
        let columnShift = bodyStart - source.lineStarts[firstLine - 1]
        let context = ConversionContext(source: source, firstLine: firstLine, columnShift: columnShift, bodyStart: bodyStart)
        return convert(root, context: context, parentBytes: bodyStart..<source.bytes.count, depth: 0, maxDepth: maxDepth)
    }

    private struct ConversionContext {
        let source: SourceText
        let firstLine: Int
        let columnShift: Int
        let bodyStart: Int

        /// cmark reports column 0 for some block ends (a list item closed by a blank line): that is the
        /// end of the previous line, i.e. one byte before the line's first column.
        func offset(line: Int32, column: Int32) -> Int? {
            guard line > 0, column >= 0 else { return nil }
            if column == 0 { return offset(line: line, column: 1).map { $0 - 1 } }
            let fileLine = Int(line) + firstLine - 1
            let shift = fileLine == firstLine ? columnShift : 0
            return source.offset(line: fileLine, byteColumn: Int(column) + shift)
        }
    }

    private static func convert(_ node: OpaquePointer, context: ConversionContext, parentBytes: Range<Int>,
                         depth: Int, maxDepth: Int) -> MarkdownNode {
        let kind = Self.kind(of: node)
        var bytes = parentBytes
        if let start = context.offset(line: cmark_node_get_start_line(node), column: cmark_node_get_start_column(node)) {
            var end = context.offset(line: cmark_node_get_end_line(node), column: cmark_node_get_end_column(node)).map { $0 + 1 } ?? start
            // Some blocks (a one-line HTML block) report an end before their start: use the end of their line.
            if end <= start { end = context.source.lineContentRange(context.source.lineIndex(of: start)).upperBound }
            bytes = start..<min(context.source.bytes.count, max(start, end))
        }
        let literal = cmark_node_get_literal(node).map { String(cString: $0) }
        var children: [MarkdownNode] = []
        if depth < maxDepth {
            var count = 0
            var probe = cmark_node_first_child(node)
            while let current = probe { count += 1; probe = cmark_node_next(current) }
            // A leaf keeps the empty array's shared storage (reserving even 0 allocates a buffer).
            if count > 0 { children.reserveCapacity(count) }
            var child = cmark_node_first_child(node)
            while let current = child {
                children.append(convert(current, context: context, parentBytes: bytes, depth: depth + 1, maxDepth: maxDepth))
                child = cmark_node_next(current)
            }
        }
        return MarkdownNode(kind: kind, literal: literal, bytes: bytes, children: children)
    }

    /// The kind of a node. Core nodes without a syntax extension are read from their type enum,
    /// whose type string is fixed by it; nodes an extension owns (tables, task items,
    /// strikethrough) and rare kinds go by the type string, as every node used to.
    static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        if cmark_node_get_syntax_extension(node) == nil {
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT: return .text
            case CMARK_NODE_PARAGRAPH: return .paragraph
            case CMARK_NODE_SOFTBREAK: return .softBreak
            case CMARK_NODE_CODE: return .code
            case CMARK_NODE_STRONG: return .strong
            case CMARK_NODE_EMPH: return .emphasis
            case CMARK_NODE_ITEM: return .item(task: nil)
            case CMARK_NODE_LIST: return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST)
            case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
            case CMARK_NODE_LINK: return .link(url: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
            case CMARK_NODE_LINEBREAK: return .lineBreak
            case CMARK_NODE_DOCUMENT: return .document
            default: break
            }
        }
        return kindByTypeString(of: node)
    }

    /// The kind of a node by its type string (the reference definition).
    static func kindByTypeString(of node: OpaquePointer) -> MarkdownNode.Kind {
        let type = cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
        switch type {
        case "document": return .document
        case "heading": return .heading(level: Int(cmark_node_get_heading_level(node)))
        case "paragraph": return .paragraph
        case "list": return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST)
        case "item": return .item(task: nil)
        case "tasklist":
            return .item(task: cmark_gfm_extensions_get_tasklist_item_checked(node) ? .done : .open)
        case "block_quote": return .blockQuote
        case "code_block": return .codeBlock(info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
        case "html_block": return .htmlBlock
        case "thematic_break": return .thematicBreak
        case "table": return .table
        case "table_header": return .tableRow(header: true)
        case "table_row": return .tableRow(header: false)
        case "table_cell": return .tableCell
        case "footnote_definition": return .footnoteDefinition
        case "text": return .text
        case "code": return .code
        case "softbreak": return .softBreak
        case "linebreak": return .lineBreak
        case "emph": return .emphasis
        case "strong": return .strong
        case "strikethrough": return .strikethrough
        case "link": return .link(url: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
        case "image": return .image(url: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
        case "html_inline": return .htmlInline
        case "footnote_reference": return .footnoteReference
        default: return .other(type)
        }
    }
}

import Foundation
import InquestBlameless

/// Runs the blame-language analyzer over a document's prose. The six `blameless/…` rules (one
/// file each) share one pass: the ``Linter`` scans each document once in the task that checks it
/// and hands the findings to the rules through ``RuleContext/languageFindings(_:in:)``.
///
/// Immutable, so it is shared across the parallel per-document tasks without a lock (a shared
/// `Mutex` cache used to sit here; ThreadSanitizer could not follow it and reported races).
/// The analyzer's matchers are compiled once per lint run, here, when the first document is
/// scanned: a run that takes every document from the lint cache scans none and never builds them.
public final class LanguageScan: @unchecked Sendable {
    public struct Located: Sendable {
        public var rule: String
        public var bytes: Range<Int>
        public var message: String
        public var suggestion: String?
    }

    private let options: BlamelessOptions
    // Written once, under `lock`; never changed after (hence `@unchecked Sendable`).
    private var built: BlamelessAnalyzer?
    private let lock = NSLock()
    /// What the analyzer was built from, to reuse it for a later run with the same settings.
    let settings: Configuration.Blameless
    let gitAuthors: [String]

    init(configuration: Configuration, gitAuthors: [String]) {
        var options = BlamelessOptions(people: configuration.blameless.people, teams: configuration.blameless.teams,
                                       allow: configuration.blameless.allow, deny: configuration.blameless.deny)
        // Commit authors count by full name only: "May Lin" must not make every "In May" an error.
        if configuration.blameless.gitAuthors { options.fullNamesOnly = gitAuthors }
        settings = configuration.blameless
        self.gitAuthors = gitAuthors
        self.options = options
    }

    /// Compiles the lexicon every analyzer starts from, on this thread, now
    /// (``BlamelessAnalyzer/prepareBuiltIns()``).
    public static func prepareLexicon() {
        BlamelessAnalyzer.prepareBuiltIns()
    }

    /// The analyzer, built by the first caller.
    private var analyzer: BlamelessAnalyzer {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let made = BlamelessAnalyzer(options: options)
        built = made
        return made
    }

    /// Every blame-language finding in `postmortem` (no caching: callers keep the result).
    func scan(_ postmortem: Postmortem) -> [Located] {
        var found: [Located] = []
        let analyzer = self.analyzer
        // Each block's prose is built as bytes and analysed at once: no String per block, and no
        // array holding every block's prose until the last one is read.
        // The map from prose to file offsets (a word per byte) is made only for a block with
        // findings, by building its prose again: most blocks have none.
        Self.forEachProseBlock(of: postmortem) { block, context in
            let findings = analyzer.analyze(utf8: ProseText.bytes(block: block, source: postmortem.source, offsets: false).utf8,
                                            context: context)
            guard !findings.isEmpty else { return }
            let prose = ProseText.bytes(block: block, source: postmortem.source)
            for finding in findings {
                found.append(Located(rule: finding.rule, bytes: prose.fileRange(of: finding.range),
                                     message: finding.message, suggestion: finding.suggestion))
            }
        }
        return found
    }

    /// Calls `body` with every paragraph, heading, list item and table cell, in order, with its
    /// section's context. Block quotes (quoting is a record, not blame), code blocks and HTML are
    /// left out.
    static func forEachProseBlock(of postmortem: Postmortem, _ body: (UnsafePointer<MarkdownNode>, ProseContext) -> Void) {
        // Nodes are read through pointers: passing `children[index]` on hands each node over as a
        // copy (a retain and a release of every field).
        func visit(_ node: UnsafePointer<MarkdownNode>, _ context: ProseContext) {
            switch node.pointee.kind {
            case .blockQuote, .codeBlock, .htmlBlock, .thematicBreak: return
            case .paragraph, .heading, .tableCell:
                body(node, context)
            default:
                node.pointee.children.withUnsafeBufferPointer { children in
                    guard let base = children.baseAddress else { return }
                    for index in children.indices where base[index].isBlock { visit(base + index, context) }
                }
            }
        }
        var context = ProseContext.narrative
        postmortem.body.children.withUnsafeBufferPointer { blocks in
            guard let base = blocks.baseAddress else { return }
            for index in blocks.indices {
                if case .heading(level: 2) = base[index].kind {
                    let bytes = base[index].bytes
                    context = proseContext(for: postmortem.sections.first { $0.headingBytes == bytes }?.canonicalNames ?? [])
                    continue
                }
                visit(base + index, context)
            }
        }
    }

    static func proseContext(for canonicalNames: [String]) -> ProseContext {
        if canonicalNames.contains("Root Causes") { return .rootCauses }
        if canonicalNames.contains("Action Items") { return .actionItems }
        if canonicalNames.contains("Timeline") { return .timeline }
        return .narrative
    }
}

/// Builds a rule's documentation from the analyzer's own, embedding each example sentence in a
/// clean postmortem section where the rule applies.
enum BlamelessDocumentation {
    static func make(_ id: String, section: String = "Impact") -> RuleDocumentation {
        guard let info = BlamelessRules.all.first(where: { $0.id == id }) else {
            return RuleDocumentation(summary: id, rationale: "", triggering: [], passing: [])
        }
        func example(_ sentence: String) -> RuleExample {
            ExampleDocument.example(sentence, sections: [section: sentence])
        }
        let rationale = info.rationale + " " + info.measured.sentence + " " + BlamelessRuleInfo.configuration
        return RuleDocumentation(summary: info.summary, rationale: rationale,
                                 triggering: info.triggering.map(example), passing: info.passing.map(example))
    }

    /// The default severity the development-set measurement earns (see ``BlamelessMeasurement``).
    static func severity(of id: String) -> Severity {
        BlamelessRules.all.first { $0.id == id }?.defaultSeverity == "error" ? .error : .warning
    }
}

/// The shared body of the six rules: report the scan's findings for one rule id.
public protocol BlamelessLanguageRule: DocumentRule {}

extension BlamelessLanguageRule {
    public var readsLanguageScan: Bool { true }

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        for finding in context.languageFindings(id, in: postmortem) {
            findings.add(postmortem, finding.bytes, .blameless(finding.message), suggestion: finding.suggestion)
        }
    }
}

extension Finding.Message {
    /// `blameless/*`: the matcher's own message (InquestBlameless words its findings; its tests assert them).
    static func blameless(_ message: String) -> Self { Self(message) }
}

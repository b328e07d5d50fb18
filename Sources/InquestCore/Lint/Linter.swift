/// What to lint: every document of the archive, and which of them to report on.
public struct LintInput: Sendable {
    /// All documents of the archive (the whole postmortems folder, plus any files named on the command line).
    public var documents: [RawDocument]
    /// The root-cause catalogue file, when it exists.
    public var catalogue: RawDocument?
    /// Report only diagnostics in these paths; nil reports everything (catalogue included).
    public var reportPaths: Set<String>?

    public init(documents: [RawDocument], catalogue: RawDocument?, reportPaths: Set<String>? = nil) {
        self.documents = documents
        self.catalogue = catalogue
        self.reportPaths = reportPaths
    }
}

extension LintInput {
    /// Replaces (or adds) documents with unsaved contents and reports only them; see
    /// ``LintPlan/make(reader:paths:from:changedSince:loadHistory:judgeStagedChange:overlay:)``.
    public mutating func apply(overlay: [String: [UInt8]], catalogue cataloguePath: String) {
        for (path, bytes) in overlay.sorted(by: { $0.key < $1.key }) {
            let document = RawDocument(path: path, bytes: bytes)
            if path == cataloguePath {
                catalogue = document
            } else if let index = documents.firstIndex(where: { $0.path == path }) {
                documents[index] = document
            } else {
                documents.append(document)
            }
        }
        reportPaths = Set(overlay.keys)
    }
}

/// The outcome of a lint run.
public struct LintResult: Sendable {
    /// Sorted by file, line, column, rule.
    public var diagnostics: [Diagnostic]
    /// Number of files reported on.
    public var fileCount: Int
    public var archive: Archive

    public var summary: DiagnosticSummary { DiagnosticSummary(files: fileCount, diagnostics: diagnostics) }
}

/// Parses documents, builds the archive, runs every rule, applies configured severities and
/// inline suppressions. Pure: no I/O.
public struct Linter: Sendable {
    public var configuration: Configuration
    public var documentRules: [any DocumentRule]
    public var archiveRules: [any ArchiveRule]
    /// Git facts handed to the rules as ``RuleContext/git``; nil when the run does not involve git.
    public var git: GitLintState?
    /// The blame-language analyzer of an earlier run, reused when the configuration matches
    /// (see ``prepared()``): building it costs more than linting a small document.
    private var language: LanguageScan?

    public init(configuration: Configuration = Configuration(),
                documentRules: [any DocumentRule] = RuleRegistry.documentRules,
                archiveRules: [any ArchiveRule] = RuleRegistry.archiveRules) {
        self.configuration = configuration
        self.documentRules = documentRules
        self.archiveRules = archiveRules
    }

    /// Parses every document (in parallel) and builds the archive.
    public func buildArchive(_ input: LintInput) -> Archive {
        let parser = PostmortemParser(schema: configuration.schema)
        let postmortems = parallelMap(input.documents) { parser.parse($0) }
        return Archive(postmortems: postmortems, catalogue: input.catalogue.map(CauseCatalogue.parse))
    }

    public func lint(_ input: LintInput) -> LintResult {
        lint(input, archive: buildArchive(input))
    }

    /// This linter with its blame-language analyzer built now, for callers that lint many times
    /// with one configuration (the fuzzer; an editor integration).
    public func prepared() -> Linter {
        var copy = self
        copy.language = LanguageScan(configuration: configuration, gitAuthors: git?.authorNames ?? [])
        return copy
    }

    public func lint(_ input: LintInput, archive: Archive) -> LintResult {
        lint(input, archive: archive, evaluate: nil, reused: [:]).result
    }

    /// A run's result plus what the document rules found in each evaluated document.
    struct Pass {
        var result: LintResult
        /// Document-rule diagnostics (suppressions applied) by path, for the documents evaluated.
        var documentDiagnostics: [String: [Diagnostic]]
    }

    /// Lints with document rules run only on the reported documents in `evaluate` (nil: all
    /// reported); `reused` supplies the document-rule diagnostics of reported documents not
    /// evaluated (what an earlier run found, from the lint cache). Archive rules always run.
    func lint(_ input: LintInput, archive: Archive, evaluate: Set<String>?, reused: [String: [Diagnostic]]) -> Pass {
        let context = RuleContext(configuration: configuration, archive: archive, git: git, reusing: language)
        // The reported documents, found without copying (retaining every field of) each
        // postmortem of the archive: a few paths are looked up, more are tested in place.
        let reported: [Postmortem]
        if let paths = input.reportPaths {
            var indexes: [Int] = []
            if paths.count <= 8 {
                for path in paths { indexes += archive.indexes(ofPath: path) }
                indexes.sort()
            } else {
                archive.postmortems.withUnsafeBufferPointer { all in
                    for index in all.indices where paths.contains(all[index].path) { indexes.append(index) }
                }
            }
            reported = indexes.map { archive.postmortems[$0] }
        } else {
            reported = archive.postmortems
        }
        let evaluated = evaluate.map { paths in reported.filter { paths.contains($0.path) } } ?? reported
        let documentRules = self.documentRules.filter { level(of: $0) != nil }
        let scansLanguage = !evaluated.isEmpty && documentRules.contains { $0.readsLanguageScan }
        // Per-document findings, in parallel; each task owns its document's suppressions and its
        // blame-language scan (a local value: no state is shared between tasks).
        let perDocument: [[Diagnostic]] = parallelMap(evaluated) { postmortem in
            var raw: [Diagnostic] = []
            var context = context
            if scansLanguage { context.documentLanguage = (postmortem.path, context.language.scan(postmortem)) }
            for rule in documentRules {
                var findings = Findings()
                rule.check(postmortem, context: context, into: &findings)
                raw += findings.items.map { diagnostic($0, rule: rule) }
            }
            return applySuppressions(raw, in: postmortem)
        }
        var documentDiagnostics: [String: [Diagnostic]] = [:]
        for (postmortem, found) in zip(evaluated, perDocument) { documentDiagnostics[postmortem.path, default: []] += found }
        var diagnostics = perDocument.flatMap { $0 }
        for (path, found) in reused.sorted(by: { $0.key < $1.key }) where documentDiagnostics[path] == nil { diagnostics += found }

        var archiveFindings: [Diagnostic] = []
        for rule in archiveRules where level(of: rule) != nil {
            var findings = Findings()
            rule.check(archive, context: context, into: &findings)
            archiveFindings += findings.items.map { diagnostic($0, rule: rule) }
        }
        var indexes: [String: SuppressionIndex] = [:]
        let catalogueReported = input.reportPaths == nil || input.reportPaths!.contains(archive.catalogue?.path ?? "")
        for diagnostic in archiveFindings {
            if let index = archive.indexes(ofPath: diagnostic.file).first {
                let postmortem = archive.postmortems[index]
                guard input.reportPaths?.contains(postmortem.path) ?? true else { continue }
                // Suppressions apply to archive findings too, without counting towards "unused".
                if !postmortem.suppressions.isEmpty {
                    let index = indexes[postmortem.path] ?? SuppressionIndex(postmortem.suppressions)
                    indexes[postmortem.path] = index
                    if index.suppresses(rule: diagnostic.rule, line: diagnostic.range.start.line) { continue }
                }
                diagnostics.append(diagnostic)
            } else if diagnostic.file == archive.catalogue?.path, catalogueReported {
                diagnostics.append(diagnostic)
            } else if archive.indexes(ofPath: diagnostic.file).isEmpty, diagnostic.file != archive.catalogue?.path {
                diagnostics.append(diagnostic)
            }
        }
        diagnostics = Self.sorted(diagnostics)
        var files = Set(reported.map(\.path))
        if catalogueReported, let path = archive.catalogue?.path { files.insert(path) }
        return Pass(result: LintResult(diagnostics: diagnostics, fileCount: files.count, archive: archive),
                    documentDiagnostics: documentDiagnostics)
    }

    /// `diagnostics` in ``Diagnostic/sortKey(_:_:)`` order (stable): their positions are sorted
    /// and the diagnostics moved once, instead of moving the large values at every step of the
    /// sort (16,000 of them on a warm whole-archive run).
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > 1 else { return diagnostics }
        return diagnostics.withUnsafeBufferPointer { all in
            var order = Array(all.indices)
            order.sort { a, b in
                // Ties keep their order, as the stable sort of the values did.
                if Diagnostic.sortKey(all[a], all[b]) { return true }
                if Diagnostic.sortKey(all[b], all[a]) { return false }
                return a < b
            }
            return order.map { all[$0] }
        }
    }

    /// The configured severity of a rule, nil when it is off.
    public func level(of rule: any Rule) -> Severity? {
        if let configured = configuration.rules[rule.id] { return configured.severity }
        return rule.defaultSeverity
    }

    private func diagnostic(_ finding: Finding, rule: any Rule) -> Diagnostic {
        Diagnostic(file: finding.path, range: finding.range, severity: level(of: rule) ?? rule.defaultSeverity,
                   rule: rule.id, message: finding.message, suggestion: finding.suggestion, fix: finding.fix)
    }

    /// Drops suppressed diagnostics and reports suppressions that suppressed nothing.
    private func applySuppressions(_ diagnostics: [Diagnostic], in postmortem: Postmortem) -> [Diagnostic] {
        guard !postmortem.suppressions.isEmpty else { return diagnostics }
        let index = SuppressionIndex(postmortem.suppressions)
        let own = diagnostics.filter { $0.file == postmortem.path }
        let used = index.used(by: own)
        let kept = diagnostics.filter { diagnostic in
            diagnostic.file != postmortem.path || !index.suppresses(rule: diagnostic.rule, line: diagnostic.range.start.line)
        }
        let unusedRule = UnusedSuppressionRule()
        guard let severity = level(of: unusedRule) else { return kept }
        var extra: [Diagnostic] = []
        let known = RuleRegistry.ids
        for (index, suppression) in postmortem.suppressions.enumerated() {
            let range = postmortem.source.range(of: suppression.bytes)
            let unknown = suppression.rules.filter { !known.contains($0) }
            if !unknown.isEmpty {
                extra.append(Diagnostic(file: postmortem.path, range: range, severity: severity, rule: unusedRule.id,
                                        message: Finding.Message.unknownRuleSuppressed(unknown).text,
                                        suggestion: "see 'inquest rules' for rule ids"))
            } else if !used[index] {
                let what = suppression.rules.isEmpty ? "any rule" : suppression.rules.joined(separator: ", ")
                extra.append(Diagnostic(file: postmortem.path, range: range, severity: severity, rule: unusedRule.id,
                                        message: Finding.Message.suppressesNothing(what).text, suggestion: "remove the comment"))
            }
        }
        return kept + extra
    }
}

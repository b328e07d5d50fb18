/// Finds blame language in postmortem prose.
///
/// Create one analyzer per configuration and reuse it: the lexicon, names and deny list are
/// compiled into a single phrase trie at initialisation, so ``analyze(_:)`` tokenises each
/// block once and matches every phrase of every rule in one pass. The analyzer is immutable
/// and safe to share across threads.
public final class BlamelessAnalyzer: Sendable {
    private let trie: PhraseTrie
    private let actions: [MatchAction]
    private let people: PeopleDirectory
    /// Allowed phrases, lowercased with apostrophes normalised, and as token sequences.
    private let allowed: [(text: String, tokens: [String])]

    /// Number of distinct phrases in the compiled lexicon (built-in entries, names and deny list).
    package var phraseCount: Int { trie.phraseCount }

    /// The built-in lexicon compiled once per process: it is the same for every configuration,
    /// and expanding its patterns cost more than linting a small document each time a linter
    /// was made (the language server, `serve` and the tests make many). Each analyzer starts from
    /// a copy (the trie is a value) and adds its own names and deny list.
    private static let builtIn: (trie: PhraseTrie, actions: [MatchAction]) = {
        var trie = PhraseTrie()
        var actions: [MatchAction] = []
        for entry in Lexicon.entries {
            let value = actions.count
            actions.append(entry.action)
            for phrase in PatternExpander.expand(entry.pattern) { trie.insert(phrase, value: value) }
        }
        return (trie, actions)
    }()

    /// Compiles the built-in lexicon and name tables now, which the first analyzer would
    /// otherwise do: a command that will lint calls this while another core sets up the git
    /// library, which the command waits for anyway.
    public static func prepareBuiltIns() {
        _ = builtIn
        PeopleDirectory.prepareBuiltIns()
    }

    /// Compiles the built-in lexicon together with the repository's options.
    public init(options: BlamelessOptions = .init()) {
        var (trie, actions) = Self.builtIn
        let people = PeopleDirectory(options: options)
        for (index, person) in people.people.enumerated() {
            let value = actions.count
            actions.append(.person(index))
            trie.insert(person.norms, value: value)
            if person.norms.count > 1, person.matchesFirstName { trie.insert([person.norms[0]], value: value) }
        }
        for phrase in options.deny {
            let words = Self.words(of: phrase)
            guard !words.isEmpty else { continue }
            let value = actions.count
            actions.append(.deny(phrase))
            trie.insert(words, value: value)
        }
        self.trie = trie
        self.actions = actions
        self.people = people
        self.allowed = options.allow.compactMap { phrase in
            let text = Tokenizer.tokenize(phrase).isEmpty ? "" : Self.normalised(phrase)
            return text.isEmpty ? nil : (text, Self.words(of: phrase))
        }
    }

    /// Returns the blame-language findings in `block`, sorted by position and then rule id.
    public func analyze(_ block: ProseBlock) -> [BlamelessFinding] {
        analyze(utf8: Array(block.text.utf8), context: block.context)
    }

    /// ``analyze(_:)`` of prose given as its UTF-8 bytes (valid UTF-8, what ``ProseBlock/text``
    /// would hold): the linter builds prose as bytes, and decoding them into a String only for
    /// the analyzer to copy them back cost a copy and a validation per block.
    package func analyze(utf8: [UInt8], context: ProseContext) -> [BlamelessFinding] {
        var analysis = BlockAnalysis(bytes: utf8, context: context, people: people)
        guard !analysis.tokens.isEmpty else { return [] }

        var matches: [(start: Int, end: Int, action: Int)] = []
        var vetoes: [Range<Int>] = []
        trie.forEachMatch(in: analysis.tokens) { start, end, action in
            if case .veto = actions[action] { vetoes.append(start..<end) } else { matches.append((start, end, action)) }
        }
        for match in matches {
            if vetoes.contains(where: { $0.lowerBound <= match.start && match.end <= $0.upperBound }) { continue }
            let (start, end) = (match.start, match.end)
            switch actions[match.action] {
            case .veto: break
            case .humanError(let upperOnly): analysis.checkHumanError(start, end, upperOnly: upperOnly)
            case .blame(let check, let group): analysis.checkBlameWord(start, end, check: check, group: group)
            case .modal(let kind): analysis.checkModal(start, end, kind: kind)
            case .failure: analysis.checkFailure(start, end)
            case .omission: analysis.checkOmission(start, end)
            case .hindsightPhrase: analysis.checkHindsightPhrase(start, end)
            case .hindsightAdverb: analysis.checkHindsightAdverb(start, end)
            case .obvious: analysis.checkObvious(start, end)
            case .minimiser(let kind): analysis.checkMinimiser(start, end, kind: kind)
            case .causeVerb: analysis.checkCauseVerb(start, end, omission: false)
            case .omissionVerb: analysis.checkCauseVerb(start, end, omission: true)
            case .faultVerb: analysis.checkFaultVerb(start, end)
            case .causeAdverb: analysis.checkCauseAdverb(start, end)
            case .causeAgent: analysis.checkCauseAgent(start, end)
            case .causeBecause: analysis.checkCauseBecause(start, end)
            case .rootCauseLabel: analysis.checkRootCauseLabel(start, end)
            case .person(let index): analysis.checkConfiguredName(start, end, person: index)
            case .deny(let phrase): analysis.checkDenied(start, end, phrase: phrase)
            }
        }
        analysis.checkConditionals()
        analysis.checkHandles()
        analysis.checkFirstNames()
        analysis.checkUnlistedNames()

        // Most blocks find nothing: skip the filtering, merging and sorting (each made arrays).
        if analysis.findings.isEmpty { return [] }
        let kept = analysis.findings.filter { !isAllowed($0, in: analysis) }
        return Self.resolveOverlaps(kept)
            .map { BlamelessFinding(rule: $0.rule.id, range: $0.range, message: $0.message, suggestion: $0.suggestion) }
            .sorted { ($0.range.lowerBound, $0.rule) < ($1.range.lowerBound, $1.rule) }
    }

    /// The allow list drops a finding whose underlined text contains an allowed phrase, or that
    /// lies inside an occurrence of one ("Tim" inside an allowed "Tim Tam").
    private func isAllowed(_ finding: RawFinding, in analysis: BlockAnalysis) -> Bool {
        guard !allowed.isEmpty else { return false }
        let underlined = Self.normalised(analysis.surface(finding.range))
        let tokens = analysis.tokens
        for phrase in allowed {
            if underlined.contains(phrase.text) { return true }
            guard !phrase.tokens.isEmpty, phrase.tokens.count <= tokens.count else { continue }
            for start in 0...(tokens.count - phrase.tokens.count) {
                let end = start + phrase.tokens.count - 1
                guard tokens[start].range.lowerBound <= finding.range.lowerBound,
                      tokens[end].range.upperBound >= finding.range.upperBound else { continue }
                if phrase.tokens.indices.allSatisfy({ tokens[start + $0].norm == phrase.tokens[$0] }) { return true }
            }
        }
        return false
    }

    /// Merges overlapping findings of one rule, then drops findings made redundant by a wider
    /// finding of a rule that subsumes them ("Sam's fault" is one blame-word, not also a name).
    static func resolveOverlaps(_ findings: [RawFinding]) -> [RawFinding] {
        if findings.count < 2 { return findings }
        // Sorted by start (wider first), so overlapping findings are neighbours: each finding looks
        // back only as far as the widest finding reaches, which keeps long blocks linear.
        var merged: [RawFinding] = []
        var lastOfRule: [RuleKind: Int] = [:]
        for finding in findings.sorted(by: { ($0.range.lowerBound, -$0.range.count) < ($1.range.lowerBound, -$1.range.count) }) {
            if let index = lastOfRule[finding.rule], merged[index].range.overlaps(finding.range) {
                let union = min(merged[index].range.lowerBound, finding.range.lowerBound)..<max(merged[index].range.upperBound, finding.range.upperBound)
                merged[index].range = union
            } else {
                merged.append(finding)
                lastOfRule[finding.rule] = merged.count - 1
            }
        }
        let widest = merged.map(\.range.count).max() ?? 0
        return merged.indices.filter { index in
            let finding = merged[index]
            func subsumes(_ other: RawFinding) -> Bool {
                other.rule != finding.rule
                    && other.range.lowerBound <= finding.range.lowerBound
                    && other.range.upperBound >= finding.range.upperBound
                    && other.rule.subsumes(finding.rule)
                    && (other.range != finding.range || other.rule.rawValue < finding.rule.rawValue)
            }
            var k = index - 1
            while k >= 0, merged[k].range.lowerBound >= finding.range.lowerBound - widest {
                if subsumes(merged[k]) { return false }
                k -= 1
            }
            k = index + 1
            while k < merged.count, merged[k].range.lowerBound == finding.range.lowerBound {
                if subsumes(merged[k]) { return false }
                k += 1
            }
            return true
        }.map { merged[$0] }
    }

    private static func words(of phrase: String) -> [String] {
        Tokenizer.tokenize(phrase).filter { $0.kind == .word }.map(\.norm)
    }

    private static func normalised(_ text: String) -> String {
        var text = text
        return text.withUTF8 { Tokenizer.lowercased($0, 0..<$0.count) }.trimmingSpaces
    }
}

/// Who or what a noun phrase refers to, as far as blame is concerned.
enum Referent: Sendable, Equatable {
    /// A person or a group of people: pronoun, role noun, name, @handle.
    case person
    /// "nobody", "no one", "none of us": denies that anyone acted.
    case negativePerson
    /// A system, artefact, signal or abstraction.
    case thing
    /// No subject in the clause (imperative, elided, or a determiner/verb where a noun should be).
    case none
}

/// A noun phrase located in the token stream.
struct Phrase: Sendable {
    var referent: Referent
    /// First token of the phrase (determiner included).
    var start: Int
    /// Last token of the phrase (inclusive).
    var end: Int
    /// The subject was taken from an earlier coordinated clause ("Sam checked X and failed to …"),
    /// so underlining from it would span unrelated words.
    var remote = false

    static func none(at index: Int) -> Phrase { Phrase(referent: .none, start: index, end: index) }
}

/// A finding before options (allow list) and overlap resolution are applied.
struct RawFinding: Sendable {
    var rule: RuleKind
    var range: Range<Int>
    var message: String
    var suggestion: String?
}

/// The per-block working state: tokens plus the helpers every rule uses to read them.
struct BlockAnalysis {
    let tokens: [Token]
    let bytes: [UInt8]
    let context: ProseContext
    let people: PeopleDirectory
    var findings: [RawFinding] = []

    init(text: String, context: ProseContext, people: PeopleDirectory) {
        self.init(bytes: Array(text.utf8), context: context, people: people)
    }

    init(bytes: [UInt8], context: ProseContext, people: PeopleDirectory) {
        self.bytes = bytes
        self.tokens = bytes.withUnsafeBufferPointer { Tokenizer.tokenize(bytes: $0) }
        self.context = context
        self.people = people
    }

    // MARK: Token helpers

    /// Indexes of the tokens that pass `test`, read borrowed: the per-token loops of the checks
    /// start from these, since `tokens[i].field` on this struct copies the whole token (a retain
    /// of its word) and the tests they need are met by few tokens.
    func tokenIndices(where test: (UnsafePointer<Token>) -> Bool) -> [Int] {
        tokens.withUnsafeBufferPointer { tokens in
            // Through a pointer: `test` reads the fields it needs in place (`pointee.kind`), where
            // even an unsafe buffer's subscript hands out a copy.
            guard let base = tokens.baseAddress else { return [] }
            var found: [Int] = []
            for index in tokens.indices where test(base + index) { found.append(index) }
            return found
        }
    }

    /// Calls `body` with the indexes of the tokens that pass `test`, held in a temporary
    /// allocation (on the stack for a block of ordinary length) rather than a new array: the name
    /// checks ask this of every block, and most blocks have a few capitalised words. Static, with
    /// the tokens passed in, so that `body` may change the analysis (emit findings).
    static func withTokenIndices(of tokens: [Token], where test: (UnsafePointer<Token>) -> Bool,
                                 _ body: (UnsafeBufferPointer<Int>) -> Void) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, tokens.count)) { buffer in
            var count = 0
            tokens.withUnsafeBufferPointer { tokens in
                guard let base = tokens.baseAddress else { return }
                for index in tokens.indices where test(base + index) {
                    buffer[count] = index
                    count += 1
                }
            }
            body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    func norm(_ index: Int) -> String? {
        index >= 0 && index < tokens.count && tokens[index].kind == .word ? tokens[index].norm : nil
    }

    func isWord(_ index: Int, in set: Set<String>) -> Bool {
        norm(index).map(set.contains) ?? false
    }

    /// Byte range covering tokens `first...last`.
    func byteRange(_ first: Int, _ last: Int) -> Range<Int> {
        tokens[first].range.lowerBound..<tokens[last].range.upperBound
    }

    /// The original text of a byte range.
    func surface(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// Lowercased text of a byte range with curly apostrophes normalised, for messages and the allow list.
    func loweredSurface(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { Tokenizer.lowercased($0, range) }
    }

    func sameSentence(_ a: Int, _ b: Int) -> Bool { tokens[a].sentence == tokens[b].sentence }

    /// The first word of its sentence, ignoring leading punctuation, timestamps and list numbering.
    func isClauseInitial(_ index: Int) -> Bool {
        var k = index - 1
        while k >= 0, sameSentence(k, index) {
            let token = tokens[k]
            if token.kind == .punct, [":", "—", ";", "(", "\""].contains(token.norm) { return true }
            if token.kind == .punct || isNumeric(k) { k -= 1; continue }
            return false
        }
        return true
    }

    func isNumeric(_ index: Int) -> Bool {
        guard let first = tokens[index].norm.utf8.first else { return false }
        return tokens[index].kind == .word && first >= 0x30 && first <= 0x39
    }

    /// Looks like a past participle: "-ed" or a known irregular form.
    func isParticiple(_ index: Int) -> Bool {
        guard let word = norm(index) else { return false }
        // A hyphenated compound ("double-checked") is judged by its last part.
        var last = index
        while last + 1 < tokens.count, tokens[last + 1].hyphenated, tokens[last + 1].kind == .word { last += 1 }
        let head = last == index ? word : tokens[last].norm
        if WordClass.irregularParticiples.contains(head) { return true }
        return head.utf8.count > 3 && head.hasSuffix("ed") && !["need", "feed", "seed", "speed", "bleed", "breed", "shed", "bed"].contains(head)
    }

    /// Whether the words before `index` (same sentence, a few tokens back) negate or distance it.
    func isNegated(before index: Int, window: Int = 3, cues: Set<String> = WordClass.negators) -> Bool {
        var k = index - 1
        var seen = 0
        while k >= 0, seen < window, sameSentence(k, index) {
            let token = tokens[k]
            if token.kind == .punct { return false }
            if token.kind == .word, cues.contains(token.norm) { return true }
            k -= 1
            seen += 1
        }
        return false
    }

    // MARK: Classifying a head word

    func classify(_ head: Int) -> Referent {
        guard head >= 0, head < tokens.count else { return .none }
        let token = tokens[head]
        switch token.kind {
        case .handle: return .person
        case .object: return .thing
        case .punct: return .none
        case .word: break
        }
        let word = token.norm
        if word == "one", norm(head - 1) == "no" { return .negativePerson }
        if WordClass.negativePersonPronouns.contains(word) { return .negativePerson }
        if word == "they" || word == "them" { return antecedentOfThey(head) }
        if WordClass.personPronouns.contains(word) { return .person }
        if isPersonName(endingAt: head) { return .person }
        if isRoleNoun(head) { return .person }
        if WordClass.determiners.contains(word) || WordClass.auxiliaries.contains(word)
            || WordClass.prepositions.contains(word) || WordClass.clauseStarters.contains(word)
            || WordClass.coordinators.contains(word) {
            return .none
        }
        return .thing
    }

    /// "they" means people unless the nearest plural noun before it is a thing:
    /// "the pods restarted, but they failed to rejoin" is about pods.
    func antecedentOfThey(_ index: Int) -> Referent {
        var k = index - 1
        while k >= 0, index - k <= 15 {
            defer { k -= 1 }
            if tokens[k].kind == .handle { return .person }
            guard let word = norm(k), !["they", "them", "their", "themselves"].contains(word) else { continue }
            if WordClass.personPronouns.contains(word) || isRoleNoun(k) || isPersonName(endingAt: k) { return .person }
            let isPluralNoun = word.utf8.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss")
                && !WordClass.auxiliaries.contains(word) && !WordClass.interveningAdverbs.contains(word)
                && !WordClass.commonVerbs.contains(word) && !WordClass.prepositions.contains(word)
            let determined = (1...2).contains { offset in
                isWord(k - offset, in: Self.pluralDeterminers) || (k - offset >= 0 && isNumeric(k - offset))
            }
            if isPluralNoun && determined { return .thing }
        }
        return .person
    }

    static let pluralDeterminers: Set<String> = [
        "the", "these", "those", "both", "all", "several", "many", "some", "our", "its", "two", "three", "four",
        "five", "six", "multiple", "most", "other",
    ]

    func isPersonName(endingAt index: Int) -> Bool {
        let token = tokens[index]
        guard token.kind == .word, token.isCapitalized else { return false }
        if people.fullName(endingAt: index, in: tokens) != nil { return true }
        if people.firstNames[token.norm] != nil { return true }
        return isLexiconFirstName(index)
    }

    func isRoleNoun(_ index: Int) -> Bool {
        let word = tokens[index].norm
        let previous = norm(index - 1)
        // "on-call", "on call", "on-caller".
        if word == "call" || word == "caller" || word == "callers" { return previous == "on" }
        if let qualifiers = WordClass.qualifiedRoles[word] { return previous.map(qualifiers.contains) ?? false }
        guard WordClass.roleNouns.contains(word) else { return false }
        if word == "operator" || word == "operators" {
            // "the Kubernetes operator", "the `pg` operator" are software.
            if index > 0, tokens[index - 1].kind == .object { return false }
            if index > 0, tokens[index - 1].isCapitalized, !isClauseInitial(index - 1) { return false }
        }
        return true
    }

    // MARK: Noun phrases

    /// Walks back from a head noun to the start of its noun phrase.
    func phraseStart(head: Int) -> Int {
        var start = head
        // Pronouns take no modifiers: in "a sign we missed" the phrase is "we".
        if tokens[head].kind == .word, WordClass.personPronouns.contains(tokens[head].norm) { return head }
        while start - 1 >= 0, sameSentence(start - 1, head), head - start < 4 {
            let previous = tokens[start - 1]
            if tokens[start].hyphenated { start -= 1; continue }
            if previous.kind == .punct || previous.kind == .handle { break }
            if previous.kind == .object { start -= 1; continue }
            let word = previous.norm
            if word == "'s" { start -= 1; continue }
            if WordClass.determiners.contains(word) { start -= 1; break }
            if WordClass.prepositions.contains(word) || WordClass.auxiliaries.contains(word)
                || WordClass.coordinators.contains(word) || WordClass.clauseStarters.contains(word)
                || WordClass.personPronouns.contains(word) || WordClass.interveningAdverbs.contains(word)
                || WordClass.commonVerbs.contains(word) {
                break
            }
            start -= 1
        }
        return start
    }

    /// Resolves the phrase whose head is `head`, following a prepositional attachment to the
    /// noun it modifies: "the owner of the service" is about the owner, "one of the engineers"
    /// about the engineers.
    func resolve(head: Int, depth: Int = 0) -> Phrase {
        let start = phraseStart(head: head)
        if depth < 3, start >= 2, let preposition = norm(start - 1), WordClass.prepositions.contains(preposition),
           sameSentence(start - 2, head), tokens[start - 2].kind != .punct {
            let outerHead = start - 2
            let outerWord = tokens[outerHead].norm
            let isNounLike = tokens[outerHead].kind != .word
                || !(WordClass.auxiliaries.contains(outerWord) || WordClass.prepositions.contains(outerWord)
                     || WordClass.coordinators.contains(outerWord) || WordClass.clauseStarters.contains(outerWord)
                     || WordClass.determiners.contains(outerWord))
            if isNounLike {
                let outer = resolve(head: outerHead, depth: depth + 1)
                if preposition == "of", WordClass.quantifiers.contains(outerWord) {
                    return Phrase(referent: classify(head), start: outer.start, end: head)
                }
                if outer.referent != .none { return Phrase(referent: outer.referent, start: outer.start, end: head) }
            }
        }
        return Phrase(referent: classify(head), start: start, end: head)
    }

    /// Finds the subject of the verb or modal at `index`: the nearest noun phrase before it in
    /// the same clause, seeing through adverbs, relative pronouns and coordination.
    func subject(before index: Int) -> Phrase {
        var k = index - 1
        while k >= 0, sameSentence(k, index), isWord(k, in: WordClass.interveningAdverbs) || isMannerAdverb(k) { k -= 1 }
        guard k >= 0, sameSentence(k, index) else { return .none(at: index) }
        let token = tokens[k]
        if token.kind == .punct {
            return token.norm == "," ? parentheticalSubject(endingAt: k) ?? .none(at: index) : .none(at: index)
        }
        if token.kind == .word {
            let word = token.norm
            if word == "who" || word == "whom" {
                // "the engineer who deployed it": "who" always points at people.
                var antecedent = k - 1
                if antecedent >= 0, tokens[antecedent].norm == "," { antecedent -= 1 }
                let start = antecedent >= 0 && sameSentence(antecedent, k) && tokens[antecedent].kind != .punct
                    ? resolve(head: antecedent).start : k
                return Phrase(referent: .person, start: start, end: k)
            }
            if word == "that" || word == "which" {
                // "a timeout that should have been 5 s": the subject is the timeout.
                // A clause-initial "That was dumb" is a demonstrative with no known referent.
                var antecedent = k - 1
                if word == "which", antecedent >= 0, tokens[antecedent].norm == "," { antecedent -= 1 }
                guard antecedent >= 0, sameSentence(antecedent, k), tokens[antecedent].kind != .punct else {
                    return .none(at: index)
                }
                return resolve(head: antecedent)
            }
            if ["and", "but", "or", "yet", "nor"].contains(word) {
                var lead = leadSubject(before: k)
                lead.remote = true
                return lead
            }
            if WordClass.clauseStarters.contains(word) || WordClass.prepositions.contains(word)
                || WordClass.determiners.contains(word) && word != "one" || WordClass.auxiliaries.contains(word) {
                return .none(at: index)
            }
        }
        let resolved = resolve(head: k)
        if resolved.referent == .thing, let antecedent = relativeAntecedent(before: resolved.start) {
            return antecedent
        }
        if resolved.referent == .thing, let head = participleClauseHead(before: resolved.start) {
            return Phrase(referent: head.referent, start: head.start, end: resolved.end)
        }
        return resolved
    }

    /// A lowercase "-ly" adverb ("blatantly", "repeatedly") between a subject and its verb; the few
    /// "-ly" nouns and adjectives of postmortem prose are not skipped.
    func isMannerAdverb(_ index: Int) -> Bool {
        guard index > 0, let word = norm(index), word.utf8.count > 5, word.hasSuffix("ly"), !tokens[index].isCapitalized,
              !WordClass.mannerAdverbLookalikes.contains(word) else { return false }
        return true
    }

    /// "Anyone reading the dashboard could …", "the engineer reviewing the change failed to …": the
    /// noun before a reduced participle clause is the subject, not the clause's object.
    func participleClauseHead(before index: Int) -> Phrase? {
        let participle = index - 1
        guard participle >= 1, let word = norm(participle), word.hasSuffix("ing"), word.utf8.count > 4,
              sameSentence(participle - 1, participle), tokens[participle - 1].kind == .word,
              !WordClass.auxiliaries.contains(tokens[participle - 1].norm) else { return nil }
        let head = resolve(head: participle - 1)
        return head.referent == .person || head.referent == .negativePerson ? head : nil
    }

    /// "The on-call engineer, who had been awake for 20 hours, failed to …": the subject sits
    /// before a comma-delimited relative clause.
    func parentheticalSubject(endingAt comma: Int) -> Phrase? {
        var k = comma - 1
        while k > 0, comma - k < 16, sameSentence(k, comma) {
            if tokens[k].norm == "," {
                guard let opener = norm(k + 1), ["who", "whom", "whose", "which"].contains(opener),
                      k - 1 >= 0, tokens[k - 1].kind != .punct else { return nil }
                let antecedent = resolve(head: k - 1)
                return opener == "which" ? antecedent : Phrase(referent: .person, start: antecedent.start, end: k - 1)
            }
            if tokens[k].kind == .punct { return nil }
            k -= 1
        }
        return nil
    }

    /// For a noun inside a relative clause, the noun the clause hangs on:
    /// "the engineer who deployed it should have…" is about the engineer, not "it".
    func relativeAntecedent(before index: Int) -> Phrase? {
        var k = index - 1
        var scanned = 0
        while k >= 0, scanned < 6, sameSentence(k, index), tokens[k].kind != .punct {
            if let word = norm(k) {
                if word == "who" || word == "whom" {
                    var antecedent = k - 1
                    if antecedent >= 0, tokens[antecedent].norm == "," { antecedent -= 1 }
                    let start = antecedent >= 0 && sameSentence(antecedent, k) && tokens[antecedent].kind != .punct
                        ? resolve(head: antecedent).start : k
                    return Phrase(referent: .person, start: start, end: k)
                }
                if word == "that" || word == "which" {
                    // Relative only when it follows a noun; "we noticed that …" is a complement clause.
                    let antecedent = k - 1
                    guard antecedent >= 0, sameSentence(antecedent, k) else { return nil }
                    let candidate = resolve(head: antecedent)
                    // "told us that it …" is a complement clause too.
                    if candidate.referent == .none || isWord(antecedent, in: WordClass.commonVerbs)
                        || isWord(antecedent, in: WordClass.personPronouns) {
                        return nil
                    }
                    return candidate
                }
                if WordClass.clauseStarters.contains(word) || WordClass.coordinators.contains(word) { return nil }
            }
            k -= 1
            scanned += 1
        }
        return nil
    }

    /// The subject at the start of the clause that contains `index`, for coordinated verbs:
    /// "The on-call engineer saw the alert but failed to escalate".
    func leadSubject(before index: Int) -> Phrase {
        var start = index - 1
        while start > 0, sameSentence(start - 1, index) {
            let previous = tokens[start - 1]
            if previous.kind == .punct, [";", ":", "—", "(", ")", "\""].contains(previous.norm) { break }
            if previous.kind == .word,
               ["because", "since", "although", "though", "while", "whereas", "when", "if", "unless", "until",
                "who", "which", "that"].contains(previous.norm) { break }
            start -= 1
        }
        guard start >= 0, start < index else { return .none(at: index) }
        var k = start
        // Skip an introductory phrase ("At 10:02, …", "After the deploy, …").
        if isNumeric(k) || isWord(k, in: WordClass.prepositions)
            || isWord(k, in: ["then", "later", "next", "finally", "meanwhile", "initially", "first", "eventually"]) {
            var comma = k
            while comma < index, tokens[comma].norm != "," { comma += 1 }
            if comma < index { k = comma + 1 }
        }
        var scanned = 0
        var sawNoun = false
        while k < index, scanned < 8 {
            let token = tokens[k]
            if token.kind == .punct { k += 1; continue }
            let referent = classify(k)
            if referent == .person || referent == .negativePerson {
                return Phrase(referent: referent, start: phraseStart(head: k), end: k)
            }
            if token.kind == .word, k > start,
               WordClass.auxiliaries.contains(token.norm) || WordClass.commonVerbs.contains(token.norm)
                || (token.norm.hasSuffix("ed") && sawNoun) {
                break
            }
            if referent == .thing { sawNoun = true }
            k += 1
            scanned += 1
        }
        return Phrase(referent: sawNoun ? .thing : .none, start: start, end: max(start, k - 1))
    }

    /// Reads the noun phrase that starts at `index` (after "caused by", "due to", "root cause:").
    /// A possessor decides the referent: "due to Sam's typo" is about Sam.
    func phrase(startingAt index: Int) -> Phrase? {
        var k = index
        var last: Int?
        var possessor: Referent?
        let possessiveDeterminers: Set<String> = ["his", "her", "their", "my", "our", "your"]
        while k < tokens.count, k - index < 8, sameSentence(k, index) {
            let token = tokens[k]
            if token.kind == .punct { break }
            if token.kind == .handle || token.kind == .object {
                last = k
                k += 1
                continue
            }
            let word = token.norm
            let nextIsHyphenated = k + 1 < tokens.count && tokens[k + 1].hyphenated
            if word == "'s", let owner = last {
                possessor = classify(owner)
                last = nil
                k += 1
                continue
            }
            if last == nil, WordClass.determiners.contains(word) {
                if possessiveDeterminers.contains(word) { possessor = .person }
                k += 1
                continue
            }
            if last != nil, !token.hyphenated {
                if WordClass.determiners.contains(word) || WordClass.auxiliaries.contains(word)
                    || WordClass.coordinators.contains(word) || WordClass.clauseStarters.contains(word)
                    || WordClass.commonVerbs.contains(word) || word.hasSuffix("ing") || word.hasSuffix("ed")
                    || WordClass.interveningAdverbs.contains(word) {
                    break
                }
            }
            if WordClass.prepositions.contains(word), !nextIsHyphenated { break }
            if WordClass.personPronouns.contains(word) || WordClass.negativePersonPronouns.contains(word) {
                // "a recent change he made": after a noun, the pronoun starts a relative clause.
                if last == nil || tokens[last!].kind == .handle { last = k }
                break
            }
            last = k
            k += 1
        }
        guard let head = last else { return nil }
        var referent = classify(head)
        if possessor == .person, referent != .negativePerson { referent = .person }
        return Phrase(referent: referent, start: index, end: head)
    }

    // MARK: Emitting

    mutating func emit(_ rule: RuleKind, tokens first: Int, _ last: Int, message: String, suggestion: String?) {
        findings.append(RawFinding(rule: rule, range: byteRange(first, last), message: message, suggestion: suggestion))
    }
}

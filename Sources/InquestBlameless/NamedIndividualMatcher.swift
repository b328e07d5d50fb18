/// `blameless/named-individual`: a person named as an actor outside the action items.
///
/// Names pull attention to who acted and away from the conditions they acted in; roles
/// ("the on-call engineer") keep the story about the system. Action items are exempt
/// because owners are expected there.
extension BlockAnalysis {
    var namesIndividuals: Bool {
        context == .narrative || context == .rootCauses || context == .timeline
    }

    /// A configured name matched by the lexicon trie; checked case-sensitively here.
    mutating func checkConfiguredName(_ start: Int, _ end: Int, person: Int) {
        guard namesIndividuals, person < people.people.count else { return }
        let entry = people.people[person]
        let count = end - start
        guard count == 1 || count == entry.words.count else { return }
        for offset in 0..<count where surface(tokens[start + offset].range) != entry.words[offset] { return }
        // "the Jordan region", "a Tim Tam": a name does not take an article.
        if count == 1, isWord(start - 1, in: ["the", "a", "an", "this", "that", "these", "those"]) { return }
        // "Sam" alone at the start of "Sam Porter" is reported once, as the full name.
        if count == 1, entry.words.count > 1, people.fullName(endingAt: start + entry.words.count - 1, in: tokens) == person {
            return
        }
        let shown = surface(byteRange(start, end - 1))
        emit(.namedIndividual, tokens: start, end - 1,
             message: namedMessage(shown),
             suggestion: "refer to the role instead, e.g. \"the on-call engineer\" rather than \"\(shown)\"")
    }

    /// The section changes the wording: a timeline records steps, a root-cause section states causes.
    func namedMessage(_ shown: String) -> String {
        switch context {
        case .timeline: "the timeline names an individual (\(shown)) as the actor; a role records the same step"
        case .rootCauses: "a cause names an individual (\(shown)); causes are properties of the system, not people"
        default: "names an individual (\(shown)) as an actor; roles keep the focus on the system"
        }
    }

    /// @handles that are not teams.
    mutating func checkHandles() {
        guard namesIndividuals else { return }
        for index in tokenIndices(where: { $0.pointee.kind == .handle }) where !people.isTeam(handle: tokens[index].norm) {
            let shown = surface(tokens[index].range)
            emit(.namedIndividual, tokens: index, index,
                 message: namedMessage(shown),
                 suggestion: "refer to the role instead, e.g. \"the on-call engineer\" rather than \"\(shown)\"")
        }
    }
}

/// First names nobody configured: a capitalised first name from the shipped lexicon (or a commit
/// author's first name) counts as a person only where an actor stands — before an action verb,
/// as the agent of a passive, or as a parenthesised full name — so "In May", "Jan 14",
/// "Jordan to add tests" and product names stay quiet.
extension BlockAnalysis {
    /// Whether the capitalised word at `index` is a first name of the lexicon or of a commit author.
    func isLexiconFirstName(_ index: Int) -> Bool {
        precondition(tokens.indices.contains(index), "token index out of range")
        return tokens.withUnsafeBufferPointer { tokens in
            // In place: copying the token retains its word, for every capitalised word.
            let token = tokens.baseAddress! + index
            guard token.pointee.kind == .word, token.pointee.isCapitalized, !token.pointee.quoted,
                  people.lexiconFirstNameFilter.mayContain(key: token.pointee.key) else { return false }
            return people.lexiconFirstNames.contains(token.pointee.norm)
        }
    }

    mutating func checkFirstNames() {
        guard namesIndividuals else { return }
        // Only capitalised words can start a name; after a reported name the walk goes on after it.
        var next = 0
        Self.withTokenIndices(of: tokens, where: { $0.pointee.isCapitalized && $0.pointee.kind == .word }) { candidates in
            for index in candidates where index >= next {
                next = index + 1
                // Cheap tests first: most capitalised words open a sentence ("The", "We") and are no names.
                guard index + 1 < tokens.count,
                      tokens[index + 1].kind != .punct || tokens[index + 1].norm == "." || index > 0 && tokens[index - 1].norm == "(",
                      isLexiconFirstName(index), people.firstNames[tokens[index].norm] == nil else { continue }
                // Configured people are matched (and reported) by the phrase trie.
                if people.fullName(endingAt: min(tokens.count - 1, index + 1), in: tokens) != nil { continue }
                // "Mark Chen joined …": a first name that is also a word, before a surname from the lexicon.
                var first = index
                if let given = givenNameBefore(index) { first = given }
                guard let last = actorName(at: index, from: first) else { continue }
                let shown = surface(byteRange(first, last))
                emit(.namedIndividual, tokens: first, last,
                     message: namedMessage(shown),
                     suggestion: "refer to the role instead, e.g. \"the on-call engineer\" rather than \"\(shown)\"")
                next = last + 1
            }
        }
    }

    /// Given names missing from the census lexicon ("Audun", "Priyanka", "Tomasz"): a capitalised word
    /// of a name's shape that opens its clause and is followed by a verb only people do ("looked",
    /// "decided", "asked", "investigated"). Tools and vendors restart, fail and confirm things, so the
    /// verb list leaves those out; departments, roles and common sentence openers are not names.
    mutating func checkUnlistedNames() {
        guard namesIndividuals else { return }
        Self.withTokenIndices(of: tokens, where: { $0.pointee.kind == .word && $0.pointee.isCapitalized && !$0.pointee.quoted }) { candidates in
            for index in candidates {
                // The filter first: most capitalised words are followed by no verb of that list.
                guard index + 1 < tokens.count, Self.peopleOnlyVerbFilter.mayContain(key: tokens[index + 1].key) else { continue }
                let token = tokens[index]
                guard sameSentence(index, index + 1), let verb = norm(index + 1), WordClass.peopleOnlyVerbs.contains(verb),
                      !isWord(index + 2, in: ["by"]),
                      index == 0 || !sameSentence(index - 1, index) || followsTimestamp(index)
                        || tokens[index - 1].kind == .punct && ["(", ":", ";", "—", "|"].contains(tokens[index - 1].norm),
                      hasGivenNameShape(index), !isLexiconFirstName(index), people.firstNames[token.norm] == nil,
                      classify(index) == .thing, !WordClass.groupNames.contains(token.norm),
                      !WordClass.interveningAdverbs.contains(token.norm), !WordClass.sentenceAdverbs.contains(token.norm) else { continue }
                let word = token.norm
                if WordClass.productNames.contains(word) || WordClass.productSuffixes.contains(where: { word.hasSuffix($0) }) { continue }
                // "looked healthy" describes; "looked at / for / into" acts. "asked for input" is what tools do too.
                if verb == "looked", !isWord(index + 2, in: ["at", "for", "into", "through", "over", "around"]) { continue }
                if verb == "asked", isWord(index + 2, in: ["for"]) { continue }
                if verb == "noticed", isWord(index + 2, in: ["nothing", "no"]) { continue }
                let shown = surface(token.range)
                emit(.namedIndividual, tokens: index, index,
                     message: namedMessage(shown),
                     suggestion: "refer to the role instead, e.g. \"the on-call engineer\" rather than \"\(shown)\"")
            }
        }
    }

    static let peopleOnlyVerbFilter = WordFilter(WordClass.peopleOnlyVerbs)

    /// One capital then 2–11 lowercase ASCII letters: "Audun", not "GitHub", "AWS" or "K8s".
    func hasGivenNameShape(_ index: Int) -> Bool {
        let bytes = self.bytes[tokens[index].range]
        guard bytes.count >= 3, bytes.count <= 12, let first = bytes.first, first >= 0x41, first <= 0x5A else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    /// The last token of the name at `index` when the name stands as an actor, else nil.
    func actorName(at index: Int, from first: Int? = nil) -> Int? {
        // What comes before: the start of a clause, a coordination, or "by" after a participle.
        var agentOfPassive = false
        if let first, first < index {
            // The given name was checked by `givenNameBefore`.
        } else if index > 0, sameSentence(index - 1, index), !followsTimestamp(index) {
            let previous = tokens[index - 1]
            switch previous.kind {
            case .punct:
                guard ["(", ",", ":", ";", "—", "\""].contains(previous.norm) else { return nil }
            case .word:
                if previous.norm == "by" {
                    guard isParticiple(index - 2) else { return nil }
                    agentOfPassive = true
                } else if !["and", "then", "when", "after", "before", "until", "because", "while", "since", "once", "so",
                             "but", "i", "that"].contains(previous.norm) {
                    return nil
                }
            case .handle, .object:
                return nil
            }
        }
        // The surname or initial: "Priya Shah", "Emil C.".
        var last = index
        if index + 1 < tokens.count, tokens[index + 1].kind == .word, tokens[index + 1].isCapitalized,
           sameSentence(index, index + 1), !isWord(index + 1, in: WordClass.auxiliaries) {
            last = index + 1
        }
        if agentOfPassive { return last }
        // "(Lloyd Middleton) created the board", "I (Priya Shah) pushed …": an attribution.
        if last > index, index > 0, tokens[index - 1].norm == "(", last + 1 < tokens.count, tokens[last + 1].norm == ")" {
            return last
        }
        var k = last + 1
        // "Jan and John discussing …": both names act.
        if isWord(k, in: ["and"]), k + 1 < tokens.count, isLexiconFirstName(k + 1) || isPersonName(endingAt: k + 1) {
            k += 2
            if k < tokens.count, tokens[k].kind == .word, tokens[k].isCapitalized, !isWord(k, in: WordClass.auxiliaries) { k += 1 }
        }
        while k < tokens.count, isWord(k, in: WordClass.interveningAdverbs), !isWord(k, in: ["had", "has", "have", "not"]) { k += 1 }
        guard k < tokens.count, sameSentence(k, index), let verb = norm(k), !tokens[k].isCapitalized || k == index + 1 else { return nil }
        if isActionVerb(k, verb) { return last }
        return nil
    }

    /// A capitalised word opening the clause right before a lexicon name: "Mark" in "Mark Chen joined".
    func givenNameBefore(_ index: Int) -> Int? {
        let given = index - 1
        guard given >= 0, sameSentence(given, index), tokens[given].kind == .word, tokens[given].isCapitalized,
              !tokens[given].quoted, !isNumeric(given),
              given == 0 || !sameSentence(given - 1, given) || followsTimestamp(given)
                || tokens[given - 1].kind == .punct && ["(", ":", ";", "—"].contains(tokens[given - 1].norm),
              let word = norm(given), !WordClass.determiners.contains(word), !WordClass.personPronouns.contains(word),
              !WordClass.prepositions.contains(word), !WordClass.auxiliaries.contains(word),
              !WordClass.clauseStarters.contains(word), !WordClass.coordinators.contains(word),
              !WordClass.interveningAdverbs.contains(word), !isRoleNoun(given), !Self.timeWords.contains(word),
              // "UTC", "API": acronyms are not given names.
              bytes[tokens[given].range].contains(where: { $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
        return given
    }

    /// "10:04 Sam restarted …", "09:10 UTC — Sam …": only a time stands before the name.
    func followsTimestamp(_ index: Int) -> Bool {
        var k = index - 1
        var sawTime = false
        while k >= 0, sameSentence(k, index) {
            if isNumeric(k) { sawTime = true } else if tokens[k].kind == .punct {
                guard ["—", ":", ",", "(", ")", "[", "]"].contains(tokens[k].norm) else { return false }
            } else if !isWord(k, in: Self.timeWords) {
                return false
            }
            k -= 1
        }
        return sawTime
    }

    static let timeWords: Set<String> = [
        "utc", "gmt", "am", "pm", "cet", "cest", "bst", "pst", "pdt", "est", "edt", "ist", "jst", "aest", "z",
    ]

    /// A finite verb of an actor: a past tense ("restarted", "made"), a present-tense report
    /// ("mentions", "restarts") or, in a timeline, a progressive ("discussing").
    func isActionVerb(_ k: Int, _ verb: String) -> Bool {
        if WordClass.auxiliaries.contains(verb) || WordClass.prepositions.contains(verb) || verb == "to" { return false }
        // A hyphenated verb ("fat-fingered", "re-ran") is judged by its last part.
        var last = k
        while last + 1 < tokens.count, tokens[last + 1].hyphenated, tokens[last + 1].kind == .word { last += 1 }
        if last > k { return isActionVerb(last, tokens[last].norm) }
        // "Emil notified by social media": a reduced passive, the name is not the actor.
        if isWord(k + 1, in: ["by"]) { return false }
        if WordClass.commonVerbs.contains(verb) || WordClass.irregularParticiples.contains(verb) { return true }
        if verb.hasSuffix("ed"), verb.count > 4 { return true }
        if WordClass.presentActionVerbs.contains(verb) { return true }
        return context == .timeline && verb.hasSuffix("ing") && verb.count > 5
    }
}

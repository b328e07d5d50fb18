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
        // "Sam" alone at the start of "Sam Porter" is reported once, as the full name.
        if count == 1, entry.words.count > 1, people.fullName(endingAt: start + entry.words.count - 1, in: tokens) == person {
            return
        }
        let shown = surface(byteRange(start, end - 1))
        emit(.namedIndividual, tokens: start, end - 1,
             message: "names an individual (\(shown)) as an actor; roles keep the focus on the system",
             suggestion: "refer to the role instead, e.g. \"the on-call engineer\" rather than \"\(shown)\"")
    }

    /// @handles that are not teams.
    mutating func checkHandles() {
        guard namesIndividuals else { return }
        for index in tokens.indices where tokens[index].kind == .handle && !people.isTeam(handle: tokens[index].norm) {
            let shown = surface(tokens[index].range)
            emit(.namedIndividual, tokens: index, index,
                 message: "names an individual (\(shown)) as an actor; roles keep the focus on the system",
                 suggestion: "refer to the role instead, e.g. \"the on-call engineer\" rather than \"\(shown)\"")
        }
    }
}

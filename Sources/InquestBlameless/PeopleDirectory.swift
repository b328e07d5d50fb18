/// People and teams from ``BlamelessOptions``, compiled once per analyzer.
struct PeopleDirectory: Sendable {
    struct Person: Sendable {
        /// Name as configured ("Sam Porter").
        var display: String
        /// Surface form of each word ("Sam", "Porter"): names match case-sensitively.
        var words: [String]
        /// Lowercased words, as the tokenizer produces them.
        var norms: [String]
        /// Whether the first name alone names this person (not for ``BlamelessOptions/fullNamesOnly``).
        var matchesFirstName = true
    }

    var people: [Person] = []
    /// Lowercased first name → index into `people`.
    var firstNames: [String: Int] = [:]
    /// Lowercased handles, each with a leading "@".
    var teams: Set<String> = []
    /// First names of people known by their full name only (commit authors): they count as a
    /// name only in an actor's position, like the names of the built-in lexicon.
    var contextualFirstNames: Set<String> = []
    /// The built-in lexicon and ``contextualFirstNames`` in one set: one lookup per capitalised word.
    var lexiconFirstNames: Set<String> = []
    /// ``lexiconFirstNames`` by key: most capitalised words are no first name, and the filter says
    /// so without hashing the word.
    var lexiconFirstNameFilter = WordFilter([])

    /// The built-in first names (the census list and the lexicon's own), made once per process.
    private static let builtInFirstNames = WordClass.censusFirstNames.union(WordClass.firstNames)
    /// The filter of the built-in first names, made once per process.
    private static let builtInFirstNameFilter = WordFilter(builtInFirstNames)

    /// Makes the built-in name tables now (``BlamelessAnalyzer/prepareBuiltIns()``).
    static func prepareBuiltIns() {
        _ = builtInFirstNameFilter
    }

    /// Handle suffixes that name groups even when not configured ("@payments-team", "@org/storage").
    private static let teamSuffixes = [
        "-team", "-teams", "-squad", "-crew", "-group", "-oncall", "-on-call", "-sre", "-ops", "-devs",
        "-admins", "-owners", "-reviewers", "-maintainers", "-leads", "-engineers", "-eng", "-dev",
    ]
    /// Chat broadcast mentions, not people.
    private static let broadcastHandles: Set<String> = ["@here", "@channel", "@everyone", "@all", "@oncall", "@on-call"]

    init(options: BlamelessOptions) {
        for name in options.people {
            let tokens = Tokenizer.tokenize(name).filter { $0.kind == .word }
            guard !tokens.isEmpty else { continue }
            let utf8 = Array(name.utf8)
            let words = tokens.map { String(decoding: utf8[$0.range], as: UTF8.self) }
            people.append(Person(display: name.trimmingSpaces, words: words, norms: tokens.map(\.norm)))
            if firstNames[tokens[0].norm] == nil { firstNames[tokens[0].norm] = people.count - 1 }
        }
        for name in options.fullNamesOnly {
            let tokens = Tokenizer.tokenize(name).filter { $0.kind == .word }
            guard tokens.count >= 2, !people.contains(where: { $0.norms == tokens.map(\.norm) }) else { continue }
            let utf8 = Array(name.utf8)
            people.append(Person(display: name.trimmingSpaces, words: tokens.map { String(decoding: utf8[$0.range], as: UTF8.self) },
                                 norms: tokens.map(\.norm), matchesFirstName: false))
            contextualFirstNames.insert(tokens[0].norm)
        }
        lexiconFirstNames = contextualFirstNames.isEmpty ? Self.builtInFirstNames : Self.builtInFirstNames.union(contextualFirstNames)
        lexiconFirstNameFilter = contextualFirstNames.isEmpty ? Self.builtInFirstNameFilter : WordFilter(lexiconFirstNames)
        for team in options.teams {
            let trimmed = team.trimmingSpaces.lowercased()
            guard !trimmed.isEmpty else { continue }
            teams.insert(trimmed.hasPrefix("@") ? trimmed : "@" + trimmed)
        }
    }

    /// If a configured full name (two or more words) ends at `index`, the person's index.
    func fullName(endingAt index: Int, in tokens: [Token]) -> Int? {
        for (number, person) in people.enumerated() where person.norms.count > 1 {
            let first = index - person.norms.count + 1
            guard first >= 0, index < tokens.count else { continue }
            var matches = true
            for (offset, norm) in person.norms.enumerated() where tokens[first + offset].norm != norm
                || tokens[first + offset].kind != .word || !tokens[first + offset].isCapitalized {
                matches = false
                break
            }
            if matches { return number }
        }
        return nil
    }

    /// Whether an @handle names a team or a broadcast rather than an individual.
    func isTeam(handle: String) -> Bool {
        if teams.contains(handle) || Self.broadcastHandles.contains(handle) || handle.contains("/") { return true }
        return Self.teamSuffixes.contains { handle.hasSuffix($0) }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension BlamelessOptions {
    /// What a text must contain for a person known by their full name only
    /// (``fullNamesOnly``) to change how the analyzer reads it: the norm of their first name,
    /// which both their full name and their first name in an actor's position start with; nil for
    /// a name the analyzer ignores (fewer than two words). A text whose ASCII-lowercased bytes do
    /// not contain it reads the same with or without the person (the lint cache relies on this
    /// when commit authors come and go).
    public static func firstNameNorm(ofFullName name: String) -> String? {
        let words = Tokenizer.tokenize(name).filter { $0.kind == .word }
        return words.count >= 2 ? words[0].norm : nil
    }
}

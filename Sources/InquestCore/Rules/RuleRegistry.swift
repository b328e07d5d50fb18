/// The explicit list of every rule. A test checks it is complete and ids are unique.
public enum RuleRegistry {
    public static let documentRules: [any DocumentRule] = [
        FrontMatterSyntaxRule(),
        EncodingRule(),
        ControlCharactersRule(),
        MissingFieldRule(),
        InvalidValueRule(),
        InvalidDateRule(),
        TimeOrderRule(),
        UnknownFieldRule(),
        MissingSectionRule(),
        EmptySectionRule(),
        SectionOrderRule(),
        DuplicateSectionRule(),
        TimelineMissingTimeRule(),
        TimelineOrderRule(),
        TimelineEmptyRule(),
        MissingOwnerRule(),
        MissingTicketRule(),
        NotActionableRule(),
        InvalidDueRule(),
        HumanErrorRule(),
        CounterfactualRule(),
        BlameWordRule(),
        PersonAsCauseRule(),
        NamedIndividualRule(),
        HindsightRule(),
        UnknownCauseRule(),
        RecurringCauseRule(),
        OpenActionItemsRule(),
        SimilarRootCausesRule(),
        RelatedUnknownRule(),
        BrokenLinkRule(),
        IDChangedRule(),
    ]

    public static let archiveRules: [any ArchiveRule] = [
        DuplicateIDRule(),
        InvalidCatalogueRule(),
        UnusedCauseRule(),
        ShallowHistoryRule(),
        NoRepositoryRule(),
    ]

    /// Rules reported by the linter itself rather than by a check.
    public static let linterRules: [any Rule] = [
        UnusedSuppressionRule(),
    ]

    /// Every rule, sorted by id.
    /// Every rule, by id. Built once: suppressions, the cache and every formatter ask for it,
    /// some of them per document.
    /// (Each element upcast on its own: `as [any Rule]` on the arrays is a runtime array cast
    /// that looks up every rule's conformance, a noticeable part of a warm lint's start.)
    public static let all: [any Rule] =
        (documentRules.map { $0 as any Rule } + archiveRules.map { $0 as any Rule } + linterRules).sorted { $0.id < $1.id }

    public static let ids: Set<String> = Set(all.map(\.id))

    private static let byID: [String: any Rule] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    public static func rule(_ id: String) -> (any Rule)? { byID[id] }
}

/// The version printed by `inquest --version` and recorded in SARIF.
public enum InquestVersion {
    public static let current = "0.1.0"
    /// The project's home, linked from SARIF.
    public static let homepage = "https://github.com/your-org/inquest"
    /// Where the rules are documented (SARIF `helpUri`); `inquest explain RULE` prints the same offline.
    public static let rulesDocumentation = homepage + "/blob/main/README.md#rules"
}

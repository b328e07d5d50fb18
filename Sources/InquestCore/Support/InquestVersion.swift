/// The version printed by `inquest --version` and recorded in SARIF.
///
/// There is deliberately no project URL here: Inquest is installed from each team's own mirror,
/// so links to documentation come from the archive's `docs_url` (see `DocsURL`).
public enum InquestVersion {
    public static let current = "0.1.0"
}

import Synchronization

/// Values a one-shot command keeps until the process exits instead of freeing them: at 10,000
/// postmortems, freeing the parsed archive and the site model (millions of small objects) cost
/// about 5% of a rebuild, and the process ends right after anyway. Off unless a command turns it
/// on (`inquest build`); a long-running process (`inquest serve`, the tests) frees as usual.
public enum ExitTeardown {
    private static let state = Mutex<(enabled: Bool, kept: [Any])>((false, []))

    /// Keeps values passed to ``keep(_:)`` from now on, for the rest of the process.
    public static func skipForThisProcess() {
        state.withLock { $0.enabled = true }
    }

    /// Keeps `value` alive until the process exits when enabled; otherwise does nothing.
    public static func keep(_ value: Any) {
        state.withLock { state in
            if state.enabled { state.kept.append(value) }
        }
    }
}

import CLibGit2

/// libgit2 must be initialised once per process before any other call. A global `let`
/// is initialised lazily and exactly once (Swift guarantees thread-safe initialisation),
/// so it needs no lock and no mutable global state. We never call `git_libgit2_shutdown`:
/// global state lives until the process exits, which is what every caller wants.
private let libgit2Initialised: Int32 = git_libgit2_init()

/// Touch the global so libgit2 is initialised; cheap after the first call.
@inline(__always)
func ensureLibgit2() {
    _ = libgit2Initialised
}

/// A failed libgit2 call, carrying libgit2's own message.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The libgit2 return code (`git_error_code`, e.g. -3 for `GIT_ENOTFOUND`).
    public let code: Int32
    /// The libgit2 error class (`git_error_t`), 0 when libgit2 recorded none.
    public let errorClass: Int32
    /// libgit2's message from `git_error_last()`, or a fallback when none was set.
    public let message: String
    /// What we were doing, e.g. `git_revparse_single("HEAD~2")`.
    public let operation: String

    /// An error with explicit fields, e.g. for tests or wrappers.
    public init(code: Int32, errorClass: Int32 = 0, message: String, operation: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    /// Builds an error from the thread-local libgit2 error state.
    init(code: Int32, operation: String) {
        if let last = git_error_last(), let text = last.pointee.message {
            self.init(code: code, errorClass: last.pointee.klass, message: String(cString: text), operation: operation)
        } else {
            self.init(code: code, message: "libgit2 error \(code)", operation: operation)
        }
    }

    /// True when libgit2 reported that the object, reference or path does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    public var description: String { "\(operation) failed (\(code)): \(message)" }
}

/// Turns a libgit2 return code into a thrown `GitError` (negative codes are errors).
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
    if code < 0 { throw GitError(code: code, operation: operation()) }
}

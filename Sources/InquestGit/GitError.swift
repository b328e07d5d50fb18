import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libgit2 must be initialised once per process before any other call. A global `let`
/// is initialised lazily and exactly once (Swift guarantees thread-safe initialisation),
/// so it needs no lock and no mutable global state. We never call `git_libgit2_shutdown`:
/// global state lives until the process exits, which is what every caller wants.
/// `git_libgit2_init` returns the number of initialisations, or a negative error code.
private let libgit2Initialised: Int32 = git_libgit2_init()

/// Touch the global so libgit2 is initialised; cheap after the first call. Throws when
/// libgit2 could not initialise (e.g. its TLS or allocator setup failed), which would make
/// every later call undefined.
@inline(__always)
func ensureLibgit2() throws(GitError) {
    if libgit2Initialised < 0 {
        throw GitError(code: libgit2Initialised, message: "libgit2 could not be initialised", operation: "git_libgit2_init")
    }
}

/// libgit2's one-time set-up, started early on another core.
public enum GitLibrary {
    /// Starts libgit2's initialisation on another thread and returns at once. Its set-up parses
    /// the system's CA bundle (the TLS backend does so at start-up, from a path fixed when
    /// libgit2 was compiled): about 55 million instructions, a quarter of a cached lint of
    /// 1,000 postmortems, which the main thread otherwise pays before opening the repository.
    /// Started first thing, it runs while the command line is parsed. The first libgit2 call
    /// then waits for it if it is still running (a global `let` is initialised exactly once).
    public static func prepareInBackground() {
        // A bare thread: Dispatch's first task waits for its pool to start, as long as the
        // head start this is meant to give (measured with strace).
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { _ in
            _ = libgit2Initialised
            return nil
        }, nil) == 0 else { return }
        pthread_detach(thread)
    }
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

    /// How messages about damaged objects start; the rest is `<sha> (<reason>)`.
    static let corruptObjectPrefix = "corrupt git object "

    /// True when an object of the repository is damaged, truncated, lying about its size or type,
    /// or missing although another object refers to it. `message` then reads
    /// `corrupt git object <sha> (<reason>)`, fit to show as it is.
    public var isCorruptObject: Bool { message.hasPrefix(Self.corruptObjectPrefix) }

    public var description: String { "\(operation) failed (\(code)): \(message)" }

    /// libgit2 1.5.1 reads a packed object by mapping a window of the pack at the offset its
    /// `.idx` gives; an offset past the end of the pack (a damaged or mismatched index) fails
    /// that mapping with an OS error ("failed to mmap … Cannot allocate memory"), not a pack error.
    var isPackWindowFailure: Bool {
        errorClass == GIT_ERROR_OS.rawValue && message.hasPrefix("failed to mmap")
    }

    /// A damaged packed object's header can state any size, and libgit2 1.5.1 allocates what it
    /// states before inflating: garbage there fails as "Out of memory". Reading one referenced
    /// object (a postmortem, a config file) is small, so this is damage, not a full machine;
    /// libgit2's own text stays in the message either way.
    var isAllocationFailure: Bool { errorClass == GIT_ERROR_NOMEMORY.rawValue }
}

/// Turns a libgit2 return code into a thrown `GitError` (negative codes are errors).
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
    if code < 0 { throw GitError(code: code, operation: operation()) }
}

/// Like `check`, for reading an object that another object (a tree, a commit, the index) refers
/// to: when it is missing, or libgit2 cannot read or parse it, the repository is damaged, and the
/// error says so with the object's id.
@inline(__always)
func checkObject(_ code: Int32, _ oid: GitOID, _ operation: @autoclosure () -> String) throws(GitError) {
    guard code < 0 else { return }
    let error = GitError(code: code, operation: operation())
    if error.isCorruptObject { throw error }
    let damaged = [GIT_ERROR_ODB, GIT_ERROR_ZLIB, GIT_ERROR_OBJECT, GIT_ERROR_TREE, GIT_ERROR_INVALID]
        .contains { $0.rawValue == error.errorClass } || error.isPackWindowFailure || error.isAllocationFailure
    guard error.isNotFound || damaged else { throw error }
    let reason = error.isNotFound ? "missing" : error.message
    throw GitError(code: code, errorClass: error.errorClass,
                   message: "\(GitError.corruptObjectPrefix)\(oid.hex) (\(reason))", operation: error.operation)
}

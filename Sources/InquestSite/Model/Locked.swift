import Foundation

/// A value behind an `NSLock`, for the memo tables the render threads share. Not
/// `Synchronization.Mutex`: its lock is invisible to ThreadSanitizer (the standard library is not
/// instrumented), so every access under it is reported as a race and `make sanitize` fails.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

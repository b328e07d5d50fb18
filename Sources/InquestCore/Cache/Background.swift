import Foundation

/// Work started on another core now and waited for later (``value()``): a rebuild runs its
/// independent steps (lint with its cache, the previous output's listing, loading caches) side
/// by side instead of one after another. The value is made exactly once.
///
/// Each runs on a thread of its own, not on a global dispatch queue: that queue runs as many
/// blocks at once as there are cores, so on two cores a few of these would hold up each other
/// and every ``parallelMap(_:_:)`` of the build.
public final class Background<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Value?
    private var done = false

    /// Starts `work` on a thread of its own.
    public init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let made = work()
            condition.lock()
            result = made
            done = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "inquest-background"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Holds `value` without starting anything (``finished(_:)``).
    init(deferred value: Value) {
        result = value
        done = true
    }

    /// Waits for the work to finish and returns what it made (the same value on every call).
    public func value() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return result!
    }
}

extension Background {
    /// A value already made (no other core involved).
    public static func finished(_ value: Value) -> Background {
        Background(deferred: value)
    }
}

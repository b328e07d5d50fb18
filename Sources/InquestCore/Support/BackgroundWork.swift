import Foundation
import Synchronization

/// Cache files a command writes without waiting for them: what nothing later in the run reads
/// (the lint cache, the site facts and the search index's state of `inquest build`), encoded and
/// written while the build goes on instead of before its next step.
///
/// Only while a command allows it (``deferWrites()``, `inquest build`): otherwise ``start(writing:_:)``
/// runs the work at once, so a library caller or a test finds the file written when the call
/// returns, as before. A deferred job runs on a thread of its own, not on the dispatch pool:
/// `parallelMap` keeps the pool's threads busy, so a job queued there would start only once
/// the pages are done. Whoever reads the file waits for its job first (``wait(for:)``), a second
/// job for the same file starts after the first one ends (the last one asked wins, as if written
/// in place), the command waits for every job before it returns (``finish()``), and so does the
/// process before it exits (an `atexit` handler): a file is never lost nor read half-written.
public enum BackgroundWork {
    private struct State {
        var deferring = false
        var jobs: [String: DispatchGroup] = [:]
    }

    private static let state = Mutex(State())

    /// Waits for every job at process exit, once.
    private static let exitHook: Void = {
        atexit { BackgroundWork.waitForAll() }
    }()

    /// From now until ``finish()``, ``start(writing:_:)`` runs its work on a thread of its own.
    public static func deferWrites() {
        _ = exitHook
        state.withLock { $0.deferring = true }
    }

    /// Waits for every job, and runs work at once again from now on.
    public static func finish() {
        waitForAll()
        state.withLock { $0.deferring = false }
    }

    /// Runs `work`, which writes `url` (and nothing another job writes): on a thread of its own
    /// while writes are deferred, at once otherwise.
    public static func start(writing url: URL, _ work: @escaping @Sendable () -> Void) {
        let key = url.standardizedFileURL.path
        let group = DispatchGroup()
        // The previous job writing this file, if still running: this one waits for it.
        let (deferring, previous) = state.withLock { state -> (Bool, DispatchGroup?) in
            guard state.deferring else { return (false, state.jobs[key]) }
            let previous = state.jobs[key]
            group.enter()
            state.jobs[key] = group
            return (true, previous)
        }
        guard deferring else {
            previous?.wait()
            work()
            return
        }
        Thread {
            previous?.wait()
            work()
            // What the job allocated was allocated in this thread's own malloc arena, where no
            // other thread can reuse it once freed: handed back to the system instead of
            // staying resident (peak memory of a 10,000-postmortem build).
            _ = trimMalloc?(0)
            // Out of the table before anyone waiting on the group wakes up.
            state.withLock { state in
                if state.jobs[key] === group { state.jobs[key] = nil }
            }
            group.leave()
        }.start()
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up at run time (Swift's Glibc module does not export it).
    private static let trimMalloc: MallocTrim? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
        return nil
        #endif
    }()

    /// Returns once no job is writing `url`.
    public static func wait(for url: URL) {
        let key = url.standardizedFileURL.path
        // A job started meanwhile for the same file is waited for too.
        while let group = state.withLock({ $0.jobs[key] }) { group.wait() }
    }

    /// Returns once every job started so far has ended.
    public static func waitForAll() {
        while true {
            let pending = state.withLock { Array($0.jobs.values) }
            if pending.isEmpty { return }
            for group in pending { group.wait() }
        }
    }
}

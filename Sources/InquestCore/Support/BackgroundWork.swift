import Foundation
import Synchronization

/// Files a command writes without waiting for them: a cache that nothing later in the run reads
/// (the search index's state, saved while the pages render instead of before them).
///
/// Each job runs on a thread of its own, not on the dispatch pool: `parallelMap` keeps the pool's
/// threads busy, so a job queued there would start only once the pages are done. Whoever reads
/// the file waits for its job first (``wait(for:)``: the next build in the same process, a test),
/// a second job for the same file starts after the first one ends (the last one asked wins, as
/// if written in place), and the process waits for every job before it exits (an `atexit`
/// handler), so a file is never lost to an early exit nor read half-written.
public enum BackgroundWork {
    private static let jobs = Mutex<[String: DispatchGroup]>([:])

    /// Waits for every job at process exit, once.
    private static let exitHook: Void = {
        atexit { BackgroundWork.waitForAll() }
    }()

    /// Runs `work`, which writes `url` (and nothing another job writes), on a thread of its own.
    public static func start(writing url: URL, _ work: @escaping @Sendable () -> Void) {
        _ = exitHook
        let key = url.standardizedFileURL.path
        let group = DispatchGroup()
        group.enter()
        // The previous job writing this file, if still running: this one waits for it.
        let previous = jobs.withLock { jobs in
            let previous = jobs[key]
            jobs[key] = group
            return previous
        }
        let thread = Thread {
            previous?.wait()
            work()
            jobs.withLock { jobs in
                if jobs[key] === group { jobs[key] = nil }
            }
            group.leave()
        }
        thread.start()
    }

    /// Returns once no job is writing `url`.
    public static func wait(for url: URL) {
        let key = url.standardizedFileURL.path
        // A job leaves the table before it ends; one started meanwhile is waited for too.
        while let group = jobs.withLock({ $0[key] }) { group.wait() }
    }

    /// Returns once every job started so far has ended.
    public static func waitForAll() {
        while true {
            let pending = jobs.withLock { Array($0.values) }
            if pending.isEmpty { return }
            for group in pending { group.wait() }
        }
    }
}

import Foundation

/// Phase marks for profiling a build (`INQUEST_TRACE=1`): each mark prints, on standard error,
/// the milliseconds since the first mark, the thread (`main` or a number) with the CPU it has
/// used so far, the whole process's CPU so far (so that idle cores between two marks show), and
/// the phase. Off by default; nothing is printed or computed then, and the
/// output never depends on it.
public enum BuildTrace {
    /// Whether marks are printed (read once).
    public static let enabled = getenv("INQUEST_TRACE") != nil
    /// The first mark's time (made on first use, thread-safely, as every global).
    private static let origin = milliseconds()

    /// Prints `label` with the time and the thread's CPU, when tracing is on.
    public static func mark(_ label: @autoclosure () -> String) {
        guard enabled else { return }
        let start = origin
        let now = milliseconds()
        let who = Thread.isMainThread ? "main" : "t\(pthread_self() % 10000)"
        let thread = Int(cpuMilliseconds(__rusage_who_t(1)))  // RUSAGE_THREAD
        let process = Int(cpuMilliseconds(__rusage_who_t(0)))  // RUSAGE_SELF
        var line = Array((String(format: "%7.1f", now - start) + " ms [\(who) cpu \(thread), process \(process)] \(label())\n").utf8)
        _ = write(2, &line, line.count)
    }

    private static func cpuMilliseconds(_ who: __rusage_who_t) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
    }

    private static func milliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }
}

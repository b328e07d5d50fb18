import Foundation

/// Phase marks for profiling a build (`INQUEST_TRACE=1`): each mark prints, on standard error,
/// the milliseconds since the first mark, the thread (`main` or a number) with the CPU it has
/// used so far, and the phase. Off by default; nothing is printed or computed then, and the
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
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
        let who = Thread.isMainThread ? "main" : "t\(pthread_self() % 10000)"
        var line = Array((String(format: "%7.1f", now - start) + " ms [\(who) cpu \(Int(cpu))] \(label())\n").utf8)
        _ = write(2, &line, line.count)
    }

    private static func milliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }
}

import Foundation

/// Temporary phase marks (INQUEST_TRACE=1): milliseconds since the first mark, with the thread.
public enum BuildTrace {
    public static let enabled = getenv("INQUEST_TRACE") != nil
    nonisolated(unsafe) static var origin: Double = 0
    public static func mark(_ label: @autoclosure () -> String) {
        guard enabled else { return }
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let now = Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
        if origin == 0 { origin = now }
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
        let who = Thread.isMainThread ? "main" : "t\(pthread_self() % 10000)"
        let line = String(format: "%7.1f", now - origin) + " ms [\(who) cpu \(Int(cpu))] \(label())\n"
        var bytes = Array(line.utf8); _ = write(2, &bytes, bytes.count)
    }
}

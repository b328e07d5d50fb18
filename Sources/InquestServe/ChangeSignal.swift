import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A wake-up call for the preview's watcher when something happens in a watched folder, so that a
/// save is looked at now rather than at the next tick of the poll.
///
/// The poll (``FileScanner``) stays the judge of what changed: this only says "look now". A
/// spurious wake-up costs one scan, as a tick does; a missed one (a network mount where the
/// kernel is not told, a folder over the watch limit) costs what polling alone costs, since the
/// watcher still looks at every tick. That keeps what the scanner's documentation says polling
/// is for, and takes away its delay: on 10,000 postmortems a scan takes about 50 ms and the idle
/// tick grows to a second (``PreviewServer``), which was most of the time from save to page.
///
/// Linux only (inotify, from the C library: no package); elsewhere ``make()`` is nil and the
/// watcher polls.
final class ChangeSignal: @unchecked Sendable {
    #if canImport(Glibc)
    private let descriptor: Int32
    /// A pipe: ``wake()`` writes a byte into `waker.write`, and the read end is waited on beside the folders.
    private let waker: (read: Int32, write: Int32)
    /// Watch descriptors by watched folder (absolute path). Changed only by the waiting thread.
    private var folders: [String: Int32] = [:]

    private init(descriptor: Int32, waker: (read: Int32, write: Int32)) {
        self.descriptor = descriptor
        self.waker = waker
    }

    deinit {
        close(descriptor)
        close(waker.read)
        close(waker.write)
    }
    #endif

    /// A signal, or nil where the system has none (or it cannot be set up: too many instances).
    static func make() -> ChangeSignal? {
        #if canImport(Glibc)
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(descriptor)
            return nil
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return ChangeSignal(descriptor: descriptor, waker: (ends[0], ends[1]))
        #else
        return nil
        #endif
    }

    /// Ends a ``wait(timeout:)`` now (the server is stopping); safe from any thread.
    func wake() {
        #if canImport(Glibc)
        var byte: UInt8 = 1
        _ = write(waker.write, &byte, 1)
        #endif
    }

    /// Watches `paths` (folders; absolute) and stops watching folders no longer among them. A
    /// folder that cannot be watched (gone, or over the system's limit) is left to the poll.
    func watch(_ paths: Set<String>) {
        #if canImport(Glibc)
        for (path, watch) in folders where !paths.contains(path) {
            inotify_rm_watch(descriptor, watch)
            folders[path] = nil
        }
        // Writes, closes after writing, creations, deletions and renames of a folder's entries
        // (an editor's save-by-rename is a move into the folder); the folder itself going away.
        let events = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                            | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR)
        for path in paths where folders[path] == nil {
            let watch = inotify_add_watch(descriptor, path, events)
            if watch >= 0 { folders[path] = watch }
        }
        #endif
    }

    /// Waits until something happens in a watched folder or `timeout` seconds pass; true when
    /// something happened. Every event waiting is read (they only say "look").
    func wait(timeout: TimeInterval) -> Bool {
        #if canImport(Glibc)
        var requests = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: waker.read, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(max(0, min(timeout, 3_600)) * 1_000)
        guard poll(&requests, 2, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 16 * 1_024)
        while buffer.withUnsafeMutableBytes({ read(waker.read, $0.baseAddress, $0.count) }) > 0 {}
        var drained = false
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 { drained = true }
        return drained
        #else
        Thread.sleep(forTimeInterval: timeout)
        return false
        #endif
    }
}

import Foundation

extension SiteWriter {
    /// An exclusive `flock` on the folder that holds a build's output, held from before the
    /// previous build is read until the new one is in place (the life of an ``OutputTree``).
    ///
    /// Two builds into one output folder at once used to interleave their in-place updates: one
    /// build's files under the other's cache, which then described bytes that were not there, and
    /// every later build trusted it. With the lock, the second build waits for the first and then
    /// starts from what the first left. The lock is on the parent folder, so no file is created
    /// for it (a file beside the output would outlive the build); builds into two outputs that
    /// share a parent wait for each other too, which costs time, never correctness. The kernel
    /// drops the lock when the process ends, however it ends.
    ///
    /// Within one process the lock is shared, not waited for: a `flock` on a second descriptor of
    /// the same folder would wait for the first, and a caller holding one tree while it makes
    /// another (a test, a command that builds twice) would wait for itself.
    final class OutputLock: Sendable {
        private let path: String

        /// Waits until no other process holds the lock on `folder`, then takes it. Nil when the
        /// folder cannot be opened or locked (a file system without `flock`): the build goes on
        /// unlocked, as before.
        /// - Parameter waiting: called once, before waiting, when another process holds the lock
        ///   (so that a build stopped behind another one says why).
        init?(folder: URL, waiting: (() -> Void)? = nil) {
            path = folder.standardizedFileURL.path
            guard Self.held.acquire(path, waiting: waiting) else { return nil }
        }

        /// Whether ``release()`` gave the lock back already.
        private let released = Locked(false)

        /// Gives the lock back now (once the site is swapped in), not when the tree holding it
        /// is freed: a one-shot build keeps its tree until the process exits. Idempotent.
        func release() {
            guard released.withLock({ done in defer { done = true }; return !done }) else { return }
            Self.held.release(path)
        }

        deinit {
            release()
        }

        /// The folders this process has locked: descriptor and number of holders.
        private static let held = Registry()

        private final class Registry: @unchecked Sendable {
            private let lock = NSLock()
            private var folders: [String: (descriptor: Int32, holders: Int)] = [:]

            func acquire(_ path: String, waiting: (() -> Void)?) -> Bool {
                lock.lock()
                if let entry = folders[path] {
                    folders[path] = (entry.descriptor, entry.holders + 1)
                    lock.unlock()
                    return true
                }
                lock.unlock()
                // Waited for outside the table's lock: other folders stay free meanwhile. Two
                // threads of this process asking for one folder each wait here in turn.
                let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard descriptor >= 0 else { return false }
                var result = flock(descriptor, LOCK_EX | LOCK_NB)
                if result != 0, errno == EWOULDBLOCK {
                    waiting?()
                    repeat {
                        result = flock(descriptor, LOCK_EX)
                    } while result != 0 && errno == EINTR
                }
                guard result == 0 else {
                    close(descriptor)
                    return false
                }
                // No other descriptor holds it now, so no other holder of this process is listed.
                lock.lock()
                folders[path] = (descriptor, 1)
                lock.unlock()
                return true
            }

            func release(_ path: String) {
                lock.lock()
                defer { lock.unlock() }
                guard let entry = folders[path] else { return }
                if entry.holders > 1 {
                    folders[path] = (entry.descriptor, entry.holders - 1)
                } else {
                    folders[path] = nil
                    // Closing the only descriptor of the open file releases the lock.
                    close(entry.descriptor)
                }
            }
        }
    }
}

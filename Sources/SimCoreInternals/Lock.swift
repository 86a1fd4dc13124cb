#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutual-exclusion lock (a POSIX mutex), the one lock SimCore's libraries use, so that they
/// need no Foundation: linking Foundation costs every process that loads SimCore a few
/// milliseconds at startup (see the README's startup row).
///
/// ```swift
/// let lock = Lock()
/// lock.withLock { counter += 1 }
/// ```
package final class Lock: @unchecked Sendable {
    // SAFETY: the mutex lives at a fixed heap address for the lock's lifetime (a pthread mutex
    // must not move), is initialized in `init` and destroyed in `deinit`, and is only used
    // through the pthread calls, which synchronize themselves.
    // Internal, not private: ``Condition`` waits on it.
    let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// An unlocked lock.
    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Takes the lock, waiting while another thread holds it.
    package func lock() { pthread_mutex_lock(mutex) }

    /// Releases the lock, which the calling thread holds.
    package func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` while holding the lock.
    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}

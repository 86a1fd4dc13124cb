#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``Lock`` with a condition variable (POSIX), for state that threads wait on: lock, test the
/// state in a loop around ``wait()``, change it, ``broadcast()``, unlock.
///
/// ```swift
/// condition.lock()
/// while !ready { condition.wait() }
/// condition.unlock()
/// ```
package final class Condition: @unchecked Sendable {
    // SAFETY: the condition lives at a fixed heap address for the object's lifetime (it must
    // not move), is initialized in `init` and destroyed in `deinit`, and is only used through
    // the pthread calls, which synchronize themselves, with `mutex` held.
    private let mutex = Lock()
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    /// An unlocked lock with no waiter.
    package init() {
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
    }

    /// Takes the lock, waiting while another thread holds it.
    package func lock() { mutex.lock() }

    /// Releases the lock, which the calling thread holds.
    package func unlock() { mutex.unlock() }

    /// Releases the lock, sleeps until ``broadcast()`` (or a spurious wake-up), and takes the
    /// lock again. The caller holds the lock and re-tests its state in a loop.
    package func wait() { pthread_cond_wait(condition, mutex.mutex) }

    /// Wakes every thread waiting in ``wait()``. The caller holds the lock.
    package func broadcast() { pthread_cond_broadcast(condition) }
}

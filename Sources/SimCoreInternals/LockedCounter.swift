/// A counter behind a lock, for names that must differ between threads of one process.
package final class LockedCounter: @unchecked Sendable {
    // SAFETY: `value` is read and written only while `lock` is held.
    private let lock = Lock()
    private var value: UInt64 = 0

    /// A counter at 0.
    package init() {}

    /// Adds one and returns the new value (1, 2, 3, …).
    package func next() -> UInt64 {
        lock.withLock {
            value += 1
            return value
        }
    }
}

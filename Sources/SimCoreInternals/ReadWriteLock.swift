/// A lock that lets any number of readers in at once, or one writer alone; a waiting writer
/// goes first (new readers wait behind it), so a stream of readers cannot starve it.
///
/// Built on one ``Condition``: an acquisition costs a mutex round trip, so guard work that is
/// worth it (a batch of queries, a batch filed), not single loads.
///
/// ```swift
/// let lock = ReadWriteLock()
/// lock.withReadLock { index.candidates(for: query) }   // many threads at once
/// lock.withWriteLock { index.insert(signature) }      // alone
/// ```
package final class ReadWriteLock: @unchecked Sendable {
    // SAFETY: `readers`, `writing` and `waitingWriters` are read and written only while
    // `condition` is locked.
    private let condition = Condition()
    private var readers = 0
    private var writing = false
    private var waitingWriters = 0

    /// An unlocked lock.
    package init() {}

    /// Runs `body` as a reader.
    package func withReadLock<R>(_ body: () throws -> R) rethrows -> R {
        condition.lock()
        while writing || waitingWriters > 0 { condition.wait() }
        readers += 1
        condition.unlock()
        defer {
            condition.lock()
            readers -= 1
            if readers == 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body()
    }

    /// Runs `body` as the only writer (no reader inside).
    package func withWriteLock<R>(_ body: () throws -> R) rethrows -> R {
        condition.lock()
        waitingWriters += 1
        while writing || readers > 0 { condition.wait() }
        waitingWriters -= 1
        writing = true
        condition.unlock()
        defer {
            condition.lock()
            writing = false
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}

import Foundation

/// Values computed once per key and process, behind a lock: tables that depend only on a few
/// parameters (a containment index's banding choices) and cost far more to compute than to keep.
///
/// The computation runs outside the lock; two threads that miss at once may both compute, and
/// the first to store wins, so every caller gets the same value.
///
/// ```swift
/// let squares = LockedCache<Int, Int>()
/// squares.value(for: 12) { $0 * $0 }   // 144, computed
/// squares.value(for: 12) { $0 * $0 }   // 144, from the cache
/// ```
package final class LockedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // SAFETY: `values` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    /// An empty cache.
    package init() {}

    /// The value for `key`, computed by `make` on first use.
    ///
    /// - Parameters:
    ///   - key: The parameters the value depends on.
    ///   - make: Computes the value from the key; must depend on nothing else.
    /// - Returns: The cached value.
    package func value(for key: Key, _ make: (Key) -> Value) -> Value {
        if let value = lock.withLock({ values[key] }) { return value }
        let made = make(key)
        return lock.withLock {
            if let value = values[key] { return value }
            values[key] = made
            return made
        }
    }
}

/// A growable, manually managed buffer of trivial elements, reused across documents so that
/// per-document work allocates nothing once it has seen its largest document.
///
/// **Ownership.** A scratch buffer belongs to exactly one owner (a `Shingler`, a normalizer call,
/// one worker's chunk) and is never shared between threads. The pointer that ``reserve(_:)`` or
/// ``grow(to:keeping:)`` returns stays valid until the next call of either on the same buffer, or
/// the buffer's end: callers hold at most one such pointer per buffer and take it again after
/// every call.
package final class ScratchBuffer<Element: BitwiseCopyable> {
    /// The current storage; replaced (and the old one freed) when it grows.
    package private(set) var storage: UnsafeMutableBufferPointer<Element>

    /// A buffer with room for at least `minimumCapacity` elements (at least 16).
    package init(minimumCapacity: Int = 0) {
        storage = .allocate(capacity: Swift.max(minimumCapacity, 16))
    }

    deinit {
        storage.deallocate()
    }

    /// Makes room for at least `capacity` elements; the old contents are not kept, and any
    /// pointer from an earlier call is invalid afterwards.
    @inlinable @inline(__always)
    package func reserve(_ capacity: Int) -> UnsafeMutableBufferPointer<Element> {
        if capacity > storage.count { replaceStorage(capacity: capacity, keeping: 0) }
        return storage
    }

    /// Makes room for at least `capacity` elements, keeping the first `keeping` ones; any
    /// pointer from an earlier call is invalid afterwards.
    package func grow(to capacity: Int, keeping: Int) -> UnsafeMutableBufferPointer<Element> {
        if capacity > storage.count { replaceStorage(capacity: capacity, keeping: keeping) }
        return storage
    }

    /// Allocates at least `capacity` (and at least twice the old size), copies `keeping`
    /// elements over, then frees the old storage.
    @usableFromInline
    func replaceStorage(capacity: Int, keeping: Int) {
        let bigger = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(capacity, storage.count * 2))
        if keeping > 0 {
            // SAFETY: both buffers hold at least `keeping` initialized trivial elements.
            _ = bigger.initialize(fromContentsOf: storage[0..<keeping])
        }
        storage.deallocate()
        storage = bigger
    }
}

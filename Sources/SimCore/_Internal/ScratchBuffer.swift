/// A growable, manually managed buffer of trivial elements, reused across documents so that
/// per-document work allocates nothing once it has seen its largest document.
///
/// Not thread-safe: each thread (or each `Shingler`) owns its own.
final class _ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var storage: UnsafeMutableBufferPointer<Element>

    init(minimumCapacity: Int = 0) {
        storage = .allocate(capacity: Swift.max(minimumCapacity, 16))
    }

    deinit {
        storage.deallocate()
    }

    /// Makes room for at least `capacity` elements; the old contents are not kept.
    @inline(__always)
    func reserve(_ capacity: Int) -> UnsafeMutableBufferPointer<Element> {
        if capacity > storage.count {
            storage.deallocate()
            storage = .allocate(capacity: Swift.max(capacity, storage.count * 2))
        }
        return storage
    }

    /// Makes room for at least `capacity` elements, keeping the first `keeping` ones.
    func grow(to capacity: Int, keeping: Int) -> UnsafeMutableBufferPointer<Element> {
        guard capacity > storage.count else { return storage }
        let bigger = UnsafeMutableBufferPointer<Element>.allocate(
            capacity: Swift.max(capacity, storage.count * 2))
        if keeping > 0 {
            // SAFETY: both buffers hold at least `keeping` initialized trivial elements.
            _ = bigger.initialize(fromContentsOf: storage[0..<keeping])
        }
        storage.deallocate()
        storage = bigger
        return storage
    }
}

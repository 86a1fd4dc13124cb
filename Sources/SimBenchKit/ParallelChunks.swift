import Dispatch
import Foundation

/// Runs `body` over `count` items split into contiguous chunks (4 per thread) on `threads`
/// workers, and returns the chunk results in chunk order, so results do not depend on scheduling.
///
/// - Parameters:
///   - count: Items to process.
///   - threads: Worker threads; 1 runs on the calling thread.
///   - body: Processes one range; called concurrently for different ranges.
/// - Returns: One result per chunk, in order.
///
/// ```swift
/// let sums = parallelChunks(count: 10, threads: 2) { range in range.reduce(0, +) }
/// sums.reduce(0, +)   // 45
/// ```
public func parallelChunks<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = Swift.max(1, threads)
    let chunkCount = Swift.min(count, workers == 1 ? 1 : workers * 4)
    let chunkSize = (count + chunkCount - 1) / chunkCount
    let chunks = (count + chunkSize - 1) / chunkSize
    let slots = _ChunkSlots<T>(count: chunks)
    if workers == 1 {
        for chunk in 0..<chunks { slots.store(chunk, body(chunk * chunkSize..<Swift.min(count, (chunk + 1) * chunkSize))) }
    } else {
        DispatchQueue.concurrentPerform(iterations: Swift.min(workers, chunks)) { worker in
            var chunk = worker
            while chunk < chunks {
                slots.store(chunk, body(chunk * chunkSize..<Swift.min(count, (chunk + 1) * chunkSize)))
                chunk += workers
            }
        }
    }
    return slots.values()
}

/// One result slot per chunk behind a lock (one store per chunk, so the lock is never hot).
final class _ChunkSlots<T: Sendable>: @unchecked Sendable {
    // SAFETY: every access to `storage` holds `lock`.
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    func values() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return storage.map { $0! }
    }
}

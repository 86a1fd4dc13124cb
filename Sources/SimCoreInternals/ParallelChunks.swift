import Dispatch

/// Splits `0..<count` into contiguous chunks, runs `body` on each from `threads` workers, and
/// returns the chunks' results in chunk order (so output never depends on the thread count).
///
/// Worker `w` takes chunks `w`, `w + threads`, `w + 2·threads`, …: at least four chunks per
/// worker keep the cores busy when chunks differ in cost, with no shared counter to contend on.
///
/// ```swift
/// let sums = concurrentChunks(count: 10, threads: 2) { range in range.reduce(0, +) }
/// sums.reduce(0, +)   // 45
/// ```
///
/// - Parameters:
///   - count: The number of items.
///   - threads: How many workers (at least 1); 1 runs inline on the calling thread.
///   - minimumChunk: The smallest chunk worth a task (default 1).
///   - body: Work on one chunk of item indices; called concurrently for different chunks.
/// - Returns: One result per chunk, in order.
package func concurrentChunks<T: Sendable>(
    count: Int, threads: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> T
) -> [T] {
    guard count > 0 else { return [] }
    let workers = Swift.max(1, threads)
    let chunkCount = Swift.max(1, Swift.min(workers * 4, (count + minimumChunk - 1) / Swift.max(minimumChunk, 1)))
    let chunkSize = (count + chunkCount - 1) / chunkCount
    let chunks = (count + chunkSize - 1) / chunkSize
    let results = UnsafeMutablePointer<T?>.allocate(capacity: chunks)
    results.initialize(repeating: nil, count: chunks)
    defer {
        results.deinitialize(count: chunks)
        results.deallocate()
    }
    let box = SendableMutablePointer(base: results)
    if workers == 1 || chunks == 1 {
        for chunk in 0..<chunks {
            let start = chunk * chunkSize
            results[chunk] = body(start..<Swift.min(start + chunkSize, count))
        }
    } else {
        DispatchQueue.concurrentPerform(iterations: Swift.min(workers, chunks)) { worker in
            var chunk = worker
            while chunk < chunks {
                let start = chunk * chunkSize
                // SAFETY: chunk indices are disjoint across workers; each slot has one writer, and
                // the slots are read only after concurrentPerform has returned.
                box.base[chunk] = body(start..<Swift.min(start + chunkSize, count))
                chunk += workers
            }
        }
    }
    return (0..<chunks).map { results[$0]! }
}

/// Runs tasks `0..<count` on `threads` workers, each taking the next task not yet taken when
/// it finishes one (tasks of different kinds and costs share the cores with no worker idle
/// while a task is left). Returns once every task has run.
///
/// Tasks run in no fixed order and on any worker, the calling thread included; with one
/// thread they run in order on the calling thread. Taking a task costs a mutex round trip, so
/// tasks should be chunks of work, not single items.
///
/// ```swift
/// concurrentTasks(count: chunks.count, threads: 2) { task in process(chunks[task]) }
/// ```
///
/// - Parameters:
///   - count: The number of tasks.
///   - threads: How many workers (at least 1).
///   - body: Runs one task; called concurrently for different tasks.
package func concurrentTasks(count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let workers = Swift.min(Swift.max(1, threads), count)
    guard workers > 1 else {
        for task in 0..<count { body(task) }
        return
    }
    let next = LockedCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let task = Int(next.next()) - 1
            guard task < count else { return }
            body(task)
        }
    }
}

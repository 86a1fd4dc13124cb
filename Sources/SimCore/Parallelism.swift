import Foundation

/// How SimCore spreads batch work over cores.
///
/// Every batch API takes a `threads` argument whose default is ``defaultThreadCount``. Results
/// never depend on the thread count: work is split into chunks whose results are joined in order.
public enum Parallelism {
    /// The number of cores this process may run on (its CPU affinity), at least 1.
    public static var defaultThreadCount: Int {
        Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

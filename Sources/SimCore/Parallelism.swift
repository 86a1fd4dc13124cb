import SimCoreInternals

/// How SimCore spreads batch work over cores.
///
/// Every batch API takes a `threads` argument whose default is ``defaultThreadCount``. Results
/// never depend on the thread count: work is split into chunks whose results are joined in order.
public enum Parallelism {
    /// The number of cores this process may run on, at least 1: its CPU affinity mask's count
    /// (`taskset -c 0` gives 1), capped by its control group's CPU limit rounded up (a container
    /// given 1.5 CPUs gives 2). Read once per process.
    public static var defaultThreadCount: Int {
        CPUAvailability.current.usableCores
    }
}

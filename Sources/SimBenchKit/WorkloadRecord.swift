/// One measured combination: a workload, a variant of it, an implementation, a thread count.
///
/// Times are seconds per run over the whole work (``units``); ``metrics`` holds the derived
/// throughputs (`docsPerSecond`, `megabytesPerSecond`, `shinglesPerSecond`, `pairsPerSecond`),
/// latencies (`latencyP50Seconds`, `latencyP99Seconds`), accuracy (`precision`, `recall`, `f1`,
/// `meanAbsoluteError`) and `speedupOverReference`, each present only where it means something.
///
/// ```swift
/// let record = WorkloadRecord(workload: "shingle", variant: "words:5", threads: 1,
///                             samples: SampleStatistics(secondsPerRun: [0.010, 0.011, 0.012]),
///                             units: WorkUnits(documents: 100, bytes: 600_000))
/// record.metrics["docsPerSecond"]   // 9090.9 (100 documents / 0.011 s)
/// ```
public struct WorkloadRecord: Sendable, Hashable, Codable {
    /// The workload: `normalize`, `shingle`, `all-pairs`, `sign`, `estimate`, `index-build`, `query`, `dedupe`, ...
    public var workload: String
    /// A short label of the variant's parameters, such as `words:5` or `minhash k=128`.
    public var variant: String
    /// `simcore`, or `naive-reference` for the `Set<String>` baseline.
    public var implementation: String
    /// The variant's parameters by name (shingle size, scheme, k, b-bit, threshold, ...).
    public var parameters: [String: ParameterValue]
    /// Worker threads used.
    public var threads: Int
    /// The timing samples and their summary.
    public var samples: SampleStatistics
    /// The work one run does.
    public var units: WorkUnits
    /// Derived metrics by name (see the type's discussion).
    public var metrics: [String: Double]
    /// The process's peak resident memory in bytes when the record was finished (monotonic).
    public var peakResidentBytes: Int

    /// The implementation name of SimCore's own code.
    public static let simcore = "simcore"
    /// The implementation name of the naive `Set<String>` baseline.
    public static let naiveReference = "naive-reference"

    /// Creates a record and derives the throughput metrics from the median.
    ///
    /// - Parameters:
    ///   - workload: Workload name.
    ///   - variant: Variant label.
    ///   - implementation: ``simcore`` or ``naiveReference``.
    ///   - parameters: Variant parameters.
    ///   - threads: Worker threads, at least 1.
    ///   - samples: Timing samples.
    ///   - units: Work per run.
    ///   - peakResidentBytes: Peak resident memory (default: read now).
    public init(
        workload: String, variant: String, implementation: String = WorkloadRecord.simcore,
        parameters: [String: ParameterValue] = [:], threads: Int, samples: SampleStatistics, units: WorkUnits,
        peakResidentBytes: Int = PeakMemory.residentBytes()
    ) {
        self.workload = workload
        self.variant = variant
        self.implementation = implementation
        self.parameters = parameters
        self.threads = threads
        self.samples = samples
        self.units = units
        self.peakResidentBytes = peakResidentBytes
        self.metrics = units.throughput(secondsPerRun: samples.median)
    }

    /// The identity used to match records across files: workload, variant, implementation, threads.
    public var key: String { "\(workload) | \(variant) | \(implementation) | \(threads)t" }

    /// The metric that best describes throughput, with its name: MB/s, else pairs/s (all-pairs
    /// work grows with pairs, not documents), else docs/s, else shingles/s, else runs per second.
    public var primaryThroughput: (name: String, value: Double) {
        for name in ["megabytesPerSecond", "pairsPerSecond", "docsPerSecond", "shinglesPerSecond"] {
            if let value = metrics[name] { return (name, value) }
        }
        return ("runsPerSecond", samples.median > 0 ? 1 / samples.median : 0)
    }
}

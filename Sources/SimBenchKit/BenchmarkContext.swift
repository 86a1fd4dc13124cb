import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreInternals

/// Everything a workload needs to measure itself the common way: the corpus, the planted pairs
/// (when known), the thread counts, the samplers and progress.
///
/// Workloads in other subcommands (`sign`, `dedupe`) build records with ``measure(workload:variant:implementation:parameters:threads:units:sampler:_:)``
/// so their JSON matches.
///
/// ```swift
/// let context = BenchmarkContext(documents: documents)
/// let record = context.measure(workload: "normalize", variant: "default", threads: 1,
///                              units: WorkUnits(documents: documents.count, bytes: context.totalBytes)) {
///     blackHole(documents.map { normalizer.normalize(utf8: $0.utf8).count })
/// }
/// ```
public struct BenchmarkContext: Sendable {
    /// The corpus.
    public var documents: [Document]
    /// Their total UTF-8 bytes.
    public var totalBytes: Int
    /// Planted duplicate pairs by document index, when the corpus has ground truth.
    public var truth: Set<DocumentPair>?
    /// Planted shared passages by document index, when the corpus has them (`reuse` scores
    /// against them).
    public var passageTruth: PassageTruth?
    /// The thread counts to run each parallel workload with (1, 2, 4, ..., all cores by default).
    public var threadCounts: [Int]
    /// The sampler for SimCore's code.
    public var sampler: Sampler
    /// The sampler for the naive reference (fewer samples: it is slow).
    public var referenceSampler: Sampler
    /// How many documents the quadratic naive all-pairs reference runs on (SimCore is timed on
    /// the same subset for the ratio).
    public var referenceDocuments: Int
    /// Progress on standard error, if any: each measurement is one step of the task the caller
    /// started (``ProgressDisplay/start(_:total:unit:unknownTotalReason:)`` with ``ProgressDisplay/Unit/steps``).
    public var progress: ProgressDisplay?

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - documents: The corpus.
    ///   - truth: Planted pairs by index, if known.
    ///   - threadCounts: Thread counts (default: ``defaultThreadCounts(cores:)``).
    ///   - sampler: Sampler for SimCore (default: 5 samples of at least 0.2 s).
    ///   - referenceSampler: Sampler for the naive reference (default: 3 samples, no minimum).
    ///   - referenceDocuments: Subset size of the naive all-pairs reference (default 200).
    ///   - progress: The progress display (default: none).
    ///   - passageTruth: Planted shared passages, if known.
    public init(
        documents: [Document], truth: Set<DocumentPair>? = nil,
        threadCounts: [Int] = BenchmarkContext.defaultThreadCounts(cores: Parallelism.defaultThreadCount),
        sampler: Sampler = Sampler(), referenceSampler: Sampler = Sampler(samples: 3, minimumSampleSeconds: 0),
        referenceDocuments: Int = 200, progress: ProgressDisplay? = nil, passageTruth: PassageTruth? = nil
    ) {
        self.passageTruth = passageTruth
        self.documents = documents
        self.totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        self.truth = truth
        self.threadCounts = threadCounts
        self.sampler = sampler
        self.referenceSampler = referenceSampler
        self.referenceDocuments = referenceDocuments
        self.progress = progress
    }

    /// 1, 2, 4, ... below `cores`, then `cores`: `[1, 2]` on 2 cores, `[1, 2, 4, 6]` on 6.
    ///
    /// - Parameter cores: Logical cores, at least 1.
    /// - Returns: Ascending thread counts.
    public static func defaultThreadCounts(cores: Int) -> [Int] {
        var counts: [Int] = []
        var threads = 1
        while threads < cores {
            counts.append(threads)
            threads *= 2
        }
        counts.append(Swift.max(1, cores))
        return counts
    }

    /// Measures `body` (one run of the work) and returns its record with throughput metrics.
    ///
    /// - Parameters:
    ///   - workload: Workload name.
    ///   - variant: Variant label.
    ///   - implementation: ``WorkloadRecord/simcore`` or ``WorkloadRecord/naiveReference``.
    ///   - parameters: Variant parameters.
    ///   - threads: Threads the body uses.
    ///   - units: Work per run.
    ///   - sampler: Overrides the context's sampler (default: ``sampler``, or ``referenceSampler``
    ///     for the naive reference).
    ///   - body: One run.
    /// - Returns: The record.
    public func measure(
        workload: String, variant: String, implementation: String = WorkloadRecord.simcore,
        parameters: [String: ParameterValue] = [:], threads: Int = 1, units: WorkUnits, sampler: Sampler? = nil,
        _ body: () -> Void
    ) -> WorkloadRecord {
        progress?.beginStep("\(workload) \(variant) [\(implementation), \(threads) thread\(threads == 1 ? "" : "s")]")
        let chosen = sampler ?? (implementation == WorkloadRecord.naiveReference ? referenceSampler : self.sampler)
        let samples = chosen.measure(body)
        return WorkloadRecord(workload: workload, variant: variant, implementation: implementation,
                              parameters: parameters, threads: threads, samples: samples, units: units)
    }
}

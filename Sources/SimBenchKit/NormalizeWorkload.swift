import SimCore
import SimCoreFixtures
import SimCoreInternals

/// Measures ``TextNormalizer`` over the corpus at every thread count, and the naive reference
/// (`lowercased()` and splitting on non-alphanumerics) on one thread.
///
/// ```swift
/// let output = NormalizeWorkload().run(in: context)   // records "normalize | default | simcore | 1t", ...
/// ```
public struct NormalizeWorkload: BenchmarkWorkload {
    /// `normalize`.
    public let name = "normalize"
    /// The normalization options measured.
    public var options: NormalizationOptions

    /// Creates the workload.
    ///
    /// - Parameter options: Normalization options (default: ``NormalizationOptions/default``).
    public init(options: NormalizationOptions = .default) {
        self.options = options
    }

    /// Measures every thread count and the reference.
    ///
    /// - Parameter context: Corpus and settings.
    /// - Returns: One record per thread count plus the reference.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        let documents = context.documents
        let normalizer = TextNormalizer(options: options)
        let units = WorkUnits(documents: documents.count, bytes: context.totalBytes)
        let parameters: [String: ParameterValue] = [
            "lowercase": .bool(options.lowercase), "foldCompatibilityForms": .bool(options.foldCompatibilityForms),
            "keepPunctuation": .bool(options.keepPunctuation),
        ]
        var records = context.threadCounts.map { threads in
            context.measure(workload: name, variant: "default", parameters: parameters, threads: threads, units: units) {
                blackHole(concurrentChunks(count: documents.count, threads: threads) { range in
                    var total = 0
                    for index in range { total &+= normalizer.normalize(utf8: documents[index].utf8).count }
                    return total
                })
            }
        }
        let reference = context.measure(
            workload: name, variant: "default", implementation: WorkloadRecord.naiveReference,
            parameters: parameters, units: units
        ) {
            var total = 0
            for document in documents { total &+= NaiveReference.words(document.text).count }
            blackHole(total)
        }
        records.addSpeedups(over: reference)
        records.append(reference)
        return BenchmarkOutput(records: records)
    }

    /// One measurement per thread count and the reference.
    public func measurementCount(in context: BenchmarkContext) -> Int { context.threadCounts.count + 1 }
}

extension [WorkloadRecord] {
    /// Adds `speedupOverReference` (reference median / record median, thread counts compared as
    /// they are) to every record of `reference`'s workload and variant.
    mutating func addSpeedups(over reference: WorkloadRecord) {
        for index in indices where self[index].workload == reference.workload && self[index].variant == reference.variant {
            self[index].metrics["speedupOverReference"] = reference.samples.median / self[index].samples.median
        }
    }
}
